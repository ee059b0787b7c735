//! What the pages read about the site before drawing: the city's time zone (`/api/site`), the
//! configured basemaps (`/api/basemaps`), and the tiles of a local basemap file. Nothing here
//! is personal and the pages need it before anyone logs in: no session is asked for.
use axum::extract::{Path, State};
use std::io::Read as _;

use axum::http::{header, HeaderMap};
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
        .map(|b| b.for_pages(state.basemap_files.get(&b.id)))
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

/// A tile of a local basemap file; where the file has none, a transparent one (raster) or an
/// empty one (vector: a tile of no layers). Gzipped vector tiles go as they are stored, with
/// `Content-Encoding: gzip`, to every client that accepts it (every browser); unpacked for others.
async fn local_tile(
    State(state): State<AppState>,
    Path((id, z, x, y)): Path<(String, u8, u32, String)>,
    headers: HeaderMap,
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
    let tile = file
        .tile(z, x, y)
        .await
        .map_err(|e| AppError::Internal(format!("basemap {id}: {e}")))?;
    let cache = (header::CACHE_CONTROL, "public, max-age=86400");
    let vector = !file.vector_layers().is_empty();
    let encoding = tile.as_deref().and_then(|t| file.content_encoding(t));
    Ok(match (tile, encoding) {
        (None, _) if vector => (
            [(header::CONTENT_TYPE, file.content_type()), cache],
            Vec::new(),
        )
            .into_response(),
        (None, _) => (
            [(header::CONTENT_TYPE, "image/png"), cache],
            NO_TILE.as_slice(),
        )
            .into_response(),
        (Some(bytes), Some(encoding)) if accepts(&headers, encoding) => (
            [
                (header::CONTENT_TYPE, file.content_type()),
                (header::CONTENT_ENCODING, encoding),
                cache,
            ],
            [(header::VARY, "accept-encoding")],
            bytes,
        )
            .into_response(),
        (Some(bytes), Some(_)) => {
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(bytes.as_slice())
                .read_to_end(&mut plain)
                .map_err(|e| {
                    AppError::Internal(format!("basemap {id}: tile {z}/{x}/{y} is not gzip ({e})"))
                })?;
            (
                [(header::CONTENT_TYPE, file.content_type()), cache],
                [(header::VARY, "accept-encoding")],
                plain,
            )
                .into_response()
        }
        (Some(bytes), None) => {
            ([(header::CONTENT_TYPE, file.content_type()), cache], bytes).into_response()
        }
    })
}

/// Whether the request's Accept-Encoding takes this coding (not refused with `q=0`).
fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused =
                parts.any(|p| p.replace(' ', "") == "q=0" || p.replace(' ', "") == "q=0.0");
            (name.eq_ignore_ascii_case(encoding) || name == "*") && !refused
        })
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/site", get(site))
        .route("/api/basemaps", get(basemaps))
        .route("/api/basemaps/{id}/{z}/{x}/{y}", get(local_tile))
}
