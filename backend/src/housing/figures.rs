//! The housing figures of the cockpit, wall and phone: units by status per estate and per 套型,
//! days to deliver and late deliveries against each estate's plan.
use serde_json::Value;
use sqlx::PgPool;

use crate::error::AppResult;

/// The figures of the estates within `region` (all when None), as of `today`.
pub async fn figures(
    pool: &PgPool,
    region: Option<&str>,
    today: chrono::NaiveDate,
) -> AppResult<Value> {
    let sqlx::types::Json(value): sqlx::types::Json<Value> =
        sqlx::query_scalar(include_str!("../../sql/housing/figures.sql"))
            .bind(region)
            .bind(today)
            .fetch_one(pool)
            .await?;
    Ok(value)
}
