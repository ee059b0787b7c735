//! `/api/petitions[/{id}[/accept|reply|assign|link]]`, `/api/petitions/stats`, and the rules
//! (`settings`, `categories`, `periods`): the 信访 desk's routes; the work is in `crate::petitions`.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;

use super::extract::{Path, Query};
use super::json_body::JsonBody;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::petitions::{
    self, Assign, BoardFilter, Category, Decision, Link, NewPetition, Periods, Reply, StatsFilter,
};
use crate::state::AppState;

pub async fn register(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody<NewPetition>,
) -> AppResult<(StatusCode, Json<Value>)> {
    Ok((
        StatusCode::CREATED,
        Json(petitions::register(&state.pool, &user, &body).await?),
    ))
}

pub async fn board(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(f): Query<BoardFilter>,
) -> AppResult<Json<Value>> {
    Ok(Json(petitions::board(&state.pool, &user, &f).await?))
}

pub async fn stats(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(f): Query<StatsFilter>,
) -> AppResult<Json<Value>> {
    Ok(Json(petitions::stats(&state.pool, &user, &f).await?))
}

pub async fn detail(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(petitions::detail(&state.pool, &user, id).await?))
}

pub async fn accept(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Decision>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        petitions::accept(&state.pool, &user, id, &body).await?,
    ))
}

pub async fn reply(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Reply>,
) -> AppResult<Json<Value>> {
    Ok(Json(petitions::reply(&state.pool, &user, id, &body).await?))
}

pub async fn assign(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Assign>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        petitions::assign(&state.pool, &user, id, &body).await?,
    ))
}

pub async fn link(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Link>,
) -> AppResult<Json<Value>> {
    Ok(Json(petitions::link(&state.pool, &user, id, &body).await?))
}

pub async fn settings(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> AppResult<Json<Value>> {
    Ok(Json(petitions::settings(&state.pool, &user).await?))
}

pub async fn add_category(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody<Category>,
) -> AppResult<(StatusCode, Json<Value>)> {
    Ok((
        StatusCode::CREATED,
        Json(petitions::save_category(&state.pool, &user, None, &body).await?),
    ))
}

pub async fn save_category(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i16>,
    JsonBody(body): JsonBody<Category>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        petitions::save_category(&state.pool, &user, Some(id), &body).await?,
    ))
}

pub async fn replace_periods(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody<Periods>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        petitions::replace_periods(&state.pool, &user, &body).await?,
    ))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post, put};
    axum::Router::new()
        .route("/api/petitions", post(register).get(board))
        .route("/api/petitions/stats", get(stats))
        .route("/api/petitions/settings", get(settings))
        .route("/api/petitions/categories", post(add_category))
        .route("/api/petitions/categories/{id}", put(save_category))
        .route("/api/petitions/periods", put(replace_periods))
        .route("/api/petitions/{id}", get(detail))
        .route("/api/petitions/{id}/accept", post(accept))
        .route("/api/petitions/{id}/reply", post(reply))
        .route("/api/petitions/{id}/assign", post(assign))
        .route("/api/petitions/{id}/link", post(link))
}
