//! The HTTP surface: one router built apart from `main` so tests drive it with `oneshot`.
mod auth;
mod events;
mod exports;
mod extract;
mod figures;
mod funds;
mod guard;
mod health;
mod households;
mod imports;
mod json_body;
mod log_errors;
mod ogc;
mod overlay;
mod public;
mod reports;
mod status;
mod tilejson;
mod tiles;
mod upload;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;

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

/// A POST route for files: its body may be as large as an upload and take as long to arrive.
fn upload_route<H: axum::handler::Handler<T, AppState>, T: 'static>(
    handler: H,
) -> axum::routing::MethodRouter<AppState> {
    post(handler).layer(
        ServiceBuilder::new()
            .layer(timeout(upload::UPLOAD_TIMEOUT))
            .layer(DefaultBodyLimit::max(upload::MAX_UPLOAD_BYTES)),
    )
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/api/login", post(auth::login))
        .route("/api/logout", post(auth::logout))
        .route("/api/users/{username}/unlock", post(auth::unlock))
        .route("/api/me", get(auth::me))
        .route("/api/status", post(status::write))
        .route("/api/status/send-back", post(status::send_back))
        .route("/api/buildings/{id}", get(status::building))
        .route("/api/figures/projects", get(figures::all_projects))
        .route("/api/figures/projects/{id}", get(figures::project))
        .route("/api/figures/regions", get(figures::all_regions))
        .route("/api/figures/regions/{code}", get(figures::region))
        .route("/api/regions/{code}", get(figures::region_detail))
        .route("/api/regions/{code}/children", get(figures::children))
        .route("/api/rankings", get(reports::rankings))
        .route("/api/trend", get(reports::trend))
        .route("/api/alerts", get(reports::alerts))
        .route("/api/events/recent", get(figures::recent_events))
        .route("/api/imports/{id}", get(imports::status))
        .route(
            "/api/imports/template/households.xlsx",
            get(imports::template),
        )
        .route("/api/exports/projects.xlsx", get(exports::projects))
        .route("/api/exports/regions.xlsx", get(exports::regions))
        .route(
            "/api/exports/projects/{code}/ledger.xlsx",
            get(exports::ledger),
        )
        .route(
            "/api/exports/projects/{code}/{file}",
            get(exports::features),
        )
        .route(
            "/api/exports/projects/{code}/compensation.xlsx",
            get(exports::compensation),
        )
        .route("/api/households", get(households::search))
        .route("/api/households/{id}", get(households::detail))
        .route(
            "/api/households/{id}/attachments",
            post(households::upload).layer(DefaultBodyLimit::max(
                crate::households::files::MAX_ATTACHMENT_BYTES + (2 << 20),
            )),
        )
        .route(
            "/api/households/{id}/compensation-override",
            post(households::override_compensation),
        )
        .route(
            "/api/households/{id}/agreement.docx",
            get(households::agreement),
        )
        .route("/api/attachments/{id}", get(households::download))
        .route(
            "/api/projects/{code}/compensation-standard",
            get(households::read_standard).put(households::write_standard),
        )
        .route("/api/projects/{code}/funds", get(funds::overview))
        .route("/api/projects/{code}/allocations", post(funds::allocate))
        .route("/api/projects/{code}/batches", post(funds::submit))
        .route("/api/projects/{code}/disclosures", post(funds::publish))
        .route("/api/batches/{id}", get(funds::batch))
        .route("/api/batches/{id}/{step}", post(funds::step))
        .route(
            "/api/projects/{code}/approval-chain",
            get(funds::chain).put(funds::set_chain),
        )
        .route(
            "/api/approval-chain",
            get(funds::default_chain).put(funds::set_default_chain),
        )
        .route("/api/offices", get(funds::offices))
        .route(
            "/api/offices/{username}",
            axum::routing::put(funds::set_offices),
        )
        .route("/api/objections", get(funds::list_objections))
        .route("/api/objections/{id}/answer", post(funds::answer_objection))
        .route("/api/public/projects", get(public::projects))
        .route("/api/public/projects/{code}", get(public::project))
        .route(
            "/api/public/projects/{code}/lists/{list}",
            get(public::list),
        )
        .route("/api/public/lookup", post(public::lookup))
        .route("/api/public/objections", post(public::file_objection))
        .route(
            "/api/public/objections/{ticket}",
            get(public::follow_objection),
        )
        .route("/ogc", get(ogc::landing))
        .route("/ogc/conformance", get(ogc::conformance))
        .route("/ogc/api", get(ogc::openapi))
        .route("/ogc/collections", get(ogc::collections))
        .route("/ogc/collections/{id}", get(ogc::describe))
        .route("/ogc/collections/{id}/items", get(ogc::items))
        .route("/ogc/collections/{id}/items/{feature}", get(ogc::item))
        .route("/tiles/{file}", get(tilejson::tilejson))
        .route("/tiles/{layer}/{z}/{x}/{y}", get(tiles::tile))
        // every answer above within the request timeout (408); the feed streams for hours and
        // uploads may take minutes to arrive, so they are added after it with their own bounds
        .route_layer(timeout(state.request_timeout))
        .route("/events", get(events::events))
        .route("/api/overlay", upload_route(overlay::overlay))
        .route("/api/imports", upload_route(imports::start));
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
        .with_state(state)
}
