//! Every project's and every region's figures as they stood at the end of a past day, in the
//! shape of the live lists (`lists.rs`), for the exports: one query for the projects, the
//! regions rolled up from them.
use axum::body::Bytes;
use chrono::NaiveDate;
use sqlx::PgPool;

use super::lists::{serialized, AllProjects, AllRegions, ProjectValues, RegionValues};
use super::stages::{in_region, ProjectStage};
use super::{keys, values, Counts};
use crate::error::AppResult;

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: i64,
    code: String,
    name: String,
    region_code: String,
    lineage: Vec<i32>,
    target_date: NaiveDate,
    stage: String,
    #[sqlx(flatten)]
    counts: Counts,
}

#[derive(sqlx::FromRow)]
struct RegionRow {
    id: i32,
    code: String,
    name: String,
    level: String,
    parent_code: Option<String>,
}

async fn project_rows(pool: &PgPool, day: NaiveDate) -> Result<Vec<ProjectRow>, sqlx::Error> {
    sqlx::query_as(include_str!("../../sql/figures/all_projects_as_of.sql"))
        .bind(day)
        .fetch_all(pool)
        .await
}

/// Every project's figures at the end of `day`: `{keys, projects}` as `lists::all_projects`.
pub async fn all_projects(pool: &PgPool, day: NaiveDate) -> AppResult<Bytes> {
    let projects = project_rows(pool, day)
        .await?
        .into_iter()
        .map(|r| ProjectValues {
            values: values(&r.counts, Some(day), Some(r.target_date)),
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

/// The sum of projects' counts (the last active day is the latest).
fn sum<'a>(counts: impl Iterator<Item = &'a Counts>) -> Counts {
    let mut total = Counts {
        households: 0,
        floor_area: 0.0,
        difficult: 0,
        land_m2: 0.0,
        surveyed: 0,
        signed: 0,
        vacated: 0,
        demolished: 0,
        monetary: 0,
        land_acquired_m2: 0.0,
        land_delivered_m2: 0.0,
        signed_7d: 0,
        last_day: None,
        budget_yuan: 0.0,
        allocated_yuan: 0.0,
        paid_yuan: 0.0,
        open_cases: 0,
        overdue_cases: 0,
    };
    for c in counts {
        total.households += c.households;
        total.floor_area += c.floor_area;
        total.difficult += c.difficult;
        total.land_m2 += c.land_m2;
        total.surveyed += c.surveyed;
        total.signed += c.signed;
        total.vacated += c.vacated;
        total.demolished += c.demolished;
        total.monetary += c.monetary;
        total.land_acquired_m2 += c.land_acquired_m2;
        total.land_delivered_m2 += c.land_delivered_m2;
        total.signed_7d += c.signed_7d;
        total.last_day = total.last_day.max(c.last_day);
        total.budget_yuan += c.budget_yuan;
        total.allocated_yuan += c.allocated_yuan;
        total.paid_yuan += c.paid_yuan;
        total.open_cases += c.open_cases;
        total.overdue_cases += c.overdue_cases;
    }
    total
}

/// Every region's figures at the end of `day`: `{keys, regions}` as `lists::all_regions`.
pub async fn all_regions(pool: &PgPool, day: NaiveDate) -> AppResult<Bytes> {
    let projects = project_rows(pool, day).await?;
    let regions: Vec<RegionRow> = sqlx::query_as(include_str!("../../sql/figures/region_list.sql"))
        .fetch_all(pool)
        .await?;
    let stages: Vec<ProjectStage> = projects
        .iter()
        .map(|p| ProjectStage {
            id: p.id,
            lineage: p.lineage.clone(),
            stage: p.stage.clone(),
            households: p.counts.households,
        })
        .collect();
    let regions = regions
        .into_iter()
        .map(|r| {
            let below = projects.iter().filter(|p| p.lineage.contains(&r.id));
            RegionValues {
                values: values(&sum(below.map(|p| &p.counts)), Some(day), None),
                stages: in_region(&stages, r.id),
                code: r.code,
                name: r.name,
                level: r.level,
                parent_code: r.parent_code,
            }
        })
        .collect();
    serialized(&AllRegions {
        keys: keys(),
        regions,
    })
}
