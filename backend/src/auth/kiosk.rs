//! Kiosk tokens for wall displays: stored as SHA-256, added, rotated and revoked from the CLI or
//! the admin page; a kiosk session reads figures, tiles and the feed, nothing else.
use axum::http::Method;
use rand::RngCore;
use sqlx::PgPool;

use super::token_hash;
use crate::error::{AppError, AppResult};

/// Advisory-lock class for one label's changes (the other classes: throttle.rs, admin/users.rs).
const LABEL_LOCK: i32 = 4_242_005;

/// A new random token, 32 bytes as hex.
#[must_use]
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    crate::hex::encode(&bytes)
}

/// Adds a token under `label` from the command line; `rotate` first revokes the label's current
/// token (and its sessions).
pub async fn issue(pool: &PgPool, label: &str, rotate: bool) -> AppResult<String> {
    issue_as(pool, label, rotate, None).await
}

/// `issue` by an admin (`by`, audited as theirs). A new label must not have a live token (rotate
/// it instead); a rotated one must.
pub async fn issue_as(
    pool: &PgPool,
    label: &str,
    rotate: bool,
    by: Option<i32>,
) -> AppResult<String> {
    check_label(label)?;
    let mut tx = pool.begin().await?;
    // one label at a time: two admins creating the same label cannot both succeed
    sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
        .bind(LABEL_LOCK)
        .bind(label)
        .execute(&mut *tx)
        .await?;
    let live: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM kiosk_tokens WHERE label = $1 AND revoked_at IS NULL)",
    )
    .bind(label)
    .fetch_one(&mut *tx)
    .await?;
    match (rotate, live) {
        (true, false) => {
            return Err(AppError::NotFound(format!(
                "label: no live kiosk token has label `{label}`"
            )))
        }
        (false, true) => {
            return Err(AppError::Conflict {
                message: format!("label: `{label}` already has a live token: rotate it instead"),
                current: serde_json::Value::Null,
            })
        }
        _ => {}
    }
    if rotate {
        revoke_in(&mut tx, label).await?;
    }
    let token = new_token();
    sqlx::query("INSERT INTO kiosk_tokens (token_hash, label) VALUES ($1, $2)")
        .bind(token_hash(&token).as_slice())
        .bind(label)
        .execute(&mut *tx)
        .await?;
    let action = if rotate {
        "kiosk_rotated"
    } else {
        "kiosk_issued"
    };
    audit(&mut tx, action, label, by).await?;
    tx.commit().await?;
    Ok(token)
}

/// A label names a wall in the hall (`hall-1`): what the table's check allows, said first.
fn check_label(label: &str) -> AppResult<()> {
    let fits = (1..=40).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if fits {
        Ok(())
    } else {
        Err(AppError::Unprocessable(
            "label: 1–40 letters, digits, `_`, `.` or `-`".into(),
        ))
    }
}

/// Revokes every live token under `label` and ends the sessions they opened; returns how many.
pub async fn revoke(pool: &PgPool, label: &str) -> AppResult<u64> {
    revoke_as(pool, label, None).await
}

/// `revoke` by an admin (`by`); nothing is written when the label has no live token.
pub async fn revoke_as(pool: &PgPool, label: &str, by: Option<i32>) -> AppResult<u64> {
    let mut tx = pool.begin().await?;
    let n = revoke_in(&mut tx, label).await?;
    if n == 0 {
        return Ok(0);
    }
    audit(&mut tx, "kiosk_revoked", label, by).await?;
    tx.commit().await?;
    Ok(n)
}

/// Every token ever issued, newest first: label, when created, revoked and last used (never the
/// token itself, which is not stored).
pub async fn list(pool: &PgPool) -> AppResult<serde_json::Value> {
    Ok(sqlx::query_scalar(
        "SELECT coalesce(json_agg(json_build_object('id', id, 'label', label, 'created_at', created_at,
                    'revoked_at', revoked_at, 'last_used_at', last_used_at) ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC), '[]')
           FROM kiosk_tokens",
    )
    .fetch_one(pool)
    .await?)
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
    by: Option<i32>,
) -> AppResult<()> {
    sqlx::query("INSERT INTO audit_log (action, subject, user_id) VALUES ($1, $2, $3)")
        .bind(action)
        .bind(format!("kiosk {label}"))
        .bind(by)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The id of the live stored token equal to `token`, if any (compared by hash); noted as used.
pub async fn stored_token(pool: &PgPool, token: &str) -> AppResult<Option<i32>> {
    Ok(sqlx::query_scalar(
        "UPDATE kiosk_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id",
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
    (method == Method::GET || method == Method::HEAD)
        && (READS.iter().any(|p| under(p)) || is_procedure(path))
}

/// `/api/projects/{code}/procedure` exactly: the spotlight's timeline (the screen's version of
/// the ledger); no other `/api/projects` route, nor anything under this one.
fn is_procedure(path: &str) -> bool {
    path.strip_prefix("/api/projects/")
        .and_then(|rest| rest.strip_suffix("/procedure"))
        .is_some_and(|code| !code.is_empty() && !code.contains('/'))
}
