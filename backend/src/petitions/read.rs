//! Reading petitions: the board (staff who may see petitioners), one petition's page, and the
//! statistics of a region or project (counts only, for anyone who may read the region's reports).
use serde::Deserialize;
use serde_json::Value;
use sqlx::PgPool;

use super::{authorized, channel, BOARD_LIMIT, REPEAT_WINDOW_DAYS};
use crate::auth::{may_read_in, Role, User};
use crate::clock::beijing_today;
use crate::error::{AppError, AppResult};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BoardFilter {
    pub project: Option<String>,
    pub status: Option<String>,
    pub channel: Option<String>,
    pub category_id: Option<i16>,
    pub group_id: Option<i32>,
    /// on_time, late, overdue or open
    pub timeliness: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StatsFilter {
    pub region: Option<String>,
    pub project: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

fn one_of(field: &str, value: Option<&String>, allowed: &[&str]) -> AppResult<()> {
    match value {
        Some(v) if !allowed.contains(&v.as_str()) => Err(AppError::BadRequest(format!(
            "{field}: `{v}` is not one of {}",
            allowed.join(", ")
        ))),
        _ => Ok(()),
    }
}

pub async fn board(pool: &PgPool, user: &User, f: &BoardFilter) -> AppResult<Value> {
    let region =
        match user.role {
            Role::Admin => None,
            Role::Operator => user.region_id,
            Role::Viewer | Role::Planner => return Err(AppError::Forbidden(
                "petitions: only admins and operators see petitions (they name the petitioners)"
                    .into(),
            )),
        };
    one_of(
        "status",
        f.status.as_ref(),
        &["registered", "accepted", "rejected", "replied"],
    )?;
    one_of(
        "timeliness",
        f.timeliness.as_ref(),
        &["on_time", "late", "overdue", "open"],
    )?;
    if let Some(c) = &f.channel {
        channel("channel", c).map_err(|e| AppError::BadRequest(e.to_string()))?;
    }
    Ok(
        sqlx::query_scalar(include_str!("../../sql/petitions/board.sql"))
            .bind(&f.project)
            .bind(region)
            .bind(&f.status)
            .bind(&f.channel)
            .bind(f.category_id)
            .bind(f.group_id)
            .bind(&f.timeliness)
            .bind(beijing_today())
            .bind(BOARD_LIMIT)
            .fetch_one(pool)
            .await?,
    )
}

pub async fn detail(pool: &PgPool, user: &User, id: i64) -> AppResult<Value> {
    authorized(pool, user, id).await?;
    Ok(
        sqlx::query_scalar(include_str!("../../sql/petitions/detail.sql"))
            .bind(id)
            .bind(beijing_today())
            .bind(REPEAT_WINDOW_DAYS)
            .fetch_one(pool)
            .await?,
    )
}

fn day(field: &str, text: Option<&String>) -> AppResult<Option<chrono::NaiveDate>> {
    text.map(|t| crate::validate::day(field, t).map_err(AppError::BadRequest))
        .transpose()
}

/// Counts by channel, category, project and timeliness. The region is the one asked for (it must
/// be readable), else the caller's own (everywhere for admins and staff without a region).
pub async fn stats(pool: &PgPool, user: &User, f: &StatsFilter) -> AppResult<Value> {
    let (from, to) = (day("from", f.from.as_ref())?, day("to", f.to.as_ref())?);
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            return Err(AppError::BadRequest(format!("to: {b} is before from {a}")));
        }
    }
    let region = match &f.region {
        Some(code) => {
            let (id, lineage): (i32, Vec<i32>) =
                sqlx::query_as("SELECT id, lineage FROM regions WHERE code = $1")
                    .bind(code)
                    .fetch_optional(pool)
                    .await?
                    .ok_or_else(|| {
                        AppError::NotFound(format!("region: no region has code `{code}`"))
                    })?;
            if !may_read_in(user, &lineage) {
                return Err(AppError::Forbidden(format!(
                    "region {code}: its petitions are for admins and staff of the region"
                )));
            }
            Some(id)
        }
        None if user.kiosk => {
            return Err(AppError::Forbidden(
                "petitions: not for wall displays".into(),
            ))
        }
        None => user.region_id,
    };
    let project = match &f.project {
        Some(code) => Some(
            crate::projects::readable(pool, user, code, "petitions")
                .await?
                .id,
        ),
        None => None,
    };
    Ok(
        sqlx::query_scalar(include_str!("../../sql/petitions/stats.sql"))
            .bind(region)
            .bind(project)
            .bind(from)
            .bind(to)
            .bind(beijing_today())
            .fetch_one(pool)
            .await?,
    )
}
