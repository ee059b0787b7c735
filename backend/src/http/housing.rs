//! `/api/housing/…`, `/api/public/estates…` and `/api/figures/housing`: the resettlement
//! inventory (安置房源), its 楼盘表 for staff and the public, unit status changes from the desk,
//! which projects draw on which estates, and the housing figures. Domain code: `housing`.
use std::time::Duration;

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::broadcast::error::RecvError;

use super::extract::{Multipart, Path, Query};
use super::json_body::JsonBody;
use super::sse;
use crate::audit::audit;
use crate::auth::{authorize, CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::housing::{estates, figures, grid, inventory, units};
use crate::live::EventKind;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionQuery {
    region: Option<String>,
}

/// The public list: estates with their counts by status and types, no household.
pub async fn public_list(
    State(state): State<AppState>,
    Query(q): Query<RegionQuery>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        estates::list(&state.public_pool, q.region.as_deref()).await?,
    ))
}

/// The public 楼盘表 of one estate: statuses only, read through the residents' role, which
/// cannot read who holds a unit.
pub async fn public_grid(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(grid::public(&state.public_pool, &code).await?))
}

/// The public 楼盘表's live feed: the estate's unit status changes (SSE `unit`) without the
/// household or who acted; `reload` when this client fell behind (the page refetches).
pub async fn public_feed(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Response> {
    estates::by_code(&state.pool, &code).await?;
    let mut live = state.hub.subscribe();
    let stream = async_stream::stream! {
        loop {
            match live.recv().await {
                // a bulk of unit changes (live/mod.rs BULK_AT) names no estate: every page refetches
                Ok(event) if event.kind == EventKind::Unit && event.bulk > 0 => yield sse::frame("reload", None, "{}"),
                Ok(event) if event.kind == EventKind::Unit => {
                    let ours = serde_json::from_str::<Value>(event.payload_for(false))
                        .is_ok_and(|v| v["estate_code"].as_str() == Some(code.as_str()));
                    if ours {
                        // the wall displays' frame: no household, nobody who acted
                        yield super::events::sse_event(&event, false);
                    }
                }
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => yield sse::frame("reload", None, "{}"),
                Err(RecvError::Closed) => return,
            }
        }
    };
    Ok(sse::response(stream, Some(Duration::from_secs(15))))
}

/// Staff's list of estates (the cockpit's panel, the desk's choice).
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(_user): CurrentUser,
    Query(q): Query<RegionQuery>,
) -> AppResult<Json<Value>> {
    Ok(Json(estates::list(&state.pool, q.region.as_deref()).await?))
}

/// Staff's 楼盘表: with each held unit's household (code, masked name) for those who may see
/// household files in the estate's region; statuses only for the others.
pub async fn staff_grid(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let estate = estates::by_code(&state.pool, &code).await?;
    if authorize(&user, &estate.lineage, "estate").is_ok() {
        Ok(Json(
            grid::with_holders(&state.pool, &estate.code, estate.id).await?,
        ))
    } else {
        Ok(Json(grid::public(&state.pool, &estate.code).await?))
    }
}

/// A unit's status change at the desk; the feed has sent it when this answers.
pub async fn change_status(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i32>,
    JsonBody(change): JsonBody<units::Change>,
) -> AppResult<Json<Value>> {
    let mut tx = state.pool.begin().await?;
    let (unit, event) = units::change(&mut tx, &user, id, &change).await?;
    tx.commit().await?;
    if let Err(error) = state.hub.unit_catch_up_to(&state.pool, event).await {
        tracing::warn!("housing: reading the new unit event failed ({error}); the listener will");
    }
    Ok(Json(unit))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draws {
    /// Codes of the projects whose swap households may draw on the estate: the whole list.
    projects: Vec<String>,
}

/// Which projects draw on the estate (admins; audited): replaces the list.
pub async fn set_projects(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    JsonBody(draws): JsonBody<Draws>,
) -> AppResult<Json<Value>> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(
            "estate: only admins say which projects draw on an estate".into(),
        ));
    }
    let estate = estates::by_code(&state.pool, &code).await?;
    let mut tx = state.pool.begin().await?;
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM projects WHERE code = ANY($1) ORDER BY code")
            .bind(&draws.projects)
            .fetch_all(&mut *tx)
            .await?;
    if ids.len() != draws.projects.len() {
        return Err(AppError::Unprocessable(
            "projects: a code names no project (or appears twice)".into(),
        ));
    }
    sqlx::query("DELETE FROM project_estates WHERE estate_id = $1")
        .bind(estate.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO project_estates (project_id, estate_id) SELECT unnest($1::bigint[]), $2",
    )
    .bind(&ids)
    .bind(estate.id)
    .execute(&mut *tx)
    .await?;
    let answer = json!({ "estate": estate.code, "projects": draws.projects });
    audit(
        &mut tx,
        &user,
        "estate.projects",
        &format!("estate {}", estate.code),
        answer.clone(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(answer))
}

/// Which projects draw on the estate.
pub async fn projects_of(
    State(state): State<AppState>,
    CurrentUser(_user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let estate = estates::by_code(&state.pool, &code).await?;
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT p.code FROM project_estates pe JOIN projects p ON p.id = pe.project_id WHERE pe.estate_id = $1 ORDER BY p.code",
    )
    .bind(estate.id)
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(json!({ "estate": estate.code, "projects": codes })))
}

/// The housing figures (units by status per estate and type, days to deliver): the cockpit,
/// the wall (a kiosk reads `/api/figures…`) and the phone.
pub async fn housing_figures(
    State(state): State<AppState>,
    CurrentUser(_user): CurrentUser,
    Query(q): Query<RegionQuery>,
) -> AppResult<Json<Value>> {
    let today = crate::clock::beijing_today();
    Ok(Json(
        figures::figures(&state.pool, q.region.as_deref(), today).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// `true`: write the rows that pass and report the others (default: nothing on any error).
    accept_valid: Option<bool>,
}

/// The inventory workbook (XLSX or CSV) of one estate: checked row by row, written whole or
/// (accept_valid) without the rejected rows; the answer is the report either way.
pub async fn import_inventory(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ImportQuery>,
    multipart: Multipart,
) -> AppResult<Json<inventory::InventoryReport>> {
    let estate = estates::by_code(&state.pool, &code).await?;
    authorize(&user, &estate.lineage, &format!("estate {code}"))?;
    let limits = &crate::import::limits::IMPORT;
    let upload = super::upload::receive(multipart, &[".xlsx", ".csv"], limits).await?;
    let file =
        std::sync::Arc::new(crate::import::prepare_file(&upload.path, &upload.name, limits).await?);
    let report = inventory::import(
        &state.pool,
        &user,
        &estate,
        file,
        q.accept_valid.unwrap_or(false),
    )
    .await?;
    // the units' statuses changed through the trigger: the feed tells the pages
    if let Err(error) = state.hub.catch_up(&state.pool).await {
        tracing::warn!("housing: reading new unit events failed ({error}); the listener will");
    }
    Ok(Json(report))
}

/// The inventory template (XLSX): the headers, two example rows, what each column holds.
pub async fn inventory_template(_user: CurrentUser) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let body = inventory::template()?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"estate-units.xlsx\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// This area's routes within the request timeout.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/public/estates", get(public_list))
        .route("/api/public/estates/{code}", get(public_grid))
        .route(
            "/api/housing/estates",
            get(list).post(super::estate_records::create),
        )
        .route("/api/housing/estates/{code}", get(staff_grid))
        .route(
            "/api/housing/estates/{code}/projects",
            get(projects_of).put(set_projects),
        )
        .route("/api/housing/units/{id}/status", post(change_status))
        .route("/api/figures/housing", get(housing_figures))
        .route(
            "/api/housing/inventory-template.xlsx",
            get(inventory_template),
        )
}

/// The public 楼盘表's feed (it streams for hours) and the inventory upload (its own bounds),
/// outside the request timeout.
pub(super) fn untimed_router() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            "/api/public/estates/{code}/events",
            axum::routing::get(public_feed),
        )
        .route(
            "/api/housing/estates/{code}/inventory",
            super::upload::upload_route(import_inventory),
        )
}
