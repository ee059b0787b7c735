//! The kept figure documents made from their pieces: each project's and region's JSON element
//! kept until an event touches it, the regions' sums from the projects below them, and the
//! pieces joined into the bytes serde_json would write for the whole list.
use std::collections::{BTreeSet, HashMap};

use axum::body::Bytes;
use chrono::NaiveDate;

use super::super::lists::{serialized, ProjectValues, RegionValues};
use super::super::stages::{by_stage, ProjectStage};
use super::super::{keys, values, Counts};
use super::{Model, RegionRow};
use crate::error::{AppError, AppResult};

impl Model {
    /// The projects document: the projects whose piece is gone serialised again, then every
    /// piece joined (a copy of ~600 KB at a million buildings, not a serialisation).
    pub(super) fn projects_document(&mut self) -> AppResult<Bytes> {
        if let Some(body) = &self.projects_body {
            return Ok(body.clone());
        }
        for p in self.projects.iter_mut().filter(|p| p.piece.is_none()) {
            p.piece = Some(serialized(&ProjectValues {
                values: values(&p.counts, None, Some(p.target_date)),
                id: p.id,
                code: p.code.clone(),
                name: p.name.clone(),
                region_code: p.region_code.clone(),
                stage: p.stage.clone(),
            })?);
        }
        let body = joined("projects", self.projects.iter().map(|p| p.piece.as_ref()))?;
        self.projects_body = Some(body.clone());
        Ok(body)
    }

    /// The regions document, with each region's gauges: the regions whose piece is gone summed
    /// from their projects and serialised again, then every piece joined.
    pub(super) fn regions_document(&mut self) -> AppResult<Bytes> {
        if let Some(body) = &self.regions_body {
            return Ok(body.clone());
        }
        let stale: BTreeSet<i32> = self
            .regions
            .iter()
            .filter(|r| r.piece.is_none())
            .map(|r| r.id)
            .collect();
        let below = self.below(&stale);
        for r in self.regions.iter_mut().filter(|r| r.piece.is_none()) {
            let sums = below.get(&r.id);
            let counts = region_counts(r, sums);
            let stages = sums.map_or_else(
                || by_stage(std::iter::empty()),
                |s| by_stage(s.stages.iter()),
            );
            r.piece = Some(serialized(&RegionValues {
                values: values(&counts, None, None),
                stages: stages.clone(),
                code: r.code.clone(),
                name: r.name.clone(),
                level: r.level.clone(),
                parent_code: r.parent_code.clone(),
            })?);
            self.region_gauges.insert(r.code.clone(), (counts, stages));
        }
        let body = joined("regions", self.regions.iter().map(|r| r.piece.as_ref()))?;
        self.regions_body = Some(body.clone());
        Ok(body)
    }

    /// What each of `regions` sums from the projects below it.
    fn below(&self, regions: &BTreeSet<i32>) -> HashMap<i32, Below> {
        let mut below: HashMap<i32, Below> = HashMap::new();
        for p in &self.projects {
            for region in p.lineage.iter().filter(|r| regions.contains(r)) {
                let b = below.entry(*region).or_default();
                b.signed_7d += p.counts.signed_7d;
                b.last_day = b.last_day.max(p.counts.last_day);
                b.budget_fen += i128::from(p.budget_fen);
                b.allocated_fen += i128::from(p.allocated_fen);
                b.paid_fen += i128::from(p.paid_fen);
                b.open_cases += p.counts.open_cases;
                b.overdue_cases += p.counts.overdue_cases;
                b.stages.push(ProjectStage {
                    id: p.id,
                    lineage: Vec::new(),
                    stage: p.stage.clone(),
                    households: p.counts.households,
                });
            }
        }
        below
    }
}

/// `{"keys":[…],"<list>":[<pieces>]}`: the bytes serde_json writes for `AllProjects` and
/// `AllRegions` (the test in tests/api compares them with a fresh count byte for byte).
fn joined<'a>(list: &str, pieces: impl Iterator<Item = Option<&'a Bytes>>) -> AppResult<Bytes> {
    let mut body = Vec::with_capacity(1 << 20);
    body.extend_from_slice(b"{\"keys\":");
    body.extend_from_slice(&serialized(&keys())?);
    body.extend_from_slice(format!(",\"{list}\":[").as_bytes());
    for (i, p) in pieces.enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(
            p.ok_or_else(|| AppError::Internal("figures: a piece was not made".into()))?,
        );
    }
    body.extend_from_slice(b"]}");
    Ok(Bytes::from(body))
}

/// The sums of the projects below one region.
#[derive(Default)]
struct Below {
    signed_7d: i64,
    last_day: Option<NaiveDate>,
    budget_fen: i128,
    allocated_fen: i128,
    paid_fen: i128,
    open_cases: i64,
    overdue_cases: i64,
    stages: Vec<ProjectStage>,
}

/// Yuan in fen as the database casts a sum of numeric(16, 2) to float8: through its decimal
/// text, correctly rounded, so the kept answer equals a fresh one to the bit.
fn yuan(fen: i128) -> f64 {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    format!("{sign}{}.{:02}", fen / 100, fen % 100)
        .parse()
        .unwrap_or(0.0)
}

fn region_counts(r: &RegionRow, below: Option<&Below>) -> Counts {
    let empty = Below::default();
    let b = below.unwrap_or(&empty);
    Counts {
        households: r.households,
        floor_area: r.floor_area,
        difficult: r.difficult,
        land_m2: r.land_m2,
        surveyed: r.surveyed,
        signed: r.signed,
        vacated: r.vacated,
        demolished: r.demolished,
        monetary: r.monetary,
        land_acquired_m2: r.land_acquired_m2,
        land_delivered_m2: r.land_delivered_m2,
        signed_7d: b.signed_7d,
        last_day: b.last_day,
        budget_yuan: yuan(b.budget_fen),
        allocated_yuan: yuan(b.allocated_fen),
        paid_yuan: yuan(b.paid_fen),
        open_cases: b.open_cases,
        overdue_cases: b.overdue_cases,
    }
}

#[cfg(test)]
mod tests {
    use super::yuan;

    #[test]
    fn fen_become_yuan_as_the_database_casts_them() {
        for (fen, yuan_text) in [
            (0, "0"),
            (12_345, "123.45"),
            (-5, "-0.05"),
            (10_000_000_000_000_001, "100000000000000.01"),
        ] {
            let parsed: f64 = yuan_text.parse().expect("a number");
            assert_eq!(yuan(fen).to_bits(), parsed.to_bits(), "{fen} fen");
        }
    }
}
