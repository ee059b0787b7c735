//! 补偿明细表 as XLSX: every household's compensation line by line, as its agreement holds it
//! (or as it would be signed today).
use sqlx::PgPool;

use crate::clock::beijing_today;
use crate::error::AppResult;
use crate::xlsx::{workbook, Cell};

#[derive(sqlx::FromRow)]
struct CompensationRow {
    household: String,
    building: String,
    name: String,
    id_number: String,
    building_use: String,
    legality: String,
    area: f64,
    rate: f64,
    house: f64,
    relocation: f64,
    transition: f64,
    incentive: f64,
    computed: f64,
    overridden: Option<f64>,
    reason: Option<String>,
    swap: Option<f64>,
    owed: Option<f64>,
    total: f64,
    signed: Option<String>,
    paid: f64,
}

/// The compensation lines of project `project`, personal data included: callers authorise first.
pub async fn compensation(pool: &PgPool, project: i64) -> AppResult<Vec<u8>> {
    let rows: Vec<CompensationRow> =
        sqlx::query_as(include_str!("../../sql/exports/compensation.sql"))
            .bind(project)
            .bind(beijing_today())
            .fetch_all(pool)
            .await?;
    let headers: Vec<String> = [
        "户编码",
        "房屋编码",
        "户主",
        "身份证号",
        "用途",
        "合法性",
        "登记面积(m²)",
        "房屋补偿单价(元/m²)",
        "房屋补偿(元)",
        "搬迁补助(元)",
        "临时安置补助(元)",
        "签约奖励(元)",
        "计算合计(元)",
        "一事一议核定(元)",
        "核定理由",
        "产权调换差价(元)",
        "应补交差价(元)",
        "补偿合计(元)",
        "签约日期",
        "已支付(元)",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    let money = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Number);
    let cells: Vec<Vec<Cell>> = rows
        .into_iter()
        .map(|r| {
            vec![
                Cell::Text(r.household),
                Cell::Text(r.building),
                Cell::Text(r.name),
                Cell::Text(r.id_number),
                Cell::Text(r.building_use),
                Cell::Text(r.legality),
                Cell::Number(r.area),
                Cell::Number(r.rate),
                Cell::Number(r.house),
                Cell::Number(r.relocation),
                Cell::Number(r.transition),
                Cell::Number(r.incentive),
                Cell::Number(r.computed),
                money(r.overridden),
                r.reason.map_or(Cell::Empty, Cell::Text),
                money(r.swap),
                money(r.owed),
                Cell::Number(r.total),
                r.signed.map_or(Cell::Empty, Cell::Date),
                Cell::Number(r.paid),
            ]
        })
        .collect();
    workbook("补偿明细表", &headers, &cells)
}
