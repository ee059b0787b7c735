//! 补偿决定: the decision made for a household still unsigned after the signing period
//! (docs/procedure.md, "Gates"). Made by admins and the operators of the household's region
//! only while the household has not signed and the project's 补偿决定 gate is open; revoked by
//! admins with a reason; every act audited.
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

use super::gates::{reason, step_not_done};
use crate::admin::admins_only;
use crate::audit::audit;
use crate::auth::{authorize, User};
use crate::clock::beijing_today;
use crate::error::{AppError, AppResult, Code};
use crate::validate;

/// A new decision as the desk's form sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    pub decided_on: NaiveDate,
    /// 文号, e.g. 武征补决字〔2026〕第12号
    pub document_no: String,
    #[serde(default)]
    pub note: String,
}

/// The household as a decision needs it, held against status writes (backend/sql/gates/household.sql).
#[derive(sqlx::FromRow)]
struct Household {
    id: i64,
    code: String,
    status: String,
    signed: bool,
    project_code: String,
    project_name: String,
    open: bool,
    step_key: Option<String>,
    step_name: Option<String>,
    step_state: String,
}

impl Household {
    /// Why no decision may be made for it now, as the error a write gets; None when one may.
    fn blocked(&self) -> Option<AppError> {
        if self.signed {
            return Some(
                AppError::Conflict {
                    message: format!(
                        "household {} ({}) is {}: a 补偿决定 is only for households that have not signed",
                        self.id, self.code, self.status
                    ),
                    current: json!({ "status": self.status }),
                }
                .coded(
                    Code::HouseholdAlreadySigned,
                    json!({ "id": self.code, "status": self.status }),
                ),
            );
        }
        if self.open {
            return None;
        }
        Some(step_not_done(
            (&self.project_code, &self.project_name),
            "compensation_decision",
            (
                self.step_key.as_deref().unwrap_or_default(),
                self.step_name.as_deref().unwrap_or_default(),
            ),
            &self.step_state,
        ))
    }
}

/// The household `id` once `user` may work on its file (admins, operators of its region).
async fn household(
    pool: &PgPool,
    tx: &mut PgConnection,
    user: &User,
    id: i64,
) -> AppResult<Household> {
    let lineage = crate::households::lineage(pool, id).await?;
    authorize(user, &lineage, &format!("household {id}"))?;
    Ok(
        sqlx::query_as(include_str!("../../sql/gates/household.sql"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?,
    )
}

/// The household's 补偿决定 section: its decisions (newest first), whether one may be made
/// now and, if not, the refusal a write would get (code, values, message).
pub async fn section(pool: &PgPool, user: &User, id: i64) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    let h = household(pool, &mut tx, user, id).await?;
    let decisions: Value = sqlx::query_scalar(include_str!("../../sql/gates/decisions.sql"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    let in_force = decisions
        .as_array()
        .and_then(|all| all.iter().find(|d| d["in_force"] == true))
        .cloned();
    let blocked = h.blocked().map(|e| {
        let (code, values) = e.code();
        json!({ "code": code, "values": values, "message": e.client_message() })
    });
    Ok(json!({
        "household": { "id": h.id, "code": h.code, "status": h.status },
        "project": { "code": h.project_code, "name": h.project_name },
        "gate": { "open": h.open, "step": { "key": h.step_key, "name": h.step_name, "state": h.step_state } },
        "may_decide": blocked.is_none() && in_force.is_none(),
        "blocked": blocked,
        "in_force": in_force,
        "may_revoke": in_force.is_some() && admins_only(user, "").is_ok(),
        "decisions": decisions,
    }))
}

/// Makes the 补偿决定 of household `id`: 409 `household_already_signed` once it signed, 409
/// `gate_step_not_done` before the signing period is done (or overridden), 409
/// `compensation_decision_once` while another is in force.
pub async fn decide(pool: &PgPool, user: &User, id: i64, new: &NewDecision) -> AppResult<Value> {
    let decided_on =
        validate::day_in_range("decided_on", new.decided_on).map_err(AppError::Unprocessable)?;
    if decided_on > beijing_today() {
        return Err(AppError::Unprocessable(format!(
            "decided_on: {decided_on} is in the future"
        )));
    }
    let document_no = validate::text("document_no", new.document_no.trim())
        .and_then(|t| validate::max_chars("document_no", t, 80))
        .map_err(AppError::Unprocessable)?;
    if document_no.chars().count() < 2 {
        return Err(AppError::Unprocessable(
            "document_no: the decision's document number (文号) is required".into(),
        ));
    }
    let note = validate::text("note", new.note.trim())
        .and_then(|t| validate::max_chars("note", t, 2000))
        .map_err(AppError::Unprocessable)?;
    let mut tx = pool.begin().await?;
    let h = household(pool, &mut tx, user, id).await?;
    if let Some(refusal) = h.blocked() {
        return Err(refusal);
    }
    let decision: i64 = sqlx::query_scalar(
        "INSERT INTO compensation_decisions (household_id, decided_on, document_no, note, user_id)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(decided_on)
    .bind(document_no)
    .bind(note)
    .bind(user.id)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| crate::refusals::refusal(e, &format!("household {id}")))?;
    audit(
        &mut tx,
        user,
        "compensation_decision",
        &format!("household {id}"),
        json!({ "decision": decision, "household": h.code, "project": h.project_code, "decided_on": decided_on,
                "document_no": document_no, "note": note }),
    )
    .await?;
    tx.commit().await?;
    section(pool, user, id).await
}

/// Revokes the household's 补偿决定 in force, with a reason: admins only; 409 when none is.
pub async fn revoke(pool: &PgPool, user: &User, id: i64, reason_text: &str) -> AppResult<Value> {
    admins_only(user, "revoking a 补偿决定")?;
    let reason = reason(reason_text)?;
    let mut tx = pool.begin().await?;
    let h = household(pool, &mut tx, user, id).await?;
    let revoked: Option<i64> = sqlx::query_scalar(
        "UPDATE compensation_decisions SET revoked_at = now(), revoked_by = $2, revoke_reason = $3
          WHERE household_id = $1 AND revoked_at IS NULL RETURNING id",
    )
    .bind(id)
    .bind(user.id)
    .bind(reason)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(decision) = revoked else {
        return Err(AppError::Conflict {
            message: format!("household {id} has no 补偿决定 in force to revoke"),
            current: Value::Null,
        }
        .coded(Code::Conflict, json!({})));
    };
    audit(
        &mut tx,
        user,
        "compensation_decision_revoke",
        &format!("household {id}"),
        json!({ "decision": decision, "household": h.code, "project": h.project_code, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    section(pool, user, id).await
}
