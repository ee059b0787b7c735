//! Leaders' reports over HTTP: rankings, trends and alerts, now or as of a past day (`as_of`),
//! city-wide or within a region (`region`); the work is in `crate::reports`.
use axum::extract::State;
use axum::Json;
use serde::Deserialize;

use super::extract::Query;
use crate::auth::CurrentUser;
use crate::clock::past_day;
use crate::error::{AppError, AppResult};
use crate::figures::projects_in_region;
use crate::history::as_of as history_day;
use crate::reports::{
    self,
    alerts::{DEFAULT_WINDOW_DAYS, WINDOW_DAYS},
    Alerts, Level, Period, Rankings, Trend, DEFAULT_STALLED_DAYS, MAX_TREND_DAYS,
};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct RankingQuery {
    level: Option<String>,
    from: Option<String>,
    to: Option<String>,
    region: Option<String>,
    as_of: Option<String>,
    /// `day`, `week` or `month` up to as_of (or today): instead of from/to.
    period: Option<String>,
    /// level=group: one project's groups (a code).
    project: Option<String>,
}

pub async fn rankings(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<RankingQuery>,
) -> AppResult<Json<Rankings>> {
    let level = match q.level.as_deref().unwrap_or("street") {
        "street" => Level::Street,
        "project" => Level::Project,
        "group" => Level::Group,
        level => {
            return Err(AppError::BadRequest(format!(
                "level: `{level}` is not street, project or group"
            )))
        }
    };
    if q.project.is_some() && level != Level::Group {
        return Err(AppError::BadRequest(
            "project: only level=group ranks within one project".into(),
        ));
    }
    let as_of = history_day(&state.pool, q.as_of.as_deref()).await?;
    let from = past_day("from", q.from.as_deref())?;
    let to = past_day("to", q.to.as_deref())?;
    if let (Some(to), Some(day)) = (to, as_of) {
        if to > day {
            return Err(AppError::BadRequest(format!(
                "to: {to} is after as_of {day}"
            )));
        }
    }
    // by default the week (Monday on) up to as_of or today; `from` alone runs to that day
    let period = match (from, to, q.period.as_deref()) {
        (None, None, None) => None,
        (None, None, Some(name)) => {
            let day = as_of.unwrap_or_else(crate::clock::beijing_today);
            Some(Period::named(name, day).ok_or_else(|| {
                AppError::BadRequest(format!("period: `{name}` is not day, week or month"))
            })?)
        }
        (_, _, Some(_)) => {
            return Err(AppError::BadRequest(
                "period: give either period or from/to".into(),
            ))
        }
        (from, to, None) => {
            let to = to.unwrap_or_else(|| as_of.unwrap_or_else(crate::clock::beijing_today));
            let from = from.unwrap_or(Period::week_to(to).from);
            if to < from {
                return Err(AppError::BadRequest(format!(
                    "to: {to} is before from {from}"
                )));
            }
            Some(Period { from, to })
        }
    };
    if level == Level::Group {
        let (region, project) = crate::groups::ranking_scope(
            &state.pool,
            &user,
            q.region.as_deref(),
            q.project.as_deref(),
        )
        .await?;
        return Ok(Json(
            reports::rankings::rankings_of(
                &state.pool,
                level,
                region.as_deref(),
                project,
                as_of,
                period,
            )
            .await?,
        ));
    }
    Ok(Json(
        reports::rankings(&state.pool, level, q.region.as_deref(), as_of, period).await?,
    ))
}

#[derive(Deserialize)]
pub struct TrendQuery {
    region: Option<String>,
    project: Option<i64>,
    days: Option<i32>,
    as_of: Option<String>,
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
    let as_of = history_day(&state.pool, q.as_of.as_deref()).await?;
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
    Ok(Json(
        reports::trend(&state.pool, &projects, days, as_of).await?,
    ))
}

#[derive(Deserialize)]
pub struct AlertQuery {
    stalled_days: Option<i32>,
    window_days: Option<i32>,
    region: Option<String>,
    as_of: Option<String>,
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
    let window = q.window_days.unwrap_or(DEFAULT_WINDOW_DAYS);
    if !WINDOW_DAYS.contains(&window) {
        return Err(AppError::BadRequest(format!(
            "window_days: {window} is outside 1..60"
        )));
    }
    let as_of = history_day(&state.pool, q.as_of.as_deref()).await?;
    Ok(Json(
        reports::alerts::alerts_within(&state.pool, stalled, window, q.region.as_deref(), as_of)
            .await?,
    ))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/rankings", get(rankings))
        .route("/api/trend", get(trend))
        .route("/api/alerts", get(alerts))
}
