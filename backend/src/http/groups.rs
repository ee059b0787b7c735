//! 工作组 over HTTP: a project's groups with their figures, creating and changing them, giving
//! them households (by codes, by a drawn outline, by spreadsheet), the per-group workbook, and
//! an account's write scope. The work is in `crate::groups`.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::exports::{attachment, XLSX};
use super::extract::Path;
use super::json_body::JsonBody;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::groups::{self, assign, assign::Target, GroupFields};
use crate::state::AppState;

pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(groups::list(&state.pool, &user, &code).await?))
}

pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    JsonBody(fields): JsonBody<GroupFields>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let group = groups::create(&state.pool, &user, &code, &fields).await?;
    Ok((StatusCode::CREATED, Json(group)))
}

pub async fn update(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i32>,
    JsonBody(fields): JsonBody<GroupFields>,
) -> AppResult<Json<Value>> {
    Ok(Json(groups::update(&state.pool, &user, id, &fields).await?))
}

pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i32>,
) -> AppResult<StatusCode> {
    groups::delete(&state.pool, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The answer of a change of holdings; this instance's tiles go before it is sent, so the
/// writer's next tile is fresh (the other instances hear it from the database).
fn assigned(state: &AppState, answer: &assign::Assigned) -> Json<Value> {
    state.hub.groups_changed(&answer.announced, false);
    Json(json!(answer))
}

pub async fn assign(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i32>,
    JsonBody(body): JsonBody<Value>,
) -> AppResult<Json<Value>> {
    let target = Target::of_body(&body, true)?;
    let answer = assign::assign(&state.pool, &user, id, &target).await?;
    Ok(assigned(&state, &answer))
}

pub async fn unassign(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody<Value>,
) -> AppResult<Json<Value>> {
    let target = Target::of_body(&body, false)?;
    let answer = assign::unassign(&state.pool, &user, &target).await?;
    let mut json = assigned(&state, &answer);
    json.0["unassigned"] = json.0["assigned"].take();
    json.0["assigned"] = json!(0);
    Ok(json)
}

/// Multipart `file`: an XLSX (or CSV) of 房屋编号 or 户编号 and 工作组; all or nothing.
pub async fn import(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    multipart: super::extract::Multipart,
) -> AppResult<Json<Value>> {
    let project = crate::projects::by_code(&state.pool, &code).await?;
    groups::may_manage(
        &state.pool,
        &user,
        &project.lineage,
        &format!("project {code}"),
    )
    .await?;
    let limits = &crate::import::limits::IMPORT;
    let upload = super::upload::receive(multipart, &[".xlsx", ".csv"], limits).await?;
    let file = crate::import::prepare_file(&upload.path, &upload.name, limits).await?;
    let table = tokio::task::spawn_blocking(move || crate::import::ledger::read_table(&file))
        .await
        .map_err(|e| AppError::thread("file", e))??;
    let answer = assign::import(&state.pool, &user, &code, table).await?;
    Ok(assigned(&state, &answer))
}

/// Per-group figures of a project as one sheet (groups.xlsx).
pub async fn workbook(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let list = groups::list(&state.pool, &user, &code).await?;
    let body = crate::exports::groups::workbook(&list)?;
    Ok(attachment(XLSX, &format!("{code}-groups.xlsx"), body))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    write_scope: String,
}

/// `PATCH /api/users/{id}` `{write_scope}`: `region` or `group`; admins only, audited, the
/// account's sessions stay (the scope is read at every write).
pub async fn set_write_scope(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Scope>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        groups::scope::set_write_scope(&state.pool, &user, &id, &body.write_scope).await?,
    ))
}

/// This area's routes within the request timeout, composed in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, patch, post};
    axum::Router::new()
        .route("/api/projects/{code}/groups", get(list).post(create))
        .route("/api/projects/{code}/groups.xlsx", get(workbook))
        .route("/api/groups/{id}", patch(update).delete(delete))
        .route("/api/groups/{id}/assign", post(assign))
        .route("/api/groups/unassign", post(unassign))
}

/// The spreadsheet import: an upload, with the uploads' own time and size bounds.
pub(super) fn upload_router() -> axum::Router<AppState> {
    axum::Router::new().route(
        "/api/projects/{code}/groups/import",
        super::upload::upload_route(import),
    )
}
