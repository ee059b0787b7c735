//! Cockpit figures over HTTP: one project's or region's gauges (live or as of a day), every
//! project's and every region's at once, regions for drill-down, and the recent events.
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};

use super::extract::{Path, Query};
use crate::auth::CurrentUser;
use crate::clock::{beijing_today, past_day};
use crate::error::{AppError, AppResult};
use crate::figures::{self, Counts};
use crate::live::events_after;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct AsOf {
    as_of: Option<String>,
}

pub async fn project(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<AsOf>,
) -> AppResult<Json<Value>> {
    let as_of = past_day("as_of", q.as_of.as_deref())?;
    let row: Option<(String, String, Option<String>, NaiveDate)> = sqlx::query_as(
        "SELECT p.code, p.name, r.code, p.target_date FROM projects p JOIN regions r ON r.id = p.region_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.pool)
    .await?;
    let (code, name, region_code, target) =
        row.ok_or_else(|| AppError::NotFound(format!("project {id} does not exist")))?;
    let counts = figures::counts(&state.pool, &[id], as_of).await?;
    Ok(Json(json!({
        "scope": { "kind": "project", "id": id, "code": code, "name": name, "level": null, "parent_code": region_code },
        "as_of": as_of.map(|d| d.to_string()),
        "figures": figures::figures(&counts, as_of, Some(target)),
    })))
}

pub async fn region(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<AsOf>,
) -> AppResult<Response> {
    let as_of = past_day("as_of", q.as_of.as_deref())?;
    let (last_event, today, key) = (
        state.hub.delivered(),
        beijing_today(),
        format!("region:{code}"),
    );
    if as_of.is_none() {
        if let Some(body) = state.lists.get(&key, last_event, today) {
            return Ok(json_bytes(body));
        }
    }
    let (id, name, level, parent_code) = find_region(&state, &code).await?;
    let projects = figures::projects_in_region(&state.pool, id).await?;
    let counts = figures::counts(&state.pool, &projects, as_of).await?;
    let document = json!({
        "scope": { "kind": "region", "id": null, "code": code, "name": name, "level": level, "parent_code": parent_code },
        "as_of": as_of.map(|d| d.to_string()),
        "figures": figures::figures(&counts, as_of, None),
    });
    let body = serialized(&document)?;
    if as_of.is_none() {
        state.lists.put(key, last_event, today, body.clone());
    }
    Ok(json_bytes(body))
}

async fn find_region(
    state: &AppState,
    code: &str,
) -> AppResult<(i32, String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT r.id, r.name, r.level::text, parent.code FROM regions r LEFT JOIN regions parent ON parent.id = r.parent_id WHERE r.code = $1",
    )
    .bind(code)
    .fetch_optional(&state.pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("no region has code `{code}`")))
}

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: i64,
    code: String,
    name: String,
    region_code: String,
    target_date: NaiveDate,
    #[sqlx(flatten)]
    counts: Counts,
}

pub async fn all_projects(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> AppResult<Response> {
    Ok(json_bytes(projects_document(&state).await?))
}

/// Every project's live figures: `{keys, projects: [{id, code, name, region_code, values}]}`,
/// the one answer the screens and the XLSX export read.
pub(super) async fn projects_document(state: &AppState) -> AppResult<Bytes> {
    let (last_event, today) = (state.hub.delivered(), beijing_today());
    if let Some(body) = state.lists.get("projects", last_event, today) {
        return Ok(body);
    }
    let rows: Vec<ProjectRow> = sqlx::query_as(include_str!("../../sql/figures/all_projects.sql"))
        .bind(today)
        .fetch_all(&state.pool)
        .await?;
    let projects: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({ "id": r.id, "code": r.code, "name": r.name, "region_code": r.region_code,
                         "values": figures::values(&r.counts, None, Some(r.target_date)) })
        })
        .collect();
    let body = serialized(&json!({ "keys": figures::keys(), "projects": projects }))?;
    state
        .lists
        .put("projects".to_owned(), last_event, today, body.clone());
    Ok(body)
}

/// The JSON bytes of a document that is kept and sent as bytes; a failure is the server's, and
/// is answered as one, never as an empty body.
fn serialized(document: &impl serde::Serialize) -> AppResult<Bytes> {
    serde_json::to_vec(document)
        .map(Bytes::from)
        .map_err(|e| AppError::Internal(format!("figures: cannot serialise the answer: {e}")))
}

fn json_bytes(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[derive(sqlx::FromRow)]
struct RegionRow {
    code: String,
    name: String,
    level: String,
    parent_code: Option<String>,
    #[sqlx(flatten)]
    counts: Counts,
}

pub async fn all_regions(State(state): State<AppState>, _user: CurrentUser) -> AppResult<Response> {
    Ok(json_bytes(regions_document(&state).await?))
}

/// Every region's live figures: `{keys, regions: [{code, name, level, parent_code, values}]}`.
pub(super) async fn regions_document(state: &AppState) -> AppResult<Bytes> {
    let (last_event, today) = (state.hub.delivered(), beijing_today());
    if let Some(body) = state.lists.get("regions", last_event, today) {
        return Ok(body);
    }
    let rows: Vec<RegionRow> = sqlx::query_as(include_str!("../../sql/figures/all_regions.sql"))
        .bind(today)
        .fetch_all(&state.pool)
        .await?;
    let regions: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({ "code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_code,
                         "values": figures::values(&r.counts, None, None) })
        })
        .collect();
    let body = serialized(&json!({ "keys": figures::keys(), "regions": regions }))?;
    state
        .lists
        .put("regions".to_owned(), last_event, today, body.clone());
    Ok(body)
}

pub async fn region_detail(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let document: Option<Value> = sqlx::query_scalar(
        "SELECT json_build_object('code', r.code, 'name', r.name, 'level', r.level, 'parent_code', parent.code,
                 'bbox', json_build_array(ST_XMin(r.geom), ST_YMin(r.geom), ST_XMax(r.geom), ST_YMax(r.geom)),
                 'path', (SELECT json_agg(json_build_object('code', a.code, 'name', a.name, 'level', a.level)
                                          ORDER BY array_position(r.lineage, a.id))
                            FROM regions a WHERE a.id = ANY (r.lineage)))
           FROM regions r LEFT JOIN regions parent ON parent.id = r.parent_id WHERE r.code = $1",
    )
    .bind(&code)
    .fetch_optional(&state.pool)
    .await?;
    document
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("no region has code `{code}`")))
}

#[derive(sqlx::FromRow, serde::Serialize)]
struct Child {
    code: String,
    name: String,
    level: String,
    households: i64,
    signed: i64,
    sign_rate: Option<f64>,
    projects: i64,
}

#[derive(sqlx::FromRow, serde::Serialize)]
struct RegionProject {
    id: i64,
    code: String,
    name: String,
    kind: String,
    households: i64,
    signed: i64,
    sign_rate: Option<f64>,
    target_date: NaiveDate,
    bbox: Vec<f64>,
}

pub async fn children(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let (id, name, level, parent_code) = find_region(&state, &code).await?;
    let children: Vec<Child> = sqlx::query_as(include_str!("../../sql/figures/children.sql"))
        .bind(id)
        .fetch_all(&state.pool)
        .await?;
    let projects: Vec<RegionProject> =
        sqlx::query_as(include_str!("../../sql/figures/region_projects.sql"))
            .bind(id)
            .fetch_all(&state.pool)
            .await?;
    Ok(Json(json!({
        "region": { "code": code, "name": name, "level": level, "parent_code": parent_code },
        "children": children,
        "projects": projects,
    })))
}

#[derive(Deserialize)]
pub struct RecentQuery {
    limit: Option<i64>,
}

/// The latest events in the live feed's shape, newest first (fills a ticker at start).
pub async fn recent_events(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<RecentQuery>,
) -> AppResult<Json<Value>> {
    let limit = q.limit.unwrap_or(20);
    if !(1..=200).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "limit: {limit} is outside 1..200"
        )));
    }
    let first: Option<i64> =
        sqlx::query_scalar("SELECT id FROM status_events ORDER BY id DESC OFFSET $1 - 1 LIMIT 1")
            .bind(limit)
            .fetch_optional(&state.pool)
            .await?;
    let after = match first {
        Some(id) => id - 1,
        None => 0,
    };
    let mut events = events_after(&state.pool, after).await?;
    events.truncate(limit as usize);
    let payloads: Vec<Value> = events
        .iter()
        .rev()
        .filter_map(|e| serde_json::from_str(e.payload_for(!user.kiosk)).ok())
        .collect();
    Ok(Json(json!({ "events": payloads })))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/figures/projects", get(all_projects))
        .route("/api/figures/projects/{id}", get(project))
        .route("/api/figures/regions", get(all_regions))
        .route("/api/figures/regions/{code}", get(region))
        .route("/api/regions/{code}", get(region_detail))
        .route("/api/regions/{code}/children", get(children))
        .route("/api/events/recent", get(recent_events))
}
