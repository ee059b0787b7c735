//! Funds (资金): allocations received, payment batches through their project's approval chain,
//! and the warnings. The database enforces the money rules and the chain (migrations 0008,
//! 0011, 0014); this module checks roles and regions and turns the database's refusals into
//! errors that name the rule.
mod allocations;
mod amounts;
mod batches;
mod chains;
mod offices;
mod steps;

use serde::Serialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::auth::{authorize, User};
use crate::clock::beijing_today;
use crate::error::AppResult;
use crate::message::Message;
use crate::projects::{self, Project};

pub use allocations::{allocate, Allocation};
pub use batches::{read_batch, submit, NewBatch, Payment};
pub use chains::{read_chain, set_chain, ChainEdit, StepEdit};
pub use offices::{list_offices, set_offices, OfficesEdit};
pub use steps::take_step;

/// A funds warning (资金预警) of a project: how grave (`level`), which (`code`), and what it says.
#[derive(Serialize)]
pub struct Warning {
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub region_code: String,
    pub level: String,
    pub code: String,
    pub message: Message,
}

/// The warnings of some projects (all when `projects` is None).
pub async fn warnings(
    pool: &PgPool,
    projects: Option<&[i64]>,
) -> Result<Vec<Warning>, sqlx::Error> {
    type Row = (i64, String, String, String, String, String, String, Value);
    let rows: Vec<Row> = sqlx::query_as(include_str!("../../sql/funds/warnings.sql"))
        .bind(projects)
        .bind(beijing_today())
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(project_id, project_code, project_name, region_code, level, code, key, values)| {
                Warning {
                    project_id,
                    project_code,
                    project_name,
                    region_code,
                    level,
                    code,
                    message: Message { key, values },
                }
            },
        )
        .collect())
}

/// A project's funds: sums, allocations, payable households, its batches (as `user` may act on
/// them), the approval chain new batches follow, and the warnings.
pub async fn overview(pool: &PgPool, user: &User, code: &str) -> AppResult<Value> {
    let Project { id, lineage, .. } = projects::by_code(pool, code).await?;
    authorize(user, &lineage, &format!("project {code}"))?;
    let mut funds: Value = sqlx::query_scalar(include_str!("../../sql/funds/overview.sql"))
        .bind(id)
        .fetch_one(pool)
        .await?;
    funds["project"] = json!(code);
    funds["batches"] = json!(batches::list(pool, user, Some(id), None).await?);
    funds["approval_chain"] = chains::in_force(pool, Some(id)).await?;
    funds["warnings"] = json!(warnings(pool, Some(&[id])).await?);
    Ok(funds)
}
