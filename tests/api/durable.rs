//! A status write commits without waiting for its WAL flush (the writers' queue is released
//! sooner); its answer and the live feed wait for the flush: nothing answered or sent is lost
//! to a crash. Checked in the WAL itself (pg_walinspect).
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{demo_city, post_json, session, state};

/// Where the WAL is flushed to now, as text (pg_lsn).
async fn flushed(pool: &PgPool) -> String {
    lsn(pool, "pg_current_wal_flush_lsn()").await
}

/// Where the WAL is written to now (flushed or not), as text.
async fn inserted(pool: &PgPool) -> String {
    lsn(pool, "pg_current_wal_insert_lsn()").await
}

async fn lsn(pool: &PgPool, function: &str) -> String {
    sqlx::query_scalar(&format!("SELECT {function}::text"))
        .fetch_one(pool)
        .await
        .expect("lsn")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_status_write_is_answered_only_once_its_commit_is_on_disk(pool: PgPool) {
    demo_city(&pool).await;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_walinspect")
        .execute(&pool)
        .await
        .expect("pg_walinspect");
    let admin = session(&pool, "admin", "admin", None).await;
    let app = state(&pool).await;
    let (id, version): (i64, i32) = sqlx::query_as(
        "SELECT id, version FROM households WHERE status = 'pending' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("household");
    let start: String = inserted(&pool).await;
    let body = json!({"changes": [{"subject": "household", "id": id, "to": "surveyed", "version": version}]});
    let (status, answer) = post_json(&app, "/api/status", Some(&admin), &body.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    let flushed_at_answer = flushed(&pool).await;
    let event_id = answer["results"][0]["event_ids"][0]
        .as_i64()
        .expect("event id");
    // the event's transaction, and whether it committed without waiting for the disk
    let xid: String = sqlx::query_scalar("SELECT xmin::text FROM status_events WHERE id = $1")
        .bind(event_id)
        .fetch_one(&pool)
        .await
        .expect("xid");
    let commits: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)
          WHERE resource_manager = 'Transaction' AND record_type = 'COMMIT' AND xid::text = $3",
    )
    .bind(&start)
    .bind(&flushed_at_answer)
    .bind(&xid)
    .fetch_one(&pool)
    .await
    .expect("wal records");
    assert_eq!(commits, 1, "the write's commit (xid {xid}) was on disk when it was answered ({start}..{flushed_at_answer})");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn the_feed_reads_a_commit_that_skipped_its_flush_only_once_flushed(pool: PgPool) {
    demo_city(&pool).await;
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM households WHERE status = 'pending' ORDER BY id LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("household");
    let last: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM status_events")
        .fetch_one(&pool)
        .await
        .expect("last event");
    // an event committed as the fast path commits it: visible at once, on disk later
    let mut tx = pool.begin().await.expect("begin");
    sqlx::query("SET LOCAL synchronous_commit = off")
        .execute(&mut *tx)
        .await
        .expect("async commit");
    sqlx::query("INSERT INTO status_events (household_id, from_status, to_status, actor) VALUES ($1, 'pending', 'surveyed', 'test')")
        .bind(id)
        .execute(&mut *tx)
        .await
        .expect("event");
    tx.commit().await.expect("commit");
    let written: String = inserted(&pool).await;
    let events = onemap::live::events_after(&pool, onemap::live::EventKind::Status, last)
        .await
        .expect("feed read");
    assert_eq!(events.len(), 1, "the feed reads the event");
    let on_disk: bool = sqlx::query_scalar("SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn")
        .bind(&written)
        .fetch_one(&pool)
        .await
        .expect("flush lsn");
    assert!(
        on_disk,
        "the feed returned the event before the WAL was flushed past its commit ({written})"
    );
}
