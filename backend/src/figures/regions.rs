//! The region tree for drill-down: a region's breadcrumb and box, and the level below it with
//! the projects in it.
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgPool;

use super::scope::region;
use super::stages::{in_region, project_stages, ByStage};
use crate::error::AppResult;

/// Region `code`'s breadcrumb path, box and parent (one JSON object from the database), or 404.
pub async fn detail(pool: &PgPool, code: &str) -> AppResult<Value> {
    let document: Option<Value> =
        sqlx::query_scalar(include_str!("../../sql/figures/region_detail.sql"))
            .bind(code)
            .fetch_optional(pool)
            .await?;
    document.ok_or_else(|| super::scope::not_a_region(code))
}

#[derive(sqlx::FromRow, Serialize)]
pub struct Child {
    #[serde(skip)]
    id: i32,
    code: String,
    name: String,
    level: String,
    households: i64,
    signed: i64,
    sign_rate: Option<f64>,
    projects: i64,
    #[sqlx(skip)]
    #[serde(flatten)]
    stages: ByStage,
}

#[derive(sqlx::FromRow, Serialize)]
pub struct RegionProject {
    id: i64,
    code: String,
    name: String,
    kind: String,
    stage: String,
    households: i64,
    signed: i64,
    sign_rate: Option<f64>,
    target_date: NaiveDate,
    bbox: Vec<f64>,
}

#[derive(Serialize)]
pub struct RegionName {
    code: String,
    name: String,
    level: String,
    parent_code: Option<String>,
}

/// `{region, children, projects}`: the next level down and the projects directly in the region.
#[derive(Serialize)]
pub struct RegionChildren {
    /// The past day the figures stood at; None for live.
    as_of: Option<NaiveDate>,
    region: RegionName,
    children: Vec<Child>,
    projects: Vec<RegionProject>,
}

/// Region `code`'s children and projects, live or at the end of `as_of`, or 404.
pub async fn children(
    pool: &PgPool,
    code: &str,
    as_of: Option<NaiveDate>,
) -> AppResult<RegionChildren> {
    let region = region(pool, code).await?;
    let mut children: Vec<Child> = sqlx::query_as(include_str!("../../sql/figures/children.sql"))
        .bind(region.id)
        .bind(as_of)
        .fetch_all(pool)
        .await?;
    let below = super::projects_in_region(pool, region.id).await?;
    let stages = project_stages(pool, Some(&below), as_of).await?;
    for child in &mut children {
        child.stages = in_region(&stages, child.id);
    }
    let projects = sqlx::query_as(include_str!("../../sql/figures/region_projects.sql"))
        .bind(region.id)
        .bind(as_of)
        .fetch_all(pool)
        .await?;
    Ok(RegionChildren {
        as_of,
        region: RegionName {
            code: code.to_owned(),
            name: region.name,
            level: region.level,
            parent_code: region.parent_code,
        },
        children,
        projects,
    })
}
