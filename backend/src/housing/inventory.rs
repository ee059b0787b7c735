//! Imports an estate's units (房源表) from the XLSX or CSV a housing office keeps, with Chinese
//! headers (小区, 栋, 单元, 层, 室, 套型, 建筑面积, 安置价, 市场价, 朝向, 状态): every row checked
//! and named when wrong (row, column, what), nothing written on any error unless the valid
//! rows are accepted (`accept_valid`); re-imports update units by 栋-单元-层-室. Buildings and
//! 套型 come with their first unit. A status from the file is only 可选 or 保留: past that a unit
//! names a household, and moves at the desk or the selection day.
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::{json, Value};
use sqlx::PgPool;

use super::estates::Estate;
use super::UnitStatus;
use crate::auth::User;
use crate::error::{AppError, AppResult};
use crate::import::{ledger::read_table, Issue, Prepared};

/// The columns: the name in the template, other names accepted, what it holds.
pub const COLUMNS: [(&str, &[&str], &str); 12] = [
    (
        "小区",
        &["estate", "安置小区"],
        "小区名称或编码；可空，填写时须为本小区",
    ),
    ("栋", &["building", "楼栋", "幢"], "楼栋，如 3 或 3栋"),
    ("单元", &["entrance"], "单元号 1–20"),
    ("层", &["floor", "楼层"], "楼层 -3–99，不为 0"),
    (
        "室",
        &["room", "房号"],
        "房号，如 0302（数字、字母、-，至多 8 位）",
    ),
    (
        "套型",
        &["type", "户型"],
        "套型编码，如 A、B1（字母、数字、-）",
    ),
    ("套型名称", &["type_name", "户型名称"], "如 三室两厅；可空"),
    ("建筑面积", &["area", "面积"], "m²，大于 0、小于 1000"),
    ("安置价", &["price", "安置单价"], "元/m²，不小于 0"),
    (
        "市场价",
        &["market_price", "市场单价"],
        "元/m²，不小于安置价",
    ),
    (
        "朝向",
        &["orientation"],
        "南、北、东、西、东南、西南、东北、西北、南北；可空",
    ),
    ("状态", &["status"], "可选 或 保留；空为可选"),
];

const ORIENTATIONS: [&str; 9] = [
    "南", "北", "东", "西", "东南", "西南", "东北", "西北", "南北",
];

#[derive(Debug, Clone)]
struct UnitRow {
    row: usize,
    building: String,
    entrance: i16,
    floor: i16,
    room: String,
    type_code: String,
    type_name: Option<String>,
    area: f64,
    price: f64,
    market_price: f64,
    orientation: Option<String>,
    status: UnitStatus,
}

fn value(fields: &BTreeMap<String, String>, column: usize) -> Option<&str> {
    let (name, others, _) = COLUMNS[column];
    let names: Vec<&str> = std::iter::once(name)
        .chain(others.iter().copied())
        .collect();
    crate::import::fields::find(fields, &names).map(|(_, v)| v)
}

/// A whole number within `range` in column `column`.
fn whole(
    fields: &BTreeMap<String, String>,
    column: usize,
    range: std::ops::RangeInclusive<i16>,
) -> Result<i16, String> {
    let name = COLUMNS[column].0;
    let text = value(fields, column).ok_or_else(|| format!("{name}: missing"))?;
    text.trim_end_matches(['层', '单', '元'])
        .parse::<f64>()
        .ok()
        .filter(|n| {
            n.fract() == 0.0 && (f64::from(*range.start())..=f64::from(*range.end())).contains(n)
        })
        .map(|n| n as i16)
        .ok_or_else(|| {
            format!(
                "{name}: `{text}` is not a whole number from {} to {}",
                range.start(),
                range.end()
            )
        })
}

/// A number above (or with `zero`, at least) 0 and below `below` in column `column`.
fn amount(
    fields: &BTreeMap<String, String>,
    column: usize,
    zero: bool,
    below: f64,
) -> Result<f64, String> {
    let name = COLUMNS[column].0;
    let text = value(fields, column).ok_or_else(|| format!("{name}: missing"))?;
    text.replace(',', "")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && (*n > 0.0 || (zero && *n == 0.0)) && *n < below)
        .ok_or_else(|| {
            format!(
                "{name}: `{text}` is not a number from {} to below {below}",
                if zero { "0" } else { "above 0" }
            )
        })
}

fn parse_row(
    row: usize,
    fields: &BTreeMap<String, String>,
    estate: &Estate,
    estate_name: &str,
) -> Result<UnitRow, String> {
    if let Some(named) = value(fields, 0) {
        if named != estate.code && named != estate_name {
            return Err(format!(
                "小区: `{named}` is not this estate ({estate_name}, {})",
                estate.code
            ));
        }
    }
    let building = value(fields, 1).ok_or("栋: missing")?.to_owned();
    if building.chars().count() > 16 {
        return Err(format!("栋: `{building}` is longer than 16 characters"));
    }
    let entrance = whole(fields, 2, 1..=20)?;
    let floor = whole(fields, 3, -3..=99)?;
    if floor == 0 {
        return Err("层: there is no floor 0 (the first floor below ground is -1)".into());
    }
    let room = value(fields, 4).ok_or("室: missing")?.to_owned();
    if room.is_empty()
        || room.len() > 8
        || !room.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(format!("室: `{room}` is not up to 8 digits, letters or -"));
    }
    let type_code = value(fields, 5).ok_or("套型: missing")?.to_owned();
    if type_code.len() > 16
        || !type_code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(format!(
            "套型: `{type_code}` is not up to 16 letters, digits or -"
        ));
    }
    let area = amount(fields, 7, false, 1000.0)?;
    let price = amount(fields, 8, true, 1e9)?;
    let market_price = amount(fields, 9, true, 1e9)?;
    if market_price < price {
        return Err(format!(
            "市场价: {market_price} is below the 安置价 {price}"
        ));
    }
    let orientation = match value(fields, 10) {
        None => None,
        Some(o) if ORIENTATIONS.contains(&o) => Some(o.to_owned()),
        Some(o) => {
            return Err(format!(
                "朝向: `{o}` is not one of {}",
                ORIENTATIONS.join("、")
            ))
        }
    };
    let status = match value(fields, 11) {
        None | Some("可选" | "available") => UnitStatus::Available,
        Some("保留" | "reserved") => UnitStatus::Reserved,
        Some(other) => {
            return Err(format!(
                "状态: `{other}` is not 可选 or 保留 (a unit past those names a household: it moves at the desk or the selection day)"
            ))
        }
    };
    Ok(UnitRow {
        row,
        building,
        entrance,
        floor,
        room,
        type_code,
        type_name: value(fields, 6).map(str::to_owned),
        area,
        price,
        market_price,
        orientation,
        status,
    })
}

/// Rows naming a unit (栋-单元-层-室) another row names too.
fn units_given_twice(rows: &[UnitRow]) -> Vec<Issue> {
    let mut seen: HashMap<(String, i16, i16, String), usize> = HashMap::new();
    let mut issues = Vec::new();
    for r in rows {
        let key = (r.building.clone(), r.entrance, r.floor, r.room.clone());
        if let Some(first) = seen.get(&key) {
            issues.push(Issue::of_field(
                r.row,
                Some(format!("{}-{}-{}", r.building, r.entrance, r.room)),
                format!(
                    "室: {}-{}单元-{} is also in row {first}",
                    r.building, r.entrance, r.room
                ),
            ));
        } else {
            seen.insert(key, r.row);
        }
    }
    issues
}

/// What an import did: rows read, written or not, units inserted and updated, rejected rows.
#[derive(serde::Serialize, Default)]
pub struct InventoryReport {
    pub file: String,
    pub read: usize,
    pub written: bool,
    pub accept_valid: bool,
    pub inserted: usize,
    pub updated: usize,
    pub rejected: Vec<Issue>,
}

/// Imports `file` into estate `estate` for `user` (admins, operators of its region): all or
/// nothing, or with `accept_valid` the rows that pass. Audited when written.
pub async fn import(
    pool: &PgPool,
    user: &User,
    estate: &Estate,
    file: Arc<Prepared>,
    accept_valid: bool,
) -> AppResult<InventoryReport> {
    crate::auth::authorize(user, &estate.lineage, &format!("estate {}", estate.code))?;
    let estate_name: String = sqlx::query_scalar("SELECT name FROM estates WHERE id = $1")
        .bind(estate.id)
        .fetch_one(pool)
        .await?;
    let file_name = file.name.clone();
    let table = tokio::task::spawn_blocking(move || read_table(&file))
        .await
        .map_err(|e| AppError::thread("file", e))??;
    if table.is_empty() {
        return Err(AppError::Unprocessable(format!(
            "file: `{file_name}` has no rows under its header"
        )));
    }
    let mut report = InventoryReport {
        file: file_name.clone(),
        read: table.len(),
        ..InventoryReport::default()
    };
    let mut rows = Vec::with_capacity(table.len());
    for (row, fields) in &table {
        match parse_row(*row, fields, estate, &estate_name) {
            Ok(r) => rows.push(r),
            Err(problem) => report.rejected.push(Issue::of_field(*row, None, problem)),
        }
    }
    let twice = units_given_twice(&rows);
    let twice_rows: Vec<usize> = twice.iter().map(|i| i.row).collect();
    rows.retain(|r| !twice_rows.contains(&r.row));
    report.rejected.extend(twice);
    report.rejected.sort_by_key(|i| i.row);
    if (!report.rejected.is_empty() && !accept_valid) || rows.is_empty() {
        return Ok(report);
    }
    report.accept_valid = !report.rejected.is_empty();
    let mut tx = pool.begin().await?;
    super::units::act_as(&mut tx, user.id).await?;
    // buildings and types first (floors grow to the highest floor given), then the units
    let units = json!(rows.iter().map(|r| json!({
        "building": r.building, "entrance": r.entrance, "floor": r.floor, "room": r.room, "type": r.type_code,
        "type_name": r.type_name, "area": r.area, "price": r.price, "market_price": r.market_price,
        "orientation": r.orientation, "status": r.status,
    })).collect::<Vec<Value>>());
    let inserted: Vec<bool> =
        sqlx::query_scalar(include_str!("../../sql/housing/inventory_upsert.sql"))
            .bind(estate.id)
            .bind(&units)
            .fetch_all(&mut *tx)
            .await?;
    report.inserted = inserted.iter().filter(|i| **i).count();
    report.updated = inserted.len() - report.inserted;
    let detail = json!({ "file": file_name, "rows": rows.len(), "inserted": report.inserted, "updated": report.updated,
                         "left_out": report.rejected.len() });
    crate::audit::audit(
        &mut tx,
        user,
        "estate.inventory_imported",
        &format!("estate {}", estate.code),
        detail,
    )
    .await?;
    tx.commit().await?;
    report.written = true;
    Ok(report)
}

/// The template: the header row, two made-up example rows, and a sheet saying what each column holds.
pub fn template() -> AppResult<Vec<u8>> {
    use crate::xlsx::{with_notes, Cell};
    let headers: Vec<String> = COLUMNS
        .iter()
        .map(|(name, _, _)| (*name).to_owned())
        .collect();
    let example = |room: &str, kind: &str, name: &str, area: f64, orientation: &str| {
        vec![
            Cell::Text("桃源新村".into()),
            Cell::Text("1栋".into()),
            Cell::Number(1.0),
            Cell::Number(3.0),
            Cell::Text(room.into()),
            Cell::Text(kind.into()),
            Cell::Text(name.into()),
            Cell::Number(area),
            Cell::Number(3800.0),
            Cell::Number(8400.0),
            Cell::Text(orientation.into()),
            Cell::Text("可选".into()),
        ]
    };
    let rows = [
        example("0301", "C", "四室两厅", 120.5, "东南"),
        example("0302", "A", "两室一厅", 60.2, "南北"),
    ];
    let notes: Vec<(&str, &str)> = COLUMNS
        .iter()
        .map(|(name, _, note)| (*name, *note))
        .collect();
    with_notes("安置房源", &headers, &rows, &notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn estate() -> Estate {
        Estate {
            id: 1,
            code: "AZ-1".into(),
            lineage: vec![1],
        }
    }

    const GOOD: [(&str, &str); 9] = [
        ("栋", "1栋"),
        ("单元", "2"),
        ("层", "3"),
        ("室", "0302"),
        ("套型", "B"),
        ("建筑面积", "89.6"),
        ("安置价", "3800"),
        ("市场价", "8,400"),
        ("朝向", "南北"),
    ];

    #[test]
    fn a_good_row_reads_whole() {
        let r = parse_row(2, &fields(&GOOD), &estate(), "桃源新村").expect("good");
        assert_eq!(
            (r.entrance, r.floor, r.room.as_str(), r.market_price),
            (2, 3, "0302", 8400.0)
        );
        assert_eq!(r.status, UnitStatus::Available);
    }

    #[test]
    fn a_bad_cell_names_its_column() {
        let mut f = fields(&GOOD);
        f.insert("层".into(), "0".into());
        assert!(parse_row(2, &f, &estate(), "x")
            .expect_err("a bad row")
            .starts_with("层:"));
        let mut f = fields(&GOOD);
        f.insert("市场价".into(), "100".into());
        assert!(parse_row(2, &f, &estate(), "x")
            .expect_err("a bad row")
            .starts_with("市场价:"));
        let mut f = fields(&GOOD);
        f.insert("状态".into(), "已选".into());
        assert!(parse_row(2, &f, &estate(), "x")
            .expect_err("a bad row")
            .starts_with("状态:"));
        let mut f = fields(&GOOD);
        f.insert("小区".into(), "别的小区".into());
        assert!(parse_row(2, &f, &estate(), "桃源新村")
            .expect_err("a bad row")
            .starts_with("小区:"));
    }
}
