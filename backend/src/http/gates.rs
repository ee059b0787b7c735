//! `/api/projects/{code}/gates…` and `/api/households/{id}/compensation-decision…`: the
//! procedure's gates with admins' overrides, and the 补偿决定 of unsigned households
//! (docs/procedure.md, "Gates"). The domain code is `procedure::{gates, decisions}`.
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::extract::Path;
use super::json_body::JsonBody;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::procedure::decisions::{self, NewDecision};
use crate::procedure::gates;
use crate::state::AppState;

/// A project's gates, for staff who may read its region.
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let project = crate::projects::readable(&state.pool, &user, &code, "gates").await?;
    Ok(Json(
        json!({ "project": code, "gates": gates::list(&state.pool, project.id).await? }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    reason: String,
}

async fn set_override(
    state: &AppState,
    user: &crate::auth::User,
    code: &str,
    gate: &str,
    grant: bool,
    reason: &str,
) -> AppResult<Json<Value>> {
    let gates = gates::set_override(&state.pool, user, code, gate, grant, reason).await?;
    Ok(Json(json!({ "project": code, "gates": gates })))
}

/// An admin opens a gate whatever its step and funds, with a reason.
pub async fn grant(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((code, gate)): Path<(String, String)>,
    JsonBody(body): JsonBody<Reason>,
) -> AppResult<Json<Value>> {
    set_override(&state, &user, &code, &gate, true, &body.reason).await
}

/// An admin revokes the override in force, with a reason: the gate follows its step again.
pub async fn revoke(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((code, gate)): Path<(String, String)>,
    JsonBody(body): JsonBody<Reason>,
) -> AppResult<Json<Value>> {
    set_override(&state, &user, &code, &gate, false, &body.reason).await
}

/// The household file's 补偿决定 section.
pub async fn decision(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(decisions::section(&state.pool, &user, id).await?))
}

pub async fn decide(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewDecision>,
) -> AppResult<(axum::http::StatusCode, Json<Value>)> {
    let section = decisions::decide(&state.pool, &user, id, &body).await?;
    Ok((axum::http::StatusCode::CREATED, Json(section)))
}

pub async fn revoke_decision(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Reason>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        decisions::revoke(&state.pool, &user, id, &body.reason).await?,
    ))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/projects/{code}/gates", get(list))
        .route("/api/projects/{code}/gates/{gate}/override", post(grant))
        .route("/api/projects/{code}/gates/{gate}/revoke", post(revoke))
        .route(
            "/api/households/{id}/compensation-decision",
            get(decision).post(decide),
        )
        .route(
            "/api/households/{id}/compensation-decision/revoke",
            post(revoke_decision),
        )
}
