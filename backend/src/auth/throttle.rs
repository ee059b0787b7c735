//! Login throttling shared by every instance (rows in PostgreSQL): an account locks after
//! repeated failures, an address is slowed after many, whichever accounts it tries.
use std::net::IpAddr;

use sqlx::{Postgres, Transaction};

use crate::error::AppError;

/// Failures of one account within the window that lock it until the oldest of them leaves it.
pub const ACCOUNT_FAILURES: i64 = 5;
/// Failures from one client address within the window, over any accounts, before it must wait.
pub const ADDRESS_FAILURES: i64 = 30;
/// The window, in seconds.
pub const WINDOW_SECS: i64 = 15 * 60;
/// Advisory-lock class for one username's tries: they are checked and counted one at a time
/// (the other classes: backend/sql/schema/writers_queue_lock.sql).
const LOGIN_LOCK: i32 = 4_242_003;

/// The key failures of an address are counted under (an IPv6 client by its /64), as text:
/// the driver is built without an IP type.
fn client_key(client: Option<IpAddr>) -> Option<String> {
    client.map(|ip| crate::client::network(ip).to_string())
}

/// Takes the username's lock for this transaction and refuses while the account or the address
/// is locked out. Unknown usernames are counted and locked the same way (no enumeration).
pub async fn admit(
    tx: &mut Transaction<'_, Postgres>,
    username: &str,
    client: Option<IpAddr>,
) -> Result<(), AppError> {
    sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext(lower($2)))")
        .bind(LOGIN_LOCK)
        .bind(username)
        .execute(&mut **tx)
        .await?;
    if let Some(client) = client_key(client) {
        let (count, wait): (i64, Option<f64>) = sqlx::query_as(
            "SELECT count(*), extract(epoch FROM min(at) + make_interval(secs => $2) - now())::float8
               FROM login_failures WHERE client = $1::inet AND at > now() - make_interval(secs => $2)",
        )
        .bind(&client)
        .bind(WINDOW_SECS as f64)
        .fetch_one(&mut **tx)
        .await?;
        if count >= ADDRESS_FAILURES {
            let retry_after = wait.unwrap_or(1.0).ceil().max(1.0) as u64;
            return Err(AppError::TooMany {
                message: format!("too many failed logins from this address ({count} in {} minutes): try again in {retry_after} s", WINDOW_SECS / 60),
                retry_after,
            }
            .coded(crate::error::Code::TooManyLogins, serde_json::json!({ "retry_after": retry_after })));
        }
    }
    match locked_for(tx, username).await? {
        Some(retry_after) => Err(locked(username, retry_after)),
        None => Ok(()),
    }
}

fn locked(username: &str, retry_after: u64) -> AppError {
    AppError::TooMany {
        message: format!(
            "account `{username}` is locked after {ACCOUNT_FAILURES} failed logins: try again in {} min, or ask an admin to unlock it",
            retry_after.div_ceil(60)
        ),
        retry_after,
    }
    .coded(
        crate::error::Code::LockedOut,
        serde_json::json!({ "retry_after": retry_after, "minutes": retry_after.div_ceil(60) }),
    )
}

/// Seconds until the account's lock ends, if it is locked.
async fn locked_for(
    tx: &mut Transaction<'_, Postgres>,
    username: &str,
) -> Result<Option<u64>, AppError> {
    let (count, wait): (i64, Option<f64>) = sqlx::query_as(
        "SELECT count(*), extract(epoch FROM min(at) + make_interval(secs => $2) - now())::float8
           FROM (SELECT at FROM login_failures WHERE lower(username) = lower($1) AND at > now() - make_interval(secs => $2)
                  ORDER BY at DESC LIMIT $3) recent",
    )
    .bind(username)
    .bind(WINDOW_SECS as f64)
    .bind(ACCOUNT_FAILURES)
    .fetch_one(&mut **tx)
    .await?;
    Ok((count >= ACCOUNT_FAILURES).then(|| wait.unwrap_or(1.0).ceil().max(1.0) as u64))
}

/// Counts a failed try; answers the lockout error when this failure locks the account.
pub async fn failed(
    tx: &mut Transaction<'_, Postgres>,
    username: &str,
    client: Option<IpAddr>,
) -> Result<Option<AppError>, AppError> {
    sqlx::query("INSERT INTO login_failures (username, client) VALUES ($1, $2::inet)")
        .bind(username)
        .bind(client_key(client))
        .execute(&mut **tx)
        .await?;
    let now_locked = locked_for(tx, username).await?;
    if now_locked.is_some() {
        sqlx::query("INSERT INTO audit_log (action, subject, detail) VALUES ('login_locked', $1, json_build_object('client', $2::text))")
            .bind(format!("user {username}"))
            .bind(client_key(client))
            .execute(&mut **tx)
            .await?;
    }
    Ok(now_locked.map(|retry_after| locked(username, retry_after)))
}

/// A successful login forgets the account's failures.
pub async fn succeeded(tx: &mut Transaction<'_, Postgres>, username: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_failures WHERE lower(username) = lower($1)")
        .bind(username)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An admin's unlock (`by`: who, None from the command line): the account's failures are
/// forgotten. Returns how many there were.
pub async fn unlock(pool: &sqlx::PgPool, username: &str, by: Option<i32>) -> Result<u64, AppError> {
    let mut tx = pool.begin().await?;
    let removed = sqlx::query("DELETE FROM login_failures WHERE lower(username) = lower($1)")
        .bind(username)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query("INSERT INTO audit_log (user_id, action, subject, detail) VALUES ($3, 'login_unlocked', $1, json_build_object('failures', $2::bigint))")
        .bind(format!("user {username}"))
        .bind(removed as i64)
        .bind(by)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(removed)
}
