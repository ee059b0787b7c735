//! Estates as lists and by code: the public list, the staff list and the estate's region for
//! the scope checks.
use serde_json::Value;
use sqlx::PgPool;

use crate::error::{AppError, AppResult};

/// An estate's id and its region's lineage (root first).
#[derive(sqlx::FromRow)]
pub struct Estate {
    pub id: i32,
    pub code: String,
    pub lineage: Vec<i32>,
}

/// The estate `code`, or 404 naming it.
pub async fn by_code(pool: &PgPool, code: &str) -> AppResult<Estate> {
    sqlx::query_as(
        "SELECT e.id, e.code, r.lineage FROM estates e JOIN regions r ON r.id = e.region_id WHERE e.code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("estate: no estate has code `{code}`")))
}

/// Every estate (within `region` when given) with its counts by status and its types: no
/// household. The public pool reads it as well as the service's.
pub async fn list(pool: &PgPool, region: Option<&str>) -> AppResult<Value> {
    let sqlx::types::Json(value): sqlx::types::Json<Value> =
        sqlx::query_scalar(include_str!("../../sql/housing/estates.sql"))
            .bind(region)
            .fetch_one(pool)
            .await?;
    Ok(value)
}
