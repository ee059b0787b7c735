//! Staff side of objections (申诉): the list of a project or region, and answers (audited).
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::audit::audit;
use crate::auth::authorize;
use crate::auth::{Role, User};
use crate::clock::beijing_today;
use crate::error::{AppError, AppResult};

/// Days the office has to answer an objection, counted from the Beijing day it was filed (the
/// public notices promise a reply within 15 days); an open objection after that is overdue.
pub const REPLY_DAYS: i32 = 15;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    pub project: Option<String>,
    pub status: Option<String>,
}

pub async fn list(pool: &PgPool, user: &User, f: &Filter) -> AppResult<Value> {
    let region = match user.role {
        Role::Admin => None,
        Role::Operator => user.region_id,
        Role::Viewer | Role::Planner => {
            return Err(AppError::Forbidden(
                "objections: viewers and planners do not see objections".into(),
            ))
        }
    };
    if let Some(s) = &f.status {
        if !matches!(s.as_str(), "open" | "answered" | "closed") {
            return Err(AppError::BadRequest(format!(
                "status: `{s}` is not open, answered or closed"
            )));
        }
    }
    let objections: Value = sqlx::query_scalar(include_str!("../../sql/disclosure/objections.sql"))
        .bind(&f.project)
        .bind(&f.status)
        .bind(region)
        .bind(REPLY_DAYS)
        .bind(beijing_today())
        .fetch_one(pool)
        .await?;
    Ok(json!({ "objections": objections, "reply_days": REPLY_DAYS }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub answer: String,
    #[serde(default)]
    pub close: bool,
}

pub async fn answer(pool: &PgPool, user: &User, id: i64, a: &Answer) -> AppResult<Value> {
    let lineage: Vec<i32> = sqlx::query_scalar(
        "SELECT r.lineage FROM objections o JOIN households h ON h.id = o.household_id JOIN buildings b ON b.id = h.building_id
           JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id WHERE o.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("objection {id} does not exist")))?;
    authorize(user, &lineage, &format!("objection {id}"))?;
    let text = a.answer.trim();
    if text.is_empty() || text.chars().count() > 4000 {
        return Err(AppError::Unprocessable(
            "answer: write the answer, in at most 4000 characters".into(),
        ));
    }
    let mut tx = pool.begin().await?;
    let answered: Value = sqlx::query_scalar(
        "UPDATE objections SET answer = $2, status = $3::objection_status, answered_by = $4, answered_at = now() WHERE id = $1
         RETURNING json_build_object('id', id, 'ticket', ticket, 'status', status, 'answer', answer, 'answered_at', answered_at)",
    )
    .bind(id)
    .bind(text)
    .bind(if a.close { "closed" } else { "answered" })
    .bind(user.id)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        user,
        "objection_answered",
        &format!("objection {id}"),
        json!({ "answer": text, "close": a.close }),
    )
    .await?;
    tx.commit().await?;
    Ok(answered)
}
