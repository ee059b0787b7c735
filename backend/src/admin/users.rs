//! People's accounts as an admin changes them: role and region, disabling, a new password.
//! Each change is audited and ends the person's sessions on every instance, so it holds at
//! once; no admin may disable or demote themselves or the last admin left.
use rand::Rng;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

use crate::audit::audit;
use crate::auth::{self, policy, throttle, Role, User, KIOSK_ACCOUNT};
use crate::error::{AppError, AppResult};

/// The accounts (`username`: one of them, None: all), as the admin page lists them.
pub async fn list(pool: &PgPool, username: Option<&str>) -> AppResult<Value> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/admin/users.sql"))
            .bind(throttle::WINDOW_SECS as f64)
            .bind(throttle::ACCOUNT_FAILURES)
            .bind(KIOSK_ACCOUNT)
            .bind(username)
            .fetch_one(pool)
            .await?,
    )
}

/// One account as `list` shows it.
pub async fn one(pool: &PgPool, username: &str) -> AppResult<Value> {
    let list = list(pool, Some(username)).await?;
    list.get(0).cloned().ok_or_else(|| not_found(username))
}

fn not_found(username: &str) -> AppError {
    AppError::NotFound(format!("username: no account is named `{username}`"))
}

/// Advisory-lock class taken by every change that could take admin rights away, so that two at
/// once cannot leave no admin (the other classes: auth/throttle.rs, auth/kiosk.rs).
const ADMINS_LOCK: (i32, i32) = (4_242_004, 0);

/// The account being changed, locked for the transaction, after the admins' lock.
struct Target {
    id: i32,
    role: Role,
    region_code: Option<String>,
    disabled: bool,
}

async fn target(tx: &mut PgConnection, username: &str) -> AppResult<Target> {
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(ADMINS_LOCK.0)
        .bind(ADMINS_LOCK.1)
        .execute(&mut *tx)
        .await?;
    let row: Option<(i32, Role, Option<String>, bool)> = sqlx::query_as(
        "SELECT u.id, u.role, r.code, u.disabled_at IS NOT NULL FROM users u LEFT JOIN regions r ON r.id = u.region_id
          WHERE u.username = $1 AND u.username <> $2 FOR UPDATE OF u",
    )
    .bind(username)
    .bind(KIOSK_ACCOUNT)
    .fetch_optional(&mut *tx)
    .await?;
    let (id, role, region_code, disabled) = row.ok_or_else(|| not_found(username))?;
    Ok(Target {
        id,
        role,
        region_code,
        disabled,
    })
}

/// Refuses to take admin rights away (`what`: disable, demote) from the acting admin themselves
/// or from the last enabled admin (only two admins demoting each other at once could reach that:
/// `target` serialises them, so the second finds itself the last).
async fn keep_an_admin(
    tx: &mut PgConnection,
    by: &User,
    target: &Target,
    what: &str,
) -> AppResult<()> {
    if target.role != Role::Admin || target.disabled {
        return Ok(());
    }
    if target.id == by.id {
        return Err(AppError::Conflict {
            message: format!("username: you cannot {what} your own account"),
            current: Value::Null,
        });
    }
    let admins: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL",
    )
    .fetch_one(&mut *tx)
    .await?;
    if admins <= 1 {
        return Err(AppError::Conflict {
            message: format!("username: cannot {what} the last admin"),
            current: Value::Null,
        });
    }
    Ok(())
}

/// Ends the account's sessions in the transaction (the delete NOTIFYs every instance on commit).
async fn end_sessions(tx: &mut PgConnection, username: &str) -> AppResult<u64> {
    auth::revoke_sessions(&mut *tx, username).await
}

fn role_name(role: Role) -> String {
    format!("{role:?}").to_lowercase()
}

/// Gives the account another role and region (an operator needs one); its sessions end.
pub async fn change(
    pool: &PgPool,
    by: &User,
    username: &str,
    role: Role,
    region_code: Option<&str>,
) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    let before = target(&mut tx, username).await?;
    let region_id = auth::region_id(&mut *tx, region_code).await?;
    auth::check_region_for(role, region_id)?;
    if before.role == role && before.region_code.as_deref() == region_code {
        return one(pool, username).await;
    }
    if role != Role::Admin {
        keep_an_admin(&mut tx, by, &before, "demote").await?;
    }
    sqlx::query("UPDATE users SET role = $2, region_id = $3 WHERE id = $1")
        .bind(before.id)
        .bind(role)
        .bind(region_id)
        .execute(&mut *tx)
        .await?;
    let ended = end_sessions(&mut tx, username).await?;
    let detail = json!({
        "role": {"from": role_name(before.role), "to": role_name(role)},
        "region": {"from": before.region_code, "to": region_code},
        "sessions_ended": ended,
    });
    audit(
        &mut tx,
        by,
        "user_updated",
        &format!("user {username}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    one(pool, username).await
}

/// Disables (the person can no longer log in; their sessions end) or enables an account.
pub async fn set_disabled(
    pool: &PgPool,
    by: &User,
    username: &str,
    disabled: bool,
) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    let before = target(&mut tx, username).await?;
    if before.disabled == disabled {
        return one(pool, username).await;
    }
    let mut detail = json!({});
    if disabled {
        keep_an_admin(&mut tx, by, &before, "disable").await?;
        detail = json!({ "sessions_ended": end_sessions(&mut tx, username).await? });
    }
    sqlx::query("UPDATE users SET disabled_at = CASE WHEN $2 THEN now() END WHERE id = $1")
        .bind(before.id)
        .bind(disabled)
        .execute(&mut *tx)
        .await?;
    let action = if disabled {
        "user_disabled"
    } else {
        "user_enabled"
    };
    audit(&mut tx, by, action, &format!("user {username}"), detail).await?;
    tx.commit().await?;
    one(pool, username).await
}

/// Letters and digits that cannot be mistaken for one another when read out (no 0/O, 1/l/I).
const PASSWORD_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

/// A random password for an admin to hand over once: 16 characters, about 93 bits.
#[must_use]
pub fn generate_password() -> String {
    let mut rng = rand::rng();
    (0..16)
        .map(|_| PASSWORD_ALPHABET[rng.random_range(0..PASSWORD_ALPHABET.len())] as char)
        .collect()
}

/// Sets a new password (`password`, or a generated one, which is answered once and never
/// stored in clear); the account's sessions end. Answers the generated password, if any.
pub async fn reset_password(
    pool: &PgPool,
    by: &User,
    username: &str,
    password: Option<&str>,
) -> AppResult<Option<String>> {
    let generated = password.is_none().then(generate_password);
    let password = password
        .or(generated.as_deref())
        .unwrap_or_default()
        .to_owned();
    policy::check_password_policy(username, &password)?;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| AppError::thread("password", e))??;
    let mut tx = pool.begin().await?;
    let before = target(&mut tx, username).await?;
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(before.id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    let ended = end_sessions(&mut tx, username).await?;
    let detail = json!({ "generated": generated.is_some(), "sessions_ended": ended });
    audit(
        &mut tx,
        by,
        "user_password_reset",
        &format!("user {username}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(generated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_pass_the_policy_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert_ne!(a, b);
        assert_eq!(a.chars().count(), 16);
        assert!(policy::check_password_policy("someone", &a).is_ok());
        assert!(a.bytes().all(|c| PASSWORD_ALPHABET.contains(&c)));
    }
}
