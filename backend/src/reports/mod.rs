//! Leaders' reports: rankings of a period against the previous one (一周一通报), daily trends,
//! and alerts (stalled projects, paces that miss the target, 资金预警).
pub mod alerts;
pub mod rankings;
pub mod weekly;

pub use alerts::{alerts, Alerts, DEFAULT_STALLED_DAYS};
pub use rankings::{rankings, Level, Rankings};

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
    pub days: Vec<TrendDay>,
}

/// The daily gains of `projects` over the last `days` days up to today.
pub async fn trend(pool: &PgPool, projects: &[i64], days: i32) -> Result<Trend, sqlx::Error> {
    let days = sqlx::query_as(include_str!("../../sql/figures/trend.sql"))
        .bind(projects)
        .bind(days)
        .bind(beijing_today())
        .fetch_all(pool)
        .await?;
    Ok(Trend { days })
}
