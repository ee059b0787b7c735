//! The audit log: one line per deliberate act (overrides, payments, chains, objections).
use serde_json::Value;

use crate::auth::User;
use crate::error::AppResult;

/// Writes one line of the audit log inside the caller's transaction, so it commits with the act.
pub async fn audit(
    tx: &mut sqlx::PgConnection,
    user: &User,
    action: &str,
    subject: &str,
    detail: Value,
) -> AppResult<()> {
    sqlx::query("INSERT INTO audit_log (user_id, action, subject, detail) VALUES ($1, $2, $3, $4)")
        .bind(user.id)
        .bind(action)
        .bind(subject)
        .bind(detail)
        .execute(tx)
        .await?;
    Ok(())
}
