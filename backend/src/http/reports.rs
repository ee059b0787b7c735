//! Leaders' reports: rankings of a period with the previous period's rank (一周一通报), daily
//! trends, and alerts for stalled projects, projects whose pace misses the target and funds (资金预警).
use axum::extract::State;
use axum::Json;
use chrono::{Datelike, Duration, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use super::extract::Query;
use super::figures::parse_day;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::figures::{beijing_today, projects_in_region};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct RankingQuery {
    level: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RankRow {
    rank: i32,
    previous_rank: i32,
    key: String,
    name: String,
    gain_signed: i64,
    gain_vacated: i64,
    gain_demolished: i64,
    previous_signed: i64,
    sign_rate: Option<f64>,
}

pub async fn rankings(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<RankingQuery>,
) -> AppResult<Json<Value>> {
    let level = q.level.as_deref().unwrap_or("street");
    if !matches!(level, "street" | "project") {
        return Err(AppError::BadRequest(format!(
            "level: `{level}` is not street or project"
        )));
    }
    let today = beijing_today();
    // this week by default: Monday to today
    let from = parse_day("from", q.from.as_deref())?.unwrap_or_else(|| {
        today - Duration::days(i64::from(today.weekday().num_days_from_monday()))
    });
    let to = parse_day("to", q.to.as_deref())?.unwrap_or(today);
    if to < from {
        return Err(AppError::BadRequest(format!(
            "to: {to} is before from {from}"
        )));
    }
    // both ends lie in the business years (parse_day), so this arithmetic stays far from
    // chrono's limits, where it would panic
    let length = (to - from).num_days() + 1;
    let (previous_from, previous_to) = (from - Duration::days(length), from - Duration::days(1));
    let rows: Vec<RankRow> = sqlx::query_as(include_str!("../../sql/figures/rankings.sql"))
        .bind(level)
        .bind(from)
        .bind(to)
        .bind(previous_from)
        .bind(previous_to)
        .fetch_all(&state.pool)
        .await?;
    let key_name = if level == "street" { "code" } else { "id" };
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            let key = if level == "street" { json!(r.key) } else { json!(r.key.parse::<i64>().ok()) };
            json!({ "rank": r.rank, "previous_rank": r.previous_rank, key_name: key, "name": r.name,
                    "gain_signed": r.gain_signed, "gain_vacated": r.gain_vacated, "gain_demolished": r.gain_demolished,
                    "previous_gain_signed": r.previous_signed, "sign_rate": r.sign_rate })
        })
        .collect();
    Ok(Json(json!({
        "level": level, "from": from, "to": to,
        "previous": { "from": previous_from, "to": previous_to },
        "rows": rows,
    })))
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
) -> AppResult<Json<Value>> {
    let days = q.days.unwrap_or(30);
    if !(1..=730).contains(&days) {
        return Err(AppError::BadRequest(format!(
            "days: {days} is outside 1..730"
        )));
    }
    let projects = match (&q.region, q.project) {
        (Some(code), None) => {
            let id: i32 = sqlx::query_scalar("SELECT id FROM regions WHERE code = $1")
                .bind(code)
                .fetch_optional(&state.pool)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("no region has code `{code}`")))?;
            projects_in_region(&state.pool, id).await?
        }
        (None, Some(id)) => vec![id],
        _ => {
            return Err(AppError::BadRequest(
                "give either region=CODE or project=ID".into(),
            ))
        }
    };
    let rows: Vec<(NaiveDate, i64, i64, i64)> =
        sqlx::query_as(include_str!("../../sql/figures/trend.sql"))
            .bind(&projects)
            .bind(days)
            .bind(beijing_today())
            .fetch_all(&state.pool)
            .await?;
    let days: Vec<Value> = rows
        .iter()
        .map(|(d, s, v, m)| json!({ "date": d, "signed": s, "vacated": v, "demolished": m }))
        .collect();
    Ok(Json(json!({ "days": days })))
}

#[derive(Deserialize)]
pub struct AlertQuery {
    stalled_days: Option<i32>,
}

#[derive(sqlx::FromRow)]
struct AlertRow {
    kind: String,
    id: i64,
    name: String,
    region_code: String,
    since: Option<NaiveDate>,
    projected: Option<NaiveDate>,
    target_date: NaiveDate,
}

/// Days without progress before a project counts as stalled, unless the request says otherwise.
pub const DEFAULT_STALLED_DAYS: i32 = 14;

pub async fn alerts(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<AlertQuery>,
) -> AppResult<Json<Value>> {
    let stalled = q.stalled_days.unwrap_or(DEFAULT_STALLED_DAYS);
    if !(1..=365).contains(&stalled) {
        return Err(AppError::BadRequest(format!(
            "stalled_days: {stalled} is outside 1..365"
        )));
    }
    let rows: Vec<AlertRow> = sqlx::query_as(include_str!("../../sql/figures/alerts.sql"))
        .bind(stalled)
        .bind(beijing_today())
        .fetch_all(&state.pool)
        .await?;
    let mut alerts: Vec<Value> = rows.iter().map(alert_json).collect();
    // 资金预警 join the progress alerts, in the same shape
    alerts.extend(crate::funds::warnings(&state.pool, None).await?.into_iter().map(|w| {
        json!({ "kind": "funds", "level": w["level"], "code": w["code"], "project_id": w["project_id"],
                "project_name": w["project_name"], "region_code": w["region_code"], "since": null,
                "message": { "key": "alert.funds", "values": { "project": w["project_name"], "warning": w["message"] } } })
    }));
    Ok(Json(json!({ "stalled_days": stalled, "alerts": alerts })))
}

fn alert_json(r: &AlertRow) -> Value {
    // a message key and its values: the frontend words it (frontend/src/i18n/)
    let (key, values) = match (r.kind == "stalled", r.since, r.projected) {
        (true, Some(d), _) => (
            "alert.stalled_since",
            json!({ "project": r.name, "since": d }),
        ),
        (true, None, _) => ("alert.stalled_never", json!({ "project": r.name })),
        (false, _, Some(p)) => (
            "alert.behind_projected",
            json!({ "project": r.name, "projected": p, "target": r.target_date }),
        ),
        (false, _, None) => (
            "alert.behind_no_pace",
            json!({ "project": r.name, "target": r.target_date }),
        ),
    };
    json!({ "kind": r.kind, "project_id": r.id, "project_name": r.name, "region_code": r.region_code,
            "since": r.since, "projected": r.projected, "target_date": r.target_date, "message": { "key": key, "values": values } })
}
