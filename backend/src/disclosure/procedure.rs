//! 程序公开: a published project's published steps with their public documents and the 九公开
//! items (docs/procedure.md), read as the public role, and the download of one such document.
use serde_json::Value;
use sqlx::PgPool;

use crate::error::{AppError, AppResult};

/// `{steps, nine}` of published project `project_id` (its id from `disclosure::published`).
pub async fn published_steps(pool: &PgPool, project_id: i64) -> AppResult<Value> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/public/procedure.sql"))
            .bind(project_id)
            .fetch_one(pool)
            .await?,
    )
}

/// A step document residents may download: where its bytes are, their type and name.
pub struct PublicDocument {
    pub sha256: String,
    pub content_type: String,
    pub file_name: String,
}

/// Document `id` of project `code`, when it is public, its step published and the project
/// published; one 404 for every other case, so the answer tells nothing of what is hidden.
pub async fn document(pool: &PgPool, code: &str, id: i64) -> AppResult<PublicDocument> {
    let row: Option<(String, String, String)> =
        sqlx::query_as(include_str!("../../sql/public/step_document.sql"))
            .bind(code)
            .bind(id)
            .fetch_optional(pool)
            .await?;
    let (sha256, content_type, file_name) = row.ok_or_else(|| {
        AppError::NotFound(format!(
            "document: project `{code}` has no public document {id}"
        ))
    })?;
    Ok(PublicDocument {
        sha256,
        content_type,
        file_name,
    })
}
