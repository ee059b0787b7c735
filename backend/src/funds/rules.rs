//! The database's refusals of batches, steps and chains as 4xx errors that name the rule;
//! the money rules shared with households are explained by `households::money_rule`.
use serde_json::Value;

use crate::error::AppError;
use crate::households::money_rule;

/// `error` as the API answers it, prefixed with `subject` (e.g. `batch 12`).
pub fn refusal(error: sqlx::Error, subject: &str) -> AppError {
    let Some(db) = error.as_database_error() else {
        return error.into();
    };
    let rule = db.constraint().unwrap_or_default().to_owned();
    let message = db.message().to_owned();
    let explained = match rule.as_str() {
        "batch_duties_separate" => format!("one person takes one step of a batch, submitting included: someone else must take this one ({message})"),
        "batch_step_holder" => format!("the step is not yours to take: its role or office is another's ({message})"),
        "approval_chain_version_once" => {
            return AppError::Conflict {
                message: format!("{subject}: the chain was changed meanwhile; read it again [{rule}]"),
                current: Value::Null,
            }
        }
        "batch_step_order" | "batch_step_once" | "batch_steps_signed" | "batch_chain_in_force" | "batch_status_with_chains"
        | "approval_chain_numbered" | "approval_chain_fixed" | "approval_step_key_once" | "approval_step_name_once" => message,
        _ => return money_rule(error, subject),
    };
    AppError::Unprocessable(format!("{subject}: {explained} [{rule}]"))
}
