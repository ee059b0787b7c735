//! The 楼盘表 of an estate: its buildings' floors × units with statuses, for the public (no
//! household) and for staff who may see household files (each held unit's household by code
//! and masked name).
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::error::{AppError, AppResult};

/// The grid of estate `code` as `grid.sql` builds it, without households.
pub async fn public(pool: &PgPool, code: &str) -> AppResult<Value> {
    let found: Option<sqlx::types::Json<Value>> =
        sqlx::query_scalar(include_str!("../../sql/housing/grid.sql"))
            .bind(code)
            .fetch_optional(pool)
            .await?;
    let sqlx::types::Json(value) =
        found.ok_or_else(|| AppError::NotFound(format!("estate: no estate has code `{code}`")))?;
    Ok(value)
}

#[derive(sqlx::FromRow)]
struct Holder {
    unit_id: i32,
    household: String,
    name: String,
    project: String,
}

/// The grid with `holders`: unit id → household code, masked name and project.
pub async fn with_holders(pool: &PgPool, code: &str, estate_id: i32) -> AppResult<Value> {
    let mut grid = public(pool, code).await?;
    let holders: Vec<Holder> = sqlx::query_as(include_str!("../../sql/housing/holders.sql"))
        .bind(estate_id)
        .fetch_all(pool)
        .await?;
    let map: serde_json::Map<String, Value> = holders
        .into_iter()
        .map(|h| {
            let value = json!({ "household": h.household, "name": h.name, "project": h.project });
            (h.unit_id.to_string(), value)
        })
        .collect();
    grid["holders"] = Value::Object(map);
    Ok(grid)
}
