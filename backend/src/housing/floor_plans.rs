//! 套型图: a unit type's floor plan (JPEG or PNG) in the content-addressed file store, set by
//! admins and the operators of the estate's region (audited), shown to anyone beside the 楼盘表:
//! a floor plan holds no personal data.
use serde_json::{json, Value};
use sqlx::PgPool;

use super::estates::Estate;
use crate::audit::audit;
use crate::auth::User;
use crate::error::{AppError, AppResult};

/// Where a type's floor plan lies in the file store, and what it is.
pub struct FloorPlan {
    pub sha256: String,
    pub content_type: String,
}

fn no_type(estate: &str, code: &str) -> AppError {
    AppError::NotFound(format!("estate {estate} has no unit type {code}"))
}

/// Sets type `code`'s floor plan (already in the file store as `sha256`); the type as the 楼盘表 lists it.
pub async fn set(
    pool: &PgPool,
    user: &User,
    estate: &Estate,
    code: &str,
    plan: &FloorPlan,
) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    let before: Option<Option<String>> = sqlx::query_scalar(
        "SELECT floor_plan_sha256 FROM estate_unit_types WHERE estate_id = $1 AND code = $2 FOR UPDATE",
    )
    .bind(estate.id)
    .bind(code)
    .fetch_optional(&mut *tx)
    .await?;
    let before = before.ok_or_else(|| no_type(&estate.code, code))?;
    let answer: Value = sqlx::query_scalar(
        "UPDATE estate_unit_types SET floor_plan_sha256 = $3, floor_plan_type = $4 WHERE estate_id = $1 AND code = $2
         RETURNING json_build_object('code', code, 'name', name, 'area', area::float8, 'floor_plan', true)",
    )
    .bind(estate.id)
    .bind(code)
    .bind(&plan.sha256)
    .bind(&plan.content_type)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        user,
        "estate.floor_plan",
        &format!("estate {}", estate.code),
        json!({ "type": code, "before": before, "sha256": plan.sha256, "content_type": plan.content_type }),
    )
    .await?;
    tx.commit().await?;
    Ok(answer)
}

/// Type `code`'s floor plan in estate `estate`, or 404 naming what is missing.
pub async fn find(pool: &PgPool, estate: &str, code: &str) -> AppResult<FloorPlan> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT t.floor_plan_sha256, t.floor_plan_type FROM estate_unit_types t JOIN estates e ON e.id = t.estate_id
          WHERE e.code = $1 AND t.code = $2",
    )
    .bind(estate)
    .bind(code)
    .fetch_optional(pool)
    .await?;
    match row {
        None => Err(no_type(estate, code)),
        Some((Some(sha256), Some(content_type))) => Ok(FloorPlan {
            sha256,
            content_type,
        }),
        Some(_) => Err(AppError::NotFound(format!(
            "unit type {code} of estate {estate} has no floor plan yet"
        ))),
    }
}
