//! The rejected rows of an import as a file to correct and import again: GeoJSON (the file's
//! own attributes, its geometry in WGS84, and a `reason` column) or XLSX (the same without
//! the geometry: a table to read, sort and hand round).
use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::Issue;
use crate::error::AppResult;

/// One rejected row: its number in the file, why (every reason of the row), its attributes as
/// read and its geometry (GeoJSON, WGS84) when it had one.
#[derive(Clone, Debug)]
pub struct RejectedRow {
    pub row: usize,
    pub reason: String,
    pub reason_code: String,
    pub fields: Map<String, Value>,
    pub geometry: Option<Value>,
}

/// The staged rows the report rejected, with every reason of each.
pub(super) async fn collect(
    tx: &mut sqlx::PgConnection,
    rejected: &[Issue],
) -> AppResult<Vec<RejectedRow>> {
    let mut reasons: BTreeMap<usize, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for issue in rejected {
        let (problems, codes) = reasons.entry(issue.row).or_default();
        problems.push(&issue.problem);
        if !codes.contains(&issue.code.as_str()) {
            codes.push(issue.code.as_str());
        }
    }
    let numbers: Vec<i32> = reasons
        .keys()
        .filter_map(|r| i32::try_from(*r).ok())
        .collect();
    let staged: Vec<(i32, Option<Value>, Option<Value>)> =
        sqlx::query_as(include_str!("../../sql/import/rejected_rows.sql"))
            .bind(&numbers)
            .fetch_all(&mut *tx)
            .await?;
    Ok(staged
        .into_iter()
        .map(|(row, fields, geometry)| {
            let row = usize::try_from(row).unwrap_or(0);
            let (problems, codes) = reasons.remove(&row).unwrap_or_default();
            RejectedRow {
                row,
                reason: problems.join("; "),
                reason_code: codes.join(", "),
                fields: match fields {
                    Some(Value::Object(map)) => map,
                    _ => Map::new(),
                },
                geometry,
            }
        })
        .collect())
}

/// Takes the rejected rows out of the staged ones, so the rest is written.
pub(super) async fn leave_out(tx: &mut sqlx::PgConnection, rows: &[RejectedRow]) -> AppResult<()> {
    let numbers: Vec<i32> = rows
        .iter()
        .filter_map(|r| i32::try_from(r.row).ok())
        .collect();
    sqlx::query("DELETE FROM import_rows WHERE row = ANY($1)")
        .bind(&numbers)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The attribute names over all rows, in the order first met (the file's order per row).
fn columns(rows: &[RejectedRow]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for r in rows {
        for k in r.fields.keys() {
            if !names.contains(k) && !matches!(k.as_str(), "reason" | "reason_code" | "row") {
                names.push(k.clone());
            }
        }
    }
    names
}

/// A GeoJSON FeatureCollection of the rows: their attributes plus `row` (in the imported
/// file), `reason` and `reason_code`. Importing it again reads the attributes by their names
/// and ignores the three added ones.
#[must_use]
pub fn geojson(rows: &[RejectedRow]) -> Vec<u8> {
    let features: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut properties = r.fields.clone();
            properties.insert("row".into(), json!(r.row));
            properties.insert("reason".into(), json!(r.reason));
            properties.insert("reason_code".into(), json!(r.reason_code));
            json!({ "type": "Feature", "properties": properties, "geometry": r.geometry })
        })
        .collect();
    serde_json::to_vec(&json!({ "type": "FeatureCollection", "features": features }))
        .unwrap_or_default()
}

/// One sheet: 行号 (the row in the imported file), 原因 (reason), 原因代码 (its codes), then
/// the file's attributes as it had them.
pub fn xlsx(rows: &[RejectedRow]) -> AppResult<Vec<u8>> {
    use crate::xlsx::Cell;
    let names = columns(rows);
    let mut headers = vec!["行号".to_owned(), "原因".to_owned(), "原因代码".to_owned()];
    headers.extend(names.iter().cloned());
    let table: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            #[allow(clippy::cast_precision_loss)]
            let mut line = vec![
                Cell::Number(r.row as f64),
                Cell::Text(r.reason.clone()),
                Cell::Text(r.reason_code.clone()),
            ];
            line.extend(
                names
                    .iter()
                    .map(|n| r.fields.get(n).map_or(Cell::Empty, |v| Cell::Text(text(v)))),
            );
            line
        })
        .collect();
    crate::xlsx::workbook("rejected", &headers, &table)
}

/// An attribute as the file had it, as text (numbers as written: `3.5`, never `3.50`).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
