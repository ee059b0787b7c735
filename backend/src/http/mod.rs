//! The HTTP surface: each area's `router()` composed with the shared layers, apart from `main`
//! so tests drive it with `oneshot`.
mod admin;
mod archive;
mod auth;
mod cases;
mod estate_records;
mod events;
mod exports;
mod extract;
mod figures;
mod floor_plans;
mod funds;
mod gates;
mod groups;
mod guard;
mod health;
mod households;
mod housing;
mod imports;
mod json_body;
mod log_errors;
mod maptools;
mod metrics;
mod ogc;
mod overlay;
mod petitions;
mod procedure;
mod procedure_ledger;
mod procedure_rules;
mod public;
mod reports;
mod request_context;
mod selection;
mod site;
mod sse;
mod status;
mod tilejson;
mod tiles;
mod upload;
mod weekly;

use axum::http::{header, HeaderValue};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;

pub use metrics::metrics_app;

/// The service's own address for absolute links: the configured public URL, else the Host
/// the client used.
pub(crate) fn base_url(state: &AppState, headers: &axum::http::HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        url.trim_end_matches('/').to_owned()
    } else {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        format!("http://{host}")
    }
}

/// A bound on how long a request may take: 408 past it (its body is made JSON on the way out).
fn timeout(limit: std::time::Duration) -> TimeoutLayer {
    TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, limit)
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub fn app(state: AppState) -> Router {
    // every answer within the request timeout (408) but the live feed, which streams for
    // hours, and the uploads, which may take minutes to arrive and have their own bounds
    let timed = Router::new()
        .merge(health::router())
        .merge(metrics::router())
        .merge(site::router())
        .merge(auth::router())
        .merge(admin::router())
        .merge(procedure::router())
        .merge(procedure_ledger::router())
        .merge(procedure_rules::router())
        .merge(gates::router())
        .merge(groups::router())
        .merge(cases::router())
        .merge(archive::router())
        .merge(status::router())
        .merge(figures::router())
        .merge(reports::router())
        .merge(weekly::router())
        .merge(imports::router())
        .merge(exports::router())
        .merge(households::router())
        .merge(housing::router())
        .merge(floor_plans::router())
        .merge(estate_records::router())
        .merge(maptools::router())
        .merge(funds::router())
        .merge(petitions::router())
        .merge(selection::router())
        .merge(public::router())
        .merge(ogc::router())
        .merge(tiles::router())
        .route_layer(timeout(state.request_timeout));
    let api = timed
        .merge(events::router())
        .merge(housing::untimed_router())
        .merge(overlay::router())
        .merge(selection::live_router())
        .merge(imports::upload_router())
        .merge(groups::upload_router());
    // Built assets carry a content hash in their names: cache them for good. The page itself
    // (index.html) is revalidated so a new build shows at once. Unknown paths are plain 404s.
    let router = match &state.frontend_dir {
        Some(dir) => api
            // the residents' page is built as disclosure/ (Vite keeps public/ for static files)
            .route_service("/public", ServeFile::new(dir.join("disclosure/index.html")))
            .route_service(
                "/public/",
                ServeFile::new(dir.join("disclosure/index.html")),
            )
            .nest_service(
                "/static",
                ServiceBuilder::new()
                    .layer(SetResponseHeaderLayer::overriding(
                        header::CACHE_CONTROL,
                        HeaderValue::from_static(IMMUTABLE),
                    ))
                    .service(ServeDir::new(dir.join("static"))),
            )
            .fallback_service(
                ServiceBuilder::new()
                    .layer(SetResponseHeaderLayer::if_not_present(
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("no-cache"),
                    ))
                    .service(ServeDir::new(dir)),
            ),
        None => api,
    };
    // innermost first: a panic becomes a JSON 500, which the outer layers still give the
    // security headers and log; any plain-text refusal (axum's 404/405, body limits) leaves
    // in the API's JSON shape
    router
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            crate::error::panic_response,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::csrf,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::headers,
        ))
        .layer(axum::middleware::from_fn(log_errors::log_server_errors))
        .layer(axum::middleware::from_fn(
            crate::error::error_bodies_as_json,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            request_context::request_context,
        ))
        .with_state(state)
}
