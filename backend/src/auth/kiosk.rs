//! Kiosk tokens for wall displays: stored as SHA-256, added, rotated and revoked from the CLI;
//! a kiosk session reads figures, tiles and the feed, nothing else.
use axum::http::Method;
use rand::RngCore;
use sqlx::PgPool;

use super::token_hash;
use crate::error::{AppError, AppResult};

/// A new random token, 32 bytes as hex.
#[must_use]
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    crate::hex::encode(&bytes)
}

/// Adds a token under `label`; `rotate` first revokes the label's current token (and its sessions).
pub async fn issue(pool: &PgPool, label: &str, rotate: bool) -> AppResult<String> {
    let mut tx = pool.begin().await?;
    if rotate {
        revoke_in(&mut tx, label).await?;
    }
    let token = new_token();
    sqlx::query("INSERT INTO kiosk_tokens (token_hash, label) VALUES ($1, $2)")
        .bind(token_hash(&token).as_slice())
        .bind(label)
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.constraint() == Some("kiosk_tokens_label_check") => {
                AppError::Unprocessable("label: 1–40 letters, digits, `_`, `.` or `-`".into())
            }
            _ => AppError::Database(e),
        })?;
    audit(
        &mut tx,
        if rotate {
            "kiosk_rotated"
        } else {
            "kiosk_issued"
        },
        label,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Revokes every live token under `label` and ends the sessions they opened; returns how many.
pub async fn revoke(pool: &PgPool, label: &str) -> AppResult<u64> {
    let mut tx = pool.begin().await?;
    let n = revoke_in(&mut tx, label).await?;
    audit(&mut tx, "kiosk_revoked", label).await?;
    tx.commit().await?;
    Ok(n)
}

async fn revoke_in(tx: &mut sqlx::Transaction<'_, sqlx::Postgres>, label: &str) -> AppResult<u64> {
    let ids: Vec<i32> = sqlx::query_scalar("UPDATE kiosk_tokens SET revoked_at = now() WHERE label = $1 AND revoked_at IS NULL RETURNING id")
        .bind(label)
        .fetch_all(&mut **tx)
        .await?;
    // the delete's trigger tells every instance to forget these sessions at once
    sqlx::query("DELETE FROM sessions WHERE kiosk_token_id = ANY ($1)")
        .bind(&ids)
        .execute(&mut **tx)
        .await?;
    Ok(ids.len() as u64)
}

async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    action: &str,
    label: &str,
) -> AppResult<()> {
    sqlx::query("INSERT INTO audit_log (action, subject) VALUES ($1, $2)")
        .bind(action)
        .bind(format!("kiosk {label}"))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The id of the live stored token equal to `token`, if any (compared by hash).
pub async fn stored_token(pool: &PgPool, token: &str) -> AppResult<Option<i32>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM kiosk_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash(token).as_slice())
    .fetch_optional(pool)
    .await?)
}

/// What a kiosk session may do: read the screens' figures, tiles and feed, and end itself.
/// Everything else (households, files, exports, uploads, writes) is refused, route by route
/// as they are added, because this list names what is allowed rather than what is not.
#[must_use]
pub fn kiosk_may(method: &Method, path: &str) -> bool {
    const READS: [&str; 10] = [
        "/api/figures",
        "/api/history",
        "/api/regions",
        "/api/rankings",
        "/api/trend",
        "/api/alerts",
        "/api/events/recent",
        "/events",
        "/tiles",
        "/api/me",
    ];
    if method == Method::POST {
        return path == "/api/logout";
    }
    let under = |p: &str| {
        path == p
            || path
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    (method == Method::GET || method == Method::HEAD) && READS.iter().any(|p| under(p))
}
