//! Leaders' reports over HTTP: rankings, trends and alerts (the work is in `crate::reports`).
use axum::extract::State;
use axum::Json;
use chrono::{Datelike, Duration};
use serde::Deserialize;

use super::extract::Query;
use crate::auth::CurrentUser;
use crate::clock::{beijing_today, past_day};
use crate::error::{AppError, AppResult};
use crate::figures::projects_in_region;
use crate::reports::rankings::Period;
use crate::reports::{self, Alerts, Level, Rankings, Trend, DEFAULT_STALLED_DAYS, MAX_TREND_DAYS};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct RankingQuery {
    level: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub async fn rankings(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<RankingQuery>,
) -> AppResult<Json<Rankings>> {
    let level = match q.level.as_deref().unwrap_or("street") {
        "street" => Level::Street,
        "project" => Level::Project,
        level => {
            return Err(AppError::BadRequest(format!(
                "level: `{level}` is not street or project"
            )))
        }
    };
    let today = beijing_today();
    // this week by default: Monday to today
    let from = past_day("from", q.from.as_deref())?.unwrap_or_else(|| {
        today - Duration::days(i64::from(today.weekday().num_days_from_monday()))
    });
    let to = past_day("to", q.to.as_deref())?.unwrap_or(today);
    if to < from {
        return Err(AppError::BadRequest(format!(
            "to: {to} is before from {from}"
        )));
    }
    // both ends lie in the business years (past_day), so this arithmetic stays far from
    // chrono's limits, where it would panic
    let length = (to - from).num_days() + 1;
    let previous = Period {
        from: from - Duration::days(length),
        to: from - Duration::days(1),
    };
    Ok(Json(
        reports::rankings(&state.pool, level, Period { from, to }, previous).await?,
    ))
}

#[derive(Deserialize)]
pub struct TrendQuery {
    region: Option<String>,
    project: Option<i64>,
    days: Option<i32>,
}

pub async fn trend(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<TrendQuery>,
) -> AppResult<Json<Trend>> {
    let days = q.days.unwrap_or(30);
    if !(1..=MAX_TREND_DAYS).contains(&days) {
        return Err(AppError::BadRequest(format!(
            "days: {days} is outside 1..{MAX_TREND_DAYS}"
        )));
    }
    let projects = match (&q.region, q.project) {
        (Some(code), None) => {
            let region = crate::figures::scope::region(&state.pool, code).await?;
            projects_in_region(&state.pool, region.id).await?
        }
        (None, Some(id)) => vec![id],
        _ => {
            return Err(AppError::BadRequest(
                "give either region=CODE or project=ID".into(),
            ))
        }
    };
    Ok(Json(reports::trend(&state.pool, &projects, days).await?))
}

#[derive(Deserialize)]
pub struct AlertQuery {
    stalled_days: Option<i32>,
}

pub async fn alerts(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<AlertQuery>,
) -> AppResult<Json<Alerts>> {
    let stalled = q.stalled_days.unwrap_or(DEFAULT_STALLED_DAYS);
    if !(1..=365).contains(&stalled) {
        return Err(AppError::BadRequest(format!(
            "stalled_days: {stalled} is outside 1..365"
        )));
    }
    Ok(Json(reports::alerts(&state.pool, stalled).await?))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/rankings", get(rankings))
        .route("/api/trend", get(trend))
        .route("/api/alerts", get(alerts))
}
