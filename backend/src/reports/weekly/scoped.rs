//! SWAP POINT (issue 13 merge): rankings restricted to one region's subtree. Today's
//! `reports::rankings` ranks the whole city; this filters its rows to the region and ranks them
//! again among themselves. When `rankings` takes a region scope and an `as_of`, this whole file
//! becomes that one call.
use sqlx::PgPool;

use crate::reports::rankings::{Period, Rank, RankKey};
use crate::reports::{rankings, Level, Rankings};

/// The ranking at `level` of the streets or projects inside region `region_id` (its subtree),
/// ranks and previous ranks counted among them only (ties share a rank, as in the city's).
pub async fn rankings_in_region(
    pool: &PgPool,
    level: Level,
    region_id: i32,
    period: Period,
    previous: Period,
) -> Result<Rankings, sqlx::Error> {
    let mut ranking = rankings(pool, level, period, previous).await?;
    let streets: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM regions WHERE $1 = ANY (lineage) AND level = 'street'",
    )
    .bind(region_id)
    .fetch_all(pool)
    .await?;
    let projects = crate::figures::projects_in_region(pool, region_id).await?;
    ranking.rows.retain(|row| match &row.key {
        RankKey::Code(code) => streets.contains(code),
        RankKey::Id(id) => id.is_some_and(|id| projects.contains(&id)),
    });
    rank_again(&mut ranking.rows);
    Ok(ranking)
}

/// Competition ranks ("1, 2, 2, 4") by this period's and the previous period's signed gains.
fn rank_again(rows: &mut [Rank]) {
    let gains: Vec<i64> = rows.iter().map(|r| r.gain_signed).collect();
    let previous: Vec<i64> = rows.iter().map(|r| r.previous_gain_signed).collect();
    let rank =
        |all: &[i64], mine: i64| 1 + all.iter().filter(|&&other| other > mine).count() as i32;
    for row in rows.iter_mut() {
        row.rank = rank(&gains, row.gain_signed);
        row.previous_rank = rank(&previous, row.previous_gain_signed);
    }
    rows.sort_by_key(|r| r.rank);
}
