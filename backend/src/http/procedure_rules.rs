//! `/api/procedure/*`: the rules every project's procedure follows — the template versions (staff
//! read, admins add a version), the holiday calendar (staff read, admins replace a year) and the
//! period calculator the screens use (docs/procedure.md). Wall displays read none of these (the
//! session extractor refuses them: `auth::kiosk::kiosk_may`).
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::Value;

use super::extract::{Path, Query};
use super::json_body::JsonBody;
use crate::admin::admins_only;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::procedure::calendar::{self, YearIn};
use crate::procedure::template_rules::{NewTemplate, UNITS};
use crate::procedure::templates;
use crate::state::AppState;
use crate::validate;

pub async fn list_templates(
    State(state): State<AppState>,
    CurrentUser(_staff): CurrentUser,
) -> AppResult<Json<Value>> {
    Ok(Json(templates::list(&state.pool).await?))
}

pub async fn one_template(
    State(state): State<AppState>,
    CurrentUser(_staff): CurrentUser,
    Path(id): Path<i32>,
) -> AppResult<Json<Value>> {
    Ok(Json(templates::one(&state.pool, id).await?))
}

pub async fn create_template(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody<NewTemplate>,
) -> AppResult<(StatusCode, Json<Value>)> {
    admins_only(&user, "procedure templates")?;
    Ok((
        StatusCode::CREATED,
        Json(templates::create(&state.pool, &user, &body).await?),
    ))
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
}

/// The year asked for, else this Beijing year.
pub async fn calendar_year(
    State(state): State<AppState>,
    CurrentUser(_staff): CurrentUser,
    Query(q): Query<YearQuery>,
) -> AppResult<Json<Value>> {
    let year = calendar::check_year(
        q.year
            .unwrap_or_else(|| crate::clock::beijing_today().year()),
    )?;
    Ok(Json(calendar::year(&state.pool, year).await?))
}

pub async fn replace_year(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(year): Path<i32>,
    JsonBody(body): JsonBody<YearIn>,
) -> AppResult<Json<Value>> {
    admins_only(&user, "the holiday calendar")?;
    Ok(Json(
        calendar::replace(&state.pool, &user, year, &body.days).await?,
    ))
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    start: String,
    n: i32,
    unit: String,
}

pub async fn period_end(
    State(state): State<AppState>,
    CurrentUser(_staff): CurrentUser,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Json<Value>> {
    let start = validate::day("start", &q.start).map_err(AppError::BadRequest)?;
    if !(0..=calendar::MAX_PERIOD).contains(&q.n) {
        return Err(AppError::BadRequest(format!(
            "n: {} is not between 0 and {}",
            q.n,
            calendar::MAX_PERIOD
        )));
    }
    if !UNITS.contains(&q.unit.as_str()) {
        let why = format!(
            "unit: `{}` is not one of {}",
            validate::shown(&q.unit),
            UNITS.join(", ")
        );
        return Err(AppError::BadRequest(why));
    }
    Ok(Json(
        calendar::period_end(&state.pool, start, q.n, &q.unit).await?,
    ))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, put};
    axum::Router::new()
        .route(
            "/api/procedure/templates",
            get(list_templates).post(create_template),
        )
        .route("/api/procedure/templates/{id}", get(one_template))
        .route("/api/procedure/calendar", get(calendar_year))
        .route("/api/procedure/calendar/{year}", put(replace_year))
        .route("/api/procedure/period-end", get(period_end))
}
