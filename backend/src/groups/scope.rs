//! The group write scope: an operator whose `write_scope` is `group` writes statuses and
//! household files only for the households held by a group they lead or belong to (within
//! their region, which `auth::may_write_in` checks first). Read from the database at each
//! write, so an admin's change holds at once.
use serde_json::json;
use sqlx::PgPool;

use crate::auth::{Role, User};
use crate::error::{AppError, AppResult, Code};

/// Whether `user`'s writes are limited to their groups' households.
pub async fn limited_to_groups(db: impl sqlx::PgExecutor<'_>, user: &User) -> AppResult<bool> {
    if user.role != Role::Operator {
        return Ok(false);
    }
    Ok(
        sqlx::query_scalar("SELECT write_scope = 'group' FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_optional(db)
            .await?
            .unwrap_or(false),
    )
}

/// The 403 for a household outside the writer's groups, naming it by code.
fn outside(user: &User, code: &str) -> AppError {
    AppError::Forbidden(format!(
        "household {code} is not held by a work group {} leads or belongs to",
        user.username
    ))
    .coded(Code::OutsideGroup, json!({ "household": code }))
}

/// Refuses a write to households `ids` (one of a status change: the household, or every
/// household of a building) when `user` is limited to their groups and one lies outside them.
pub async fn check_households(
    db: &mut sqlx::PgConnection,
    user: &User,
    ids: &[i64],
) -> AppResult<()> {
    if !limited_to_groups(&mut *db, user).await? {
        return Ok(());
    }
    let outside_code: Option<String> =
        sqlx::query_scalar(include_str!("../../sql/groups/outside_scope.sql"))
            .bind(user.id)
            .bind(ids)
            .fetch_optional(&mut *db)
            .await?;
    match outside_code {
        Some(code) => Err(outside(user, &code)),
        None => Ok(()),
    }
}

/// As `check_households` for every household of building `building`.
pub async fn check_building(
    db: &mut sqlx::PgConnection,
    user: &User,
    building: i64,
) -> AppResult<()> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM households WHERE building_id = $1")
        .bind(building)
        .fetch_all(&mut *db)
        .await?;
    check_households(db, user, &ids).await
}

/// Refuses a parcel's land status to a writer limited to their groups: groups hold households.
pub async fn check_parcel(
    pool: &mut sqlx::PgConnection,
    user: &User,
    parcel: i64,
) -> AppResult<()> {
    if !limited_to_groups(&mut *pool, user).await? {
        return Ok(());
    }
    Err(AppError::Forbidden(format!(
        "parcel {parcel}: {} writes only for their work groups' households, not land status",
        user.username
    ))
    .coded(
        Code::OutsideGroup,
        json!({ "household": format!("parcel {parcel}") }),
    ))
}

/// `check_households` on its own connection (household files: attachments).
pub async fn check_household(pool: &PgPool, user: &User, id: i64) -> AppResult<()> {
    let mut db = pool.acquire().await?;
    check_households(&mut db, user, &[id]).await
}

/// Sets the write scope of account `who` (its id; `region` or `group`); admins only, audited.
/// Answers the account as the admin page lists it, with its id and scope.
pub async fn set_write_scope(
    pool: &PgPool,
    by: &User,
    who: &str,
    scope: &str,
) -> AppResult<serde_json::Value> {
    if by.role != Role::Admin || by.kiosk {
        return Err(
            AppError::Forbidden("users: only admins change accounts".into())
                .coded(Code::ForbiddenRole, json!({})),
        );
    }
    if !["region", "group"].contains(&scope) {
        return Err(AppError::Unprocessable(format!(
            "write_scope: `{scope}` is not region or group"
        )));
    }
    let id: i32 = who
        .parse()
        .map_err(|_| AppError::NotFound(format!("user: `{who}` is not an account id")))?;
    let mut tx = pool.begin().await?;
    let before: Option<(String, String)> = sqlx::query_as(
        "SELECT username, write_scope FROM users WHERE id = $1 AND username <> $2 FOR UPDATE",
    )
    .bind(id)
    .bind(crate::auth::KIOSK_ACCOUNT)
    .fetch_optional(&mut *tx)
    .await?;
    let (username, was) =
        before.ok_or_else(|| AppError::NotFound(format!("user: no account has id {id}")))?;
    sqlx::query("UPDATE users SET write_scope = $2 WHERE id = $1")
        .bind(id)
        .bind(scope)
        .execute(&mut *tx)
        .await?;
    crate::audit::audit(
        &mut tx,
        by,
        "user_updated",
        &format!("user {username}"),
        json!({ "write_scope": { "from": was, "to": scope } }),
    )
    .await?;
    tx.commit().await?;
    crate::admin::users::one(pool, &username).await
}
