//! What the pages read about the site before drawing: the city's time zone (`/api/site`), the
//! configured basemaps (`/api/basemaps`), and the tiles of a local basemap file. Nothing here
//! is personal and the pages need it before anyone logs in: no session is asked for.
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
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

/// A tile of a local basemap file; 204 where the file has none (MapLibre draws nothing there).
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
            None => StatusCode::NO_CONTENT.into_response(),
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
