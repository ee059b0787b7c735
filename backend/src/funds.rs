//! Funds (资金): allocations received, payment batches through their approval chain, and the
//! warnings. The database enforces the money rules; this module checks roles and regions and
//! turns the database's refusals into errors that name the rule.
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::auth::{Role, User};
use crate::error::{AppError, AppResult};
use crate::figures::beijing_today;
use crate::households::standard::project;
use crate::households::{audit, authorize, money_rule};

/// The warnings of some projects (all when `projects` is None), as JSON objects.
pub async fn warnings(pool: &PgPool, projects: Option<&[i64]>) -> Result<Vec<Value>, sqlx::Error> {
    type Row = (i64, String, String, String, String, String, String, String);
    let rows: Vec<Row> =
        sqlx::query_as(include_str!("../sql/funds/warnings.sql"))
            .bind(projects)
            .bind(beijing_today())
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name, region, level, key, zh, en)| {
            json!({ "project_id": id, "project_code": code, "project_name": name, "region_code": region,
                    "level": level, "code": key, "zh": zh, "en": en })
        })
        .collect())
}

pub async fn overview(pool: &PgPool, user: &User, code: &str) -> AppResult<Value> {
    let (id, lineage) = project(pool, code).await?;
    authorize(user, &lineage, &format!("project {code}"))?;
    let mut funds: Value = sqlx::query_scalar(include_str!("../sql/funds/overview.sql")).bind(id).fetch_one(pool).await?;
    funds["project"] = json!(code);
    funds["warnings"] = json!(warnings(pool, Some(&[id])).await?);
    Ok(funds)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    pub yuan: f64,
    pub received_on: chrono::NaiveDate,
    #[serde(default)]
    pub note: String,
}

pub async fn allocate(pool: &PgPool, user: &User, code: &str, a: &Allocation) -> AppResult<Value> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden("allocations: only an admin records money received".into()));
    }
    let (id, _) = project(pool, code).await?;
    if !a.yuan.is_finite() || a.yuan <= 0.0 || a.yuan > 1e13 {
        return Err(AppError::Unprocessable(format!("yuan: {} is not a positive amount", a.yuan)));
    }
    let mut tx = pool.begin().await?;
    let allocation: Value = sqlx::query_scalar(
        "INSERT INTO fund_allocations (project_id, yuan, received_on, note, user_id) VALUES ($1, round($2::numeric, 2), $3, $4, $5)
         RETURNING json_build_object('id', id, 'yuan', yuan, 'received_on', received_on, 'note', note)",
    )
    .bind(id).bind(a.yuan).bind(a.received_on).bind(a.note.trim()).bind(user.id)
    .fetch_one(&mut *tx).await?;
    audit(&mut tx, user, "allocation", &format!("project {code}"), allocation.clone()).await?;
    tx.commit().await?;
    Ok(allocation)
}

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

/// Submits a batch: all its payments or none. The database refuses a household without a
/// signed agreement, a sum beyond the agreement and a key used before.
pub async fn submit(pool: &PgPool, user: &User, code: &str, batch: &NewBatch) -> AppResult<Value> {
    let (id, lineage) = project(pool, code).await?;
    if !crate::auth::may_write_in(user, &lineage) {
        return Err(AppError::Forbidden(format!("project {code}: only admins and the operators of its region submit payments")));
    }
    if batch.payments.is_empty() {
        return Err(AppError::Unprocessable("payments: a batch needs at least one payment".into()));
    }
    for (i, p) in batch.payments.iter().enumerate() {
        if !p.yuan.is_finite() || p.yuan <= 0.0 || p.yuan > 1e12 {
            return Err(AppError::Unprocessable(format!("payments[{i}].yuan: {} is not a positive amount", p.yuan)));
        }
        if !(8..=100).contains(&p.idempotency_key.len()) {
            return Err(AppError::Unprocessable(format!("payments[{i}].idempotency_key: give 8 to 100 characters, unique per payment")));
        }
    }
    let mut tx = pool.begin().await?;
    let batch_id: i64 = sqlx::query_scalar("INSERT INTO payment_batches (project_id, note, submitted_by) VALUES ($1, $2, $3) RETURNING id")
        .bind(id).bind(batch.note.trim()).bind(user.id)
        .fetch_one(&mut *tx).await?;
    for (i, p) in batch.payments.iter().enumerate() {
        sqlx::query("INSERT INTO payments (batch_id, household_id, yuan, idempotency_key) VALUES ($1, $2, round($3::numeric, 2), $4)")
            .bind(batch_id).bind(p.household_id).bind(p.yuan).bind(&p.idempotency_key)
            .execute(&mut *tx).await
            .map_err(|e| money_rule(e, &format!("payments[{i}] (household {})", p.household_id)))?;
    }
    audit(&mut tx, user, "batch_submitted", &format!("batch {batch_id}"), json!({ "project": code, "payments": batch.payments.len() })).await?;
    tx.commit().await?;
    read_batch(pool, user, batch_id).await
}

/// The batch's project lineage, or 404.
async fn batch_lineage(pool: &PgPool, batch: i64) -> AppResult<Vec<i32>> {
    sqlx::query_scalar(
        "SELECT r.lineage FROM payment_batches b JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id WHERE b.id = $1",
    )
    .bind(batch)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("batch {batch} does not exist")))
}

pub async fn read_batch(pool: &PgPool, user: &User, batch: i64) -> AppResult<Value> {
    authorize(user, &batch_lineage(pool, batch).await?, &format!("batch {batch}"))?;
    Ok(sqlx::query_scalar(
        "SELECT json_build_object('id', b.id, 'project_code', p.code, 'status', b.status, 'yuan', b.yuan, 'note', b.note,
                 'submitted_by', us.username, 'submitted_at', b.submitted_at, 'reviewed_by', ur.username, 'reviewed_at', b.reviewed_at,
                 'approved_by', ua.username, 'approved_at', b.approved_at, 'paid_by', up.username, 'paid_at', b.paid_at,
                 'returned_by', ux.username, 'returned_at', b.returned_at, 'return_reason', b.return_reason,
                 'payments', coalesce((SELECT json_agg(json_build_object('id', x.id, 'household_id', x.household_id, 'code', h.code,
                                                                         'holder_name', h.holder_name, 'yuan', x.yuan,
                                                                         'idempotency_key', x.idempotency_key) ORDER BY x.id)
                                         FROM payments x JOIN households h ON h.id = x.household_id WHERE x.batch_id = b.id), '[]'))
           FROM payment_batches b JOIN projects p ON p.id = b.project_id
           LEFT JOIN users us ON us.id = b.submitted_by LEFT JOIN users ur ON ur.id = b.reviewed_by
           LEFT JOIN users ua ON ua.id = b.approved_by LEFT JOIN users up ON up.id = b.paid_by
           LEFT JOIN users ux ON ux.id = b.returned_by
          WHERE b.id = $1",
    )
    .bind(batch)
    .fetch_one(pool)
    .await?)
}

/// One step of the chain (review, approve, pay, return), by an admin; the database checks
/// the order, the reviewer and the allocations.
pub async fn step(pool: &PgPool, user: &User, batch: i64, step: &str, reason: Option<&str>) -> AppResult<Value> {
    batch_lineage(pool, batch).await?;
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(format!("batch {batch}: only an admin may {step} a batch")));
    }
    let sql = match step {
        "review" => "UPDATE payment_batches SET status = 'reviewed', reviewed_by = $2, reviewed_at = now() WHERE id = $1",
        "approve" => "UPDATE payment_batches SET status = 'approved', approved_by = $2, approved_at = now() WHERE id = $1",
        "pay" => "UPDATE payment_batches SET status = 'paid', paid_by = $2, paid_at = now() WHERE id = $1",
        "return" => "UPDATE payment_batches SET status = 'returned', returned_by = $2, returned_at = now(), return_reason = $3 WHERE id = $1",
        other => return Err(AppError::NotFound(format!("`{other}` is not a step: review, approve, pay or return"))),
    };
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if step == "return" && reason.is_none() {
        return Err(AppError::Unprocessable("reason: a batch is sent back with a reason".into()));
    }
    let mut tx = pool.begin().await?;
    sqlx::query(sql).bind(batch).bind(user.id).bind(reason).execute(&mut *tx).await.map_err(|e| money_rule(e, &format!("batch {batch}")))?;
    audit(&mut tx, user, &format!("batch_{step}"), &format!("batch {batch}"), json!({ "reason": reason })).await?;
    tx.commit().await?;
    read_batch(pool, user, batch).await
}
