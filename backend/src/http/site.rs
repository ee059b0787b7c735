//! What the pages read about the site before drawing: the city's time zone (`/api/site`), the
//! configured basemaps (`/api/basemaps`), and the tiles of a local basemap file. Nothing here
//! is personal and the pages need it before anyone logs in: no session is asked for.
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

async fn site(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "time_zone": state.site.time_zone }))
}

/// The basemaps in configured order; `wall`: the one the wall display shows (None: none).
async fn basemaps(State(state): State<AppState>) -> Json<Value> {
    let list: Vec<_> = state
        .site
        .basemaps
        .iter()
        .map(|b| {
            let max_zoom = state.basemap_files.get(&b.id).map_or(19, |f| f.max_zoom);
            b.for_pages(max_zoom)
        })
        .collect();
    Json(json!({ "basemaps": list, "wall": state.site.wall_basemap }))
}

/// A transparent 1×1 PNG: where the file has no tile. MapLibre never finishes loading a raster
/// tile answered with no content (204), and a wall would wait for its first frame forever.
const NO_TILE: [u8; 68] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

/// A tile of a local basemap file; a transparent one where the file has none.
async fn local_tile(
    State(state): State<AppState>,
    Path((id, z, x, y)): Path<(String, u8, u32, String)>,
) -> AppResult<Response> {
    let file = state
        .basemap_files
        .get(&id)
        .ok_or_else(|| AppError::NotFound(format!("basemap: no local basemap `{id}`")))?;
    // `{y}` may carry the extension a template writes (`12.png`)
    let y: u32 = y
        .split('.')
        .next()
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| AppError::BadRequest(format!("y: `{y}` is not a tile row")))?;
    Ok(
        match file
            .tile(z, x, y)
            .await
            .map_err(|e| AppError::Internal(format!("basemap {id}: {e}")))?
        {
            Some(bytes) => (
                [
                    (header::CONTENT_TYPE, file.content_type),
                    (header::CACHE_CONTROL, "public, max-age=86400"),
                ],
                bytes,
            )
                .into_response(),
            None => (
                [
                    (header::CONTENT_TYPE, "image/png"),
                    (header::CACHE_CONTROL, "public, max-age=86400"),
                ],
                NO_TILE.as_slice(),
            )
                .into_response(),
        },
    )
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/site", get(site))
        .route("/api/basemaps", get(basemaps))
        .route("/api/basemaps/{id}/{z}/{x}/{y}", get(local_tile))
}
