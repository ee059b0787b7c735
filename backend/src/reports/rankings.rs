//! Rankings of a period's gains (by street, by project or by work group), with each row's
//! previous rank, city-wide or within a region's subtree, now or as of a past day.
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use sqlx::PgPool;

use crate::clock::beijing_today;
use crate::error::AppResult;
use crate::figures::scope::region as region_named;

/// What a ranking ranks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Street,
    Project,
    /// 工作组: each event counts for the group that held its household then (groups.md).
    Group,
}

impl Level {
    /// The name the request and the answer use.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Level::Street => "street",
            Level::Project => "project",
            Level::Group => "group",
        }
    }
}

#[derive(sqlx::FromRow)]
struct RankRow {
    rank: i32,
    previous_rank: Option<i32>,
    city_rank: i32,
    city_previous_rank: Option<i32>,
    key: String,
    name: String,
    project: Option<String>,
    gain_surveyed: i64,
    gain_signed: i64,
    gain_vacated: i64,
    gain_demolished: i64,
    previous_signed: i64,
    sign_rate: Option<f64>,
    stage: Option<String>,
}

/// A row names its street by `code`, its project and its work group by `id`.
#[derive(Serialize)]
pub enum RankKey {
    #[serde(rename = "code")]
    Code(String),
    #[serde(rename = "id")]
    Id(Option<i64>),
}

/// One row. `rank` is within the region asked for (the city when none); `city_rank` is the
/// same row's rank city-wide. `previous_rank` is None when the previous period signed no one
/// (no rank to compare, which is not "unchanged"); `new` marks such a row that gained now.
#[derive(Serialize)]
pub struct Rank {
    pub rank: i32,
    pub previous_rank: Option<i32>,
    pub new: bool,
    pub city_rank: i32,
    pub city_previous_rank: Option<i32>,
    #[serde(flatten)]
    pub key: RankKey,
    pub name: String,
    /// A work group's project code (other levels have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// 丈量登记: households surveyed in the period.
    pub gain_surveyed: i64,
    pub gain_signed: i64,
    pub gain_vacated: i64,
    pub gain_demolished: i64,
    pub previous_gain_signed: i64,
    pub sign_rate: Option<f64>,
    /// A project's procedure stage at the period's end (streets have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
}

#[derive(Serialize, Clone, Copy)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The week (Monday on) up to `day`: the default period, 一周一通报.
    #[must_use]
    pub fn week_to(day: NaiveDate) -> Self {
        Self {
            from: day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            to: day,
        }
    }

    /// The named period up to `day`: `day` (that day alone), `week` (Monday on) or `month` (the
    /// 1st on); None for another name.
    #[must_use]
    pub fn named(name: &str, day: NaiveDate) -> Option<Self> {
        match name {
            "day" => Some(Self { from: day, to: day }),
            "week" => Some(Self::week_to(day)),
            "month" => Some(Self {
                from: day.with_day(1)?,
                to: day,
            }),
            _ => None,
        }
    }

    /// The period of the same length just before this one. Both ends lie in the business
    /// years (validated days), so this stays far from chrono's limits.
    #[must_use]
    pub fn previous(self) -> Self {
        let length = (self.to - self.from).num_days() + 1;
        Self {
            from: self.from - Duration::days(length),
            to: self.from - Duration::days(1),
        }
    }
}

/// The region a ranking is kept within.
#[derive(Serialize)]
pub struct RegionRef {
    pub code: String,
    pub name: String,
}

#[derive(Serialize)]
pub struct Rankings {
    pub level: &'static str,
    /// The past day asked for; None for now.
    pub as_of: Option<NaiveDate>,
    /// The region the rows are ranked within; None for the whole city.
    pub region: Option<RegionRef>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub previous: Period,
    pub rows: Vec<Rank>,
}

/// The ranking at `level` of `period` (by default the week up to `as_of`, or today), each row
/// with its rank in the period before; within region `region`'s subtree when given (404 if
/// there is none), the city-wide ranks beside. The weekly report calls this too.
pub async fn rankings(
    pool: &PgPool,
    level: Level,
    region: Option<&str>,
    as_of: Option<NaiveDate>,
    period: Option<Period>,
) -> AppResult<Rankings> {
    rankings_of(pool, level, region, None, as_of, period).await
}

/// `rankings`, for level `Group` within project `project` (an id) when given: the groups of the
/// projects in the region (the whole city when None).
pub async fn rankings_of(
    pool: &PgPool,
    level: Level,
    region: Option<&str>,
    project: Option<i64>,
    as_of: Option<NaiveDate>,
    period: Option<Period>,
) -> AppResult<Rankings> {
    let period = period.unwrap_or_else(|| Period::week_to(as_of.unwrap_or_else(beijing_today)));
    let previous = period.previous();
    let within = match region {
        Some(code) => Some((region_named(pool, code).await?, code)),
        None => None,
    };
    let rows: Vec<RankRow> = if level == Level::Group {
        sqlx::query_as(include_str!("../../sql/figures/group_rankings.sql"))
            .bind(period.from)
            .bind(period.to)
            .bind(previous.from)
            .bind(previous.to)
            .bind(project)
            .bind(within.as_ref().map(|(r, _)| r.id))
            .fetch_all(pool)
            .await?
    } else {
        sqlx::query_as(include_str!("../../sql/figures/rankings.sql"))
            .bind(level.name())
            .bind(period.from)
            .bind(period.to)
            .bind(previous.from)
            .bind(previous.to)
            .bind(within.as_ref().map(|(r, _)| r.id))
            .fetch_all(pool)
            .await?
    };
    let rows = rows
        .into_iter()
        .map(|r| Rank {
            rank: r.rank,
            previous_rank: r.previous_rank,
            new: r.previous_rank.is_none() && r.gain_signed > 0,
            city_rank: r.city_rank,
            city_previous_rank: r.city_previous_rank,
            key: match level {
                Level::Street => RankKey::Code(r.key),
                Level::Project | Level::Group => RankKey::Id(r.key.parse::<i64>().ok()),
            },
            name: r.name,
            project: r.project,
            gain_surveyed: r.gain_surveyed,
            gain_signed: r.gain_signed,
            gain_vacated: r.gain_vacated,
            gain_demolished: r.gain_demolished,
            previous_gain_signed: r.previous_signed,
            sign_rate: r.sign_rate,
            stage: r.stage,
        })
        .collect();
    Ok(Rankings {
        level: level.name(),
        as_of,
        region: within.map(|(r, code)| RegionRef {
            code: code.to_owned(),
            name: r.name,
        }),
        from: period.from,
        to: period.to,
        previous,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::{Rank, RankKey};
    use serde_json::json;

    fn rank(key: RankKey) -> serde_json::Value {
        serde_json::to_value(Rank {
            rank: 1,
            previous_rank: Some(2),
            new: false,
            city_rank: 4,
            city_previous_rank: None,
            key,
            name: "x".into(),
            project: None,
            gain_surveyed: 2,
            gain_signed: 3,
            gain_vacated: 1,
            gain_demolished: 0,
            previous_gain_signed: 4,
            sign_rate: None,
            stage: None,
        })
        .expect("a rank serialises")
    }

    #[test]
    fn a_street_is_named_by_code_and_a_project_by_id() {
        let street = rank(RankKey::Code("430702001".into()));
        assert_eq!(street["code"], json!("430702001"));
        assert!(street.get("id").is_none());
        let project = rank(RankKey::Id(Some(7)));
        assert_eq!(project["id"], json!(7));
        assert_eq!(project["previous_gain_signed"], json!(4));
        assert!(project.get("code").is_none());
    }
}
