//! A project's work groups as XLSX (工作组统计): one row per group with what its households
//! have reached, as `GET /api/projects/{code}/groups` answers it, and a row for the unheld.
use serde_json::Value;

use crate::error::AppResult;
use crate::xlsx::{workbook as one_sheet, Cell};

/// The columns: header and the field of a group in the list.
const COLUMNS: [(&str, &str); 10] = [
    ("工作组", "name"),
    ("组长", "leader"),
    ("成员", "members"),
    ("包干户数", "households"),
    ("包干房屋", "buildings"),
    ("已丈量登记", "surveyed"),
    ("已签约", "signed"),
    ("已腾空", "vacated"),
    ("已拆除", "demolished"),
    ("签约率", "sign_rate"),
];

fn cell(group: &Value, field: &str) -> Cell {
    match field {
        "leader" => group["leader"]["username"]
            .as_str()
            .map_or(Cell::Empty, |u| Cell::Text(u.to_owned())),
        "members" => Cell::Text(
            group["members"]
                .as_array()
                .map(|m| {
                    m.iter()
                        .filter_map(|u| u["username"].as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                })
                .unwrap_or_default(),
        ),
        other => Cell::from(&group[other]),
    }
}

/// The workbook of `list` (the groups answer).
pub fn workbook(list: &Value) -> AppResult<Vec<u8>> {
    let headers: Vec<String> = COLUMNS.iter().map(|(h, _)| (*h).to_owned()).collect();
    let mut rows: Vec<Vec<Cell>> = list["groups"]
        .as_array()
        .map(|groups| {
            groups
                .iter()
                .map(|g| COLUMNS.iter().map(|(_, f)| cell(g, f)).collect())
                .collect()
        })
        .unwrap_or_default();
    let mut unheld: Vec<Cell> = COLUMNS.iter().map(|_| Cell::Empty).collect();
    unheld[0] = Cell::Text("未分配".into());
    unheld[3] = Cell::from(&list["unassigned_households"]);
    rows.push(unheld);
    one_sheet("工作组", &headers, &rows)
}
