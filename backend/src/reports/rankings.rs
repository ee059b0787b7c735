//! Rankings of a period's gains (by street or by project), with each row's previous rank.
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::PgPool;

/// What a ranking ranks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Street,
    Project,
}

impl Level {
    /// The name the request and the answer use.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Level::Street => "street",
            Level::Project => "project",
        }
    }
}

#[derive(sqlx::FromRow)]
struct RankRow {
    rank: i32,
    previous_rank: i32,
    key: String,
    name: String,
    gain_signed: i64,
    gain_vacated: i64,
    gain_demolished: i64,
    previous_signed: i64,
    sign_rate: Option<f64>,
}

/// A row names its street by `code`, its project by `id`.
#[derive(Serialize)]
pub enum RankKey {
    #[serde(rename = "code")]
    Code(String),
    #[serde(rename = "id")]
    Id(Option<i64>),
}

#[derive(Serialize)]
pub struct Rank {
    pub rank: i32,
    pub previous_rank: i32,
    #[serde(flatten)]
    pub key: RankKey,
    pub name: String,
    pub gain_signed: i64,
    pub gain_vacated: i64,
    pub gain_demolished: i64,
    pub previous_gain_signed: i64,
    pub sign_rate: Option<f64>,
}

#[derive(Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Serialize)]
pub struct Rankings {
    pub level: &'static str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub previous: Period,
    pub rows: Vec<Rank>,
}

/// The ranking of `period` at `level`, each row with its rank in `previous`.
pub async fn rankings(
    pool: &PgPool,
    level: Level,
    period: Period,
    previous: Period,
) -> Result<Rankings, sqlx::Error> {
    let rows: Vec<RankRow> = sqlx::query_as(include_str!("../../sql/figures/rankings.sql"))
        .bind(level.name())
        .bind(period.from)
        .bind(period.to)
        .bind(previous.from)
        .bind(previous.to)
        .fetch_all(pool)
        .await?;
    let rows = rows
        .into_iter()
        .map(|r| Rank {
            rank: r.rank,
            previous_rank: r.previous_rank,
            key: match level {
                Level::Street => RankKey::Code(r.key),
                Level::Project => RankKey::Id(r.key.parse::<i64>().ok()),
            },
            name: r.name,
            gain_signed: r.gain_signed,
            gain_vacated: r.gain_vacated,
            gain_demolished: r.gain_demolished,
            previous_gain_signed: r.previous_signed,
            sign_rate: r.sign_rate,
        })
        .collect();
    Ok(Rankings {
        level: level.name(),
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
            previous_rank: 2,
            key,
            name: "x".into(),
            gain_signed: 3,
            gain_vacated: 1,
            gain_demolished: 0,
            previous_gain_signed: 4,
            sign_rate: None,
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
