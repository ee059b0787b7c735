//! Imports surveyed parcels and buildings into a project from the files planners receive:
//! read through GDAL in any CRS, checked and repaired in PostGIS, all or nothing, re-imports
//! updating by code. Every repair and rejection is reported with its row and code. Files are
//! checked and unpacked first (`prepare`), read by their one driver within limits (`limits`),
//! by a GDAL without network or unused drivers (`sandbox`).
pub mod cli;
pub mod fields;
pub mod gcj02;
mod gdal_ffi;
mod geojson_scan;
pub mod jobs;
pub mod ledger;
pub mod limits;
pub mod overlay;
pub mod prepare;
pub mod read;
pub mod rejected;
pub mod sandbox;
mod shapefile_scan;
mod unzip;
pub mod zones;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use sqlx::PgPool;

use crate::auth::{may_write_in, User};
use crate::error::{AppError, AppResult};
use crate::projects::{self, Project};
pub use prepare::Prepared;
pub use read::CrsChoice;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Buildings,
    Parcels,
    /// A household ledger (XLSX or CSV).
    Households,
}

/// What to do with an invalid geometry (self-intersection, spike, bow-tie): repair it and say
/// so, or reject it (and so the whole import).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Invalid {
    Repair,
    Reject,
}

#[derive(Clone, Debug)]
pub struct Options {
    pub target: Target,
    pub project: String,
    pub invalid: Invalid,
    pub crs: CrsChoice,
    /// Write the rows that pass and leave the rejected ones (returned as a file to correct);
    /// false: all or nothing.
    pub accept_valid: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Issue {
    pub row: usize,
    pub id: Option<String>,
    /// In English, for the command line and API users; the pages word `code` with `values`.
    pub problem: String,
    pub action: String,
    pub code: crate::error::Code,
    pub values: serde_json::Value,
}

impl Issue {
    /// A rejected row whose `problem` reads `field: what is wrong`.
    #[must_use]
    pub fn of_field(row: usize, id: Option<String>, problem: String) -> Issue {
        let field = problem.split_once(": ").map_or("", |(f, _)| f).to_owned();
        Issue {
            row,
            id,
            problem,
            action: "rejected".into(),
            code: crate::error::Code::RowFieldInvalid,
            values: serde_json::json!({ "row": row, "field": field }),
        }
    }

    /// A row's issue as a query found it: `reason` is its code (import_row when unknown).
    #[must_use]
    pub fn found(
        row: i32,
        id: Option<String>,
        problem: String,
        action: String,
        reason: &str,
        values: serde_json::Value,
    ) -> Issue {
        Issue {
            row: usize::try_from(row).unwrap_or(0),
            id,
            problem,
            action,
            code: crate::error::Code::named(reason).unwrap_or(crate::error::Code::ImportRow),
            values,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub file: String,
    pub crs: String,
    pub layers: Vec<String>,
    pub read: usize,
    /// Whether anything was written: false when any row was rejected (unless the import
    /// accepted the valid rows, `accept_valid`), or when no row was left to write.
    pub written: bool,
    /// Whether the rows that passed were written without the rejected ones.
    pub accept_valid: bool,
    /// The rows left out of a written import (`accept_valid`): the rejected rows' count.
    pub left_out: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Seconds spent reading and staging, checking, and writing.
    pub seconds: Seconds,
    pub repaired: Vec<Issue>,
    /// Plausibility findings that do not stop a row (an area unlike the file's, a building
    /// crossing its parcel's edge, a small overlap with another project's parcel).
    pub warnings: Vec<Issue>,
    pub rejected: Vec<Issue>,
    /// The rejected rows as read (attributes, WGS84 geometry), to return as a file.
    #[serde(skip)]
    pub rejected_rows: Arc<Vec<rejected::RejectedRow>>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Seconds {
    pub reading: f64,
    pub checking: f64,
    pub writing: f64,
}

/// Where an import is, for a progress bar: phase, and features done of total in it. A new
/// import is `reading` from the start (never an empty state while its task starts).
pub struct Progress {
    pub phase: Mutex<&'static str>,
    pub done: AtomicUsize,
    pub total: AtomicUsize,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            phase: Mutex::new("reading"),
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
        }
    }
}

impl Progress {
    pub fn set(&self, phase: &'static str, done: usize, total: usize) {
        *self.phase.lock().expect("progress lock") = phase;
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }
}

/// COPY text-format escaping of one value.
pub(crate) fn copy_text(out: &mut String, value: Option<&str>) {
    match value {
        None => out.push_str("\\N"),
        Some(v) => {
            for c in v.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
    }
}

/// The project `code`, if `user` may import into it: 422 if there is none, 403 if it lies
/// outside the user's region. The web route asks before taking the upload; imports ask again,
/// as the command line calls them directly.
pub async fn writable_project(pool: &PgPool, user: &User, code: &str) -> AppResult<Project> {
    // an unknown project is a bad field of the import's request, not a missing resource
    let project = projects::by_code(pool, code).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::NOT_FOUND {
            let (code, values) = e.code();
            AppError::Unprocessable(e.to_string()).coded(code, values)
        } else {
            e
        }
    })?;
    if !may_write_in(user, &project.lineage) {
        return Err(AppError::Forbidden(format!(
            "{} may not import into project {code}: it is outside their region {}",
            user.username,
            user.region_code.as_deref().unwrap_or("-")
        ))
        .coded(
            crate::error::Code::OutsideRegion,
            serde_json::json!({ "region": user.region_code }),
        ));
    }
    if crate::groups::scope::limited_to_groups(pool, user).await? {
        return Err(AppError::Forbidden(format!(
            "{} writes only for their work groups' households: imports are for the region's other operators",
            user.username
        ))
        .coded(crate::error::Code::ForbiddenRole, serde_json::json!({})));
    }
    Ok(project)
}

/// Imports `path` (uploaded as `file_name`) into the project; all or nothing. The file is
/// checked and unpacked within the import limits first.
pub async fn import(
    pool: &PgPool,
    user: &User,
    path: &Path,
    file_name: &str,
    options: &Options,
    progress: Arc<Progress>,
) -> AppResult<Report> {
    let file = prepare_file(path, file_name, &limits::IMPORT).await?;
    import_prepared(pool, user, Arc::new(file), options, progress).await
}

/// [`prepare::prepare`] on a blocking thread.
pub async fn prepare_file(
    path: &Path,
    file_name: &str,
    limits: &'static limits::Limits,
) -> AppResult<Prepared> {
    let (path, name) = (path.to_owned(), file_name.to_owned());
    tokio::task::spawn_blocking(move || prepare::prepare(&path, &name, limits))
        .await
        .map_err(|e| AppError::thread("file: checking it", e))?
}

/// Imports a prepared file into the project: all or nothing, or with `accept_valid` the rows
/// that pass (the rejected ones kept in the report, to return as a file).
pub async fn import_prepared(
    pool: &PgPool,
    user: &User,
    file: Arc<Prepared>,
    options: &Options,
    progress: Arc<Progress>,
) -> AppResult<Report> {
    if options.target == Target::Households {
        return ledger::import_ledger(pool, user, file, &options.project, progress).await;
    }
    let project = writable_project(pool, user, &options.project).await?;
    progress.set("reading", 0, 0);
    let started = std::time::Instant::now();
    let mut tx = pool.begin().await?;
    sqlx::query(include_str!("../../sql/import/stage.sql"))
        .execute(&mut *tx)
        .await?;
    let file_name = file.name.clone();
    let mut report = Report {
        file: file_name.clone(),
        ..Report::default()
    };
    let source = stage(&mut tx, file, options, project.lon, &progress, &mut report).await?;
    report.crs.clone_from(&source.crs);
    report.layers.clone_from(&source.layers);
    report.read = source.count;
    if source.count == 0 {
        return Err(AppError::Unprocessable(format!(
            "file: `{file_name}` holds no features"
        )));
    }
    progress.set("checking", 0, source.count);
    report.seconds.reading = started.elapsed().as_secs_f64();

    // the checks look rows up by code (duplicates, upserts): index it and let the planner know its size
    sqlx::query("CREATE INDEX ON import_rows (code)")
        .execute(&mut *tx)
        .await?;
    sqlx::query("ANALYZE import_rows").execute(&mut *tx).await?;
    let buildings = options.target == Target::Buildings;
    check(&mut tx, project.id, options, &source.crs, &mut report).await?;
    report.rejected.sort_by_key(|i| i.row);
    if !report.rejected.is_empty() {
        let rows = rejected::collect(&mut tx, &report.rejected).await?;
        report.rejected_rows = Arc::new(rows);
        if !options.accept_valid || report.rejected_rows.len() == source.count {
            progress.set("failed", 0, 0);
            return Ok(report);
        }
        rejected::leave_out(&mut tx, &report.rejected_rows).await?;
        report.accept_valid = true;
        report.left_out = report.rejected_rows.len();
    }
    let count = source.count - report.rejected_rows.len();

    progress.set("writing", 0, count);
    report.seconds.checking = started.elapsed().as_secs_f64() - report.seconds.reading;
    let upsert = if buildings {
        include_str!("../../sql/import/upsert_buildings.sql")
    } else {
        include_str!("../../sql/import/upsert_parcels.sql")
    };
    let written: Vec<bool> = sqlx::query_scalar(upsert)
        .bind(project.id)
        .fetch_all(&mut *tx)
        .await?;
    report.inserted = written.iter().filter(|i| **i).count();
    report.updated = written.len() - report.inserted;
    report.unchanged = count - written.len();
    sqlx::query(include_str!("../../sql/import/refresh_figures.sql"))
        .bind(project.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(include_str!("../../sql/import/refresh_regions.sql"))
        .bind(project.id)
        .execute(&mut *tx)
        .await?;
    announce(&mut tx, project.id).await?;
    tx.commit().await?;
    report.written = true;
    progress.set("done", count, count);
    report.seconds.writing =
        started.elapsed().as_secs_f64() - report.seconds.reading - report.seconds.checking;
    let table = if buildings { "buildings" } else { "parcels" };
    settle_written(pool, &[table, "project_figures", "region_figures"]).await;
    Ok(report)
}

/// The tables an import wrote vacuumed, frozen and analysed once it committed, as far as the
/// role may (db/settle.rs); the rows are in, so a failure here is only logged.
pub(crate) async fn settle_written(pool: &PgPool, tables: &[&str]) {
    if let Err(e) = crate::db::settle::settle(pool, Some(tables)).await {
        tracing::warn!("import: the written tables were not vacuumed ({e}); autovacuum will");
    }
}

/// Checks the staged rows (geometry made valid or not, each located) and sorts what the
/// checks found into the report: repaired, warnings, rejected.
async fn check(
    tx: &mut sqlx::PgConnection,
    project_id: i64,
    options: &Options,
    crs: &str,
    report: &mut Report,
) -> AppResult<()> {
    let repair = options.invalid == Invalid::Repair;
    let buildings = options.target == Target::Buildings;
    sqlx::query(include_str!("../../sql/import/prepare_geometry.sql"))
        .bind(repair)
        .execute(&mut *tx)
        .await?;
    sqlx::query(include_str!("../../sql/import/locate.sql"))
        .bind(project_id)
        .bind(buildings)
        .execute(&mut *tx)
        .await?;
    let issues: Vec<(
        i32,
        Option<String>,
        String,
        String,
        String,
        serde_json::Value,
    )> = sqlx::query_as(include_str!("../../sql/import/issues.sql"))
        .bind(project_id)
        .bind(repair)
        .bind(crs)
        .bind(buildings)
        .fetch_all(&mut *tx)
        .await?;
    for (row, id, problem, action, reason, values) in issues {
        let issue = Issue::found(row, id, problem, action, &reason, values);
        match issue.action.as_str() {
            "repaired" => report.repaired.push(issue),
            "warning" => report.warnings.push(issue),
            _ => report.rejected.push(issue),
        }
    }
    Ok(())
}

/// Tells every instance (at commit) that the project's surroundings changed without status
/// events, so they drop the tiles and figure answers there. 5 km covers every accepted row:
/// features further than 2 km from the project are rejected.
pub(crate) async fn announce(tx: &mut sqlx::PgConnection, project_id: i64) -> AppResult<()> {
    sqlx::query(
        "SELECT pg_notify('onemap_import', concat_ws(',', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)))
           FROM (SELECT ST_Expand(geom_3857, 5000) AS e FROM projects WHERE id = $1) s",
    )
    .bind(project_id)
    .execute(tx)
    .await?;
    Ok(())
}

/// Reads the file on a blocking thread and COPYs its features into the staging table as
/// they come, a batch at a time, so memory stays flat however large the file. Rows whose
/// attributes are wrong are reported rejected and staged without the wrong ones (their
/// geometry and other attributes are still checked and reported).
async fn stage(
    tx: &mut sqlx::PgConnection,
    file: Arc<Prepared>,
    options: &Options,
    near_lon: f64,
    progress: &Arc<Progress>,
    report: &mut Report,
) -> AppResult<read::Source> {
    /// Features per batch, and the geometry bytes at which a batch goes early: 2,000
    /// footprints are 0.3 MB, 2,000 features of 250,000 vertices would be 8 GB.
    const BATCH: usize = 2000;
    const BATCH_BYTES: usize = 16 << 20;
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Vec<read::SourceFeature>>(4);
    let reader = {
        let (crs, progress) = (options.crs.clone(), progress.clone());
        tokio::task::spawn_blocking(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let mut batch_bytes = 0;
            let closed =
                || AppError::Unprocessable("file: the import stopped while reading".into());
            let source = read::read(
                &file,
                &crs,
                Some(near_lon),
                &limits::IMPORT,
                &mut |feature| {
                    batch_bytes += feature.wkb.as_ref().map_or(0, Vec::len);
                    batch.push(feature);
                    if batch.len() == BATCH || batch_bytes >= BATCH_BYTES {
                        sender
                            .blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                            .map_err(|_| closed())?;
                        batch_bytes = 0;
                    }
                    Ok(())
                },
                &mut |done, total| progress.set("reading", done, total),
            )?;
            if !batch.is_empty() {
                sender.blocking_send(batch).map_err(|_| closed())?;
            }
            Ok::<_, AppError>(source)
        })
    };
    let mut copy = tx
        .copy_in_raw("COPY import_rows (row, code, floors, floor_area, use, legality, land_use, wkb, notes, refused, fields) FROM STDIN")
        .await?;
    let mut chunk = String::with_capacity(1 << 20);
    while let Some(batch) = batches.recv().await {
        for feature in &batch {
            let (attributes, problems) = fields::attributes(&feature.fields);
            for problem in problems {
                report.rejected.push(Issue::of_field(
                    feature.row,
                    attributes.code.clone(),
                    problem,
                ));
            }
            copy_row(&mut chunk, feature, &attributes);
        }
        copy.send(chunk.as_bytes()).await?;
        chunk.clear();
    }
    // the reader's error (a file GDAL cannot read, coordinates in no known CRS) wins over COPY's
    let source = reader
        .await
        .map_err(|e| AppError::thread("file: reading it", e))??;
    copy.finish().await?;
    Ok(source)
}

/// One staged row in COPY text format.
fn copy_row(chunk: &mut String, feature: &read::SourceFeature, attributes: &fields::Attributes) {
    let _ = write!(chunk, "{}\t", feature.row);
    copy_text(chunk, attributes.code.as_deref());
    chunk.push('\t');
    copy_text(chunk, attributes.floors.map(|f| f.to_string()).as_deref());
    chunk.push('\t');
    copy_text(
        chunk,
        attributes.floor_area.map(|f| format!("{f:.2}")).as_deref(),
    );
    chunk.push('\t');
    copy_text(chunk, attributes.use_);
    chunk.push('\t');
    copy_text(chunk, attributes.legality);
    chunk.push('\t');
    copy_text(chunk, attributes.land_use);
    chunk.push('\t');
    match &feature.wkb {
        Some(wkb) => {
            chunk.push_str("\\\\x");
            for b in wkb {
                let _ = write!(chunk, "{b:02x}");
            }
        }
        None => chunk.push_str("\\N"),
    }
    chunk.push('\t');
    let notes: Vec<String> = feature.notes.iter().map(|n| format!("\"{n}\"")).collect();
    let _ = write!(
        chunk,
        "{{{}}}\t{{{}}}\t",
        notes.join(","),
        attributes.refused.join(",")
    );
    // the row as the file had it, for the file of rejected rows
    copy_text(
        chunk,
        Some(&serde_json::to_string(&feature.fields).unwrap_or_default()),
    );
    chunk.push('\n');
}
