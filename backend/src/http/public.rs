//! `/api/public/*`: no login, published projects only, masked; the resident's own look-up and
//! objections are rate-limited per client address.
use std::net::IpAddr;

use axum::body::Body;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use super::exports::attachment;
use super::extract::{Path, Query};
use super::json_body::JsonBody;
use crate::clock::beijing_today;
use crate::disclosure::landing::PageQuery;
use crate::disclosure::{self, rate_limit, residents};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The peer's address (None when the server was not started with connect info, as in tests).
pub struct ClientAddr(Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        Ok(ClientAddr(crate::client::peer(&parts.extensions)))
    }
}

pub(super) async fn limited(
    state: &AppState,
    client: &ClientAddr,
    purpose: rate_limit::Purpose,
) -> AppResult<()> {
    rate_limit::check(&state.public_pool, client.0, purpose)
        .await?
        .map_err(|retry_after| AppError::TooMany {
            message: format!("too many look-ups from this address: try again in {retry_after} s"),
            retry_after,
        })
}

/// A proxy or CDN may serve a landing page this long without asking; then it revalidates
/// (a 304 while no event changed it).
const LANDING_CACHE_CONTROL: &str = "public, max-age=10";

/// The residents' landing: a page of the published projects, kept until an event changes it.
pub async fn projects(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let page = state
        .landing
        .page(
            &state.public_pool,
            &state.lists,
            state.hub.figures_version(),
            beijing_today(),
            &q,
        )
        .await?;
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| crate::tiles::etag_matches(tags, &page.etag));
    let builder = Response::builder()
        .header(header::ETAG, page.etag.clone())
        .header(header::CACHE_CONTROL, LANDING_CACHE_CONTROL);
    let response = if unchanged {
        builder.status(StatusCode::NOT_MODIFIED).body(Body::empty())
    } else {
        builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(page.body.clone()))
    };
    Ok(response.expect("static headers are valid"))
}

pub async fn project(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(disclosure::project(&state.public_pool, &code).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    limit: Option<i64>,
    offset: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    Path((code, list)): Path<(String, String)>,
    Query(page): Query<Page>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        disclosure::list(&state.public_pool, &code, &list, page.limit, page.offset).await?,
    ))
}

pub async fn lookup(
    State(state): State<AppState>,
    client: ClientAddr,
    JsonBody(who): JsonBody<residents::Identity>,
) -> AppResult<Json<Value>> {
    limited(&state, &client, rate_limit::Purpose::Lookup).await?;
    Ok(Json(residents::lookup(&state.public_pool, &who).await?))
}

pub async fn file_objection(
    State(state): State<AppState>,
    client: ClientAddr,
    JsonBody(o): JsonBody<residents::NewObjection>,
) -> AppResult<(StatusCode, Json<Value>)> {
    limited(&state, &client, rate_limit::Purpose::Lookup).await?;
    Ok((
        StatusCode::CREATED,
        Json(residents::file_objection(&state.public_pool, &o).await?),
    ))
}

/// A public document of a published step (程序公开), counted against the client's downloads.
pub async fn step_document(
    State(state): State<AppState>,
    client: ClientAddr,
    Path((code, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    limited(&state, &client, rate_limit::Purpose::Download).await?;
    let doc = disclosure::procedure::document(&state.public_pool, &code, id).await?;
    let bytes = state
        .files
        .read(&doc.sha256, &format!("document {id}"))
        .await?;
    Ok(attachment(&doc.content_type, &doc.file_name, bytes))
}

pub async fn follow_objection(
    State(state): State<AppState>,
    Path(ticket): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(residents::follow(&state.public_pool, &ticket).await?))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/public/projects", get(projects))
        .route("/api/public/projects/{code}", get(project))
        .route("/api/public/projects/{code}/lists/{list}", get(list))
        .route(
            "/api/public/projects/{code}/documents/{id}",
            get(step_document),
        )
        .route("/api/public/lookup", post(lookup))
        .route("/api/public/objections", post(file_objection))
        .route("/api/public/objections/{ticket}", get(follow_objection))
}
