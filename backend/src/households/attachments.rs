//! A household's attachments as rows: recorded once their content is in the file store, and
//! found again for download.
use serde_json::Value;
use sqlx::PgPool;

use crate::error::{AppError, AppResult};

/// An attachment to record: its content is in the file store under `sha256`.
pub struct NewAttachment<'a> {
    pub household: i64,
    pub kind: &'a str,
    pub sha256: &'a str,
    pub size: i64,
    pub content_type: &'a str,
    pub name: &'a str,
    pub uploaded_by: i32,
}

/// Records `a` inside the caller's transaction; returns it as the desk shows it.
pub async fn record(tx: &mut sqlx::PgConnection, a: &NewAttachment<'_>) -> AppResult<Value> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/households/attachment_insert.sql"))
            .bind(a.household)
            .bind(a.kind)
            .bind(a.sha256)
            .bind(a.size)
            .bind(a.content_type)
            .bind(a.name)
            .bind(a.uploaded_by)
            .fetch_one(tx)
            .await?,
    )
}

/// A stored attachment: whose it is and where its content lies.
pub struct Stored {
    pub household: i64,
    pub sha256: String,
    pub content_type: String,
    pub name: String,
}

/// Attachment `id`, or 404.
pub async fn find(pool: &PgPool, id: i64) -> AppResult<Stored> {
    let (household, sha256, content_type, name): (i64, String, String, String) =
        sqlx::query_as(include_str!("../../sql/households/attachment.sql"))
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("attachment {id} does not exist")))?;
    Ok(Stored {
        household,
        sha256,
        content_type,
        name,
    })
}
