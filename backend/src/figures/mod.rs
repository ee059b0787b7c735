//! Cockpit figures: one shape for a project and a region, live or as of a past day, with
//! every figure's definition.
mod cache;
pub mod definitions;
pub mod history_lists;
pub mod kept;
pub mod lists;
pub mod regions;
pub mod scope;
pub mod stages;

use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};
use sqlx::PgPool;

pub use cache::ListCache;
pub use definitions::{Definition, FIGURES};

use crate::clock::beijing_today;

/// Square metres in one 亩.
const M2_PER_MU: f64 = 2000.0 / 3.0;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Counts {
    pub households: i64,
    pub floor_area: f64,
    pub difficult: i64,
    pub land_m2: f64,
    pub surveyed: i64,
    pub signed: i64,
    pub vacated: i64,
    pub demolished: i64,
    pub monetary: i64,
    pub land_acquired_m2: f64,
    pub land_delivered_m2: f64,
    pub signed_7d: i64,
    pub last_day: Option<NaiveDate>,
    pub budget_yuan: f64,
    pub allocated_yuan: f64,
    pub paid_yuan: f64,
    /// 疑难个案 open, and of them past their deadline (counted at read time)
    #[sqlx(default)]
    pub open_cases: i64,
    #[sqlx(default)]
    pub overdue_cases: i64,
}

/// The raw counts of a set of projects, live (`as_of` None) or at the end of `as_of`.
pub async fn counts(
    pool: &PgPool,
    projects: &[i64],
    as_of: Option<NaiveDate>,
) -> Result<Counts, sqlx::Error> {
    sqlx::query_as(include_str!("../../sql/figures/scope.sql"))
        .bind(projects)
        .bind(as_of)
        .bind(beijing_today())
        .fetch_one(pool)
        .await
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| (numerator / denominator * 10_000.0).round() / 10_000.0)
}

/// The figure list of a scope, each with its definition; `target` is the project's target
/// date (None for regions).
#[must_use]
pub fn figures(c: &Counts, as_of: Option<NaiveDate>, target: Option<NaiveDate>) -> Vec<Value> {
    FIGURES
        .iter()
        .zip(values(c, as_of, target))
        .map(|(d, value)| {
            json!({
                "key": d.key, "value": value, "unit": d.unit,
                "numerator": d.numerator, "denominator": d.denominator,
            })
        })
        .collect()
}

/// The keys of FIGURES, in order: lists of many scopes give them once, then values only.
#[must_use]
pub fn keys() -> Vec<&'static str> {
    FIGURES.iter().map(|d| d.key).collect()
}

/// The value of every figure, in the order of FIGURES.
#[must_use]
pub fn values(c: &Counts, as_of: Option<NaiveDate>, target: Option<NaiveDate>) -> Vec<Value> {
    let day = as_of.unwrap_or_else(beijing_today);
    let households = c.households as f64;
    let pace = c.signed_7d as f64 / 7.0;
    let remaining = (c.households - c.signed).max(0);
    let projected = if remaining == 0 {
        c.last_day
    } else if pace > 0.0 {
        // checked: real counts stay far inside chrono's years, but should a count ever be
        // absurd, no projected date is the answer rather than a panic in plain `+`
        Duration::try_days((remaining as f64 / pace).ceil() as i64)
            .and_then(|wait| day.checked_add_signed(wait))
    } else {
        None
    };
    let on_track = target.map(|t| projected.is_some_and(|p| p <= t));
    let round2 = |v: f64| (v * 100.0).round() / 100.0;
    let value = |key: &str| -> Value {
        match key {
            "households" => json!(c.households),
            "floor_area" => json!(round2(c.floor_area)),
            "signed" => json!(c.signed),
            "sign_rate" => json!(ratio(c.signed as f64, households)),
            "vacate_rate" => json!(ratio(c.vacated as f64, households)),
            "demolish_rate" => json!(ratio(c.demolished as f64, households)),
            "land_delivered_mu" => json!(round2(c.land_delivered_m2 / M2_PER_MU)),
            "land_total_mu" => json!(round2(c.land_m2 / M2_PER_MU)),
            "land_delivered_rate" => json!(ratio(c.land_delivered_m2, c.land_m2)),
            "difficult" => json!(c.difficult),
            "open_cases" => json!(c.open_cases),
            "overdue_cases" => json!(c.overdue_cases),
            "monetary_rate" => json!(ratio(c.monetary as f64, c.signed as f64)),
            "pace_7d" => json!(round2(pace)),
            "projected_completion" => json!(projected.map(|d| d.to_string())),
            "target_date" => json!(target.map(|d| d.to_string())),
            "on_track" => json!(on_track),
            "funds_budget" => json!(round2(c.budget_yuan / 10_000.0)),
            "funds_allocated" => json!(round2(c.allocated_yuan / 10_000.0)),
            "funds_paid" => json!(round2(c.paid_yuan / 10_000.0)),
            "funds_paid_rate" => json!(ratio(c.paid_yuan, c.budget_yuan)),
            _ => Value::Null,
        }
    };
    FIGURES.iter().map(|d| value(d.key)).collect()
}

/// Ids of every project in a region's subtree.
pub async fn projects_in_region(pool: &PgPool, region_id: i32) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT p.id FROM projects p JOIN regions r ON r.id = p.region_id WHERE $1 = ANY (r.lineage) ORDER BY p.id")
        .bind(region_id)
        .fetch_all(pool)
        .await
}

/// Differences between the maintained figures and a recount (empty: all equal).
pub async fn verify(pool: &PgPool) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(include_str!("../../sql/figures/verify.sql"))
        .fetch_all(pool)
        .await
}
