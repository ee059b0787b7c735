//! 拨入: money received for a project, recorded by an admin and audited.
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use sqlx::PgPool;

use super::amounts::{fen, note};
use crate::audit::audit;
use crate::auth::{Role, User};
use crate::error::{AppError, AppResult};
use crate::projects::{self, Project};
use crate::validate::{self, MAX_PROJECT_YUAN};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    pub yuan: f64,
    pub received_on: NaiveDate,
    #[serde(default)]
    pub note: String,
}

pub async fn allocate(pool: &PgPool, user: &User, code: &str, a: &Allocation) -> AppResult<Value> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(
            "allocations: only an admin records money received".into(),
        ));
    }
    let Project { id, .. } = projects::by_code(pool, code).await?;
    let fen = fen("yuan", a.yuan, MAX_PROJECT_YUAN)?;
    validate::day_in_range("received_on", a.received_on).map_err(AppError::Unprocessable)?;
    let note = note("note", &a.note, 500)?;
    let mut tx = pool.begin().await?;
    let allocation: Value = sqlx::query_scalar(
        "INSERT INTO fund_allocations (project_id, yuan, received_on, note, user_id) VALUES ($1, $2::numeric / 100, $3, $4, $5)
         RETURNING json_build_object('id', id, 'yuan', yuan, 'received_on', received_on, 'note', note)",
    )
    .bind(id).bind(fen).bind(a.received_on).bind(note).bind(user.id)
    .fetch_one(&mut *tx).await?;
    audit(
        &mut tx,
        user,
        "allocation",
        &format!("project {code}"),
        allocation.clone(),
    )
    .await?;
    tx.commit().await?;
    Ok(allocation)
}
