//! The procedure's gates on the data (docs/procedure.md, "Gates"): reading a project's gates,
//! an admin's override of one (and its revocation), both audited. The status path's checks are
//! the database's (`households_status_gates.sql`), so no writer escapes them.
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::admin::admins_only;
use crate::audit::audit;
use crate::auth::User;
use crate::error::{AppError, AppResult, Code};
use crate::validate;

/// The gates, as `step_gate` names them.
pub const GATES: [&str; 3] = ["signing", "compensation_decision", "demolition"];

/// Shortest and longest reason an override or its revocation takes.
const REASON_CHARS: (usize, usize) = (4, 500);

/// Every gate of project `project_id`: open or not, its step, funds and override in force.
pub async fn list(pool: &PgPool, project_id: i64) -> AppResult<Value> {
    Ok(sqlx::query_scalar(include_str!("../../sql/gates/list.sql"))
        .bind(project_id)
        .fetch_one(pool)
        .await?)
}

/// `gate` checked against the gates' names (400 naming the path's field otherwise).
pub fn gate_named(gate: &str) -> AppResult<&'static str> {
    GATES.iter().copied().find(|g| *g == gate).ok_or_else(|| {
        AppError::BadRequest(format!(
            "gate: `{}` is not a gate: one of {}",
            validate::shown(gate),
            GATES.join(", ")
        ))
    })
}

/// A reason of 4 to 500 characters, trimmed (422 naming `reason`).
pub fn reason(text: &str) -> AppResult<&str> {
    let text = validate::text("reason", text.trim()).map_err(AppError::Unprocessable)?;
    if text.chars().count() < REASON_CHARS.0 {
        return Err(AppError::Unprocessable(format!(
            "reason: say why in at least {} characters",
            REASON_CHARS.0
        )));
    }
    validate::max_chars("reason", text, REASON_CHARS.1).map_err(AppError::Unprocessable)
}

/// Whether `grant` opens (true) or `revoke` closes (false) gate `gate` of project `code`: an
/// admin's act with a reason, appended to gate_overrides and audited. Granting a gate already
/// overridden, or revoking one that is not, is a 409.
pub async fn set_override(
    pool: &PgPool,
    user: &User,
    code: &str,
    gate: &str,
    grant: bool,
    reason_text: &str,
) -> AppResult<Value> {
    admins_only(user, "gate overrides")?;
    let gate = gate_named(gate)?;
    let reason = reason(reason_text)?;
    let project = crate::projects::by_code(pool, code).await?;
    let mut tx = pool.begin().await?;
    // one override act per project at a time: the in-force row read below stays the newest
    sqlx::query("SELECT 1 FROM project_procedures WHERE project_id = $1 FOR UPDATE")
        .bind(project.id)
        .execute(&mut *tx)
        .await?;
    let in_force: Option<i64> = sqlx::query_scalar(
        "SELECT override_id FROM gate_state($1, $2::step_gate) WHERE override_id IS NOT NULL",
    )
    .bind(project.id)
    .bind(gate)
    .fetch_optional(&mut *tx)
    .await?;
    if in_force.is_some() == grant {
        let said = if grant {
            "is already overridden"
        } else {
            "has no override to revoke"
        };
        return Err(AppError::Conflict {
            message: format!("project {code}: the {gate} gate {said}"),
            current: json!({ "override": in_force }),
        }
        .coded(Code::Conflict, json!({})));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO gate_overrides (project_id, gate, action, reason, user_id)
         VALUES ($1, $2::step_gate, $3::gate_override_action, $4, $5) RETURNING id",
    )
    .bind(project.id)
    .bind(gate)
    .bind(if grant { "grant" } else { "revoke" })
    .bind(reason)
    .bind(user.id)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        user,
        if grant {
            "gate_override"
        } else {
            "gate_override_revoke"
        },
        &format!("project {code}"),
        json!({ "gate": gate, "reason": reason, "override": id }),
    )
    .await?;
    tx.commit().await?;
    list(pool, project.id).await
}

/// The 409 of a shut gate whose step is not done, worded as the database words it
/// (households_status_gates.sql), for the checks made in Rust.
#[must_use]
pub fn step_not_done(
    project: (&str, &str),
    gate: &str,
    step: (&str, &str),
    state: &str,
) -> AppError {
    let ((code, name), (key, step_name)) = (project, step);
    AppError::Conflict {
        message: format!(
            "project {code} ({name}): {gate} waits for step {key}「{step_name}」, which is {state} [gate_step_not_done]"
        ),
        current: Value::Null,
    }
    .coded(
        Code::GateStepNotDone,
        json!({ "project": code, "gate": gate, "step": key, "step_name": step_name, "state": state }),
    )
}
