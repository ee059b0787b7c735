//! One scope's gauges (a project or a region), live or as of a past day, and the look-ups
//! that name a scope.
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgPool;

use super::stages::{by_stage, project_stages, ByStage};
use super::{counts, figures, projects_in_region};
use crate::error::{AppError, AppResult};

/// What a figure document is about.
#[derive(Serialize)]
pub struct Scope {
    pub kind: &'static str,
    pub id: Option<i64>,
    pub code: String,
    pub name: String,
    pub level: Option<String>,
    pub parent_code: Option<String>,
}

/// `{scope, as_of, figures}`: the one shape of a project's and a region's gauges; a project's
/// also has its `stage`, a region's its `projects_by_stage` and `households_by_stage`.
#[derive(Serialize)]
pub struct ScopeFigures {
    pub scope: Scope,
    pub as_of: Option<NaiveDate>,
    pub figures: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(flatten)]
    pub stages: Option<ByStage>,
}

/// A region named by its code.
#[derive(sqlx::FromRow)]
pub struct Region {
    pub id: i32,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
}

/// The region `code`, or 404.
pub async fn region(pool: &PgPool, code: &str) -> AppResult<Region> {
    sqlx::query_as(include_str!("../../sql/figures/region_scope.sql"))
        .bind(code)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| not_a_region(code))
}

/// The answer to a region code no region has.
#[must_use]
pub fn not_a_region(code: &str) -> AppError {
    AppError::NotFound(format!("no region has code `{code}`")).coded(
        crate::error::Code::RegionNotFound,
        serde_json::json!({ "region": code }),
    )
}

/// Project `id`'s gauges, live (`as_of` None) or at the end of `as_of`; 404 if there is none.
pub async fn project_figures(
    pool: &PgPool,
    id: i64,
    as_of: Option<NaiveDate>,
) -> AppResult<ScopeFigures> {
    let row: Option<(String, String, Option<String>, NaiveDate)> =
        sqlx::query_as(include_str!("../../sql/figures/project_scope.sql"))
            .bind(id)
            .fetch_optional(pool)
            .await?;
    let (code, name, region_code, target) = row.ok_or_else(|| {
        AppError::NotFound(format!("project {id} does not exist")).coded(
            crate::error::Code::ProjectNotFound,
            serde_json::json!({ "project": id }),
        )
    })?;
    let counts = counts(pool, &[id], as_of).await?;
    let stage = project_stages(pool, Some(&[id]), as_of).await?;
    Ok(ScopeFigures {
        scope: Scope {
            kind: "project",
            id: Some(id),
            code,
            name,
            level: None,
            parent_code: region_code,
        },
        as_of,
        figures: figures(&counts, as_of, Some(target)),
        stage: stage.into_iter().next().map(|p| p.stage),
        stages: None,
    })
}

/// Region `code`'s gauges, over every project in its subtree; 404 if there is none.
pub async fn region_figures(
    pool: &PgPool,
    code: &str,
    as_of: Option<NaiveDate>,
) -> AppResult<ScopeFigures> {
    let region = region(pool, code).await?;
    let projects = projects_in_region(pool, region.id).await?;
    let counts = counts(pool, &projects, as_of).await?;
    let stages = project_stages(pool, Some(&projects), as_of).await?;
    Ok(ScopeFigures {
        scope: Scope {
            kind: "region",
            id: None,
            code: code.to_owned(),
            name: region.name,
            level: Some(region.level),
            parent_code: region.parent_code,
        },
        as_of,
        figures: figures(&counts, as_of, None),
        stage: None,
        stages: Some(by_stage(stages.iter())),
    })
}
