//! Stage as a dimension of the figures: each project's stage (live or as of a day) and the
//! count of projects and households in each stage of a region.
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::PgPool;

/// Every `project_stage`, in the order a project passes them, with its Chinese name (exports).
pub const STAGES: [(&str, &str); 8] = [
    ("preparation", "前期准备"),
    ("survey", "调查摸底"),
    ("plan", "方案拟定公示"),
    ("decision", "征收决定"),
    ("signing", "协议签约"),
    ("relocation", "搬迁拆除"),
    ("handover", "交付移交"),
    ("closed", "完成"),
];

/// The `project_stage` values alone, in the same order.
pub const STAGE_KEYS: [&str; 8] = {
    let mut keys = [""; 8];
    let mut i = 0;
    while i < STAGES.len() {
        keys[i] = STAGES[i].0;
        i += 1;
    }
    keys
};

/// The Chinese name of stage `key` (the key itself should a new stage ever come unnamed).
#[must_use]
pub fn stage_zh(key: &str) -> &str {
    STAGES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, zh)| zh)
}

/// One project's stage and households, with its region's lineage to roll regions up.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ProjectStage {
    pub id: i64,
    pub lineage: Vec<i32>,
    pub stage: String,
    pub households: i64,
}

/// Counts by stage: every stage a key, zeros included.
#[derive(Serialize, Debug, Clone, Default)]
pub struct ByStage {
    pub projects_by_stage: Map<String, Value>,
    pub households_by_stage: Map<String, Value>,
}

/// The stage of `projects` (every project when None), live or at the end of `as_of`.
pub async fn project_stages(
    pool: &PgPool,
    projects: Option<&[i64]>,
    as_of: Option<NaiveDate>,
) -> Result<Vec<ProjectStage>, sqlx::Error> {
    sqlx::query_as(include_str!("../../sql/figures/project_stages.sql"))
        .bind(projects)
        .bind(as_of)
        .fetch_all(pool)
        .await
}

/// The counts by stage of `projects`.
#[must_use]
pub fn by_stage<'a>(projects: impl Iterator<Item = &'a ProjectStage>) -> ByStage {
    let mut counts = [(0_i64, 0_i64); STAGES.len()];
    for p in projects {
        if let Some(i) = STAGES.iter().position(|(k, _)| *k == p.stage) {
            counts[i].0 += 1;
            counts[i].1 += p.households;
        }
    }
    let mut out = ByStage::default();
    for ((key, _), (projects, households)) in STAGES.iter().zip(counts) {
        out.projects_by_stage
            .insert((*key).to_owned(), projects.into());
        out.households_by_stage
            .insert((*key).to_owned(), households.into());
    }
    out
}

/// The counts by stage of the projects below region `region_id` (in its lineage).
#[must_use]
pub fn in_region(projects: &[ProjectStage], region_id: i32) -> ByStage {
    by_stage(projects.iter().filter(|p| p.lineage.contains(&region_id)))
}

#[cfg(test)]
mod tests {
    use super::{by_stage, ProjectStage, STAGES};

    #[test]
    fn every_stage_is_counted_zeros_included() {
        let p = |stage: &str, households| ProjectStage {
            id: 1,
            lineage: vec![1],
            stage: stage.into(),
            households,
        };
        let counts = by_stage([p("plan", 10), p("plan", 5), p("closed", 2)].iter());
        assert_eq!(counts.projects_by_stage.len(), STAGES.len());
        assert_eq!(counts.projects_by_stage["plan"], 2);
        assert_eq!(counts.households_by_stage["plan"], 15);
        assert_eq!(counts.households_by_stage["closed"], 2);
        assert_eq!(counts.projects_by_stage["signing"], 0);
    }
}
