//! The rules a step write is checked against (docs/procedure.md, "Writing the ledger"): days
//! never in the future and ends never before starts, prerequisites done or waived before a step
//! starts or finishes, and a step with a legal minimum period done no earlier than its end.
use chrono::NaiveDate;
use serde_json::json;
use sqlx::PgConnection;

use super::write::{Locked, StepChange};
use crate::error::{AppError, AppResult, Code};

/// The Chinese word for a step state, as refusals name a prerequisite's state.
#[must_use]
pub fn state_zh(state: &str) -> &'static str {
    match state {
        "not_started" => "未开始",
        "in_progress" => "进行中",
        "done" => "已完成",
        "waived" => "已豁免",
        _ => "未知",
    }
}

/// Days never in the future (Beijing), ends never before starts.
pub fn check_dates(
    step: &Locked,
    next: &Locked,
    change: &StepChange,
    today: NaiveDate,
) -> AppResult<()> {
    for (field, day, before) in [
        ("actual_start", next.actual_start, step.actual_start),
        ("actual_end", next.actual_end, step.actual_end),
    ] {
        if let Some(day) = day.filter(|d| *d > today && Some(*d) != before) {
            return Err(AppError::Unprocessable(format!(
                "{field}: {day} is in the future (today is {today} in Beijing)"
            ))
            .coded(
                Code::StepDateFuture,
                json!({ "field": field, "day": day.to_string() }),
            ));
        }
    }
    let order = [
        ("actual_end", next.actual_start, next.actual_end),
        ("planned_end", next.planned_start, next.planned_end),
    ];
    for (field, start, end) in order {
        if let (Some(start), Some(end)) = (start, end) {
            if end < start {
                let field = if field == "planned_end" && change.planned_end.is_none() {
                    "planned_start"
                } else {
                    field
                };
                return Err(AppError::Unprocessable(format!("{field}: the step would end on {end}, before it starts on {start}"))
                    .coded(Code::StepDatesOrder, json!({ "field": field, "day": end.to_string(), "earliest": start.to_string() })));
            }
        }
    }
    Ok(())
}

/// A step starts and finishes only after each prerequisite is done or waived, and never starts
/// before a done prerequisite's end.
pub async fn check_prerequisites(
    tx: &mut PgConnection,
    project: i64,
    code: &str,
    next: &Locked,
) -> AppResult<()> {
    if next.prerequisites.is_empty() {
        return Ok(());
    }
    let rows: Vec<(String, String, String, Option<NaiveDate>)> =
        sqlx::query_as(include_str!("../../sql/procedure/prerequisites.sql"))
            .bind(project)
            .bind(&next.prerequisites)
            .fetch_all(&mut *tx)
            .await?;
    let missing: Vec<&(String, String, String, Option<NaiveDate>)> = rows
        .iter()
        .filter(|(_, _, state, _)| !matches!(state.as_str(), "done" | "waived"))
        .collect();
    if !missing.is_empty() {
        let words: Vec<String> = missing
            .iter()
            .map(|(_, name, state, _)| format!("{name}（{}）", state_zh(state)))
            .collect();
        let keys: Vec<String> = missing
            .iter()
            .map(|(key, _, state, _)| format!("{key} ({state})"))
            .collect();
        return Err(AppError::Conflict {
            message: format!(
                "step {} of project {code} waits for its prerequisites: {} are not done or waived",
                next.key,
                keys.join(", ")
            ),
            current: json!({ "missing": missing.iter().map(|(key, name, state, _)| json!({"key": key, "name": name, "state": state})).collect::<Vec<_>>() }),
        }
        .coded(
            Code::StepPrerequisitesMissing,
            json!({ "project": code, "step": next.name, "missing": words.join("、") }),
        ));
    }
    let latest = rows
        .iter()
        .filter(|(_, _, state, _)| state == "done")
        .filter_map(|(_, name, _, end)| end.map(|e| (e, name)))
        .max();
    if let (Some((end, name)), Some(start)) = (latest, next.actual_start) {
        if start < end {
            return Err(AppError::Unprocessable(format!(
                "actual_start: {start} is before its prerequisite {name} was done on {end}"
            ))
            .coded(Code::StepDatesOrder, json!({ "field": "actual_start", "day": start.to_string(), "earliest": end.to_string() })));
        }
    }
    Ok(())
}

/// A step with a minimum period is done no earlier than its earliest end (its clock start plus the
/// period, in Beijing working days where the law says so).
pub async fn check_earliest_end(
    tx: &mut PgConnection,
    project: i64,
    next: &Locked,
) -> AppResult<()> {
    let (Some(min), Some(end)) = (next.min_period, next.actual_end) else {
        return Ok(());
    };
    let earliest: Option<NaiveDate> =
        sqlx::query_scalar(include_str!("../../sql/procedure/earliest_end.sql"))
            .bind(project)
            .bind(&next.clock_from)
            .bind(min)
            .bind(next.actual_start)
            .bind(&next.period_unit)
            .fetch_one(&mut *tx)
            .await?;
    match earliest {
        Some(earliest) if end < earliest => Err(AppError::Unprocessable(format!(
            "actual_end: {} may be done on {earliest} at the earliest, not {end} ({})",
            next.name, next.legal_basis
        ))
        .coded(
            Code::StepTooEarly,
            json!({ "step": next.name, "earliest": earliest.to_string(), "basis": next.legal_basis }),
        )),
        _ => Ok(()),
    }
}
