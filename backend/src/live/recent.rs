//! The latest events in the live feed's shape, for a ticker that starts before the feed.
use sqlx::PgPool;

use super::{events_after, LiveEvent};

/// The latest `limit` events, oldest first.
pub async fn latest(pool: &PgPool, limit: i64) -> Result<Vec<LiveEvent>, sqlx::Error> {
    let first: Option<i64> = sqlx::query_scalar(include_str!("../../sql/live/recent_first.sql"))
        .bind(limit)
        .fetch_optional(pool)
        .await?;
    let after = match first {
        Some(id) => id - 1,
        None => 0,
    };
    let mut events = events_after(pool, after).await?;
    events.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(events)
}
