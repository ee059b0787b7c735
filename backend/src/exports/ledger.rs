//! A project's household ledger (台账) as XLSX, now or as of a past day; personal data in full
//! only for those who may write in the project's region, masked for the rest.
use chrono::NaiveDate;
use sqlx::PgPool;

use crate::error::AppResult;
use crate::xlsx::{created_at, Cell};

type LedgerRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    bool,
    i16,
    f64,
    String,
    String,
    Option<String>,
);

/// The ledger of project `project`, now or at the end of `as_of`; `personal` gives names and
/// ID numbers in full; `group`: only the households that work group holds.
pub async fn ledger(
    pool: &PgPool,
    project: i64,
    personal: bool,
    as_of: Option<NaiveDate>,
    group: Option<i32>,
) -> AppResult<Vec<u8>> {
    ledger_created(pool, project, personal, as_of, None, group).await
}

/// `ledger` with the workbook's creation time fixed (`xlsx::created_at`): the archive's copy.
pub async fn ledger_created(
    pool: &PgPool,
    project: i64,
    personal: bool,
    as_of: Option<NaiveDate>,
    created: Option<&str>,
    group: Option<i32>,
) -> AppResult<Vec<u8>> {
    let rows: Vec<LedgerRow> = sqlx::query_as(include_str!("../../sql/exports/ledger.sql"))
        .bind(project)
        .bind(personal)
        .bind(as_of)
        .bind(group)
        .fetch_all(pool)
        .await?;
    let headers: Vec<String> = [
        "户编码",
        "房屋编码",
        "状态",
        "状态时间",
        "安置方式",
        "疑难户",
        "人口",
        "登记面积(m²)",
        "户主",
        "身份证号",
        "工作组",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    let cells: Vec<Vec<Cell>> = rows
        .into_iter()
        .map(
            |(h, b, status, at, resettlement, difficult, members, area, name, id, group)| {
                vec![
                    Cell::Text(h),
                    Cell::Text(b),
                    Cell::Text(status),
                    at.map_or(Cell::Empty, Cell::Text),
                    resettlement.map_or(Cell::Empty, Cell::Text),
                    Cell::Text(if difficult { "是" } else { "否" }.into()),
                    Cell::Number(f64::from(members)),
                    Cell::Number(area),
                    Cell::Text(name),
                    Cell::Text(id),
                    group.map_or(Cell::Empty, Cell::Text),
                ]
            },
        )
        .collect();
    created_at("台账", &headers, &cells, &[], created)
}
