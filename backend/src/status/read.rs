//! The read side of a status write: a building with its households (status, version, the last
//! event), found by id, by one of its households, or by code for the field screen.
use serde_json::Value;
use sqlx::PgPool;

use crate::auth::{Role, User};
use crate::error::{AppError, AppResult};

/// A building's status and version with its households', as a writer reads them before a
/// write; None when there is no such building.
pub async fn building(pool: &PgPool, id: i64) -> Result<Option<Value>, sqlx::Error> {
    sqlx::query_scalar(include_str!("../../sql/status/building.sql"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The building document of household `id`'s building (the household is among its
/// `households`); None when there is no such household.
pub async fn building_of_household(pool: &PgPool, id: i64) -> Result<Option<Value>, sqlx::Error> {
    let building_id: Option<i64> =
        sqlx::query_scalar("SELECT building_id FROM households WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    match building_id {
        Some(b) => building(pool, b).await,
        None => Ok(None),
    }
}

/// The longest code text a search takes: a whole household code is 26 characters.
const MAX_CODE_CHARS: usize = 64;

/// Buildings whose code, or one of whose households' codes, contains `code`; an operator's
/// answer stays inside their region (where they may write).
pub async fn find(pool: &PgPool, user: &User, code: &str) -> AppResult<Value> {
    let code = code.trim();
    if code.chars().count() < 2 || code.chars().count() > MAX_CODE_CHARS {
        return Err(AppError::BadRequest(format!(
            "code: give 2 to {MAX_CODE_CHARS} characters of a building's or household's code"
        )));
    }
    crate::validate::text("code", code).map_err(AppError::BadRequest)?;
    let region = match user.role {
        Role::Operator => user.region_id,
        _ => None,
    };
    Ok(
        sqlx::query_scalar(include_str!("../../sql/status/find.sql"))
            .bind(code)
            .bind(region)
            .fetch_one(pool)
            .await?,
    )
}
