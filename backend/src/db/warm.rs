//! The live pool (status writes and the feed) opened whole at start, each connection with the
//! feed's and the writers' statements prepared and the event triggers compiled: the first writes
//! after a start then pay neither for connecting (a SCRAM handshake each) nor for a new
//! session's catalog look-ups, plans and PL/pgSQL compilation (36 ms for a session's first
//! signing at a million buildings against 4–5 ms after, all of it inside the writers' queue),
//! which made a start's first second of a signing rush its slowest.
use sqlx::{Executor, PgConnection, PgPool};

use crate::live::{read_events_after, TABLE_KINDS};

/// A pool of `size` connections, all open and prepared before it is returned.
pub async fn connect_warm(url: &str, size: u32) -> Result<PgPool, sqlx::Error> {
    let pool = super::pool_options(size)
        .min_connections(size)
        .connect_with(super::connect_options(url)?)
        .await?;
    // hold every connection at once, so each is opened and prepared now rather than by a write
    // (one the pool opens later, after a connection was lost, starts cold)
    let mut held = Vec::with_capacity(size as usize);
    for _ in 0..size {
        let mut conn = pool.acquire().await?;
        prepare(&mut conn).await?;
        held.push(conn);
    }
    Ok(pool)
}

/// Runs the feed's reads past the newest event (no rows: the plans and the catalog are what is
/// wanted) and prepares the status writers' check and write.
async fn prepare(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    for kind in TABLE_KINDS {
        read_events_after(&mut *conn, kind, i64::MAX).await?;
    }
    sqlx::query(include_str!("../../sql/status/subject.sql"))
        .bind("household")
        .bind(-1_i64)
        .fetch_optional(&mut *conn)
        .await?;
    conn.prepare(include_str!("../../sql/status/write_events.sql"))
        .await?;
    compile_triggers(conn).await;
    Ok(())
}

/// Surveys and signs one pending household and rolls it back: every trigger of the status path
/// is compiled and planned in this session, and nothing is kept (ids drawn leave a gap, which
/// the feed already passes; NOTIFY is not sent). It holds the writers' queue for that time, tens
/// of milliseconds per connection at a start. Best effort: a refusal (a gate) only ends it early.
async fn compile_triggers(conn: &mut PgConnection) {
    let compiled = async {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::raw_sql(include_str!("../../sql/status/warm_triggers.sql"))
            .execute(&mut *tx)
            .await?;
        tx.rollback().await
    }
    .await;
    if let Err(why) = compiled {
        tracing::debug!("live pool: the status triggers were not all compiled ahead ({why})");
    }
}
