//! Imports a project's household ledger (被征收户台账) from XLSX or CSV with Chinese headers:
//! each row checked (ID number check digit, counts, areas, known building), all or nothing,
//! re-imports updating by household code. Statuses are not imported: they move by events.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use gdal::vector::LayerAccess;
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use serde_json::json;
use sqlx::PgPool;

use super::limits::thousands;
use super::prepare::{FileKind, Prepared};
use super::{announce, copy_text, sandbox, Issue, Progress, Report};
use crate::auth::User;
use crate::error::{AppError, AppResult};

/// The ledger's columns: the name in the template, the other names accepted, what it holds.
pub const COLUMNS: [(&str, &[&str], &str); 8] = [
    (
        "户编码",
        &["code", "户号"],
        "户的唯一编码；再次导入时按它更新",
    ),
    (
        "房屋编码",
        &["building", "房屋编号"],
        "该户所在房屋的编码（须属于本项目）",
    ),
    ("户主姓名", &["holder_name", "户主"], "户主姓名"),
    (
        "身份证号",
        &["holder_id_number", "身份证号码"],
        "18 位居民身份证号（校验位须正确）",
    ),
    ("家庭人口", &["members", "人口"], "1–30"),
    (
        "登记面积",
        &["recorded_area", "登记面积(m²)", "面积"],
        "登记建筑面积，m²，大于 0",
    ),
    ("安置方式", &["resettlement"], "货币补偿 或 产权调换；可空"),
    ("疑难户", &["困难户", "difficult"], "是 或 否；空为否"),
];

#[derive(Debug)]
struct LedgerRow {
    row: usize,
    code: String,
    building: String,
    name: String,
    id_number: String,
    members: i16,
    area: f64,
    resettlement: Option<&'static str>,
    difficult: bool,
}

fn value(fields: &BTreeMap<String, String>, column: usize) -> Option<&str> {
    let (name, others, _) = COLUMNS[column];
    let names: Vec<&str> = std::iter::once(name)
        .chain(others.iter().copied())
        .collect();
    super::fields::find(fields, &names).map(|(_, v)| v)
}

fn parse_row(row: usize, fields: &BTreeMap<String, String>) -> Result<LedgerRow, String> {
    let required = |column: usize| {
        value(fields, column)
            .map(str::to_owned)
            .ok_or_else(|| format!("{}: missing", COLUMNS[column].0))
    };
    let id_number = required(3)?.to_uppercase();
    if !crate::id_number::is_valid(&id_number) {
        return Err(format!(
            "身份证号: `{id_number}` is not 17 digits and a valid check character"
        ));
    }
    let members_text = required(4)?;
    let members = members_text
        .parse::<f64>()
        .ok()
        .filter(|m| m.fract() == 0.0 && (1.0..=30.0).contains(m))
        .ok_or_else(|| format!("家庭人口: `{members_text}` is not a whole number from 1 to 30"))?;
    let area_text = required(5)?;
    let area = area_text
        .parse::<f64>()
        .ok()
        .filter(|a| *a > 0.0 && a.is_finite())
        .ok_or_else(|| format!("登记面积: `{area_text}` is not an area above 0"))?;
    let resettlement = match value(fields, 6) {
        None => None,
        Some("货币补偿" | "货币" | "monetary") => Some("monetary"),
        Some("产权调换" | "房屋安置" | "property_swap") => Some("property_swap"),
        Some(other) => return Err(format!("安置方式: `{other}` is not 货币补偿 or 产权调换")),
    };
    let difficult = match value(fields, 7) {
        None | Some("否" | "no" | "false" | "0") => false,
        Some("是" | "yes" | "true" | "1") => true,
        Some(other) => return Err(format!("疑难户: `{other}` is not 是 or 否")),
    };
    #[allow(clippy::cast_possible_truncation)]
    let members = members as i16;
    Ok(LedgerRow {
        row,
        code: required(0)?,
        building: required(1)?,
        name: required(2)?,
        id_number,
        members,
        area,
        resettlement,
        difficult,
    })
}

/// A spreadsheet row number and its cells by header.
pub(crate) type TableRow = (usize, BTreeMap<String, String>);

/// Most rows one ledger may hold: every row is held while it is checked, and a project has
/// thousands of households, not hundreds of thousands.
pub const MAX_LEDGER_ROWS: usize = 200_000;

/// The rows of an XLSX (first sheet) or CSV file with a header row, numbered as the
/// spreadsheet numbers them (the header is row 1). `prepare` has checked the file: the
/// workbook's inflated size, the CSV's UTF-8.
pub(crate) fn read_table(file: &Prepared) -> Result<Vec<TableRow>, AppError> {
    let file_name = file.name.as_str();
    let csv = match file.kind {
        FileKind::Csv => true,
        FileKind::Xlsx => false,
        other => {
            return Err(AppError::Unprocessable(format!(
                "file: `{file_name}` is {}; a household ledger is XLSX or CSV",
                other.label()
            )))
        }
    };
    sandbox::harden();
    // headers always from the first row, every cell as text (numbers keep their digits)
    for (key, value) in [
        ("OGR_XLSX_HEADERS", "FORCE"),
        ("OGR_XLSX_FIELD_TYPES", "STRING"),
    ] {
        gdal::config::set_config_option(key, value).map_err(|e| {
            AppError::Unprocessable(format!("file: {e}"))
                .coded(crate::error::Code::UploadUnreadable, json!({}))
        })?;
    }
    let options: &[&str] = if csv {
        &["HEADERS=YES", "AUTODETECT_TYPE=NO"]
    } else {
        &[]
    };
    let driver = [file.kind.driver()];
    let dataset = Dataset::open_ex(
        &file.path,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR,
            allowed_drivers: Some(&driver),
            open_options: Some(options),
            sibling_files: None,
        },
    )
    .map_err(|e| {
        AppError::Unprocessable(format!(
            "file: `{file_name}` is not a readable {}: {e}",
            if csv { "CSV" } else { "XLSX" }
        ))
        .coded(crate::error::Code::UploadUnreadable, json!({}))
    })?;
    let mut layer = dataset.layer(0).map_err(|e| {
        AppError::Unprocessable(format!("file: no sheet: {e}"))
            .coded(crate::error::Code::UploadUnreadable, json!({}))
    })?;
    let mut rows = Vec::new();
    for (i, f) in layer.features().enumerate() {
        if i == MAX_LEDGER_ROWS {
            return Err(AppError::Unprocessable(format!(
                "file: `{file_name}` holds more than {} rows; a ledger may hold at most that many",
                thousands(MAX_LEDGER_ROWS as u64)
            )));
        }
        // XLSX ids are sheet rows; CSV ids count data lines from 1
        let fid = usize::try_from(f.fid().unwrap_or(0)).unwrap_or(0);
        let row = if csv {
            fid + 1
        } else if fid > 0 {
            fid
        } else {
            i + 2
        };
        let fields = f
            .fields()
            .filter_map(|(k, v)| {
                v.and_then(gdal::vector::FieldValue::into_string)
                    .map(|v| (k, v))
            })
            .collect();
        rows.push((row, fields));
    }
    Ok(rows)
}

/// Every row whose 户编码 another row also has, over all rows, not only the well-formed ones.
fn codes_given_twice(table: &[TableRow]) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut rows_of_code: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for (row, fields) in table {
        if let Some(code) = value(fields, 0) {
            rows_of_code.entry(code).or_default().push(*row);
        }
    }
    for (code, rows) in rows_of_code.iter().filter(|(_, rows)| rows.len() > 1) {
        for row in rows {
            let others: Vec<String> = rows
                .iter()
                .filter(|r| *r != row)
                .map(ToString::to_string)
                .collect();
            let problem = format!("户编码: {code} is also in rows {}", others.join(", "));
            let values = json!({ "row": row, "code": code, "rows": others.join(", ") });
            issues.push(Issue::found(
                i32::try_from(*row).unwrap_or(0),
                Some((*code).to_owned()),
                problem,
                "rejected".into(),
                "row_code_repeated",
                values,
            ));
        }
    }
    issues
}

/// Sends the well-formed rows to the transaction's staging table in one COPY.
async fn stage_rows(tx: &mut sqlx::PgConnection, rows: &[LedgerRow]) -> AppResult<()> {
    let mut copy = tx
        .copy_in_raw(
            "COPY ledger_rows (row, code, building, holder_name, holder_id_number, members, \
             recorded_area, resettlement, difficult) FROM STDIN",
        )
        .await?;
    let mut text = String::new();
    for r in rows {
        let _ = write!(text, "{}\t", r.row);
        for field in [&r.code, &r.building, &r.name, &r.id_number] {
            copy_text(&mut text, Some(field));
            text.push('\t');
        }
        let _ = writeln!(
            text,
            "{}\t{}\t{}\t{}",
            r.members,
            r.area,
            r.resettlement.unwrap_or("\\N"),
            r.difficult
        );
    }
    copy.send(text.as_bytes()).await?;
    copy.finish().await?;
    Ok(())
}

/// Imports the ledger into project `project` (a code); all or nothing. A written ledger
/// leaves an audit line: it writes names and ID numbers.
pub async fn import_ledger(
    pool: &PgPool,
    user: &User,
    file: Arc<Prepared>,
    project: &str,
    progress: Arc<Progress>,
) -> AppResult<Report> {
    let project_id = super::writable_project(pool, user, project).await?.id;
    progress.set("reading", 0, 0);
    let file_name = file.name.clone();
    let table = tokio::task::spawn_blocking(move || read_table(&file))
        .await
        .map_err(|e| AppError::thread("file", e))??;
    if table.is_empty() {
        return Err(AppError::Unprocessable(format!(
            "file: `{file_name}` has no rows under its header"
        )));
    }
    let mut report = Report {
        file: file_name.clone(),
        read: table.len(),
        ..Report::default()
    };
    report.rejected = codes_given_twice(&table);
    let mut rows = Vec::with_capacity(table.len());
    for (row, fields) in &table {
        match parse_row(*row, fields) {
            Ok(r) => rows.push(r),
            Err(problem) => report.rejected.push(Issue::of_field(
                *row,
                value(fields, 0).map(str::to_owned),
                problem,
            )),
        }
    }
    progress.set("checking", 0, table.len());
    let mut tx = pool.begin().await?;
    sqlx::query(include_str!("../../sql/import/ledger_stage.sql"))
        .execute(&mut *tx)
        .await?;
    stage_rows(&mut tx, &rows).await?;
    let issues: Vec<(i32, String, String, String, serde_json::Value)> =
        sqlx::query_as(include_str!("../../sql/import/ledger_issues.sql"))
            .bind(project_id)
            .fetch_all(&mut *tx)
            .await?;
    report.rejected.extend(
        issues
            .into_iter()
            .map(|(row, id, problem, reason, values)| {
                Issue::found(row, Some(id), problem, "rejected".into(), &reason, values)
            }),
    );
    report.rejected.sort_by_key(|i| i.row);
    if !report.rejected.is_empty() {
        progress.set("failed", 0, 0);
        return Ok(report);
    }
    progress.set("writing", 0, rows.len());
    let written: Vec<bool> = sqlx::query_scalar(include_str!("../../sql/import/ledger_upsert.sql"))
        .bind(project_id)
        .fetch_all(&mut *tx)
        .await?;
    report.inserted = written.iter().filter(|i| **i).count();
    report.updated = written.len() - report.inserted;
    report.unchanged = rows.len() - written.len();
    let detail = json!({ "file": file_name, "rows": rows.len(), "inserted": report.inserted, "updated": report.updated, "unchanged": report.unchanged });
    audit_ledger(&mut tx, user, project, detail).await?;
    announce(&mut tx, project_id).await?;
    tx.commit().await?;
    report.written = true;
    progress.set("done", rows.len(), rows.len());
    super::settle_written(
        pool,
        &[
            "households",
            "buildings",
            "project_figures",
            "region_figures",
        ],
    )
    .await;
    Ok(report)
}

/// The audit line of a written ledger, in its transaction: who, which project, which file,
/// how many rows. The command line runs as no account (user 0): its line names the system
/// user who ran it instead.
async fn audit_ledger(
    tx: &mut sqlx::PgConnection,
    user: &User,
    project: &str,
    mut detail: serde_json::Value,
) -> AppResult<()> {
    let subject = format!("project {project}");
    if user.id > 0 {
        return crate::audit::audit(tx, user, "household_ledger_imported", &subject, detail).await;
    }
    let system_user = std::env::var("SUDO_USER")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "unknown".into());
    detail["by"] = json!(format!(
        "{} (command line, system user {system_user})",
        user.username
    ));
    sqlx::query("INSERT INTO audit_log (user_id, action, subject, detail) VALUES (NULL, 'household_ledger_imported', $1, $2)")
        .bind(subject)
        .bind(detail)
        .execute(tx)
        .await?;
    Ok(())
}

/// The ledger template: the header row, one made-up example row, and a sheet saying what
/// each column holds.
pub fn template() -> AppResult<Vec<u8>> {
    use crate::xlsx::{with_notes, Cell};
    let headers: Vec<String> = COLUMNS
        .iter()
        .map(|(name, _, _)| (*name).to_owned())
        .collect();
    let example = vec![
        Cell::Text("H-0001".into()),
        Cell::Text("B-0001".into()),
        Cell::Text("张三".into()),
        Cell::Text(format!(
            "11010519491231002{}",
            crate::id_number::check_char("11010519491231002")
        )),
        Cell::Number(3.0),
        Cell::Number(86.5),
        Cell::Text("货币补偿".into()),
        Cell::Text("否".into()),
    ];
    let notes: Vec<(&str, &str)> = COLUMNS
        .iter()
        .map(|(name, _, note)| (*name, *note))
        .collect();
    with_notes("被征收户台账", &headers, &[example], &notes)
}
