//! How often one client may ask for a resident's record: a sliding window per address (an
//! IPv6 client per /64), counted in PostgreSQL so every instance shares it and a restart
//! forgets nothing; name + ID number pairs cannot be tried by the thousand. Public document
//! downloads are counted the same way under their own, larger budget.
use std::net::{IpAddr, Ipv4Addr};

use sqlx::PgPool;

/// Look-ups allowed per client in one window.
pub const PER_WINDOW: i64 = 5;
/// Public document downloads allowed per client in one window (a page has a few dozen).
pub const DOWNLOADS_PER_WINDOW: i64 = 30;

/// What is counted: each purpose has its own window per client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Lookup,
    Download,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Lookup => "lookup",
            Purpose::Download => "download",
        }
    }

    fn per_window(self) -> i64 {
        match self {
            Purpose::Lookup => PER_WINDOW,
            Purpose::Download => DOWNLOADS_PER_WINDOW,
        }
    }
}
/// The window, seconds.
pub const WINDOW_SECONDS: i64 = 60;
/// Advisory-lock class for one client's look-ups (the other classes: writers_queue_lock.sql).
const LOOKUP_LOCK: i32 = 4_242_002;

/// Counts one request of `client` (None: an unknown peer, counted as one); Err(seconds until
/// the next is allowed) when over. Clients are taken one at a time (an advisory lock on the
/// address), so two instances cannot both let a sixth through.
pub async fn check(
    pool: &PgPool,
    client: Option<IpAddr>,
    purpose: Purpose,
) -> Result<Result<(), u64>, sqlx::Error> {
    // as text: the driver is built without an IP type
    let client = client
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), crate::client::network)
        .to_string();
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
        .bind(LOOKUP_LOCK)
        .bind(format!("{client} {}", purpose.as_str()))
        .execute(&mut *tx)
        .await?;
    let (count, oldest_age): (i64, Option<f64>) = sqlx::query_as(
        "SELECT count(*), extract(epoch FROM now() - min(at))::float8 FROM resident_lookups
          WHERE client = $1::inet AND purpose = $3 AND at > now() - make_interval(secs => $2)",
    )
    .bind(&client)
    .bind(WINDOW_SECONDS as f64)
    .bind(purpose.as_str())
    .fetch_one(&mut *tx)
    .await?;
    if count >= purpose.per_window() {
        let wait = (WINDOW_SECONDS as f64 - oldest_age.unwrap_or(0.0))
            .ceil()
            .max(1.0) as u64;
        return Ok(Err(wait));
    }
    sqlx::query("INSERT INTO resident_lookups (client, purpose) VALUES ($1::inet, $2)")
        .bind(&client)
        .bind(purpose.as_str())
        .execute(&mut *tx)
        .await?;
    // the table keeps only what a window can still count (a client's old rows go with its next look-up)
    sqlx::query("DELETE FROM resident_lookups WHERE client = $1::inet AND purpose = $3 AND at <= now() - make_interval(secs => $2)")
        .bind(&client)
        .bind(WINDOW_SECONDS as f64)
        .bind(purpose.as_str())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
