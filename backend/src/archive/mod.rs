//! Close-out and handover (项目交接/档案移交): a project is settled when nothing is open, then
//! archived (read-only, enforced by the database), exported as one reproducible ZIP and
//! re-imported into another onemap (docs/procedure.md, "Close-out and archive").
pub mod export;
pub mod import;
mod layout;
mod remap;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::audit::audit;
use crate::auth::User;
use crate::error::{AppError, AppResult, Code};

/// What is still open in a project, as counts; empty when it may be settled.
#[derive(sqlx::FromRow)]
struct Open {
    steps: i64,
    step_names: String,
    households: i64,
    parcels: i64,
    batches: i64,
    unpaid: i64,
    objections: i64,
}

impl Open {
    /// The open items in words (zh, as the desk shows them), with the counts for clients.
    fn described(&self) -> (Vec<String>, Value) {
        let mut words = Vec::new();
        if self.steps > 0 {
            words.push(format!(
                "{} 个程序步骤未完成（{}…）",
                self.steps, self.step_names
            ));
        }
        for (n, what) in [
            (self.households, "户未拆除"),
            (self.parcels, "块地块未交付"),
            (self.batches, "个付款批次未办结"),
            (self.unpaid, "户补偿款未付清"),
            (self.objections, "件异议未答复"),
        ] {
            if n > 0 {
                words.push(format!("{n} {what}"));
            }
        }
        let counts = json!({
            "steps": self.steps, "households": self.households, "parcels": self.parcels,
            "batches": self.batches, "unpaid": self.unpaid, "objections": self.objections,
        });
        (words, counts)
    }
}

/// The project's close-out state for the admin page: settled and archived (when, by whom)
/// and what is still open.
pub async fn state(pool: &PgPool, project: i64) -> AppResult<Value> {
    let open: Open = sqlx::query_as(include_str!("../../sql/archive/open.sql"))
        .bind(project)
        .fetch_one(pool)
        .await?;
    let (words, counts) = open.described();
    let (settled_at, settled_by, archived_at, archived_by): (Option<String>, Option<String>, Option<String>, Option<String>) =
        sqlx::query_as(
            "SELECT to_char(p.settled_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), s.username,
                    to_char(p.archived_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), a.username
               FROM projects p LEFT JOIN users s ON s.id = p.settled_by LEFT JOIN users a ON a.id = p.archived_by
              WHERE p.id = $1",
        )
        .bind(project)
        .fetch_one(pool)
        .await?;
    Ok(json!({
        "settled_at": settled_at, "settled_by": settled_by,
        "archived_at": archived_at, "archived_by": archived_by,
        "open": words, "open_counts": counts,
    }))
}

/// Settles project `project` (`code`): refused with 409 `project_open` naming what is open.
/// Settling a settled project changes nothing.
pub async fn settle(pool: &PgPool, user: &User, project: i64, code: &str) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    // one close-out at a time per project: the checks and the mark see the same rows
    sqlx::query("SELECT 1 FROM projects WHERE id = $1 FOR UPDATE")
        .bind(project)
        .execute(&mut *tx)
        .await?;
    let open: Open = sqlx::query_as(include_str!("../../sql/archive/open.sql"))
        .bind(project)
        .fetch_one(&mut *tx)
        .await?;
    let (words, counts) = open.described();
    if !words.is_empty() {
        let text = words.join("；");
        return Err(AppError::new(
            Code::ProjectOpen,
            format!("project {code} cannot be settled: {text}"),
            json!({ "project": code, "open": text, "counts": counts }),
        ));
    }
    let settled = sqlx::query(
        "UPDATE projects SET settled_at = now(), settled_by = $2 WHERE id = $1 AND settled_at IS NULL",
    )
    .bind(project)
    .bind(user.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if settled > 0 {
        audit(
            &mut tx,
            user,
            "project_settled",
            &format!("project {code}"),
            json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    state(pool, project).await
}

/// Archives project `project` (`code`): only a settled one (409 `project_not_settled`); from
/// then on the database refuses every write to its rows. Archiving twice changes nothing.
pub async fn archive(pool: &PgPool, user: &User, project: i64, code: &str) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    let (settled, archived): (bool, bool) = sqlx::query_as(
        "SELECT settled_at IS NOT NULL, archived_at IS NOT NULL FROM projects WHERE id = $1 FOR UPDATE",
    )
    .bind(project)
    .fetch_one(&mut *tx)
    .await?;
    if !settled {
        return Err(AppError::new(
            Code::ProjectNotSettled,
            format!("project {code} is not settled: settle it before archiving"),
            json!({ "project": code }),
        ));
    }
    if !archived {
        sqlx::query("UPDATE projects SET archived_at = now(), archived_by = $2 WHERE id = $1")
            .bind(project)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            user,
            "project_archived",
            &format!("project {code}"),
            json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    state(pool, project).await
}
