//! Proposing a project's planned dates (`POST /api/projects/{code}/procedure/plan`): each step
//! without planned dates starts when its last prerequisite ends (the project's start date when it
//! has none) and ends when its legal minimum period has run (`period_end`, Beijing working days
//! where the law counts them), in the template's order. Done and waived steps count with their
//! actual end, planned steps with their planned end; windows follow their clock and get none.
use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

use super::write::{ledger_of, lock, may_write, save};
use crate::audit::audit;
use crate::auth::User;
use crate::error::AppResult;
use crate::projects::Project;

#[derive(sqlx::FromRow)]
struct PlanStep {
    key: String,
    is_window: bool,
    prerequisites: Vec<String>,
    min_period: Option<i32>,
    period_unit: String,
    state: String,
    planned_start: Option<NaiveDate>,
    planned_end: Option<NaiveDate>,
    actual_start: Option<NaiveDate>,
    actual_end: Option<NaiveDate>,
}

/// A proposed plan for one step.
pub struct Proposal {
    pub key: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The ledger with `proposed`: the planned dates proposed for the steps that have none; with
/// `apply` they are written (each a step change with its event; one audit line for the plan).
pub async fn plan(
    pool: &PgPool,
    user: &User,
    project: &Project,
    code: &str,
    apply: bool,
) -> AppResult<Value> {
    may_write(user, project, code)?;
    let mut tx = pool.begin().await?;
    let proposals = propose(&mut tx, project.id).await?;
    let proposed: Vec<Value> = proposals
        .iter()
        .map(|p| json!({ "key": p.key, "planned_start": p.start, "planned_end": p.end }))
        .collect();
    if apply && !proposals.is_empty() {
        for p in &proposals {
            let step = lock(&mut tx, project.id, code, &p.key).await?;
            let mut next = step.clone();
            next.planned_start = Some(p.start);
            next.planned_end = Some(p.end);
            save(
                &mut tx,
                project.id,
                user,
                &step,
                &next,
                Some("按法定时限排期"),
            )
            .await?;
        }
        audit(
            &mut tx,
            user,
            "procedure_planned",
            &format!("project {code}"),
            json!({ "steps": proposed }),
        )
        .await?;
        tx.commit().await?;
    }
    let mut ledger = ledger_of(pool, project.id, code).await?;
    ledger["proposed"] = Value::Array(proposed);
    ledger["applied"] = Value::Bool(apply);
    Ok(ledger)
}

async fn propose(tx: &mut PgConnection, project: i64) -> AppResult<Vec<Proposal>> {
    let start_date: NaiveDate = sqlx::query_scalar("SELECT start_date FROM projects WHERE id = $1")
        .bind(project)
        .fetch_one(&mut *tx)
        .await?;
    let steps: Vec<PlanStep> = sqlx::query_as(include_str!("../../sql/procedure/plan_steps.sql"))
        .bind(project)
        .fetch_all(&mut *tx)
        .await?;
    let mut ends: HashMap<&str, NaiveDate> = HashMap::new();
    let mut proposals = Vec::new();
    for s in &steps {
        if s.is_window {
            continue;
        }
        let known = match s.state.as_str() {
            "done" | "waived" => s.actual_end,
            _ => s.planned_end.or(s.planned_start),
        };
        if let Some(end) = known {
            ends.insert(&s.key, end);
            continue;
        }
        let after_prerequisites = s
            .prerequisites
            .iter()
            .filter_map(|k| ends.get(k.as_str()).copied())
            .max();
        let start = s.actual_start.or(after_prerequisites).unwrap_or(start_date);
        let end = match s.min_period {
            Some(n) => {
                sqlx::query_scalar("SELECT period_end($1, $2, $3::period_unit)")
                    .bind(start)
                    .bind(n)
                    .bind(&s.period_unit)
                    .fetch_one(&mut *tx)
                    .await?
            }
            None => start,
        };
        ends.insert(&s.key, end);
        proposals.push(Proposal {
            key: s.key.clone(),
            start,
            end,
        });
    }
    Ok(proposals)
}
