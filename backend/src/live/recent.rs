//! The latest events, for a ticker that starts before the feed, and how old a missed stretch is.
use sqlx::PgPool;

use super::{events_after, EventKind, LiveEvent};

/// Whether the first event after `after` is older than `hours` (false when there is none).
pub async fn first_after_is_older(
    pool: &PgPool,
    after: i64,
    hours: i32,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(include_str!("../../sql/live/first_after_is_older.sql"))
        .bind(after)
        .bind(hours)
        .fetch_one(pool)
        .await
}

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
    let mut events = events_after(pool, EventKind::Status, after).await?;
    events.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(events)
}
