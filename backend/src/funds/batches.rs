//! Payment batches: submitting one (all its payments or none) and reading them with their
//! approval chain, the steps taken and what the reader may do next.
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use super::amounts::{fen, note};
use crate::audit::audit;
use crate::auth::authorize;
use crate::auth::{may_write_in, User};
use crate::error::{AppError, AppResult};
use crate::projects::{self, Project};
use crate::refusals::refusal;
use crate::validate::MAX_HOUSEHOLD_YUAN;

/// More payments than this in one batch is a runaway page or script, not a month's work.
const MAX_PAYMENTS: usize = 10_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub household_id: i64,
    pub yuan: f64,
    pub idempotency_key: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBatch {
    #[serde(default)]
    pub note: String,
    pub payments: Vec<Payment>,
}

/// Each payment in fen, or a 422 naming the field and the row; nothing is written before this.
fn payments_in_fen(batch: &NewBatch) -> AppResult<Vec<i64>> {
    if batch.payments.is_empty() || batch.payments.len() > MAX_PAYMENTS {
        return Err(AppError::Unprocessable(format!(
            "payments: a batch has 1 to {MAX_PAYMENTS} payments, not {}",
            batch.payments.len()
        )));
    }
    batch.payments.iter().enumerate().map(|(i, p)| {
        // no control characters at all: a key is an identifier, not text
        let key = &p.idempotency_key;
        if !(8..=100).contains(&key.chars().count()) || key.chars().any(char::is_control) {
            return Err(AppError::Unprocessable(format!("payments[{i}].idempotency_key: give 8 to 100 characters (no control characters), unique per payment")));
        }
        fen(&format!("payments[{i}].yuan (household {})", p.household_id), p.yuan, MAX_HOUSEHOLD_YUAN)
    }).collect()
}

/// Submits a batch: all its payments or none. It follows the project's approval chain in force
/// now, and its submitter takes no step of it. The database refuses a household without a
/// signed agreement, a sum beyond the agreement and a key used before.
pub async fn submit(pool: &PgPool, user: &User, code: &str, batch: &NewBatch) -> AppResult<Value> {
    let Project { id, lineage, .. } = projects::by_code(pool, code).await?;
    if !may_write_in(user, &lineage) {
        return Err(AppError::Forbidden(format!(
            "project {code}: only admins and the operators of its region submit payments"
        )));
    }
    let fen = payments_in_fen(batch)?;
    let note = note("note", &batch.note, 500)?;
    let mut tx = pool.begin().await?;
    let batch_id: i64 = sqlx::query_scalar("INSERT INTO payment_batches (project_id, note, submitted_by) VALUES ($1, $2, $3) RETURNING id")
        .bind(id).bind(note).bind(user.id)
        .fetch_one(&mut *tx).await
        .map_err(|e| refusal(e, &format!("project {code}")))?;
    for (i, (p, fen)) in batch.payments.iter().zip(fen).enumerate() {
        sqlx::query("INSERT INTO payments (batch_id, household_id, yuan, idempotency_key) VALUES ($1, $2, $3::numeric / 100, $4)")
            .bind(batch_id).bind(p.household_id).bind(fen).bind(&p.idempotency_key)
            .execute(&mut *tx).await
            .map_err(|e| refusal(e, &format!("payments[{i}] (household {})", p.household_id)))?;
    }
    audit(
        &mut tx,
        user,
        "batch_submitted",
        &format!("batch {batch_id}"),
        json!({ "project": code, "payments": batch.payments.len() }),
    )
    .await?;
    tx.commit().await?;
    read_batch(pool, user, batch_id).await
}

/// The batch's project lineage, or 404.
pub(super) async fn batch_lineage(pool: &PgPool, batch: i64) -> AppResult<Vec<i32>> {
    sqlx::query_scalar(
        "SELECT r.lineage FROM payment_batches b JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id WHERE b.id = $1",
    )
    .bind(batch)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("batch {batch} does not exist")))
}

/// Batches of a project (newest first) or one batch, as `user` sees them (batches.sql).
pub(super) async fn list(
    pool: &PgPool,
    user: &User,
    project: Option<i64>,
    batch: Option<i64>,
) -> AppResult<Vec<Value>> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/funds/batches.sql"))
            .bind(project)
            .bind(batch)
            .bind(user.id)
            .fetch_all(pool)
            .await?,
    )
}

/// One batch with its chain and its payments (`household_id`, `code`, `holder_name`, `yuan`).
pub async fn read_batch(pool: &PgPool, user: &User, batch: i64) -> AppResult<Value> {
    authorize(
        user,
        &batch_lineage(pool, batch).await?,
        &format!("batch {batch}"),
    )?;
    let mut read = list(pool, user, None, Some(batch))
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("batch {batch} does not exist")))?;
    read["payments"] = sqlx::query_scalar(
        "SELECT coalesce(json_agg(json_build_object('id', x.id, 'household_id', x.household_id, 'code', h.code,
                                                    'holder_name', h.holder_name, 'yuan', x.yuan,
                                                    'idempotency_key', x.idempotency_key) ORDER BY x.id), '[]')
           FROM payments x JOIN households h ON h.id = x.household_id WHERE x.batch_id = $1",
    )
    .bind(batch)
    .fetch_one(pool)
    .await?;
    Ok(read)
}
