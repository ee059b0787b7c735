//! Waiting for the WAL flush: a status write commits without it (the writers' queue is then
//! released sooner), so its answer and the live feed wait for it before they promise anything.
use sqlx::PgPool;

/// Returns once everything committed before the call is on disk: at once when the WAL is
/// flushed that far already, else after a transaction that commits synchronously (a logical
/// message is the least WAL that makes PostgreSQL flush at commit: an id alone does not), which
/// flushes every earlier commit with its own and shares the fsync with concurrent writers.
pub async fn wait_for_flush(pool: &PgPool) -> Result<(), sqlx::Error> {
    let flushed: bool =
        sqlx::query_scalar("SELECT pg_current_wal_flush_lsn() >= pg_current_wal_insert_lsn()")
            .fetch_one(pool)
            .await?;
    if !flushed {
        sqlx::query("SELECT pg_logical_emit_message(true, 'onemap-flush', '')")
            .execute(pool)
            .await?;
    }
    Ok(())
}
