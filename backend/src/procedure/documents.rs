//! A step's documents (公告, 报告, 决定书, 名单): recorded once their content is in the attachment
//! store, marked public (residents see it on a published step) or not, and found for download.
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::audit::audit;
use crate::auth::User;
use crate::error::{AppError, AppResult};

/// A document to record: its content is in the file store under `sha256`.
pub struct NewDocument<'a> {
    pub project: i64,
    pub key: &'a str,
    pub sha256: &'a str,
    pub size: i64,
    pub content_type: &'a str,
    pub name: &'a str,
    pub public: bool,
}

/// Records `d` with its audit line; returns it as the ledger lists it.
pub async fn record(
    pool: &PgPool,
    user: &User,
    code: &str,
    d: &NewDocument<'_>,
) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    let document: Value =
        sqlx::query_scalar(include_str!("../../sql/procedure/document_insert.sql"))
            .bind(d.project)
            .bind(d.key)
            .bind(d.sha256)
            .bind(d.size)
            .bind(d.content_type)
            .bind(d.name)
            .bind(d.public)
            .bind(user.id)
            .fetch_one(&mut *tx)
            .await?;
    audit(
        &mut tx,
        user,
        "procedure_document_uploaded",
        &format!("project {code} step {}", d.key),
        json!({ "id": document["id"], "name": d.name, "sha256": d.sha256, "public": d.public }),
    )
    .await?;
    tx.commit().await?;
    Ok(document)
}

/// A stored document: whose it is and where its content lies.
#[derive(sqlx::FromRow)]
pub struct Stored {
    pub project_id: i64,
    pub code: String,
    pub key: String,
    pub sha256: String,
    pub content_type: String,
    pub file_name: String,
    pub public: bool,
}

/// Document `id`, or 404.
pub async fn find(pool: &PgPool, id: i64) -> AppResult<Stored> {
    sqlx::query_as(include_str!("../../sql/procedure/document.sql"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("document: step document {id} does not exist")))
}

/// Marks document `d` (id `id`) public or not, audited; returns it as the ledger lists it.
pub async fn set_public(
    pool: &PgPool,
    user: &User,
    id: i64,
    d: &Stored,
    public: bool,
) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    let document: Value =
        sqlx::query_scalar(include_str!("../../sql/procedure/document_public.sql"))
            .bind(id)
            .bind(public)
            .fetch_one(&mut *tx)
            .await?;
    audit(
        &mut tx,
        user,
        "procedure_document_public",
        &format!("project {} step {}", d.code, d.key),
        json!({ "id": id, "name": d.file_name, "from": d.public, "to": public }),
    )
    .await?;
    tx.commit().await?;
    Ok(document)
}
