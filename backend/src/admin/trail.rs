//! The audit trail as admins read it (`/api/audit`): the audit log and staff's status writes,
//! filtered by who, what, when (Beijing days) and project, newest first, paged or as XLSX.
//! Details may name residents: the trail is for admins only.
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::error::{AppError, AppResult};
use crate::validate;
use crate::xlsx::{workbook, Cell};

/// The query of `/api/audit` and `/api/audit.xlsx` (the export ignores `limit` and `offset`).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    pub user: Option<String>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub project: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The most lines one page holds.
pub const MAX_PAGE: i64 = 200;
/// The most lines one export holds: narrower filters for more.
pub const MAX_EXPORT: i64 = 100_000;

/// The filter's values checked: (user, action, from, to, project).
type Checked<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<&'a str>,
);

/// A text filter: trimmed, empty as none, at most 64 characters without control characters.
fn text<'a>(field: &str, v: Option<&'a str>) -> AppResult<Option<&'a str>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => Ok(Some(
            validate::max_chars(field, v, 64)
                .and_then(|v| validate::text(field, v))
                .map_err(AppError::BadRequest)?,
        )),
        None => Ok(None),
    }
}

fn day(field: &str, v: Option<&str>) -> AppResult<Option<NaiveDate>> {
    v.filter(|v| !v.is_empty())
        .map(|v| validate::day(field, v).map_err(AppError::BadRequest))
        .transpose()
}

fn checked(f: &Filter) -> AppResult<Checked<'_>> {
    let (from, to) = (day("from", f.from.as_deref())?, day("to", f.to.as_deref())?);
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(AppError::BadRequest(format!(
                "to: {to} is before from {from}"
            )));
        }
    }
    Ok((
        text("user", f.user.as_deref())?,
        text("action", f.action.as_deref())?,
        from,
        to,
        text("project", f.project.as_deref())?,
    ))
}

async fn query(pool: &PgPool, f: &Filter, limit: i64, offset: i64) -> AppResult<(i64, Value)> {
    let (user, action, from, to, project) = checked(f)?;
    Ok(sqlx::query_as(include_str!("../../sql/admin/trail.sql"))
        .bind(user)
        .bind(action)
        .bind(from)
        .bind(to)
        .bind(project)
        .bind(limit)
        .bind(offset)
        .fetch_one(pool)
        .await?)
}

/// One page of the trail: `{total, limit, offset, lines}`.
pub async fn page(pool: &PgPool, f: &Filter) -> AppResult<Value> {
    let limit = f.limit.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "limit: {limit} is not between 1 and {MAX_PAGE}"
        )));
    }
    let offset = f.offset.unwrap_or(0);
    if !(0..=10_000_000).contains(&offset) {
        return Err(AppError::BadRequest(format!(
            "offset: {offset} is out of range"
        )));
    }
    let (total, lines) = query(pool, f, limit, offset).await?;
    Ok(json!({ "total": total, "limit": limit, "offset": offset, "lines": lines }))
}

/// The whole filtered trail as one sheet (newest first), at most MAX_EXPORT lines.
pub async fn workbook_of(pool: &PgPool, f: &Filter) -> AppResult<Vec<u8>> {
    let (total, lines) = query(pool, f, MAX_EXPORT, 0).await?;
    if total > MAX_EXPORT {
        return Err(AppError::Unprocessable(format!(
            "from: {total} lines match, at most {MAX_EXPORT} export at once: narrow the days or the user"
        )));
    }
    let headers: Vec<String> = ["时间（北京）", "用户", "动作", "对象", "项目", "详情"]
        .map(String::from)
        .to_vec();
    let text = |v: &Value| v.as_str().map_or(Cell::Empty, |s| Cell::Text(s.to_owned()));
    let rows: Vec<Vec<Cell>> = lines
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|l| {
            vec![
                text(&l["at_beijing"]),
                text(&l["username"]),
                text(&l["action"]),
                text(&l["subject"]),
                text(&l["project"]),
                Cell::Text(l["detail"].to_string()),
            ]
        })
        .collect();
    workbook("审计日志", &headers, &rows)
}
