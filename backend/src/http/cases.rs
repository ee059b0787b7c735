//! `/api/cases…`, `/api/case-categories` and `/api/figures/cases`: the case board, a case's
//! page and its writes, the categories' due rules, and the cases panel of the cockpit and the
//! wall (counts only). The domain code is `cases` (docs/cases.md).
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use super::extract::{Path, Query};
use super::json_body::JsonBody;
use crate::auth::CurrentUser;
use crate::cases::{self, categories, BoardQuery, Closing, NewCase, NewConference, Reassign};
use crate::error::AppResult;
use crate::state::AppState;

/// After a write: this instance broadcasts its event (and drops kept figures) before answering,
/// so the page's next read of the figures and tiles already sees it; the write stands either way.
async fn seen(state: &AppState) {
    if let Err(error) = state.hub.catch_up(&state.live_pool).await {
        tracing::warn!("cases: reading the new case event failed ({error}); the listener will");
    }
}

pub async fn board(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<BoardQuery>,
) -> AppResult<Json<Value>> {
    Ok(Json(cases::board(&state.pool, &user, q).await?))
}

pub async fn open(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody<NewCase>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let case = cases::open(&state.pool, &user, &body).await?;
    seen(&state).await;
    Ok((StatusCode::CREATED, Json(case)))
}

pub async fn detail(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(cases::detail(&state.pool, &user, id).await?))
}

pub async fn confer(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewConference>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let case = cases::confer(&state.pool, &user, id, &body).await?;
    seen(&state).await;
    Ok((StatusCode::CREATED, Json(case)))
}

pub async fn close(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Closing>,
) -> AppResult<Json<Value>> {
    let case = cases::close(&state.pool, &user, id, &body).await?;
    seen(&state).await;
    Ok(Json(case))
}

pub async fn reassign(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Reassign>,
) -> AppResult<Json<Value>> {
    let case = cases::reassign(&state.pool, &user, id, &body).await?;
    seen(&state).await;
    Ok(Json(case))
}

pub async fn list_categories(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> AppResult<Json<Value>> {
    Ok(Json(categories::list(&state.pool).await?))
}

pub async fn set_categories(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody<categories::Rules>,
) -> AppResult<Json<Value>> {
    Ok(Json(categories::set(&state.pool, &user, &body).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    project: Option<String>,
    region: Option<String>,
}

/// The cases panel: city-wide, a region's subtree or one project; counts only, wall displays too.
pub async fn summary(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<Scope>,
) -> AppResult<Json<Value>> {
    let projects = match (q.project.as_deref(), q.region.as_deref()) {
        (Some(code), _) => Some(vec![crate::projects::by_code(&state.pool, code).await?.id]),
        (None, Some(code)) => {
            let region = crate::figures::scope::region(&state.pool, code).await?;
            Some(crate::figures::projects_in_region(&state.pool, region.id).await?)
        }
        (None, None) => None,
    };
    Ok(Json(
        cases::summary(&state.pool, projects.as_deref()).await?,
    ))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/cases", get(board).post(open))
        .route("/api/cases/{id}", get(detail).patch(reassign))
        .route("/api/cases/{id}/conferences", post(confer))
        .route("/api/cases/{id}/close", post(close))
        .route(
            "/api/case-categories",
            get(list_categories).put(set_categories),
        )
        .route("/api/figures/cases", get(summary))
}
