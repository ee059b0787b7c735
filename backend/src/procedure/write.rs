//! Writing a project's procedure ledger (docs/procedure.md, "Writing the ledger"): a step's
//! state moves (start, finish, waive, reopen) and its planned dates, responsible person and note,
//! each checked against the template's rules and written with its step event and audit line in
//! one transaction.
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

use super::checks::{check_dates, check_earliest_end, check_prerequisites, state_zh};
use super::read::{self, Reader};
use crate::audit::audit;
use crate::auth::{Role, User};
use crate::clock::beijing_today;
use crate::error::{AppError, AppResult, Code};
use crate::projects::Project;

/// The body of `PATCH /api/projects/{code}/procedure/steps/{key}`. A field left out keeps its
/// value; `null` clears a planned date, the responsible person or the note.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct StepChange {
    pub version: i32,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub planned_start: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    pub planned_end: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    pub actual_start: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    pub actual_end: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    pub responsible: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    pub note: Option<Value>,
    #[serde(default)]
    pub waive_reason: Option<String>,
    /// Why an admin reopens a done or waived step.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A field that was sent, `null` included (serde reads a sent `null` as absent otherwise).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// A step as locked for a write, with its template's rules.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Locked {
    pub key: String,
    pub name: String,
    pub state: String,
    pub version: i32,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub responsible: Option<i32>,
    pub note: String,
    pub waive_reason: Option<String>,
    pub is_window: bool,
    pub clock_from: Option<String>,
    pub min_period: Option<i32>,
    pub period_unit: String,
    pub legal_basis: String,
    pub prerequisites: Vec<String>,
}

const STATES: [&str; 4] = ["not_started", "in_progress", "done", "waived"];

/// What the write does to the step's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Move {
    /// The state stays; dates, person or note change.
    Edit,
    Start,
    Finish,
    Waive,
    Reopen,
}

/// The step `key` of `project` (the one `code` names) after applying `change` as `user`.
/// Returns the project's ledger as it is then.
pub async fn change_step(
    pool: &PgPool,
    user: &User,
    project: &Project,
    code: &str,
    key: &str,
    change: &StepChange,
) -> AppResult<Value> {
    may_write(user, project, code)?;
    let mut tx = pool.begin().await?;
    let step = lock(&mut tx, project.id, code, key).await?;
    if step.version != change.version {
        drop(tx);
        return Err(stale(pool, project.id, code, &step, change.version).await);
    }
    if step.is_window {
        return Err(AppError::Unprocessable(format!(
            "{key}: {} is a legal window: it opens and closes by its clock, not by hand",
            step.name
        ))
        .coded(Code::StepWindowByClock, json!({ "step": step.name })));
    }
    let today = beijing_today();
    let to = match &change.state {
        None => step.state.clone(),
        Some(s) if STATES.contains(&s.as_str()) => s.clone(),
        Some(s) => {
            return Err(AppError::Unprocessable(format!(
                "state: `{}` is not one of {}",
                crate::validate::shown(s),
                STATES.join(", ")
            )))
        }
    };
    let how = movement(&step, &to)?;
    let mut next = step.clone();
    next.state.clone_from(&to);
    let reason = apply(user, &step, &mut next, how, change, today)?;
    apply_fields(&mut tx, project, &mut next, change).await?;
    check_dates(&step, &next, change, today)?;
    let dates_moved = next.actual_start != step.actual_start || next.actual_end != step.actual_end;
    if matches!(how, Move::Start | Move::Finish) || (how == Move::Edit && dates_moved) {
        check_prerequisites(&mut tx, project.id, code, &next).await?;
    }
    if next.state == "done" && (how == Move::Finish || dates_moved) {
        check_earliest_end(&mut tx, project.id, &next).await?;
    }
    if how == Move::Edit && same(&step, &next) {
        return Err(AppError::Unprocessable(
            "body: names nothing to change (send state, dates, responsible or note)".into(),
        ));
    }
    save(&mut tx, project.id, user, &step, &next, reason.as_deref()).await?;
    audit(
        &mut tx,
        user,
        "procedure_step_changed",
        &format!("project {code} step {key}"),
        json!({
            "from": step.state, "to": next.state, "reason": reason,
            "planned_start": next.planned_start, "planned_end": next.planned_end,
            "actual_start": next.actual_start, "actual_end": next.actual_end,
            "responsible": next.responsible, "note_changed": next.note != step.note,
        }),
    )
    .await?;
    tx.commit().await?;
    ledger_of(pool, project.id, code).await
}

/// Admins anywhere; operators in the project's region. Viewers, planners and walls read only.
pub fn may_write(user: &User, project: &Project, code: &str) -> AppResult<()> {
    if crate::auth::may_write_in(user, &project.lineage) {
        return Ok(());
    }
    Err(if user.role == Role::Operator {
        AppError::Forbidden(format!(
            "project {code} is outside your region {}",
            user.region_code.as_deref().unwrap_or("-")
        ))
        .coded(Code::OutsideRegion, json!({ "region": user.region_code }))
    } else {
        AppError::Forbidden(format!(
            "project {code}: only admins and operators of its region write its procedure"
        ))
        .coded(Code::ForbiddenRole, json!({}))
    })
}

/// The step `key`, locked, or 404 naming it.
pub async fn lock(tx: &mut PgConnection, project: i64, code: &str, key: &str) -> AppResult<Locked> {
    sqlx::query_as(include_str!("../../sql/procedure/step_locked.sql"))
        .bind(project)
        .bind(key)
        .fetch_optional(tx)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "step: project {code} has no step `{}`",
                crate::validate::shown(key)
            ))
            .coded(Code::StepNotFound, json!({ "project": code, "step": key }))
        })
}

/// The project's ledger for staff (after a write).
pub async fn ledger_of(pool: &PgPool, project: i64, code: &str) -> AppResult<Value> {
    read::ledger(pool, project, Reader::Staff)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("project {code} has no procedure")))
}

/// The 409 of a write sent for a version that is not the step's: `current` is the step now.
async fn stale(pool: &PgPool, project: i64, code: &str, step: &Locked, sent: i32) -> AppError {
    let current = match ledger_of(pool, project, code).await {
        Ok(ledger) => ledger["steps"]
            .as_array()
            .and_then(|steps| {
                steps
                    .iter()
                    .find(|s| s["key"] == step.key.as_str())
                    .cloned()
            })
            .unwrap_or(Value::Null),
        Err(e) => return e,
    };
    AppError::Conflict {
        message: format!(
            "step {} of project {code} changed since you read it: it is at version {} ({}), you sent {sent}",
            step.key, step.version, step.state
        ),
        current,
    }
    .coded(
        Code::StaleVersion,
        json!({ "subject": "step", "id": step.name, "status": state_zh(&step.state), "version": step.version, "sent": sent }),
    )
}

/// Which move `from → to` is, or 409 naming an illegal one.
fn movement(step: &Locked, to: &str) -> AppResult<Move> {
    Ok(match (step.state.as_str(), to) {
        (from, to) if from == to => Move::Edit,
        ("not_started", "in_progress") => Move::Start,
        ("in_progress", "done") => Move::Finish,
        (_, "waived") => Move::Waive,
        ("done" | "waived", "in_progress") => Move::Reopen,
        (from, to) => {
            return Err(AppError::Conflict {
                message: format!(
                    "state: step {} cannot go from {from} to {to} (start it, finish it, waive it or reopen it)",
                    step.key
                ),
                current: Value::Null,
            }
            .coded(
                Code::StepTransition,
                json!({ "step": step.name, "from": state_zh(from), "to": state_zh(to) }),
            ))
        }
    })
}

/// Sets the state's dates and reason for `how`; returns the reason the event records.
fn apply(
    user: &User,
    step: &Locked,
    next: &mut Locked,
    how: Move,
    change: &StepChange,
    today: NaiveDate,
) -> AppResult<Option<String>> {
    let sent = |field: &str, value: &Option<Value>| -> AppResult<Option<Option<NaiveDate>>> {
        value.as_ref().map(|v| day_or_null(field, v)).transpose()
    };
    let start = sent("actual_start", &change.actual_start)?;
    let end = sent("actual_end", &change.actual_end)?;
    let admin_only = |what: &str| {
        if user.role == Role::Admin {
            Ok(())
        } else {
            Err(
                AppError::Forbidden(format!("state: only an admin may {what} a step"))
                    .coded(Code::ForbiddenRole, json!({})),
            )
        }
    };
    let reason_of = |field: &str, text: Option<&str>| -> AppResult<String> {
        let text = text.map(str::trim).unwrap_or_default();
        crate::validate::text(field, text).map_err(AppError::Unprocessable)?;
        crate::validate::max_chars(field, text, 500).map_err(AppError::Unprocessable)?;
        if text.chars().count() < 2 {
            return Err(AppError::Unprocessable(format!(
                "{field}: say why, in at least 2 characters"
            )));
        }
        Ok(text.to_owned())
    };
    let mut reason = None;
    match how {
        Move::Edit => {
            // corrections of the dates the state has; a step not started or waived has none to set
            if let Some(start) = start {
                if !matches!(step.state.as_str(), "in_progress" | "done") {
                    return Err(AppError::Unprocessable(format!(
                        "actual_start: a step {} has no start to correct",
                        state_zh(&step.state)
                    )));
                }
                next.actual_start = Some(start.ok_or_else(|| required("actual_start"))?);
            }
            if let Some(end) = end {
                if step.state != "done" {
                    return Err(AppError::Unprocessable(format!(
                        "actual_end: a step {} has no end to correct",
                        state_zh(&step.state)
                    )));
                }
                next.actual_end = Some(end.ok_or_else(|| required("actual_end"))?);
            }
        }
        Move::Start => {
            next.actual_start = Some(start.flatten().unwrap_or(today));
            if end.is_some() {
                return Err(AppError::Unprocessable(
                    "actual_end: a step is finished after it starts, not with it".into(),
                ));
            }
        }
        Move::Finish => {
            if let Some(start) = start {
                next.actual_start = Some(start.ok_or_else(|| required("actual_start"))?);
            }
            next.actual_end = Some(end.flatten().unwrap_or(today));
        }
        Move::Waive => {
            admin_only("waive")?;
            let text = reason_of(
                "waive_reason",
                change.waive_reason.as_deref().or(change.reason.as_deref()),
            )?;
            next.actual_end = Some(today);
            next.waive_reason = Some(text.clone());
            reason = Some(text);
        }
        Move::Reopen => {
            admin_only("reopen")?;
            let text = reason_of("reason", change.reason.as_deref())?;
            next.actual_end = None;
            next.waive_reason = None;
            next.actual_start = Some(step.actual_start.or(start.flatten()).unwrap_or(today));
            reason = Some(text);
        }
    }
    if how != Move::Waive && change.waive_reason.is_some() {
        return Err(AppError::Unprocessable(
            "waive_reason: only a waiver takes a waive reason".into(),
        ));
    }
    Ok(reason)
}

fn required(field: &str) -> AppError {
    AppError::Unprocessable(format!("{field}: the step's state needs this day"))
}

/// A day `YYYY-MM-DD` or `null`, or 422 naming the field.
fn day_or_null(field: &str, value: &Value) -> AppResult<Option<NaiveDate>> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => crate::validate::day(field, text)
            .map(Some)
            .map_err(AppError::Unprocessable),
        _ => Err(AppError::Unprocessable(format!(
            "{field}: send a day YYYY-MM-DD or null"
        ))),
    }
}

/// Planned dates, the responsible person and the note, as sent.
async fn apply_fields(
    tx: &mut PgConnection,
    project: &Project,
    next: &mut Locked,
    change: &StepChange,
) -> AppResult<()> {
    if let Some(v) = &change.planned_start {
        next.planned_start = day_or_null("planned_start", v)?;
    }
    if let Some(v) = &change.planned_end {
        next.planned_end = day_or_null("planned_end", v)?;
    }
    if let Some(v) = &change.note {
        let text = match v {
            Value::Null => "",
            Value::String(s) => s.as_str(),
            _ => return Err(AppError::Unprocessable("note: send text or null".into())),
        };
        crate::validate::max_chars("note", text, 2000).map_err(AppError::Unprocessable)?;
        text.clone_into(&mut next.note);
    }
    if let Some(v) = &change.responsible {
        next.responsible = match v {
            Value::Null => None,
            v => {
                let id = v
                    .as_i64()
                    .and_then(|id| i32::try_from(id).ok())
                    .ok_or_else(|| {
                        AppError::Unprocessable("responsible: send a user id or null".into())
                    })?;
                let people = people(&mut *tx, &project.lineage).await?;
                if !people.iter().any(|p| p["id"] == id) {
                    return Err(AppError::Unprocessable(format!(
                        "responsible: user {id} may not write in the project's region (see …/procedure/people)"
                    )));
                }
                Some(id)
            }
        };
    }
    Ok(())
}

/// The staff who may write in the region of `lineage`: `{id, username, role}` each.
pub async fn people(db: impl sqlx::PgExecutor<'_>, lineage: &[i32]) -> AppResult<Vec<Value>> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/procedure/people.sql"))
            .bind(lineage)
            .bind(crate::auth::KIOSK_ACCOUNT)
            .fetch_all(db)
            .await?,
    )
}

fn same(a: &Locked, b: &Locked) -> bool {
    (
        a.planned_start,
        a.planned_end,
        a.actual_start,
        a.actual_end,
        a.responsible,
        &a.note,
    ) == (
        b.planned_start,
        b.planned_end,
        b.actual_start,
        b.actual_end,
        b.responsible,
        &b.note,
    )
}

/// Writes `next` over `step` (version + 1) with its step event.
pub async fn save(
    tx: &mut PgConnection,
    project: i64,
    user: &User,
    step: &Locked,
    next: &Locked,
    reason: Option<&str>,
) -> AppResult<()> {
    sqlx::query(include_str!("../../sql/procedure/step_update.sql"))
        .bind(project)
        .bind(&step.key)
        .bind(&next.state)
        .bind(next.planned_start)
        .bind(next.planned_end)
        .bind(next.actual_start)
        .bind(next.actual_end)
        .bind(next.responsible)
        .bind(&next.note)
        .bind(&next.waive_reason)
        .bind(user.id)
        .bind(&step.state)
        .bind(reason)
        .execute(tx)
        .await?;
    Ok(())
}
