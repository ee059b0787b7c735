//! Moving a batch along its approval chain: taking the next step (the last one pays), or
//! sending it back (退回) with a reason from whichever step it waits at. The database checks
//! the order, who holds the step and that nobody takes two steps of a batch; this module turns
//! a step it can see is not the caller's into a 403 that says whose it is.
use serde_json::{json, Value};
use sqlx::PgPool;

use super::amounts::note;
use super::batches::{batch_lineage, read_batch};
use crate::audit::audit;
use crate::auth::authorize;
use crate::auth::User;
use crate::error::{AppError, AppResult};
use crate::refusals::refusal;
use crate::validate;

/// A step of a batch's chain.
#[derive(sqlx::FromRow)]
struct ChainStep {
    position: i16,
    key: String,
    name: String,
    role: String,
    office: Option<String>,
}

/// Where a batch stands: the step it waits at (None once paid or sent back) and its chain's steps.
struct Standing {
    project_id: i64,
    chain_id: i64,
    version: i32,
    steps: Vec<ChainStep>,
    pending: Option<i16>,
}

async fn standing(pool: &PgPool, batch: i64) -> AppResult<Standing> {
    let (project_id, chain_id, version, steps_taken, in_flight): (i64, i64, i32, i16, bool) =
        sqlx::query_as(
            "SELECT b.project_id, b.chain_id, c.version, b.steps_taken, b.status = 'submitted'
           FROM payment_batches b JOIN approval_chains c ON c.id = b.chain_id WHERE b.id = $1",
        )
        .bind(batch)
        .fetch_one(pool)
        .await?;
    let steps = sqlx::query_as("SELECT position, key, name, role::text AS role, office FROM approval_steps WHERE chain_id = $1 ORDER BY position")
        .bind(chain_id)
        .fetch_all(pool)
        .await?;
    Ok(Standing {
        project_id,
        chain_id,
        version,
        steps,
        pending: in_flight.then_some(steps_taken + 1),
    })
}

/// Who holds a step, in words: "an admin" or "an admin or an operator of the project's region",
/// with the office when the step names one.
fn holder(step: &ChainStep) -> String {
    let who = if step.role == "admin" {
        "an admin"
    } else {
        "an admin or an operator of the project's region"
    };
    match &step.office {
        Some(o) => format!("{who} holding the office {o}"),
        None => who.to_owned(),
    }
}

/// What the caller asked for, once checked.
enum Move<'a> {
    Step(i16),
    SendBack(&'a str),
}

/// Takes step `key` of the batch's chain, or sends it back when `key` is `return` (with a
/// reason); answers the batch as it stands after.
pub async fn take_step(
    pool: &PgPool,
    user: &User,
    batch: i64,
    key: &str,
    reason: Option<&str>,
) -> AppResult<Value> {
    authorize(
        user,
        &batch_lineage(pool, batch).await?,
        &format!("batch {batch}"),
    )?;
    let at = standing(pool, batch).await?;
    let subject = format!("batch {batch}");
    let holds = |position: i16| {
        sqlx::query_scalar::<_, bool>("SELECT holds_approval_step($1, $2, $3, $4)")
            .bind(user.id)
            .bind(at.project_id)
            .bind(at.chain_id)
            .bind(i32::from(position))
            .fetch_one(pool)
    };
    let pending = at
        .pending
        .and_then(|p| at.steps.iter().find(|s| s.position == p));
    let (wanted, detail) = if key == "return" {
        let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) else {
            return Err(AppError::Unprocessable(
                "reason: a batch is sent back with a reason".into(),
            ));
        };
        let reason = note("reason", reason, 500)?;
        if let Some(step) = pending {
            if !holds(step.position).await? {
                return Err(AppError::Forbidden(format!(
                    "{subject}: it waits at step {} {}, so {} sends it back",
                    step.position,
                    step.name,
                    holder(step)
                )));
            }
        }
        (
            Move::SendBack(reason),
            json!({ "reason": reason, "at_step": pending.map(|s| s.position), "chain_version": at.version }),
        )
    } else {
        let Some(step) = at.steps.iter().find(|s| s.key == key) else {
            let keys: Vec<&str> = at.steps.iter().map(|s| s.key.as_str()).collect();
            return Err(AppError::NotFound(format!(
                "`{}` is not a step of {subject}'s approval chain (version {}): {} or return",
                validate::shown(key),
                at.version,
                keys.join(", ")
            )));
        };
        // a step out of turn is the database's to refuse, naming the step that is next
        if at.pending == Some(step.position) && !holds(step.position).await? {
            return Err(AppError::Forbidden(format!(
                "{subject}: step {} {} is taken by {}",
                step.position,
                step.name,
                holder(step)
            )));
        }
        (
            Move::Step(step.position),
            json!({ "step": step.key, "name": step.name, "position": step.position, "chain_version": at.version }),
        )
    };
    let mut tx = pool.begin().await?;
    let written = match wanted {
        Move::Step(position) => sqlx::query("INSERT INTO batch_steps (batch_id, position, user_id) VALUES ($1, $2, $3)")
            .bind(batch).bind(position).bind(user.id)
            .execute(&mut *tx).await,
        Move::SendBack(reason) => sqlx::query(
            "UPDATE payment_batches SET status = 'returned', returned_by = $2, returned_at = now(), return_reason = $3 WHERE id = $1")
            .bind(batch).bind(user.id).bind(reason)
            .execute(&mut *tx).await,
    };
    written.map_err(|e| refusal(e, &subject))?;
    let action = if key == "return" {
        "batch_return"
    } else {
        "batch_step"
    };
    audit(&mut tx, user, action, &subject, detail).await?;
    tx.commit().await?;
    read_batch(pool, user, batch).await
}
