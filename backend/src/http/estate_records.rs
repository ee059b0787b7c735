//! `POST /api/housing/estates` (add an estate with its outline; routed beside the list in
//! `housing`) and `PUT /api/housing/estates/{code}/outline` (replace it). Domain code:
//! `housing::estate_write`.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;

use super::extract::Path;
use super::json_body::JsonBody;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::housing::estate_write::{self, NewEstate, NewOutline};
use crate::housing::estates;
use crate::state::AppState;

pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(new): JsonBody<NewEstate>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let answer = estate_write::create(&state.pool, &user, &new).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}

pub async fn outline(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<NewOutline>,
) -> AppResult<Json<Value>> {
    let estate = estates::by_code(&state.pool, &code).await?;
    Ok(Json(
        estate_write::replace_outline(&state.pool, &user, &estate, &body).await?,
    ))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    axum::Router::new().route(
        "/api/housing/estates/{code}/outline",
        axum::routing::put(outline),
    )
}
