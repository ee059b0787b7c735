//! 疑难个案 (difficult cases): a household's case with a category, an owner group, a due time
//! and an escalation ladder (group → 指挥部 → 挂点领导) moved by a database job; conferences
//! (研判), a closing outcome linked to status events, and the board, panel and alert that read
//! them (docs/cases.md). households.difficult is "has an open case" (kept by trigger).
pub mod alerts;
pub mod categories;
pub mod escalation;
mod write;

use chrono::Utc;
use serde::Deserialize;
use serde_json::Value;
use sqlx::PgPool;

use crate::auth::{may_read_in, may_write_in, Role, User};
use crate::error::{AppError, AppResult};

pub use write::{close, confer, open, reassign, Closing, NewCase, NewConference, Reassign};

/// 签约, 补偿决定, 司法程序, 撤销: how a case ends.
pub const OUTCOMES: [&str; 4] = ["signed", "decision", "litigation", "withdrawn"];

/// Whether `user` sees the people of a case in region `lineage` (residents' names, outside
/// attendees of conferences): the roles that see household files there.
fn sees_people(user: &User, lineage: &[i32]) -> bool {
    may_write_in(user, lineage)
}

/// Staff only: wall displays read the counts (`summary`), never a case.
fn staff_only(user: &User) -> AppResult<()> {
    if user.kiosk {
        return Err(AppError::Forbidden(
            "cases: wall displays show the case counts only".into(),
        ));
    }
    Ok(())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    pub project: Option<String>,
    pub group: Option<i32>,
    /// open (default), closed or all
    pub state: Option<String>,
    pub overdue: Option<bool>,
    pub category: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The case board within the caller's region: residents' names only for admins and operators.
pub async fn board(pool: &PgPool, user: &User, q: BoardQuery) -> AppResult<Value> {
    staff_only(user)?;
    let blank = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let state = match blank(q.state).as_deref() {
        None | Some("open") => Some("open"),
        Some("closed") => Some("closed"),
        Some("all") => None,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "state: `{other}` is not one of open, closed, all"
            )))
        }
    };
    let category = blank(q.category);
    if let Some(key) = &category {
        categories::known(pool, key).await?;
    }
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "limit: {limit} is not between 1 and 500"
        )));
    }
    let offset = q.offset.unwrap_or(0);
    if offset < 0 {
        return Err(AppError::BadRequest(format!(
            "offset: {offset} is negative"
        )));
    }
    let project = blank(q.project);
    if let Some(code) = &project {
        crate::projects::readable(pool, user, code, "cases").await?;
    }
    let names = matches!(user.role, Role::Admin | Role::Operator);
    Ok(
        // planned for each request's own filters: a cached generic plan (chosen after five runs)
        // cannot drop the `$n IS NULL OR …` branches and takes three times as long at 1M (bench/cases.sh)
        sqlx::query_scalar(include_str!("../../sql/cases/board.sql"))
            .persistent(false)
            .bind(user.region_id)
            .bind(project)
            .bind(q.group)
            .bind(state)
            .bind(q.overdue)
            .bind(category)
            .bind(names)
            .bind(limit)
            .bind(offset)
            .bind(Utc::now())
            .fetch_one(pool)
            .await?,
    )
}

/// One case with its timeline, conferences and linked status events, for staff of its region;
/// its people (residents' names, outside attendees) for those who see household files there.
pub async fn detail(pool: &PgPool, user: &User, id: i64) -> AppResult<Value> {
    staff_only(user)?;
    let lineage: Vec<i32> = sqlx::query_scalar(
        "SELECT r.lineage FROM cases c JOIN projects p ON p.id = c.project_id JOIN regions r ON r.id = p.region_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| not_a_case(id))?;
    if !may_read_in(user, &lineage) {
        return Err(AppError::Forbidden(format!(
            "case {id}: its cases are for admins and staff of its region"
        )));
    }
    let (_, case): (Vec<i32>, Value) = sqlx::query_as(include_str!("../../sql/cases/detail.sql"))
        .bind(id)
        .bind(sees_people(user, &lineage))
        .bind(Utc::now())
        .fetch_one(pool)
        .await?;
    Ok(case)
}

pub(crate) fn not_a_case(id: i64) -> AppError {
    AppError::NotFound(format!("case {id} does not exist"))
}

/// The cases panel (cockpit and wall): open, overdue and escalated cases by category, level and
/// group, for the projects given (None: all). Counts only.
pub async fn summary(pool: &PgPool, projects: Option<&[i64]>) -> AppResult<Value> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/cases/summary.sql"))
            .persistent(false)
            .bind(projects)
            .bind(Utc::now())
            .fetch_one(pool)
            .await?,
    )
}
