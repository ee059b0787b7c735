//! Approval chains as configuration: a project's chain (or the default) read by its staff and
//! replaced by an admin. A change makes a new version; batches in flight keep the version they
//! were submitted under, new batches take the new one.
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::audit::audit;
use crate::auth::authorize;
use crate::auth::{Role, User};
use crate::error::{AppError, AppResult};
use crate::projects::{self, Project};
use crate::refusals::refusal;
use crate::validate;

/// As the database allows (approval_steps.position).
const MAX_STEPS: usize = 12;

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StepEdit {
    /// ASCII, in the step's URL: `POST /api/batches/{id}/{key}`.
    pub key: String,
    pub name: String,
    /// `admin`, or `operator` (the operators of the project's region, and admins).
    pub role: String,
    #[serde(default)]
    pub office: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainEdit {
    pub steps: Vec<StepEdit>,
}

/// The chain new batches of `project` follow (the default's when None or without its own).
pub(super) async fn in_force(pool: &PgPool, project: Option<i64>) -> AppResult<Value> {
    let chain: i64 = sqlx::query_scalar("SELECT approval_chain_in_force($1)")
        .bind(project)
        .fetch_one(pool)
        .await?;
    Ok(
        sqlx::query_scalar(include_str!("../../sql/funds/chain.sql"))
            .bind(chain)
            .bind(project)
            .fetch_one(pool)
            .await?,
    )
}

/// A label (a step's name, an office): trimmed, 1 to 40 characters, no control characters.
pub(super) fn label(text: &str, field: &str) -> AppResult<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 40 || text.chars().any(char::is_control) {
        return Err(AppError::Unprocessable(format!(
            "{field}: give 1 to 40 characters, without control characters"
        )));
    }
    Ok(text.to_owned())
}

/// The steps as the database will hold them (trimmed; an empty office is none), or a 422 naming
/// the first field that is wrong.
fn checked(edit: &ChainEdit) -> AppResult<Vec<StepEdit>> {
    if edit.steps.is_empty() || edit.steps.len() > MAX_STEPS {
        return Err(AppError::Unprocessable(format!(
            "steps: a chain has 1 to {MAX_STEPS} steps, not {}",
            edit.steps.len()
        )));
    }
    let mut steps: Vec<StepEdit> = Vec::with_capacity(edit.steps.len());
    for (i, s) in edit.steps.iter().enumerate() {
        let key = s.key.trim();
        let well_formed = (2..=32).contains(&key.len())
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !well_formed || key == "return" || key == "submit" {
            return Err(AppError::Unprocessable(format!(
                "steps[{i}].key: `{}` is not a step key: 2 to 32 of a-z, 0-9 and _, starting with a letter, not `return` or `submit`",
                validate::shown(key))));
        }
        let name = label(&s.name, &format!("steps[{i}].name"))?;
        if !matches!(s.role.as_str(), "admin" | "operator") {
            return Err(AppError::Unprocessable(format!(
                "steps[{i}].role: `{}` is not admin or operator",
                validate::shown(&s.role)
            )));
        }
        let office = match s.office.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(o) => Some(label(o, &format!("steps[{i}].office"))?),
        };
        if let Some(j) = steps.iter().position(|t| t.key == key) {
            return Err(AppError::Unprocessable(format!(
                "steps[{i}].key: `{key}` is already the key of steps[{j}]"
            )));
        }
        if let Some(j) = steps.iter().position(|t| t.name == name) {
            return Err(AppError::Unprocessable(format!(
                "steps[{i}].name: {name} is already the name of steps[{j}]"
            )));
        }
        steps.push(StepEdit {
            key: key.to_owned(),
            name,
            role: s.role.clone(),
            office,
        });
    }
    Ok(steps)
}

/// The project (`code`) or the default (None): its id and the subject the audit log names.
async fn scope(pool: &PgPool, user: &User, code: Option<&str>) -> AppResult<(Option<i64>, String)> {
    match code {
        Some(code) => {
            let Project { id, lineage, .. } = projects::by_code(pool, code).await?;
            authorize(user, &lineage, &format!("project {code}"))?;
            Ok((Some(id), format!("project {code}")))
        }
        None if matches!(user.role, Role::Admin | Role::Operator) => {
            Ok((None, "approval chain default".to_owned()))
        }
        None => Err(AppError::Forbidden(
            "approval chain: only admins and operators read it".into(),
        )),
    }
}

/// The chain in force for project `code` (None: the default): admins and the project's operators.
pub async fn read_chain(pool: &PgPool, user: &User, code: Option<&str>) -> AppResult<Value> {
    let (project, _) = scope(pool, user, code).await?;
    let mut read = in_force(pool, project).await?;
    read["project"] = json!(code);
    Ok(read)
}

/// Replaces the chain of project `code` (None: the default) with a new version, audited; admins only.
pub async fn set_chain(
    pool: &PgPool,
    user: &User,
    code: Option<&str>,
    edit: &ChainEdit,
) -> AppResult<Value> {
    let (project, subject) = scope(pool, user, code).await?;
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(format!(
            "{subject}: only an admin changes an approval chain"
        )));
    }
    let steps = checked(edit)?;
    let mut tx = pool.begin().await?;
    let (chain, version): (i64, i32) = sqlx::query_as(
        "INSERT INTO approval_chains (project_id, version, created_by)
         SELECT $1, coalesce(max(version), 0) + 1, $2 FROM approval_chains WHERE project_id IS NOT DISTINCT FROM $1
         RETURNING id, version",
    )
    .bind(project).bind(user.id)
    .fetch_one(&mut *tx).await
    .map_err(|e| refusal(e, &subject))?;
    sqlx::query(
        "INSERT INTO approval_steps (chain_id, position, key, name, role, office)
         SELECT $1, n, key, name, role::user_role, office
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
                WITH ORDINALITY s (key, name, role, office, n)",
    )
    .bind(chain)
    .bind(steps.iter().map(|s| s.key.as_str()).collect::<Vec<_>>())
    .bind(steps.iter().map(|s| s.name.as_str()).collect::<Vec<_>>())
    .bind(steps.iter().map(|s| s.role.as_str()).collect::<Vec<_>>())
    .bind(
        steps
            .iter()
            .map(|s| s.office.as_deref())
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| refusal(e, &subject))?;
    let written = json!({ "version": version, "steps": steps });
    audit(&mut tx, user, "approval_chain", &subject, written).await?;
    // the chain's own checks (numbered steps) run at commit
    tx.commit().await.map_err(|e| refusal(e, &subject))?;
    read_chain(pool, user, code).await
}
