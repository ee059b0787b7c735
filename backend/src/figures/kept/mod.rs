//! The all-project gauges and the full region roll-up kept in memory and changed by each event's
//! delta: an event names its project, so only that project's row and the regions on its lineage
//! are read again (a few index probes) and the sums below each region are redone in memory,
//! instead of recounting every project and region (25–100 ms at a million buildings). A full
//! rebuild happens only when a delta cannot be known: at start, a new Beijing day (the 7-day
//! pace moves), a change that came without an event (`ListCache::clear`: imports, funds), a
//! project or region the model does not know; each is counted in /metrics.
mod documents;

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;

use super::lists::serialized;
use super::scope::{Scope, ScopeFigures};
use super::stages::ByStage;
use super::{figures, Counts};
use crate::error::AppResult;

/// Why the kept lists were rebuilt rather than changed by a delta.
#[derive(Clone, Copy)]
enum Rebuild {
    /// The first answer since the process started.
    Start,
    /// Something changed without an event (`ListCache::clear`).
    WithoutEvent,
    /// A new Beijing day: the 7-day pace and the projections move.
    NewDay,
    /// An event named a project or region the model does not have.
    UnknownScope,
}

const REBUILD_REASONS: [&str; 4] = ["start", "without_event", "new_day", "unknown_scope"];
static REBUILDS: [AtomicU64; 4] = [const { AtomicU64::new(0) }; 4];
static DELTAS: AtomicU64 = AtomicU64::new(0);

/// The kept lists' counters in the text format of /metrics.
pub fn write_metrics(out: &mut String) {
    crate::metrics::head(
        out,
        "onemap_figure_rebuilds_total",
        "counter",
        "Full rebuilds of the kept figure lists, by why no delta would do.",
    );
    for (reason, n) in REBUILD_REASONS.iter().zip(&REBUILDS) {
        let _ = writeln!(
            out,
            "onemap_figure_rebuilds_total{{reason=\"{reason}\"}} {}",
            n.load(Ordering::Relaxed)
        );
    }
    crate::metrics::head(
        out,
        "onemap_figure_deltas_total",
        "counter",
        "Projects whose events the kept figure lists took in as a delta.",
    );
    let _ = writeln!(
        out,
        "onemap_figure_deltas_total {}",
        DELTAS.load(Ordering::Relaxed)
    );
}

/// One project as the lists show it, with what its regions sum.
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
    budget_fen: i64,
    allocated_fen: i64,
    paid_fen: i64,
    open_due: Vec<DateTime<Utc>>,
    /// Its element of the projects document, kept until its row or its overdue count changes.
    #[sqlx(skip)]
    piece: Option<Bytes>,
}

/// One region with its trigger-kept figures (the rest is summed from its projects).
#[derive(sqlx::FromRow)]
struct RegionRow {
    id: i32,
    code: String,
    name: String,
    level: String,
    parent_code: Option<String>,
    households: i64,
    floor_area: f64,
    difficult: i64,
    land_m2: f64,
    surveyed: i64,
    signed: i64,
    vacated: i64,
    demolished: i64,
    monetary: i64,
    land_acquired_m2: f64,
    land_delivered_m2: f64,
    /// Its element of the regions document, kept until a project below it changes.
    #[sqlx(skip)]
    piece: Option<Bytes>,
}

/// The kept answers and what they were made from.
struct Model {
    /// `Hub::figures_version` the model has taken in.
    version: i64,
    day: NaiveDate,
    /// The earliest deadline of an open case still ahead: when the clock passes it, an overdue count moves.
    next_due: Option<DateTime<Utc>>,
    projects: Vec<ProjectRow>,
    project_at: HashMap<i64, usize>,
    regions: Vec<RegionRow>,
    region_at: HashMap<i32, usize>,
    /// The documents, made again from the kept pieces when something below them changed.
    projects_body: Option<Bytes>,
    regions_body: Option<Bytes>,
    /// Each region's counts and counts by stage, by code: its gauges (`region`), kept with the
    /// regions document.
    region_gauges: HashMap<String, (Counts, ByStage)>,
}

/// Which projects events touched since the model last took them in, or that nothing can be
/// known (a change without an event).
#[derive(Default)]
struct Pending {
    projects: BTreeSet<i64>,
    unknown: bool,
}

/// The kept lists; `ONEMAP_FIGURES_REBUILD=1` keeps the former way (a rebuild after every
/// event, lists.rs) for benchmarks to compare.
pub struct KeptLists {
    model: tokio::sync::Mutex<Option<Model>>,
    pending: std::sync::Mutex<Pending>,
    pub rebuild_only: bool,
}

impl Default for KeptLists {
    fn default() -> Self {
        KeptLists {
            model: tokio::sync::Mutex::default(),
            pending: std::sync::Mutex::default(),
            rebuild_only: std::env::var("ONEMAP_FIGURES_REBUILD").is_ok_and(|v| v == "1"),
        }
    }
}

/// Which of the two documents.
#[derive(Clone, Copy)]
pub enum List {
    Projects,
    Regions,
}

impl KeptLists {
    /// An event of project `project` was broadcast: its row and its regions are read again.
    pub fn touched(&self, project: i64) {
        self.pending
            .lock()
            .expect("pending figures lock")
            .projects
            .insert(project);
    }

    /// Something changed without an event: the next answer is a full rebuild.
    pub fn unknown(&self) {
        self.pending.lock().expect("pending figures lock").unknown = true;
    }

    /// The document `list` as of event `version` (at least) and `today`.
    pub async fn document(
        &self,
        pool: &PgPool,
        list: List,
        version: i64,
        today: NaiveDate,
    ) -> AppResult<Bytes> {
        let mut model = self.current(pool, version, today).await?;
        let m = model.as_mut().expect("a model was built");
        match list {
            List::Projects => m.projects_document(),
            List::Regions => m.regions_document(),
        }
    }

    /// Region `code`'s live gauges, as `scope::region_figures` shapes them, from the kept
    /// roll-up (its counts are the roll-up's row); None for a code no region has.
    pub async fn region(
        &self,
        pool: &PgPool,
        code: &str,
        version: i64,
        today: NaiveDate,
    ) -> AppResult<Option<Bytes>> {
        let mut model = self.current(pool, version, today).await?;
        let m = model.as_mut().expect("a model was built");
        m.regions_document()?;
        let Some(r) = m.regions.iter().find(|r| r.code == code) else {
            return Ok(None);
        };
        let (counts, stages) = &m.region_gauges[code];
        let gauges = ScopeFigures {
            scope: Scope {
                kind: "region",
                id: None,
                code: r.code.clone(),
                name: r.name.clone(),
                level: Some(r.level.clone()),
                parent_code: r.parent_code.clone(),
            },
            as_of: None,
            figures: figures(counts, None, None),
            stage: None,
            stages: Some(stages.clone()),
        };
        serialized(&gauges).map(Some)
    }

    /// The model with every event up to `version` taken in, as a delta or by a rebuild.
    async fn current(
        &self,
        pool: &PgPool,
        version: i64,
        today: NaiveDate,
    ) -> AppResult<tokio::sync::MutexGuard<'_, Option<Model>>> {
        let mut model = self.model.lock().await;
        let now = Utc::now();
        let pending = std::mem::take(&mut *self.pending.lock().expect("pending figures lock"));
        let reason = match model.as_ref() {
            None => Some(Rebuild::Start),
            Some(_) if pending.unknown => Some(Rebuild::WithoutEvent),
            Some(m) if m.day != today => Some(Rebuild::NewDay),
            Some(_) => None,
        };
        let outcome = match (reason, model.as_mut()) {
            (None, Some(m)) => m.apply(pool, &pending.projects, version, now).await,
            (reason, _) => Err(reason.unwrap_or(Rebuild::Start)),
        };
        let result = match outcome {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e),
            Err(reason) => {
                REBUILDS[reason as usize].fetch_add(1, Ordering::Relaxed);
                match Model::build(pool, version, today, now).await {
                    Ok(m) => {
                        *model = Some(m);
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
        };
        if let Err(e) = result {
            // what was taken in is unknown now: the next answer rebuilds
            self.unknown();
            return Err(e);
        }
        Ok(model)
    }
}

impl Model {
    /// Everything read and summed again.
    async fn build(
        pool: &PgPool,
        version: i64,
        day: NaiveDate,
        now: DateTime<Utc>,
    ) -> AppResult<Model> {
        let projects: Vec<ProjectRow> =
            sqlx::query_as(include_str!("../../../sql/figures/kept_projects.sql"))
                .bind(day)
                .bind(None::<Vec<i64>>)
                .fetch_all(pool)
                .await?;
        let regions: Vec<RegionRow> =
            sqlx::query_as(include_str!("../../../sql/figures/kept_regions.sql"))
                .bind(None::<Vec<i32>>)
                .fetch_all(pool)
                .await?;
        let mut model = Model {
            version,
            day,
            next_due: None,
            project_at: projects
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id, i))
                .collect(),
            region_at: regions.iter().enumerate().map(|(i, r)| (r.id, i)).collect(),
            projects,
            regions,
            projects_body: None,
            regions_body: None,
            region_gauges: HashMap::new(),
        };
        model.count_overdue(now);
        Ok(model)
    }

    /// Takes in the events up to `version` that touched `touched`; Err(reason) when a rebuild
    /// must do it instead.
    async fn apply(
        &mut self,
        pool: &PgPool,
        touched: &BTreeSet<i64>,
        version: i64,
        now: DateTime<Utc>,
    ) -> Result<AppResult<()>, Rebuild> {
        let clock_passed = self.next_due.is_some_and(|due| due <= now);
        if touched.is_empty() && !clock_passed {
            self.version = self.version.max(version);
            return Ok(Ok(()));
        }
        if !touched.is_empty() {
            let ids: Vec<i64> = touched.iter().copied().collect();
            let fresh: Vec<ProjectRow> =
                match sqlx::query_as(include_str!("../../../sql/figures/kept_projects.sql"))
                    .bind(self.day)
                    .bind(&ids)
                    .fetch_all(pool)
                    .await
                {
                    Ok(rows) => rows,
                    Err(e) => return Ok(Err(e.into())),
                };
            if fresh.len() != ids.len() {
                return Err(Rebuild::UnknownScope);
            }
            let mut lineage = BTreeSet::new();
            for row in fresh {
                let Some(&at) = self.project_at.get(&row.id) else {
                    return Err(Rebuild::UnknownScope);
                };
                lineage.extend(self.projects[at].lineage.iter().copied());
                lineage.extend(row.lineage.iter().copied());
                // a fresh row comes without its piece: it is made again
                self.projects[at] = row;
            }
            let ids: Vec<i32> = lineage.into_iter().collect();
            let fresh: Vec<RegionRow> =
                match sqlx::query_as(include_str!("../../../sql/figures/kept_regions.sql"))
                    .bind(&ids)
                    .fetch_all(pool)
                    .await
                {
                    Ok(rows) => rows,
                    Err(e) => return Ok(Err(e.into())),
                };
            if fresh.len() != ids.len() {
                return Err(Rebuild::UnknownScope);
            }
            for row in fresh {
                let Some(&at) = self.region_at.get(&row.id) else {
                    return Err(Rebuild::UnknownScope);
                };
                self.regions[at] = row;
            }
            DELTAS.fetch_add(touched.len() as u64, Ordering::Relaxed);
            self.projects_body = None;
            self.regions_body = None;
        }
        self.version = self.version.max(version);
        self.count_overdue(now);
        Ok(Ok(()))
    }

    /// Counts each project's open and overdue cases at `now`; a project whose counts moved
    /// loses its piece, and so do the regions above it.
    fn count_overdue(&mut self, now: DateTime<Utc>) {
        self.next_due = None;
        let mut moved = BTreeSet::new();
        for p in &mut self.projects {
            let open = p.open_due.len() as i64;
            let overdue = p.open_due.iter().filter(|d| **d <= now).count() as i64;
            if (open, overdue) != (p.counts.open_cases, p.counts.overdue_cases) {
                p.counts.open_cases = open;
                p.counts.overdue_cases = overdue;
                p.piece = None;
                moved.extend(p.lineage.iter().copied());
            }
            if let Some(next) = p.open_due.iter().find(|d| **d > now) {
                self.next_due = Some(self.next_due.map_or(*next, |n| n.min(*next)));
            }
        }
        if !moved.is_empty() {
            for r in &mut self.regions {
                if moved.contains(&r.id) {
                    r.piece = None;
                }
            }
            self.projects_body = None;
            self.regions_body = None;
        }
    }
}
