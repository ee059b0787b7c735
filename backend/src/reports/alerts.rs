//! Alerts: stalled projects, projects whose 7-day pace misses their target, the funds
//! warnings (资金预警) and the procedure's (a step overdue, a legal window closing) in the same
//! shape; now or as of a past day, city-wide or in a region.
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;

use crate::clock::beijing_today;
use crate::error::AppResult;
use crate::figures::projects_in_region;
use crate::figures::scope::region as region_named;
use crate::message::Message;

/// Days without progress before a project counts as stalled, unless the request says otherwise.
pub const DEFAULT_STALLED_DAYS: i32 = 14;
/// A legal window closing within this many days is an alert, unless the request says otherwise.
pub const DEFAULT_WINDOW_DAYS: i32 = 7;
/// The days a request may ask `window_days` to look ahead.
pub const WINDOW_DAYS: std::ops::RangeInclusive<i32> = 1..=60;

#[derive(sqlx::FromRow)]
struct StepRow {
    kind: String,
    project_id: i64,
    project_code: String,
    project_name: String,
    region_code: String,
    step_key: String,
    step_name: String,
    day: NaiveDate,
    days: i32,
}

/// A procedure step overdue (`step_overdue`: `due_on`, `days_overdue`) or a legal window
/// closing soon (`window_closing`: `closes_on`, `days_left`).
#[derive(Serialize)]
pub struct StepAlert {
    pub kind: String,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub region_code: String,
    pub step_key: String,
    pub step_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_overdue: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closes_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i32>,
    pub message: Message,
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

/// A project that is stalled or behind its target.
#[derive(Serialize)]
pub struct ProgressAlert {
    pub kind: String,
    pub project_id: i64,
    pub project_name: String,
    pub region_code: String,
    pub since: Option<NaiveDate>,
    pub projected: Option<NaiveDate>,
    pub target_date: NaiveDate,
    pub message: Message,
}

/// A funds warning, as `funds::warnings` gives it.
#[derive(Serialize)]
pub struct FundsAlert {
    pub kind: &'static str,
    pub level: String,
    pub code: String,
    pub project_id: i64,
    pub project_name: String,
    pub region_code: String,
    pub since: Option<NaiveDate>,
    pub message: Message,
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum Alert {
    Progress(ProgressAlert),
    Funds(FundsAlert),
    Step(StepAlert),
    Cases(crate::cases::alerts::PilingAlert),
    Housing(crate::selection::ShortfallAlert),
}

#[derive(Serialize)]
pub struct Alerts {
    pub stalled_days: i32,
    /// How far ahead a closing legal window is an alert.
    pub window_days: i32,
    /// The past day the alerts stood at; None for now.
    pub as_of: Option<NaiveDate>,
    /// The region whose projects are watched; None for the whole city.
    pub region: Option<String>,
    /// Whether the funds warnings are in: they are reckoned from today's ledger only, so a
    /// past day has the progress alerts alone (recomputed from daily_figures).
    pub funds_included: bool,
    pub alerts: Vec<Alert>,
}

/// Every alert now or as of `as_of`, within region `region`'s subtree when given (404 if there
/// is none): progress alerts first, then (now only) the funds warnings, then the procedure's
/// with windows closing within `DEFAULT_WINDOW_DAYS`. The weekly report calls this.
pub async fn alerts(
    pool: &PgPool,
    stalled_days: i32,
    region: Option<&str>,
    as_of: Option<NaiveDate>,
) -> AppResult<Alerts> {
    alerts_within(pool, stalled_days, DEFAULT_WINDOW_DAYS, region, as_of).await
}

/// As `alerts`, with legal windows closing within `window_days` (in `WINDOW_DAYS`).
pub async fn alerts_within(
    pool: &PgPool,
    stalled_days: i32,
    window_days: i32,
    region: Option<&str>,
    as_of: Option<NaiveDate>,
) -> AppResult<Alerts> {
    let within = match region {
        Some(code) => Some(region_named(pool, code).await?.id),
        None => None,
    };
    let rows: Vec<AlertRow> = sqlx::query_as(include_str!("../../sql/figures/alerts.sql"))
        .bind(stalled_days)
        .bind(as_of.unwrap_or_else(beijing_today))
        .bind(as_of.is_some())
        .bind(within)
        .fetch_all(pool)
        .await?;
    let mut alerts: Vec<Alert> = rows.iter().map(alert_json).map(Alert::Progress).collect();
    let projects = match within {
        Some(id) => Some(projects_in_region(pool, id).await?),
        None => None,
    };
    let warnings = if as_of.is_none() {
        crate::funds::warnings(pool, projects.as_deref()).await?
    } else {
        Vec::new()
    };
    // 资金预警 join the progress alerts, in the same shape
    alerts.extend(warnings.into_iter().map(|w| {
        Alert::Funds(FundsAlert {
            kind: "funds",
            message: Message {
                key: "alert.funds".into(),
                values: json!({ "project": w.project_name, "warning": w.message }),
            },
            level: w.level,
            code: w.code,
            project_id: w.project_id,
            project_name: w.project_name,
            region_code: w.region_code,
            since: None,
        })
    }));
    let steps: Vec<StepRow> =
        sqlx::query_as(include_str!("../../sql/figures/procedure_alerts.sql"))
            .bind(as_of.unwrap_or_else(beijing_today))
            .bind(within)
            .bind(window_days)
            .fetch_all(pool)
            .await?;
    alerts.extend(steps.into_iter().map(step_alert).map(Alert::Step));
    // 疑难个案 piling up: now only (open cases are counted live)
    if as_of.is_none() {
        let piling = crate::cases::alerts::piling(pool, within).await?;
        alerts.extend(piling.into_iter().map(Alert::Cases));
        // 安置房 short of the households still to choose (entitlement demand against supply)
        let short = crate::selection::shortfalls(pool, projects.as_deref()).await?;
        alerts.extend(short.into_iter().map(Alert::Housing));
    }
    Ok(Alerts {
        stalled_days,
        window_days,
        as_of,
        region: region.map(str::to_owned),
        funds_included: as_of.is_none(),
        alerts,
    })
}

fn alert_json(r: &AlertRow) -> ProgressAlert {
    let (key, values) = match (r.kind == "stalled", r.since, r.projected) {
        (true, Some(since), _) => (
            "alert.stalled_since",
            json!({ "project": r.name, "since": since }),
        ),
        (true, None, _) => ("alert.stalled_never", json!({ "project": r.name })),
        (false, _, Some(projected)) => (
            "alert.behind_projected",
            json!({ "project": r.name, "projected": projected, "target": r.target_date }),
        ),
        (false, _, None) => (
            "alert.behind_no_pace",
            json!({ "project": r.name, "target": r.target_date }),
        ),
    };
    ProgressAlert {
        kind: r.kind.clone(),
        project_id: r.id,
        project_name: r.name.clone(),
        region_code: r.region_code.clone(),
        since: r.since,
        projected: r.projected,
        target_date: r.target_date,
        message: Message {
            key: key.to_owned(),
            values,
        },
    }
}

fn step_alert(r: StepRow) -> StepAlert {
    let overdue = r.kind == "step_overdue";
    let values =
        json!({ "project": r.project_name, "step": r.step_name, "day": r.day, "days": r.days });
    StepAlert {
        message: Message {
            key: format!("alert.{}", r.kind),
            values,
        },
        due_on: overdue.then_some(r.day),
        days_overdue: overdue.then_some(r.days),
        closes_on: (!overdue).then_some(r.day),
        days_left: (!overdue).then_some(r.days),
        kind: r.kind,
        project_id: r.project_id,
        project_code: r.project_code,
        project_name: r.project_name,
        region_code: r.region_code,
        step_key: r.step_key,
        step_name: r.step_name,
    }
}
