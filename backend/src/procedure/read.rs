//! Reading a project's procedure ledger: its template, stage and every step with its dates,
//! deadlines, shown state and documents, as one JSON document.
use serde_json::Value;
use sqlx::PgPool;

use crate::error::AppResult;

/// Who reads the ledger: staff see the responsible person, notes and waive reasons; a wall
/// display sees the steps, dates and public documents only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    Staff,
    Screen,
}

/// The procedure document of project `project_id` (None when the project has no procedure).
pub async fn ledger(pool: &PgPool, project_id: i64, reader: Reader) -> AppResult<Option<Value>> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/procedure/ledger.sql"))
            .bind(project_id)
            .bind(reader == Reader::Staff)
            .fetch_optional(pool)
            .await?,
    )
}
