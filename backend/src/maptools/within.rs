//! `POST /api/within` and `/api/within.xlsx`: what a drawn boundary holds — buildings by status,
//! households, parcels, area — and its buildings as a workbook. No personal data in either.
use serde_json::Value;
use sqlx::PgPool;

use super::boundary::{self, Boundary};
use crate::error::{AppError, AppResult};
use crate::xlsx::{workbook, Cell};

/// Buildings listed in the JSON answer at most (the counts cover all of them).
pub const LIST_LIMIT: i64 = 200;
/// Rows of the download at most: more means a smaller boundary.
pub const MAX_ROWS: i64 = 50_000;

/// The counts and the first buildings inside `body`'s boundary.
pub async fn within(pool: &PgPool, body: &Value) -> AppResult<Value> {
    let Boundary { geojson, .. } = boundary::check(pool, body).await?;
    let mut answer: Value = sqlx::query_scalar(include_str!("../../sql/maptools/within.sql"))
        .bind(&geojson)
        .bind(LIST_LIMIT)
        .fetch_one(pool)
        .await?;
    answer["list_limit"] = LIST_LIMIT.into();
    Ok(answer)
}

type Row = (
    String,
    String,
    String,
    String,
    i32,
    f64,
    i16,
    String,
    String,
);

/// Every building inside `body`'s boundary, one row each by code.
pub async fn workbook_of(pool: &PgPool, body: &Value) -> AppResult<Vec<u8>> {
    let Boundary { geojson, .. } = boundary::check(pool, body).await?;
    let rows: Vec<Row> = sqlx::query_as(include_str!("../../sql/maptools/within_rows.sql"))
        .bind(&geojson)
        .bind(MAX_ROWS + 1)
        .fetch_all(pool)
        .await?;
    if rows.len() as i64 > MAX_ROWS {
        return Err(AppError::Unprocessable(format!(
            "polygon: more than {MAX_ROWS} buildings inside; draw a smaller boundary"
        )));
    }
    let headers: Vec<String> = [
        "房屋编码",
        "项目编码",
        "项目名称",
        "状态",
        "户数",
        "建筑面积(m²)",
        "层数",
        "用途",
        "合法性",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    let cells: Vec<Vec<Cell>> = rows
        .into_iter()
        .map(
            |(code, project, name, status, households, area, floors, use_, legality)| {
                vec![
                    Cell::Text(code),
                    Cell::Text(project),
                    Cell::Text(name),
                    Cell::Text(status),
                    Cell::Count(f64::from(households)),
                    Cell::Number(area),
                    Cell::Count(f64::from(floors)),
                    Cell::Text(use_),
                    Cell::Text(legality),
                ]
            },
        )
        .collect();
    workbook("范围内房屋", &headers, &cells)
}
