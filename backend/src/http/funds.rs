//! `/api/projects/{code}/funds|allocations|batches|approval-chain`, `/api/batches/{id}[/step]`,
//! the default approval chain, offices, and the staff side of objections and disclosures.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use super::extract::{Path, Query};
use super::json_body::JsonBody;
use crate::auth::CurrentUser;
use crate::disclosure::objections::{self, Answer, Filter};
use crate::error::AppResult;
use crate::funds::{self, Allocation, ChainEdit, NewBatch, OfficesEdit};
use crate::state::AppState;

pub async fn overview(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(funds::overview(&state.pool, &user, &code).await?))
}

pub async fn allocate(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<Allocation>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let allocation = funds::allocate(&state.pool, &user, &code, &body).await?;
    state.lists.clear();
    Ok((StatusCode::CREATED, Json(allocation)))
}

pub async fn submit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<NewBatch>,
) -> AppResult<(StatusCode, Json<Value>)> {
    Ok((
        StatusCode::CREATED,
        Json(funds::submit(&state.pool, &user, &code, &body).await?),
    ))
}

pub async fn batch(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(funds::read_batch(&state.pool, &user, id).await?))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    reason: Option<String>,
}

/// `{step}` is a step key of the batch's chain, or `return` (退回). The body is optional (only a
/// send-back needs one): `{"reason": "..."}`.
pub async fn step(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, step)): Path<(i64, String)>,
    body: axum::body::Bytes,
) -> AppResult<Json<Value>> {
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<StepBody>(&body)
            .map_err(|e| crate::error::AppError::BadRequest(format!("body: {e}")))?
            .reason
    };
    let batch = funds::take_step(&state.pool, &user, id, &step, reason.as_deref()).await?;
    // paid money changes the fund gauges
    state.lists.clear();
    Ok(Json(batch))
}

pub async fn chain(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        funds::read_chain(&state.pool, &user, Some(&code)).await?,
    ))
}

pub async fn set_chain(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<ChainEdit>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        funds::set_chain(&state.pool, &user, Some(&code), &body).await?,
    ))
}

pub async fn default_chain(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> AppResult<Json<Value>> {
    Ok(Json(funds::read_chain(&state.pool, &user, None).await?))
}

pub async fn set_default_chain(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody<ChainEdit>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        funds::set_chain(&state.pool, &user, None, &body).await?,
    ))
}

pub async fn offices(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> AppResult<Json<Value>> {
    Ok(Json(funds::list_offices(&state.pool, &user).await?))
}

pub async fn set_offices(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(username): Path<String>,
    JsonBody(body): JsonBody<OfficesEdit>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        funds::set_offices(&state.pool, &user, &username, &body).await?,
    ))
}

pub async fn list_objections(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(f): Query<Filter>,
) -> AppResult<Json<Value>> {
    Ok(Json(objections::list(&state.pool, &user, &f).await?))
}

pub async fn answer_objection(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Answer>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        objections::answer(&state.pool, &user, id, &body).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    kind: String,
    title: String,
    body: String,
}

pub async fn publish(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    JsonBody(d): JsonBody<Document>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let document =
        crate::disclosure::publish_document(&state.pool, &user, &code, &d.kind, &d.title, &d.body)
            .await?;
    Ok((StatusCode::CREATED, Json(document)))
}

/// What a project has published (admins).
pub async fn documents(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        crate::disclosure::documents(&state.pool, &user, &code).await?,
    ))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post, put};
    axum::Router::new()
        .route("/api/projects/{code}/funds", get(overview))
        .route("/api/projects/{code}/allocations", post(allocate))
        .route("/api/projects/{code}/batches", post(submit))
        .route(
            "/api/projects/{code}/disclosures",
            get(documents).post(publish),
        )
        .route("/api/batches/{id}", get(batch))
        .route("/api/batches/{id}/{step}", post(step))
        .route(
            "/api/projects/{code}/approval-chain",
            get(chain).put(set_chain),
        )
        .route(
            "/api/approval-chain",
            get(default_chain).put(set_default_chain),
        )
        .route("/api/offices", get(offices))
        .route("/api/offices/{username}", put(set_offices))
        .route("/api/objections", get(list_objections))
        .route("/api/objections/{id}/answer", post(answer_objection))
}
