//! The archive export: one project as one ZIP, written entry by entry in path order with fixed
//! times and permissions, every table streamed row by row (memory does not grow with the
//! project), and a manifest of each file's size and SHA-256 last.
use std::io::{Seek, Write};

use futures_util::TryStreamExt;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::layout::{self, PARTS};
use crate::auth::{Role, User};
use crate::error::{AppError, AppResult};
use crate::households::files::FileStore;

/// The archive format's name and version, in its manifest.
pub const FORMAT: &str = "onemap-project-archive";
/// 2: the estates, units and 选房 records travel with the project (1 had none)
pub const VERSION: u32 = 2;

/// One file of the archive as the manifest lists it.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// Counts bytes and hashes them on their way into the zip.
struct Hashing<'a, W: Write + Seek> {
    zip: &'a mut ZipWriter<W>,
    hasher: Sha256,
    size: u64,
}

impl<W: Write + Seek> Write for Hashing<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.zip.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.zip.flush()
    }
}

fn broken(e: &dyn std::fmt::Display) -> AppError {
    AppError::Internal(format!("archive: {e}"))
}

/// Writes the archive: entries are opened and closed through it, and listed for the manifest.
struct Archive<W: Write + Seek> {
    zip: ZipWriter<W>,
    entries: Vec<Entry>,
}

impl<W: Write + Seek> Archive<W> {
    fn options(path: &str) -> SimpleFileOptions {
        // what is compressed already (documents, scans, Office files) is stored as it is
        let packed = path.starts_with("files/")
            || [".docx", ".xlsx"]
                .iter()
                .any(|e| path.to_ascii_lowercase().ends_with(e));
        SimpleFileOptions::default()
            .compression_method(if packed {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            })
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644)
            .large_file(true)
    }

    fn open(&mut self, path: &str) -> AppResult<Hashing<'_, W>> {
        self.zip
            .start_file(path, Self::options(path))
            .map_err(|e| broken(&e))?;
        self.entries.push(Entry {
            path: path.to_owned(),
            size: 0,
            sha256: String::new(),
        });
        Ok(Hashing {
            zip: &mut self.zip,
            hasher: Sha256::new(),
            size: 0,
        })
    }

    fn close(&mut self, size: u64, hasher: Sha256) {
        let last = self.entries.last_mut().expect("an entry was opened");
        last.size = size;
        last.sha256 = crate::hex::encode(&hasher.finalize());
    }

    fn put(&mut self, path: &str, bytes: &[u8]) -> AppResult<()> {
        let mut w = self.open(path)?;
        w.write_all(bytes).map_err(|e| broken(&e))?;
        let (size, hasher) = (w.size, w.hasher);
        self.close(size, hasher);
        Ok(())
    }
}

/// The user the export reads as: an admin of no region (the CLI has no session).
#[must_use]
pub fn reader() -> User {
    User {
        id: 0,
        username: "archive".into(),
        role: Role::Admin,
        region_id: None,
        region_code: None,
        kiosk: false,
    }
}

/// The SQL giving one text line per row of `part` for project `$1`, leaving out `generated`
/// columns (made again on import).
fn rows_sql(part: &layout::Part, generated: &[String]) -> String {
    let rows = if part.table == "users" {
        part.rows
            .replace("{audit}", include_str!("../../sql/archive/audit.sql"))
            .replace("{units}", include_str!("../../sql/archive/units.sql"))
    } else {
        part.rows.to_owned()
    };
    // generated columns are made again on import; users travel without their password hashes,
    // petitions without the petitioner's phone (the archive carries names and ID numbers, as the
    // ledger does, but no phone numbers)
    let mut left_out: Vec<String> = generated.iter().map(|c| format!("'{c}'")).collect();
    left_out.extend(
        [
            "'password_hash'",
            "'geom'",
            "'last_login_at'",
            "'locked_until'",
            "'petitioner_phone'",
        ]
        .map(String::from),
    );
    let drop = format!("ARRAY[{}]", left_out.join(", "));
    let body = if part.geometry {
        format!(
            "jsonb_build_object('type', 'Feature', 'properties', to_jsonb(t) - {drop}, \
                 'geometry', ST_AsGeoJSON(t.geom, 15)::jsonb)::text"
        )
    } else {
        format!("(to_jsonb(t) - {drop})::text")
    };
    format!(
        "SELECT {body} FROM {} t WHERE {rows} ORDER BY {}",
        part.table, part.order
    )
}

/// Exports project `code` into `out` (a file or a buffer); returns the manifest's entries.
pub async fn export<W: Write + Seek>(
    pool: &PgPool,
    files: &FileStore,
    code: &str,
    out: W,
) -> AppResult<(W, Vec<Entry>)> {
    let project = crate::projects::by_code(pool, code).await?;
    let data_time: String = sqlx::query_scalar(include_str!("../../sql/archive/data_time.sql"))
        .bind(project.id)
        .fetch_one(pool)
        .await?;
    let day = chrono::NaiveDateTime::parse_from_str(&data_time, "%Y-%m-%dT%H:%M:%S")
        .map_err(|e| broken(&e))?
        .and_utc()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
        .date_naive();
    let mut archive = Archive {
        zip: ZipWriter::new(out),
        entries: Vec::new(),
    };

    agreements(pool, &mut archive, project.id, day).await?;
    data(pool, &mut archive, project.id).await?;
    stored_files(pool, files, &mut archive, project.id).await?;
    // ledger/: the petitions with their timeliness on the data's day, the household ledger and
    // the procedure ledger, as people read them (in path order: 信 < 台 < 程)
    let petitions: Value = sqlx::query_scalar(include_str!("../../sql/archive/petitions.sql"))
        .bind(project.id)
        .bind(day)
        .fetch_one(pool)
        .await?;
    archive.put(
        "ledger/信访.json",
        &serde_json::to_vec_pretty(&petitions).map_err(|e| broken(&e))?,
    )?;
    let ledger = crate::exports::ledger::ledger_created(
        pool,
        project.id,
        true,
        None,
        Some(&data_time),
        None,
    )
    .await?;
    archive.put("ledger/台账.xlsx", &ledger)?;
    let mut procedure =
        crate::procedure::read::ledger(pool, project.id, crate::procedure::read::Reader::Staff)
            .await?
            .unwrap_or(Value::Null);
    timeless(&mut procedure);
    archive.put(
        "ledger/程序台账.json",
        &serde_json::to_vec_pretty(&procedure).map_err(|e| broken(&e))?,
    )?;
    archive.put(
        "ledger/程序台账.xlsx",
        &procedure_workbook(&procedure, &data_time)?,
    )?;

    // manifest.json, last: it lists every file before it
    let name: (String, String) =
        sqlx::query_as("SELECT name, kind::text FROM projects WHERE id = $1")
            .bind(project.id)
            .fetch_one(pool)
            .await?;
    let manifest = json!({
        "format": FORMAT, "version": VERSION,
        "project": { "code": code, "name": name.0, "kind": name.1 },
        "data_time": format!("{data_time}Z"),
        "files": archive.entries,
    });
    let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| broken(&e))?;
    archive
        .zip
        .start_file("manifest.json", Archive::<W>::options("manifest.json"))
        .map_err(|e| broken(&e))?;
    archive.zip.write_all(&manifest).map_err(|e| broken(&e))?;
    let entries = archive.entries;
    let out = archive.zip.finish().map_err(|e| broken(&e))?;
    Ok((out, entries))
}

/// agreements/<household>.docx: the agreement as the desk makes it, as of the data's day.
async fn agreements<W: Write + Seek>(
    pool: &PgPool,
    archive: &mut Archive<W>,
    project: i64,
    day: chrono::NaiveDate,
) -> AppResult<()> {
    let signed: Vec<(i64, String)> = sqlx::query_as(
        "SELECT a.household_id, h.code FROM agreements a JOIN households h ON h.id = a.household_id
          WHERE a.project_id = $1 AND a.voided_at IS NULL ORDER BY h.code COLLATE \"C\"",
    )
    .bind(project)
    .fetch_all(pool)
    .await?;
    let reader = reader();
    for (id, household) in signed {
        let (_, docx) =
            crate::households::agreement_doc::generate_on(pool, &reader, id, day).await?;
        archive.put(&format!("agreements/{household}.docx"), &docx)?;
    }

    Ok(())
}

/// data/: every table's rows of the project, in path order, streamed row by row.
async fn data<W: Write + Seek>(
    pool: &PgPool,
    archive: &mut Archive<W>,
    project: i64,
) -> AppResult<()> {
    let mut parts: Vec<&layout::Part> = PARTS.iter().collect();
    parts.sort_by_key(|p| layout::path(p));
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL TIME ZONE 'UTC'")
        .execute(&mut *tx)
        .await?;
    for part in parts {
        let path = layout::path(part);
        let generated: Vec<String> = sqlx::query_scalar(
            "SELECT attname::text FROM pg_attribute WHERE attrelid = $1::regclass AND attgenerated <> '' ORDER BY attnum",
        )
        .bind(part.table)
        .fetch_all(&mut *tx)
        .await?;
        let sql = rows_sql(part, &generated);
        let mut w = archive.open(&path)?;
        let mut rows = sqlx::query_scalar::<_, String>(&sql)
            .bind(project)
            .fetch(&mut *tx);
        while let Some(line) = rows.try_next().await? {
            w.write_all(line.as_bytes())
                .and_then(|()| w.write_all(b"\n"))
                .map_err(|e| broken(&e))?;
        }
        drop(rows);
        let (size, hasher) = (w.size, w.hasher);
        archive.close(size, hasher);
    }
    tx.commit().await?;

    Ok(())
}

/// files/<sha256>: every household attachment and step document, once per content.
async fn stored_files<W: Write + Seek>(
    pool: &PgPool,
    files: &FileStore,
    archive: &mut Archive<W>,
    project: i64,
) -> AppResult<()> {
    // the floor plans of the unit types that travel (套型图)
    let types = layout::PARTS
        .iter()
        .find(|p| p.table == "estate_unit_types")
        .map_or("false", |p| p.rows);
    let contents: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT a.sha256 FROM attachments a JOIN households h ON h.id = a.household_id
           JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1
         UNION SELECT sha256 FROM step_documents WHERE project_id = $1
         UNION SELECT floor_plan_sha256 FROM estate_unit_types WHERE floor_plan_sha256 IS NOT NULL AND {types} ORDER BY 1"
    ))
    .bind(project)
    .fetch_all(pool)
    .await?;
    for sha256 in contents {
        let path = files.path(&sha256);
        let mut file = std::fs::File::open(&path).map_err(|e| {
            AppError::Internal(format!(
                "archive: the stored file {sha256} cannot be read: {e}"
            ))
        })?;
        let mut w = archive.open(&format!("files/{sha256}"))?;
        std::io::copy(&mut file, &mut w).map_err(|e| broken(&e))?;
        let (size, hasher) = (w.size, w.hasher);
        archive.close(size, hasher);
    }

    Ok(())
}

/// The procedure ledger without what depends on the day it is read (today, overdue): the
/// archive holds the record, not a reading of it.
fn timeless(ledger: &mut Value) {
    if let Some(o) = ledger.as_object_mut() {
        o.remove("today");
    }
    for step in ledger["steps"].as_array_mut().into_iter().flatten() {
        if let Some(o) = step.as_object_mut() {
            o.remove("shown_state");
        }
    }
}

/// The procedure ledger as a workbook: one row per step.
fn procedure_workbook(ledger: &Value, created: &str) -> AppResult<Vec<u8>> {
    use crate::xlsx::Cell;
    const COLUMNS: [(&str, &str); 12] = [
        ("seq", "序号"),
        ("name", "步骤"),
        ("stage", "阶段"),
        ("state", "状态"),
        ("planned_start", "计划开始"),
        ("planned_end", "计划完成"),
        ("actual_start", "实际开始"),
        ("actual_end", "实际完成"),
        ("legal_due", "法定期限"),
        ("legal_basis", "法律依据"),
        ("note", "备注"),
        ("waive_reason", "免办理由"),
    ];
    let headers: Vec<String> = COLUMNS.iter().map(|(_, h)| (*h).to_owned()).collect();
    let mut rows: Vec<Vec<Cell>> = ledger["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| COLUMNS.iter().map(|(k, _)| Cell::from(&s[*k])).collect())
        .collect();
    for (row, step) in rows
        .iter_mut()
        .zip(ledger["steps"].as_array().into_iter().flatten())
    {
        row.push(Cell::from(&step["responsible"]["username"]));
    }
    let mut headers = headers;
    headers.push("负责人".into());
    crate::xlsx::created_at("程序台账", &headers, &rows, &[], Some(created))
}
