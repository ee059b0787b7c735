//! The HTTP surface: one router built apart from `main` so tests drive it with `oneshot`.
mod health;
mod log_errors;
mod tilejson;
mod tiles;

use axum::routing::get;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use crate::state::AppState;

pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/tiles/{file}", get(tilejson::tilejson))
        .route("/tiles/{layer}/{z}/{x}/{y}", get(tiles::tile));
    let router = match &state.frontend_dir {
        Some(dir) => api.fallback_service(
            ServeDir::new(dir).not_found_service(ServeFile::new(dir.join("index.html"))),
        ),
        None => api,
    };
    router
        .layer(axum::middleware::from_fn(log_errors::log_server_errors))
        .with_state(state)
}
