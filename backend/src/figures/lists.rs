//! Every project's and every region's live figures at once (`keys` once, then `values` rows),
//! kept in memory and changed by each event's delta (kept.rs), or counted from scratch.
use axum::body::Bytes;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use sqlx::PgPool;

use super::kept::List;
use super::stages::{in_region, project_stages, ByStage};
use super::{keys, values, Counts, ListCache};
use crate::clock::beijing_today;
use crate::error::{AppError, AppResult};

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: i64,
    code: String,
    name: String,
    region_code: String,
    target_date: NaiveDate,
    stage: String,
    #[sqlx(flatten)]
    counts: Counts,
}

#[derive(Serialize)]
pub(super) struct ProjectValues {
    pub(super) id: i64,
    pub(super) code: String,
    pub(super) name: String,
    pub(super) region_code: String,
    pub(super) stage: String,
    pub(super) values: Vec<Value>,
}

#[derive(Serialize)]
pub(super) struct AllProjects {
    pub(super) keys: Vec<&'static str>,
    pub(super) projects: Vec<ProjectValues>,
}

#[derive(sqlx::FromRow)]
struct RegionRow {
    id: i32,
    code: String,
    name: String,
    level: String,
    parent_code: Option<String>,
    #[sqlx(flatten)]
    counts: Counts,
}

#[derive(Serialize)]
pub(super) struct RegionValues {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) level: String,
    pub(super) parent_code: Option<String>,
    pub(super) values: Vec<Value>,
    #[serde(flatten)]
    pub(super) stages: ByStage,
}

#[derive(Serialize)]
pub(super) struct AllRegions {
    pub(super) keys: Vec<&'static str>,
    pub(super) regions: Vec<RegionValues>,
}

/// The JSON bytes of a document that is kept and sent as bytes; a failure is the server's, and
/// is answered as one, never as an empty body.
pub fn serialized(document: &impl Serialize) -> AppResult<Bytes> {
    serde_json::to_vec(document)
        .map(Bytes::from)
        .map_err(|e| AppError::Internal(format!("figures: cannot serialise the answer: {e}")))
}

/// The list `name` from the cache if no event came since it was made, else made by `make`
/// for today and kept: the former way, before kept.rs, for benchmarks (`ONEMAP_FIGURES_REBUILD=1`).
async fn kept<F>(
    lists: &ListCache,
    name: &str,
    last_event: i64,
    make: impl FnOnce(NaiveDate) -> F,
) -> AppResult<Bytes>
where
    F: std::future::Future<Output = AppResult<Bytes>>,
{
    let today = beijing_today();
    if let Some(body) = lists.get(name, last_event, today) {
        return Ok(body);
    }
    let body = make(today).await?;
    lists.put(name.to_owned(), last_event, today, body.clone());
    Ok(body)
}

/// Every project's live figures: `{keys, projects: [{id, code, name, region_code, stage, values}]}`,
/// the one answer the screens and the XLSX export read, kept and changed by each event's delta
/// (kept.rs). `last_event` is the latest event the answer must have seen.
pub async fn all_projects(pool: &PgPool, lists: &ListCache, last_event: i64) -> AppResult<Bytes> {
    if lists.kept.rebuild_only {
        return kept(lists, "projects", last_event, |today| {
            fresh_projects(pool, today)
        })
        .await;
    }
    lists
        .kept
        .document(pool, List::Projects, last_event, beijing_today())
        .await
}

/// Every region's live figures: `{keys, regions: [{code, name, level, parent_code, values,
/// projects_by_stage, households_by_stage}]}`, kept as `all_projects` is.
pub async fn all_regions(pool: &PgPool, lists: &ListCache, last_event: i64) -> AppResult<Bytes> {
    if lists.kept.rebuild_only {
        return kept(lists, "regions", last_event, |today| {
            fresh_regions(pool, today)
        })
        .await;
    }
    lists
        .kept
        .document(pool, List::Regions, last_event, beijing_today())
        .await
}

/// `all_projects` counted from scratch (what the kept answer must equal, byte for byte).
pub async fn fresh_projects(pool: &PgPool, today: NaiveDate) -> AppResult<Bytes> {
    let rows: Vec<ProjectRow> = sqlx::query_as(include_str!("../../sql/figures/all_projects.sql"))
        .bind(today)
        .fetch_all(pool)
        .await?;
    let projects = rows
        .into_iter()
        .map(|r| ProjectValues {
            values: values(&r.counts, None, Some(r.target_date)),
            id: r.id,
            code: r.code,
            name: r.name,
            region_code: r.region_code,
            stage: r.stage,
        })
        .collect();
    serialized(&AllProjects {
        keys: keys(),
        projects,
    })
}

/// `all_regions` counted from scratch.
pub async fn fresh_regions(pool: &PgPool, today: NaiveDate) -> AppResult<Bytes> {
    let rows: Vec<RegionRow> = sqlx::query_as(include_str!("../../sql/figures/all_regions.sql"))
        .bind(today)
        .fetch_all(pool)
        .await?;
    let stages = project_stages(pool, None, None).await?;
    let regions = rows
        .into_iter()
        .map(|r| RegionValues {
            values: values(&r.counts, None, None),
            stages: in_region(&stages, r.id),
            code: r.code,
            name: r.name,
            level: r.level,
            parent_code: r.parent_code,
        })
        .collect();
    serialized(&AllRegions {
        keys: keys(),
        regions,
    })
}
