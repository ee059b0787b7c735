//! Leaders' reports: rankings of a period against the previous one (一周一通报), daily trends,
//! and alerts (stalled projects, paces that miss the target, 资金预警).
pub mod alerts;
pub mod rankings;
pub mod weekly;

pub use alerts::{alerts, Alerts, DEFAULT_STALLED_DAYS};
pub use rankings::{rankings, Level, Period, Rankings};

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::PgPool;

use crate::clock::beijing_today;

/// The most days a trend may span: two years.
pub const MAX_TREND_DAYS: i32 = 730;

/// One day of a trend: what was signed, vacated and demolished that Beijing day.
#[derive(sqlx::FromRow, Serialize)]
pub struct TrendDay {
    #[sqlx(rename = "day")]
    pub date: NaiveDate,
    pub signed: i64,
    pub vacated: i64,
    pub demolished: i64,
}

#[derive(Serialize)]
pub struct Trend {
    /// The past day the trend ends at; None for today.
    pub as_of: Option<NaiveDate>,
    pub days: Vec<TrendDay>,
}

/// The daily gains of `projects` over the last `days` days up to `as_of` (today when None).
pub async fn trend(
    pool: &PgPool,
    projects: &[i64],
    days: i32,
    as_of: Option<NaiveDate>,
) -> Result<Trend, sqlx::Error> {
    let rows = sqlx::query_as(include_str!("../../sql/figures/trend.sql"))
        .bind(projects)
        .bind(days)
        .bind(as_of.unwrap_or_else(beijing_today))
        .fetch_all(pool)
        .await?;
    Ok(Trend { as_of, days: rows })
}
