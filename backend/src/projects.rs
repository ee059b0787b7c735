//! The project look-up every area shares: a project by its code, or 404.
use sqlx::PgPool;

use crate::error::{AppError, AppResult};

/// A project as the writers and exports need it.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Project {
    pub id: i64,
    /// Its region's lineage, root first: what `auth::may_write_in` decides on.
    pub lineage: Vec<i32>,
    /// A longitude inside the project, for suggesting a Gauss-Kruger zone.
    pub lon: f64,
}

/// The project `code`, or 404 naming the code.
pub async fn by_code(pool: &PgPool, code: &str) -> AppResult<Project> {
    sqlx::query_as(include_str!("../sql/projects/by_code.sql"))
        .bind(code)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("project: no project has code `{code}`")).coded(
                crate::error::Code::ProjectNotFound,
                serde_json::json!({ "project": code }),
            )
        })
}

/// The project `code` when `user` may read its region's records (`auth::may_read_in`: admins,
/// staff of the region or above it); else 403 saying whose `what` they are.
pub async fn readable(
    pool: &PgPool,
    user: &crate::auth::User,
    code: &str,
    what: &str,
) -> AppResult<Project> {
    let project = by_code(pool, code).await?;
    if crate::auth::may_read_in(user, &project.lineage) {
        Ok(project)
    } else {
        Err(AppError::Forbidden(format!(
            "project {code}: its {what} are for admins and staff of its region"
        )))
    }
}
