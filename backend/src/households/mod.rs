//! One file per household (一户一档): search, the household's file, attachments, compensation
//! overrides, and who may see them (admins everywhere, operators in their region).
pub mod agreement_doc;
pub mod attachments;
pub mod files;
pub mod standard;

use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::audit::audit;
use crate::auth::{authorize, Role, User};
use crate::clock::beijing_today;
use crate::error::{AppError, AppResult};
use crate::status::HOUSEHOLD_SCALE;
use crate::validate;

/// The longest reason an override may give: a paragraph, not a document.
pub const MAX_REASON_CHARS: usize = 2000;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Search {
    pub project: Option<String>,
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub status: Option<String>,
    pub difficult: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

pub async fn search(pool: &PgPool, user: &User, q: Search) -> AppResult<Value> {
    let region = match user.role {
        Role::Admin => None,
        Role::Operator => user.region_id,
        Role::Viewer | Role::Planner => {
            return Err(AppError::Forbidden(
                "households: viewers and planners do not see household files".into(),
            ))
        }
    };
    let blank = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let status = blank(q.status);
    if let Some(s) = &status {
        if !HOUSEHOLD_SCALE.contains(&s.as_str()) {
            return Err(AppError::BadRequest(format!(
                "status: `{s}` is not one of {}",
                HOUSEHOLD_SCALE.join(", ")
            )));
        }
    }
    let id_number = blank(q.id_number).map(|s| s.to_uppercase());
    if let Some(id) = &id_number {
        if id.len() < 4 || !id.chars().all(|c| c.is_ascii_digit() || c == 'X') {
            return Err(AppError::BadRequest(
                "id_number: give the whole ID number or at least its last 4 characters".into(),
            ));
        }
    }
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "limit: {limit} is not between 1 and 500"
        )));
    }
    let offset = q.offset.unwrap_or(0);
    if offset < 0 {
        return Err(AppError::BadRequest(format!(
            "offset: {offset} is negative"
        )));
    }
    // planned for each request's own filters: a cached generic plan (chosen after five runs)
    // cannot use the ID-ending index behind `$3 IS NULL OR …` and scans every household
    Ok(
        sqlx::query_scalar(include_str!("../../sql/households/search.sql"))
            .persistent(false)
            .bind(blank(q.project))
            .bind(blank(q.name))
            .bind(id_number)
            .bind(status)
            .bind(q.difficult)
            .bind(region)
            .bind(limit)
            .bind(offset)
            .bind(beijing_today())
            .fetch_one(pool)
            .await?,
    )
}

/// The household's region lineage, or 404.
pub async fn lineage(pool: &PgPool, id: i64) -> AppResult<Vec<i32>> {
    sqlx::query_scalar(
        "SELECT r.lineage FROM households h JOIN buildings b ON b.id = h.building_id
           JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id WHERE h.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| not_a_household(id))
}

/// The answer to a household id no household has.
fn not_a_household(id: i64) -> AppError {
    AppError::NotFound(format!("household {id} does not exist"))
        .coded(crate::error::Code::HouseholdNotFound, json!({ "id": id }))
}

/// The household's whole file, for a user allowed to see it.
pub async fn detail(pool: &PgPool, user: &User, id: i64) -> AppResult<Value> {
    detail_on(pool, user, id, beijing_today()).await
}

/// `detail` as it reads on Beijing day `today` (the archive's agreements: the day of its data).
pub async fn detail_on(
    pool: &PgPool,
    user: &User,
    id: i64,
    today: chrono::NaiveDate,
) -> AppResult<Value> {
    let (lineage, file): (Vec<i32>, Value) =
        sqlx::query_as(include_str!("../../sql/households/detail.sql"))
            .bind(id)
            .bind(today)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| not_a_household(id))?;
    authorize(user, &lineage, &format!("household {id}"))?;
    Ok(file)
}

/// 一事一议: sets (or, with `yuan` None, removes) an authorised total, with a reason, audited.
/// After signing the agreed sum follows; the database refuses a sum below what is committed.
pub async fn override_compensation(
    pool: &PgPool,
    user: &User,
    id: i64,
    yuan: Option<f64>,
    reason: &str,
) -> AppResult<Value> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(
            "compensation override: only an admin may authorise one (一事一议)".into(),
        ));
    }
    lineage(pool, id).await?;
    if reason.trim().is_empty() {
        return Err(AppError::Unprocessable(
            "reason: an override needs a reason".into(),
        ));
    }
    validate::text("reason", reason)
        .and_then(|r| validate::max_chars("reason", r, MAX_REASON_CHARS))
        .map_err(AppError::Unprocessable)?;
    if let Some(y) = yuan {
        validate::yuan("yuan", y, validate::MAX_HOUSEHOLD_YUAN).map_err(AppError::Unprocessable)?;
    }
    let mut tx = pool.begin().await?;
    let before: Option<Value> =
        sqlx::query_scalar("SELECT compensation_detail($1, $2) -> 'total_yuan'")
            .bind(id)
            .bind(beijing_today())
            .fetch_one(&mut *tx)
            .await?;
    let written = match yuan {
        Some(y) => sqlx::query(
            "INSERT INTO compensation_overrides (household_id, yuan, reason, user_id) VALUES ($1, round($2::numeric, 2), $3, $4)
             ON CONFLICT (household_id) DO UPDATE SET yuan = EXCLUDED.yuan, reason = EXCLUDED.reason, user_id = EXCLUDED.user_id, at = now()",
        )
        .bind(id).bind(y).bind(reason.trim()).bind(user.id)
        .execute(&mut *tx).await,
        None => sqlx::query("DELETE FROM compensation_overrides WHERE household_id = $1").bind(id).execute(&mut *tx).await,
    };
    written.map_err(|e| crate::refusals::refusal(e, &format!("household {id}")))?;
    audit(
        &mut tx,
        user,
        "compensation_override",
        &format!("household {id}"),
        json!({ "before": before, "yuan": yuan, "reason": reason.trim() }),
    )
    .await?;
    tx.commit().await?;
    detail(pool, user, id).await
}
