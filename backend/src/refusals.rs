//! The one table of the rules the database enforces by name, with the answer each refusal gets.
//!
//! A rule is a named constraint or a trigger's `RAISE … USING CONSTRAINT = 'name'`
//! (`migrations/*.sql` and the trigger functions in `backend/sql/schema/*.sql`). Every writer maps the database's refusals through `refusal`, so a
//! rule is explained once and answered the same way wherever it is met, with the rule's name
//! as the answer's `code` (crate::error::Code).
use serde_json::{json, Value};

use crate::error::{AppError, Code};

/// How the API answers when the database refuses a write by a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// 422 `subject: explanation [rule]`.
    Explained(&'static str),
    /// 422 `subject: explanation (the database's message) [rule]`: the message adds the particulars.
    ExplainedWithMessage(&'static str),
    /// 422 `subject: the database's message [rule]`: the trigger's message already says it all.
    AsRaised,
    /// 409 `subject: explanation [rule]`, without a current state: read again and retry.
    Conflict(&'static str),
    /// 409 with the database's message alone: a status write met the state another write made.
    Moved,
    /// 409 `subject: the database's message [rule]`: a write the procedure does not allow yet (a
    /// gate); the message names the project, the step and its state, the values come in DETAIL.
    Gated,
    /// 500: the service never asks for this, so a refusal is a bug, logged as a database error.
    Fault,
}

/// Every rule by name. The unit test below holds it to the rules the migrations raise.
pub const RULES: &[(&str, Answer)] = &[
    // status events (0003, 0005, 0006): the order of statuses across rows
    ("building_demolished_after_all_vacated", Answer::Moved),
    ("parcel_status_follows_buildings", Answer::Moved),
    ("status_event_from_current", Answer::Moved),
    // raised when a household goes back before signing: only status writes move a household
    ("agreement_has_payments", Answer::Moved),
    ("status_events_append_only", Answer::Fault),
    ("status_change_through_event", Answer::Fault),
    // the procedure's gates (0025, households_status_gates.sql)
    ("gate_step_not_done", Answer::Gated),
    ("gate_funds_short", Answer::Gated),
    ("compensation_decision_once", Answer::Conflict("the household already has a 补偿决定 in force: revoke it first")),
    // agreements and payments (0008, 0011)
    ("agreement_not_overpaid", Answer::Explained("the payments would pass the household's agreed compensation (or the agreed sum \
        would fall below what is already committed)")),
    ("payment_needs_signed_agreement", Answer::Explained("the household has not signed its agreement: no payment before signing")),
    ("payment_paid_once", Answer::Conflict("this idempotency key was already used: the payment exists, it is not made twice")),
    ("payment_household_once_per_batch", Answer::Explained("the household is already in this batch")),
    ("payment_batch_open", Answer::AsRaised),
    ("payment_in_batch_project", Answer::AsRaised),
    ("agreement_needs_signing", Answer::Fault),
    ("agreements_kept_by_triggers", Answer::Fault),
    // batches and their steps (0008, 0011, 0014)
    ("batch_within_allocations", Answer::Explained("paying this batch would pass the project's allocations (拨入)")),
    ("batch_duties_separate", Answer::ExplainedWithMessage("one person takes one step of a batch, submitting included: someone else must take this one")),
    ("batch_step_holder", Answer::ExplainedWithMessage("the step is not yours to take: its role or office is another's")),
    ("batch_step_order", Answer::AsRaised),
    ("batch_step_once", Answer::AsRaised),
    ("batch_steps_signed", Answer::AsRaised),
    ("batch_chain_in_force", Answer::AsRaised),
    ("batch_status_with_chains", Answer::AsRaised),
    ("batch_return_has_reason", Answer::AsRaised),
    ("batch_starts_submitted", Answer::Fault),
    // work groups (0031): the API checks a group's project first and names the code
    ("household_group_in_project", Answer::Fault),
    // group figures (0039): the service only appends to the assignment history
    ("work_group_assignments_append_only", Answer::Fault),
    // approval chains (0014)
    ("approval_chain_version_once", Answer::Conflict("the chain was changed meanwhile; read it again")),
    ("approval_chain_numbered", Answer::AsRaised),
    ("approval_chain_fixed", Answer::AsRaised),
    ("approval_step_key_once", Answer::AsRaised),
    ("approval_step_name_once", Answer::AsRaised),
    // close-out (0028): the project is in DETAIL; `error.rs` answers it the same way where a
    // route does not pass the error through `refusal`
    ("project_archived", Answer::Conflict("the project is archived: its data is read-only")),
    // 疑难个案 (0032)
    ("case_open_once", Answer::Conflict("the household already has an open case: confer on it or close it first")),
    // 选房 (0045): a confirmed choice settles its money on the household's signed agreement
    ("swap_settlement_needs_agreement", Answer::AsRaised),
];

/// The answer to a refusal by `rule`, if the table knows the rule.
#[must_use]
pub fn answer(rule: &str) -> Option<Answer> {
    RULES
        .iter()
        .find(|(name, _)| *name == rule)
        .map(|(_, a)| *a)
}

/// `error` as the API answers it, prefixed with `subject` (e.g. `batch 12`) and coded by its
/// rule, with the values a trigger put in DETAIL as a JSON object; an error that names no
/// known rule stays a database error (500).
#[must_use]
pub fn refusal(error: sqlx::Error, subject: &str) -> AppError {
    let rule = error
        .as_database_error()
        .and_then(|db| db.constraint())
        .unwrap_or_default()
        .to_owned();
    let values = raised_values(&error);
    let answer = explain(error, subject, &rule);
    match Code::named(&rule) {
        Some(code) if !answer.status().is_server_error() => answer.coded(code, values),
        _ => answer,
    }
}

/// The values of a refusal's sentence a trigger raised as a JSON object in DETAIL; `{}` else.
pub(crate) fn raised_values(error: &sqlx::Error) -> Value {
    error
        .as_database_error()
        .and_then(|db| db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>())
        .and_then(|pg| pg.detail())
        .and_then(|detail| serde_json::from_str::<Value>(detail).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}))
}

fn explain(error: sqlx::Error, subject: &str, rule: &str) -> AppError {
    let Some(db) = error.as_database_error() else {
        return error.into();
    };
    let message = db.message().to_owned();
    let explained = match answer(rule) {
        None | Some(Answer::Fault) => return error.into(),
        Some(Answer::Moved) => {
            return AppError::Conflict {
                message,
                current: Value::Null,
            }
        }
        Some(Answer::Gated) => {
            return AppError::Conflict {
                message: format!(
                    "{subject}{}{message} [{rule}]",
                    if subject.is_empty() { "" } else { ": " }
                ),
                current: Value::Null,
            }
        }
        Some(Answer::Conflict(text)) => {
            return AppError::Conflict {
                message: format!("{subject}: {text} [{rule}]"),
                current: Value::Null,
            }
        }
        Some(Answer::Explained(text)) => text.to_owned(),
        Some(Answer::ExplainedWithMessage(text)) => format!("{text} ({message})"),
        Some(Answer::AsRaised) => message,
    };
    AppError::Unprocessable(format!("{subject}: {explained} [{rule}]"))
}

#[cfg(test)]
mod tests {
    use super::{answer, Answer, RULES};
    use crate::error::Code;

    /// The names in `CONSTRAINT = 'name'` of every migration and schema file (the triggers'
    /// RAISE … USING).
    fn raised_rules() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut names = Vec::new();
        let files = ["migrations", "backend/sql/schema"]
            .into_iter()
            .flat_map(|dir| {
                std::fs::read_dir(root.join(dir))
                    .expect("a directory of SQL files")
                    .map(|entry| entry.expect("a file").path())
            });
        for path in files {
            if path.extension().is_none_or(|e| e != "sql") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("an SQL file's text");
            let mut rest = text.as_str();
            while let Some(at) = rest.find("CONSTRAINT = '") {
                rest = &rest[at + "CONSTRAINT = '".len()..];
                let end = rest.find('\'').expect("a closing quote");
                names.push(rest[..end].to_owned());
            }
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    #[test]
    fn every_rule_the_migrations_raise_has_an_answer() {
        let raised = raised_rules();
        assert!(raised.len() > 10, "found too few rules: {raised:?}");
        let missing: Vec<&String> = raised.iter().filter(|r| answer(r).is_none()).collect();
        assert!(missing.is_empty(), "rules without an answer: {missing:?}");
    }

    #[test]
    fn every_rule_a_client_meets_is_an_error_code() {
        for (rule, answer) in RULES {
            if *answer != Answer::Fault {
                assert!(
                    Code::named(rule).is_some(),
                    "{rule} has no code in error/codes.rs"
                );
            }
        }
    }

    #[test]
    fn every_rule_is_named_once() {
        let mut names: Vec<&str> = RULES.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "a rule is in the table twice");
    }
}
