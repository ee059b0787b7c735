//! The archive import: the receiving office's copy of a project. Every file is checked against
//! the manifest's SHA-256 before anything is written; then the project is restored in one
//! transaction with session_replication_role = replica (the owner's restore session, as the
//! demo loader pauses triggers): the rows are finished history, written as they were, and the
//! kept figures are recounted from them at the end.
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{bail, ensure, Context};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};

use super::export::{Entry, FORMAT, VERSION};
use super::layout::{self, PARTS};
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

/// Ids of the archive's rows mapped to the ids they have here.
#[derive(Default)]
struct Maps {
    users: HashMap<i64, i64>,
    regions: HashMap<i64, i64>,
    lineages: HashMap<i64, Vec<i64>>,
    templates: HashMap<i64, i64>,
    /// templates this onemap already had: their steps are not written again
    templates_kept: Vec<i64>,
    chains: HashMap<i64, i64>,
    chains_written: Vec<i64>,
    /// the project's id (kept): other onemaps' chains are kept with it
    project: i64,
}

fn map_id(row: &mut Value, column: &str, map: &HashMap<i64, i64>) {
    if let Some(old) = row[column].as_i64() {
        row[column] = map.get(&old).map_or(Value::Null, |new| Value::from(*new));
    }
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
    sqlx::query("SELECT recount_figures(), recount_daily_figures()")
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

async fn next_id(tx: &mut PgConnection, table: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
    ))
    .fetch_one(tx)
    .await?)
}

/// Gives a row the ids it has here; false: the row is here already (a region, user, template
/// or chain this onemap had) and is not written.
async fn remap(
    tx: &mut PgConnection,
    part: &layout::Part,
    row: &mut Value,
    maps: &mut Maps,
    steps: &[Value],
) -> anyhow::Result<bool> {
    let props = if part.geometry {
        &mut row["properties"]
    } else {
        &mut *row
    };
    for column in part.users {
        map_id(props, column, &maps.users);
    }
    match part.table {
        "regions" => return remap_region(tx, props, maps).await,
        "users" => return remap_user(tx, props, maps).await,
        "procedure_templates" => {
            let old = props["id"].as_i64().context("a template without id")?;
            let here: Option<i32> = sqlx::query_scalar(
                "SELECT id FROM procedure_templates WHERE kind::text = $1 AND version = $2",
            )
            .bind(props["kind"].as_str())
            .bind(props["version"].as_i64())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = here {
                maps.templates.insert(old, id.into());
                maps.templates_kept.push(old);
                return Ok(false);
            }
            let id = next_id(tx, "procedure_templates").await?;
            maps.templates.insert(old, id);
            props["id"] = id.into();
        }
        "procedure_template_steps" => {
            let old = props["template_id"].as_i64().unwrap_or_default();
            if maps.templates_kept.contains(&old) {
                return Ok(false);
            }
            map_id(props, "template_id", &maps.templates);
        }
        "approval_chains" => return remap_chain(tx, props, maps, steps).await,
        "approval_steps" => {
            map_id(props, "chain_id", &maps.chains);
            let id = props["chain_id"].as_i64().unwrap_or_default();
            if !maps.chains_written.contains(&id) {
                return Ok(false);
            }
        }
        "projects" => map_id(props, "region_id", &maps.regions),
        "project_procedures" => map_id(props, "template_id", &maps.templates),
        "payment_batches" => map_id(props, "chain_id", &maps.chains),
        "audit_log" => {
            if let Some(o) = props.as_object_mut() {
                o.remove("id");
            }
        }
        _ => {}
    }
    Ok(true)
}

/// A region: the one of the same code here, else written with its own id where that is free.
async fn remap_region(
    tx: &mut PgConnection,
    props: &mut Value,
    maps: &mut Maps,
) -> anyhow::Result<bool> {
    let old = props["id"].as_i64().context("a region without id")?;
    let here: Option<(i64, Vec<i32>)> =
        sqlx::query_as("SELECT id::int8, lineage FROM regions WHERE code = $1")
            .bind(props["code"].as_str())
            .fetch_optional(&mut *tx)
            .await?;
    if let Some((id, lineage)) = here {
        maps.regions.insert(old, id);
        maps.lineages
            .insert(id, lineage.into_iter().map(i64::from).collect());
        return Ok(false);
    }
    // its own id where this onemap has none by it: a second export gives the same bytes
    let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM regions WHERE id = $1)")
        .bind(old as i32)
        .fetch_one(&mut *tx)
        .await?;
    let id = if taken {
        next_id(tx, "regions").await?
    } else {
        old
    };
    maps.regions.insert(old, id);
    map_id(props, "parent_id", &maps.regions);
    let mut lineage = props["parent_id"]
        .as_i64()
        .and_then(|p| maps.lineages.get(&p))
        .cloned()
        .unwrap_or_default();
    lineage.push(id);
    props["id"] = id.into();
    props["lineage"] = lineage.clone().into();
    maps.lineages.insert(id, lineage);
    Ok(true)
}

/// A person of the history: the one of the same name here, else added, unable to log in.
async fn remap_user(
    tx: &mut PgConnection,
    props: &mut Value,
    maps: &mut Maps,
) -> anyhow::Result<bool> {
    let old = props["id"].as_i64().context("a user without id")?;
    map_id(props, "region_id", &maps.regions);
    let here: Option<i32> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(props["username"].as_str())
        .fetch_optional(&mut *tx)
        .await?;
    let id = match here {
        Some(id) => i64::from(id),
        // the handing-over office's people, named in the history; they cannot log in here
        None => sqlx::query_scalar::<_, i32>(
            "INSERT INTO users (username, password_hash, role, region_id, created_at, disabled_at)
             VALUES ($1, '!', $2::user_role, $3, $4::timestamptz, now()) RETURNING id",
        )
        .bind(props["username"].as_str())
        .bind(props["role"].as_str())
        .bind(props["region_id"].as_i64().map(|r| r as i32))
        .bind(props["created_at"].as_str())
        .fetch_one(&mut *tx)
        .await?
        .into(),
    };
    maps.users.insert(old, id);
    Ok(false)
}

/// An approval chain: this onemap's global one of the same version and steps, else written
/// (another onemap's global chain is kept with the project, numbered after its own).
async fn remap_chain(
    tx: &mut PgConnection,
    props: &mut Value,
    maps: &mut Maps,
    steps: &[Value],
) -> anyhow::Result<bool> {
    let old = props["id"].as_i64().context("a chain without id")?;
    if props["project_id"].is_null() {
        let own: Vec<&Value> = steps
            .iter()
            .filter(|s| s["chain_id"].as_i64() == Some(old))
            .collect();
        if let Some(id) =
            same_global_chain(tx, props["version"].as_i64().unwrap_or_default(), &own).await?
        {
            maps.chains.insert(old, id);
            return Ok(false);
        }
        // another onemap's chain: kept with the project, numbered after its own
        props["version"] = (props["version"].as_i64().unwrap_or(1) + 1000).into();
        props["project_id"] = maps.project.into();
    }
    let id = next_id(tx, "approval_chains").await?;
    maps.chains.insert(old, id);
    maps.chains_written.push(id);
    props["id"] = id.into();
    Ok(true)
}

/// The id of this onemap's global chain of `version` with the same steps, if it has one.
async fn same_global_chain(
    tx: &mut PgConnection,
    version: i64,
    steps: &[&Value],
) -> anyhow::Result<Option<i64>> {
    let here: Option<(i64, Value)> = sqlx::query_as(
        "SELECT c.id, coalesce(jsonb_agg(jsonb_build_array(s.position, s.key, s.name, s.role, s.office) ORDER BY s.position), '[]')
           FROM approval_chains c LEFT JOIN approval_steps s ON s.chain_id = c.id
          WHERE c.project_id IS NULL AND c.version = $1 GROUP BY c.id",
    )
    .bind(version as i32)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, theirs)) = here else {
        return Ok(None);
    };
    let ours: Vec<Value> = steps
        .iter()
        .map(|s| {
            Value::from(vec![
                s["position"].clone(),
                s["key"].clone(),
                s["name"].clone(),
                s["role"].clone(),
                s["office"].clone(),
            ])
        })
        .collect();
    Ok((theirs == Value::from(ours)).then_some(id))
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
                    "ST_GeomFromGeoJSON(x.j -> 'geometry')".to_owned()
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
