//! Cockpit figures over HTTP: one project's or region's gauges (live or as of a day), every
//! project's and every region's at once, regions for drill-down, and the recent events.
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::extract::{Path, Query};
use crate::auth::CurrentUser;
use crate::clock::beijing_today;
use crate::error::{AppError, AppResult};
use crate::figures::lists::{self, serialized};
use crate::figures::regions::{self, RegionChildren};
use crate::figures::scope::{self, ScopeFigures};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct AsOf {
    pub(super) as_of: Option<String>,
}

pub async fn project(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<AsOf>,
) -> AppResult<Json<ScopeFigures>> {
    let as_of = crate::history::as_of(&state.pool, q.as_of.as_deref()).await?;
    Ok(Json(scope::project_figures(&state.pool, id, as_of).await?))
}

pub async fn region(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<AsOf>,
) -> AppResult<Response> {
    let as_of = crate::history::as_of(&state.pool, q.as_of.as_deref()).await?;
    let (last_event, today, key) = (
        state.hub.figures_version(),
        beijing_today(),
        format!("region:{code}"),
    );
    if as_of.is_none() && !state.lists.kept.rebuild_only {
        if let Some(body) = state
            .lists
            .kept
            .region(&state.pool, &code, last_event, today)
            .await?
        {
            return Ok(json_bytes(body));
        }
    }
    if as_of.is_none() {
        if let Some(body) = state.lists.get(&key, last_event, today) {
            return Ok(json_bytes(body));
        }
    }
    let body = serialized(&scope::region_figures(&state.pool, &code, as_of).await?)?;
    if as_of.is_none() {
        state.lists.put(key, last_event, today, body.clone());
    }
    Ok(json_bytes(body))
}

pub async fn all_projects(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> AppResult<Response> {
    Ok(json_bytes(projects_document(&state).await?))
}

/// Every project's live figures, as `lists::all_projects` keeps them.
pub(super) async fn projects_document(state: &AppState) -> AppResult<Bytes> {
    lists::all_projects(&state.pool, &state.lists, state.hub.figures_version()).await
}

fn json_bytes(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

pub async fn all_regions(State(state): State<AppState>, _user: CurrentUser) -> AppResult<Response> {
    Ok(json_bytes(regions_document(&state).await?))
}

/// Every region's live figures, as `lists::all_regions` keeps them.
pub(super) async fn regions_document(state: &AppState) -> AppResult<Bytes> {
    lists::all_regions(&state.pool, &state.lists, state.hub.figures_version()).await
}

pub async fn region_detail(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(regions::detail(&state.pool, &code).await?))
}

pub async fn children(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<AsOf>,
) -> AppResult<Json<RegionChildren>> {
    let as_of = crate::history::as_of(&state.pool, q.as_of.as_deref()).await?;
    Ok(Json(regions::children(&state.pool, &code, as_of).await?))
}

#[derive(Deserialize)]
pub struct RecentQuery {
    limit: Option<i64>,
}

/// `{events}`: the latest events as the feed sends them, newest first.
#[derive(Serialize)]
pub struct RecentEvents {
    events: Vec<Value>,
}

/// The latest events in the live feed's shape, newest first (fills a ticker at start).
pub async fn recent_events(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<RecentQuery>,
) -> AppResult<Json<RecentEvents>> {
    let limit = q.limit.unwrap_or(20);
    if !(1..=200).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "limit: {limit} is outside 1..200"
        )));
    }
    let events = crate::live::recent::latest(&state.pool, limit).await?;
    let events = events
        .iter()
        .rev()
        .filter_map(|e| serde_json::from_str(e.payload_for(!user.kiosk)).ok())
        .collect();
    Ok(Json(RecentEvents { events }))
}

/// `{first_day, today}`: the days a screen may show as of (a time slider's ends).
#[derive(Serialize)]
pub struct HistorySpan {
    first_day: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
}

pub async fn history_span(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> AppResult<Json<HistorySpan>> {
    Ok(Json(HistorySpan {
        first_day: crate::history::first_day(&state.pool).await?,
        today: beijing_today(),
    }))
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
        .route("/api/history", get(history_span))
}
