//! The archive import: the receiving office's copy of a project. Every file is checked against
//! the manifest's SHA-256 before anything is written; then the project is restored in one
//! transaction with session_replication_role = replica (the owner's restore session, as the
//! demo loader pauses triggers): the rows are finished history, written as they were, and the
//! kept figures are recounted from them at the end.
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{bail, ensure, Context};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};

use super::export::{Entry, FORMAT, VERSION};
use super::layout::{self, PARTS};
use super::remap::{remap, Maps};
use crate::households::files::FileStore;

/// Rows written per statement.
const BATCH: usize = 2_000;

type Zip = zip::ZipArchive<std::fs::File>;

/// What was restored: rows per table and stored files.
#[derive(Debug, Default)]
pub struct Restored {
    pub project: String,
    pub rows: BTreeMap<String, u64>,
    pub files: usize,
}

/// Reads and checks the manifest, then every file against it; refuses naming the first file
/// that is missing, extra or changed.
pub fn verify(zip: &mut Zip) -> anyhow::Result<(Value, Vec<Entry>)> {
    let mut text = String::new();
    zip.by_name("manifest.json")
        .context("archive: no manifest.json: not a onemap project archive")?
        .read_to_string(&mut text)?;
    let manifest: Value =
        serde_json::from_str(&text).context("archive: manifest.json is not JSON")?;
    ensure!(
        manifest["format"] == FORMAT && manifest["version"] == VERSION,
        "archive: manifest.json names format {} version {}; this onemap reads {FORMAT} version {VERSION}",
        manifest["format"],
        manifest["version"]
    );
    let entries: Vec<Entry> = serde_json::from_value(manifest["files"].clone())
        .context("archive: manifest.json: files")?;
    let listed: std::collections::HashSet<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    for name in zip.file_names() {
        ensure!(
            name == "manifest.json" || listed.contains(name),
            "archive: `{name}` is not in the manifest: refused, nothing imported"
        );
    }
    for entry in &entries {
        let mut file = zip
            .by_name(&entry.path)
            .with_context(|| format!("archive: `{}` is in the manifest but not in the archive: refused, nothing imported", entry.path))?;
        let mut hasher = Sha256::new();
        let size = std::io::copy(&mut file, &mut hasher).with_context(|| {
            format!(
                "archive: `{}` cannot be read (damaged): refused, nothing imported",
                entry.path
            )
        })?;
        let sha256 = crate::hex::encode(&hasher.finalize());
        ensure!(
            size == entry.size && sha256 == entry.sha256,
            "archive: `{}` does not match the manifest (SHA-256 {sha256}, {size} bytes; the manifest says {}, {} bytes): \
             the archive was changed or damaged; refused, nothing imported",
            entry.path,
            entry.sha256,
            entry.size
        );
    }
    Ok((manifest, entries))
}

/// Imports the archive at `path` into an empty onemap (migrated, no projects); attachments go
/// to `files`. Nothing is written unless every file matches the manifest.
pub async fn import(pool: &PgPool, files: &FileStore, path: &Path) -> anyhow::Result<Restored> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("archive: cannot open {}", path.display()))?;
    let mut zip = zip::ZipArchive::new(file)
        .with_context(|| format!("archive: {} is not a ZIP", path.display()))?;
    let (manifest, entries) = verify(&mut zip)?;
    let projects: i64 = sqlx::query_scalar("SELECT count(*) FROM projects")
        .fetch_one(pool)
        .await?;
    ensure!(
        projects == 0,
        "archive: this onemap holds {projects} projects; an archive is imported into an empty onemap (migrated, no projects)"
    );
    let mut restored = Restored {
        project: manifest["project"]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned(),
        ..Restored::default()
    };

    // the files first: content-addressed, so a failed import leaves only unreferenced copies
    for entry in entries.iter().filter(|e| e.path.starts_with("files/")) {
        let mut bytes = Vec::with_capacity(entry.size as usize);
        zip.by_name(&entry.path)?.read_to_end(&mut bytes)?;
        let sha256 = files
            .put(&bytes)
            .await
            .with_context(|| format!("archive: cannot store `{}`", entry.path))?;
        ensure!(
            entry.path.ends_with(&sha256),
            "archive: `{}` is stored under another hash",
            entry.path
        );
        restored.files += 1;
    }

    let mut tx = pool.begin().await?;
    // the owner's restore session: triggers (append-only, guards, kept sums, the feed) pause
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .context(
            "archive: the import needs the database owner (a superuser): session_replication_role",
        )?;
    let project = read_lines(&mut zip, "data/projects.geojson")?;
    let mut maps = Maps {
        project: project
            .first()
            .and_then(|p| p["properties"]["id"].as_i64())
            .context("archive: no project in data/projects.geojson")?,
        ..Maps::default()
    };
    let steps = read_lines(&mut zip, "data/approval_steps.jsonl")?;
    restore_parts(&mut tx, &mut zip, &mut maps, &steps, &mut restored).await?;
    advance_sequences(&mut tx).await?;
    sqlx::query("SELECT recount_figures(), recount_daily_figures(), recount_group_figures()")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(restored)
}

/// Every part's rows, in `PARTS` order, a batch at a time.
async fn restore_parts(
    tx: &mut PgConnection,
    zip: &mut Zip,
    maps: &mut Maps,
    steps: &[Value],
    restored: &mut Restored,
) -> anyhow::Result<()> {
    for part in PARTS {
        let path = layout::path(part);
        let reader = BufReader::new(
            zip.by_name(&path)
                .with_context(|| format!("archive: `{path}` is missing"))?,
        );
        let mut batch = Vec::with_capacity(BATCH);
        let mut n = 0;
        for line in reader.lines() {
            let line = line?;
            let mut row: Value = serde_json::from_str(&line)
                .with_context(|| format!("archive: `{path}` row {}", n + 1))?;
            if remap(tx, part, &mut row, maps, steps).await? {
                batch.push(row);
            }
            n += 1;
            if batch.len() == BATCH {
                insert(tx, part, &batch)
                    .await
                    .with_context(|| format!("archive: `{path}`"))?;
                batch.clear();
            }
        }
        insert(tx, part, &batch)
            .await
            .with_context(|| format!("archive: `{path}`"))?;
        restored.rows.insert(part.table.to_owned(), n);
    }
    Ok(())
}

/// The id sequences of the tables whose ids were kept: past the restored rows.
async fn advance_sequences(tx: &mut PgConnection) -> anyhow::Result<()> {
    for table in [
        "regions",
        "users",
        "projects",
        "parcels",
        "buildings",
        "households",
        "status_events",
        "step_events",
        "step_documents",
        "fund_allocations",
        "payment_batches",
        "payments",
        "attachments",
        "compensation_decisions",
        "gate_overrides",
        "disclosures",
        "objections",
        "work_groups",
        "work_group_assignments",
        "cases",
        "case_events",
        "case_conferences",
        "petitions",
        "petition_replies",
        "estates",
        "estate_unit_types",
        "estate_buildings",
        "estate_units",
        "unit_status_events",
        "selection_days",
        "selection_choices",
    ] {
        sqlx::query(&format!(
            "SELECT setval(s, greatest((SELECT max(id) FROM {table}), (SELECT last_value FROM pg_sequences
                WHERE format('%I.%I', schemaname, sequencename)::regclass = s::regclass)))
               FROM pg_get_serial_sequence('{table}', 'id') s WHERE s IS NOT NULL"
        ))
        .execute(&mut *tx)
        .await
        .with_context(|| format!("archive: the id sequence of {table}"))?;
    }
    Ok(())
}

fn read_lines(zip: &mut Zip, path: &str) -> anyhow::Result<Vec<Value>> {
    let reader = BufReader::new(
        zip.by_name(path)
            .with_context(|| format!("archive: `{path}` is missing"))?,
    );
    reader
        .lines()
        .map(|l| Ok(serde_json::from_str(&l?)?))
        .collect()
}

/// Writes a batch of rows of `part` as they are (ids kept, but audit lines'), geometry from
/// its GeoJSON.
async fn insert(tx: &mut PgConnection, part: &layout::Part, rows: &[Value]) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut columns: Vec<String> = sqlx::query_scalar(
        "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0
            AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
    )
    .bind(part.table)
    .fetch_all(&mut *tx)
    .await?;
    if part.table == "audit_log" {
        columns.retain(|c| c != "id");
    }
    let list = columns.join(", ");
    let sql = if part.geometry {
        let picked: Vec<String> = columns
            .iter()
            .map(|c| {
                if c == "geom" {
                    // a feature without geometry (an estate building not yet drawn) has `null`
                    "ST_GeomFromGeoJSON(nullif(x.j -> 'geometry', 'null'::jsonb))".to_owned()
                } else {
                    format!("r.{c}")
                }
            })
            .collect();
        format!(
            "INSERT INTO {t} ({list}) OVERRIDING SYSTEM VALUE SELECT {} FROM jsonb_array_elements($1::jsonb) x (j)
               CROSS JOIN LATERAL jsonb_populate_record(NULL::{t}, x.j -> 'properties') r",
            picked.join(", "),
            t = part.table
        )
    } else {
        format!("INSERT INTO {t} ({list}) OVERRIDING SYSTEM VALUE SELECT {list} FROM jsonb_populate_recordset(NULL::{t}, $1::jsonb)", t = part.table)
    };
    let rows = serde_json::to_string(rows)?;
    sqlx::query(&sql).bind(rows).execute(&mut *tx).await?;
    Ok(())
}

/// Refuses early what no import can take (for the CLI's message before any work).
pub fn check_path(path: &Path) -> anyhow::Result<()> {
    if !path.is_file() {
        bail!("archive: {} is not a file", path.display());
    }
    Ok(())
}
