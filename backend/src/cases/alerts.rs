//! The `cases_piling` alert: a project whose open cases pass a threshold, or grew by several
//! in a day (opened minus closed over the last 24 hours). Joins the other alerts (reports::alerts).
use chrono::Utc;
use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;

use crate::message::Message;

/// More open cases than this in one project is an alert.
pub const OPEN_THRESHOLD: i64 = 25;
/// This many more cases opened than closed in the last 24 hours is an alert.
pub const GROWTH_THRESHOLD: i64 = 5;

#[derive(sqlx::FromRow)]
struct Row {
    project_id: i64,
    project_code: String,
    project_name: String,
    region_code: String,
    open: i64,
    growth: i64,
}

#[derive(Serialize)]
pub struct PilingAlert {
    pub kind: &'static str,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub region_code: String,
    pub open_cases: i64,
    pub growth_24h: i64,
    pub message: Message,
}

/// Projects whose cases pile up now, within region `within` when given.
pub async fn piling(pool: &PgPool, within: Option<i32>) -> Result<Vec<PilingAlert>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(include_str!("../../sql/cases/piling.sql"))
        .bind(within)
        .bind(OPEN_THRESHOLD)
        .bind(GROWTH_THRESHOLD)
        .bind(Utc::now())
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| PilingAlert {
            kind: "cases_piling",
            message: Message {
                key: "alert.cases_piling".into(),
                values: json!({ "project": r.project_name, "open": r.open, "growth": r.growth }),
            },
            project_id: r.project_id,
            project_code: r.project_code,
            project_name: r.project_name,
            region_code: r.region_code,
            open_cases: r.open,
            growth_24h: r.growth,
        })
        .collect())
}
