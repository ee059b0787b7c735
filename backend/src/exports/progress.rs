//! The progress tables (项目进度, 区域进度) as XLSX: the very numbers the screens get, from
//! the figure lists' JSON.
use serde_json::Value;

use crate::error::{AppError, AppResult};
use crate::figures::definitions::FIGURES;
use crate::figures::stages::{stage_zh, STAGES};
use crate::xlsx::{workbook, Cell};

/// The figure columns: Chinese name with unit, as the screens label them.
fn figure_headers() -> Vec<String> {
    FIGURES
        .iter()
        .map(|d| match d.unit {
            Some("date") | None => d.zh.to_owned(),
            Some(unit) => format!("{}({unit})", d.zh),
        })
        .collect()
}

/// The figures' values (in `FIGURES`' order) as cells of their kind: rates as percentages,
/// households and cases (户, 件) as integers, days as dates, the rest as measures.
fn figure_cells(values: &Value) -> Vec<Cell> {
    let values = values.as_array().map(Vec::as_slice).unwrap_or_default();
    FIGURES
        .iter()
        .zip(values)
        .map(|(d, v)| match (d.unit, v.as_f64()) {
            (_, None) if v.is_null() => Cell::Empty,
            (Some("%"), Some(n)) => Cell::Percent(n),
            (Some("户" | "件"), Some(n)) => Cell::Count(n),
            (Some("date"), None) => v
                .as_str()
                .map_or(Cell::Empty, |day| Cell::Date(day.to_owned())),
            (Some(_), Some(n)) => Cell::Number(n),
            _ => Cell::from(v),
        })
        .collect()
}

/// The projects table from `figures::lists::all_projects`' document: every project, or those
/// in `only` (a region's).
pub fn projects(document: &Value, only: Option<&[i64]>) -> AppResult<Vec<u8>> {
    let mut headers = vec![
        "项目编码".to_owned(),
        "项目名称".to_owned(),
        "所在区划".to_owned(),
        "阶段".to_owned(),
    ];
    headers.extend(figure_headers());
    let rows: Vec<Vec<Cell>> = document["projects"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter(|p| {
                    only.is_none_or(|ids| p["id"].as_i64().is_some_and(|id| ids.contains(&id)))
                })
                .map(|p| {
                    let mut row = vec![
                        Cell::from(&p["code"]),
                        Cell::from(&p["name"]),
                        Cell::from(&p["region_code"]),
                        Cell::Text(stage_zh(p["stage"].as_str().unwrap_or_default()).to_owned()),
                    ];
                    row.extend(figure_cells(&p["values"]));
                    row
                })
                .collect()
        })
        .unwrap_or_default();
    workbook("项目进度", &headers, &rows)
}

/// The regions table from `figures::lists::all_regions`' document: every region, or `region`
/// and everything below it; 404 if `region` names none.
pub fn regions(document: &Value, region: Option<&String>) -> AppResult<Vec<u8>> {
    let all = document["regions"].as_array().cloned().unwrap_or_default();
    // the region asked for and everything below it, by walking parent codes
    let mut keep: Vec<&Value> = Vec::new();
    match region {
        None => keep.extend(all.iter()),
        Some(root) => {
            if !all.iter().any(|r| r["code"] == root.as_str()) {
                return Err(AppError::NotFound(format!(
                    "region: no region has code `{root}`"
                )));
            }
            let mut codes = vec![root.clone()];
            let mut i = 0;
            while i < codes.len() {
                let parent = codes[i].clone();
                codes.extend(
                    all.iter()
                        .filter(|r| r["parent_code"] == parent.as_str())
                        .filter_map(|r| r["code"].as_str().map(str::to_owned)),
                );
                i += 1;
            }
            keep.extend(all.iter().filter(|r| {
                r["code"]
                    .as_str()
                    .is_some_and(|c| codes.iter().any(|k| k == c))
            }));
        }
    }
    let mut headers = vec![
        "区划代码".to_owned(),
        "名称".to_owned(),
        "层级".to_owned(),
        "上级".to_owned(),
    ];
    headers.extend(figure_headers());
    // projects and households in each stage (项目阶段), the columns in the stages' order
    for what in ["项目数", "户数"] {
        headers.extend(STAGES.iter().map(|(_, zh)| format!("{what}·{zh}")));
    }
    let rows: Vec<Vec<Cell>> = keep
        .iter()
        .map(|r| {
            let mut row = vec![
                Cell::from(&r["code"]),
                Cell::from(&r["name"]),
                Cell::from(&r["level"]),
                Cell::from(&r["parent_code"]),
            ];
            row.extend(figure_cells(&r["values"]));
            for counts in ["projects_by_stage", "households_by_stage"] {
                row.extend(STAGES.iter().map(|(key, _)| Cell::from(&r[counts][*key])));
            }
            row
        })
        .collect();
    workbook("区域进度", &headers, &rows)
}
