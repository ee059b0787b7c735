//! Procedure templates as versioned data (docs/procedure.md): every kind's versions for staff,
//! one version's steps, and an admin's new version, stored once `template_rules::check` passes
//! it (a refusal names the step, seq and key, and the field). Versions are never changed: a
//! change is the next version, and new projects take the newest (trigger
//! `projects_start_procedure`).
use serde_json::{json, Value};
use sqlx::PgPool;

use super::template_rules::{check, NewTemplate, StepIn};
use crate::audit::audit;
use crate::auth::User;
use crate::error::{AppError, AppResult, Code};

/// Every kind's versions, newest first, with their step counts and how many projects use each.
pub async fn list(pool: &PgPool) -> AppResult<Value> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/procedure/templates.sql"))
            .fetch_one(pool)
            .await?,
    )
}

/// Version `id` with its steps; 404 naming it when there is none.
pub async fn one(pool: &PgPool, id: i32) -> AppResult<Value> {
    sqlx::query_scalar::<_, Value>(include_str!("../../sql/procedure/template.sql"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| {
            AppError::new(
                Code::TemplateNotFound,
                format!("no procedure template has the id {id}"),
                json!({ "id": id }),
            )
        })
}

/// Writes `t` as the next version of its kind, audited, in one transaction; answers the new
/// version as `one` does. Nothing is written when a rule refuses it.
pub async fn create(pool: &PgPool, user: &User, t: &NewTemplate) -> AppResult<Value> {
    check(t)?;
    let mut tx = pool.begin().await?;
    // one new version of a kind at a time: the second writer reads the first's number
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('procedure_templates'), hashtext($1))")
        .bind(&t.kind)
        .execute(&mut *tx)
        .await?;
    let newest: i32 = sqlx::query_scalar(
        "SELECT coalesce(max(version), 0) FROM procedure_templates WHERE kind = $1::project_kind",
    )
    .bind(&t.kind)
    .fetch_one(&mut *tx)
    .await?;
    if let Some(based_on) = t.based_on {
        if based_on != newest {
            return Err(AppError::new(
                Code::TemplateVersionMoved,
                format!("based_on: the newest {} template is version {newest}, not {based_on}: read it again", t.kind),
                json!({ "kind": t.kind, "version": newest, "based_on": based_on }),
            ));
        }
    }
    let id: i32 = sqlx::query_scalar(
        "INSERT INTO procedure_templates (kind, version, name, note, created_by)
         VALUES ($1::project_kind, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&t.kind)
    .bind(newest + 1)
    .bind(t.name.trim())
    .bind(t.note.trim())
    .bind(user.id)
    .fetch_one(&mut *tx)
    .await?;
    for (i, s) in t.steps.iter().enumerate() {
        insert_step(&mut tx, id, i, s).await?;
    }
    let subject = format!("procedure template {} v{}", t.kind, newest + 1);
    let detail = json!({ "id": id, "kind": t.kind, "version": newest + 1, "steps": t.steps.len(), "note": t.note.trim() });
    audit(&mut tx, user, "procedure_template", &subject, detail).await?;
    tx.commit().await?;
    one(pool, id).await
}

async fn insert_step(
    tx: &mut sqlx::PgConnection,
    template: i32,
    i: usize,
    s: &StepIn,
) -> AppResult<()> {
    let seq = i16::try_from(i + 1)
        .map_err(|_| AppError::Internal(format!("step {i} has no smallint seq")))?;
    // the bounds were checked: every period fits a smallint
    let period = |v: Option<i64>| v.and_then(|v| i16::try_from(v).ok());
    sqlx::query(
        "INSERT INTO procedure_template_steps (template_id, seq, key, name, stage, legal_basis, produces, min_period, max_period,
                                               period_unit, clock_from, is_window, prerequisites, published, publishes, opens)
         VALUES ($1, $2, $3, $4, $5::project_stage, $6, $7::step_output, $8, $9, $10::period_unit, $11, $12, $13, $14, $15,
                 $16::step_gate)",
    )
    .bind(template)
    .bind(seq)
    .bind(&s.key)
    .bind(s.name.trim())
    .bind(&s.stage)
    .bind(s.legal_basis.trim())
    .bind(&s.produces)
    .bind(period(s.min_period))
    .bind(period(s.max_period))
    .bind(&s.period_unit)
    .bind(&s.clock_from)
    .bind(s.is_window)
    .bind(&s.prerequisites)
    .bind(s.published)
    .bind(&s.publishes)
    .bind(&s.opens)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
