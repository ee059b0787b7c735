//! Offices (岗位) users hold, which approval steps may ask for: listed and set by an admin,
//! audited. They live beside the users (user_offices), read here, not in the auth module.
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use super::chains::label;
use crate::audit::audit;
use crate::auth::{Role, User};
use crate::error::{AppError, AppResult};

/// More offices than this for one person is a typing accident.
const MAX_OFFICES: usize = 10;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficesEdit {
    pub offices: Vec<String>,
}

fn admin_only(user: &User) -> AppResult<()> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "offices: only an admin sees and sets who holds which office".into(),
        ))
    }
}

/// Admins and operators with their offices, and every office a chain step or a user names.
pub async fn list_offices(pool: &PgPool, user: &User) -> AppResult<Value> {
    admin_only(user)?;
    Ok(sqlx::query_scalar(
        "SELECT json_build_object(
             'users', coalesce((SELECT json_agg(json_build_object('username', u.username, 'role', u.role, 'region_code', r.code,
                                                                  'offices', coalesce((SELECT json_agg(o.office ORDER BY o.office)
                                                                                         FROM user_offices o WHERE o.user_id = u.id), '[]'))
                                                ORDER BY u.username)
                                  FROM users u LEFT JOIN regions r ON r.id = u.region_id
                                 WHERE u.role IN ('admin', 'operator')), '[]'),
             'offices', coalesce((SELECT json_agg(DISTINCT office ORDER BY office)
                                    FROM (SELECT office FROM user_offices UNION SELECT office FROM approval_steps WHERE office IS NOT NULL) o), '[]'))",
    )
    .fetch_one(pool)
    .await?)
}

/// Sets the offices `username` holds (replacing the ones they held); admins and operators only hold offices.
pub async fn set_offices(
    pool: &PgPool,
    user: &User,
    username: &str,
    edit: &OfficesEdit,
) -> AppResult<Value> {
    admin_only(user)?;
    if edit.offices.len() > MAX_OFFICES {
        return Err(AppError::Unprocessable(format!(
            "offices: at most {MAX_OFFICES} per person"
        )));
    }
    let mut offices = Vec::with_capacity(edit.offices.len());
    for (i, o) in edit.offices.iter().enumerate() {
        let o = label(o, &format!("offices[{i}]"))?;
        if !offices.contains(&o) {
            offices.push(o);
        }
    }
    // (as users.username allows; anything else names nobody, and would not reach the database)
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return Err(AppError::NotFound(format!(
            "user `{}` does not exist",
            username.escape_debug()
        )));
    }
    let target: Option<(i32, Role)> =
        sqlx::query_as("SELECT id, role FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(pool)
            .await?;
    let Some((id, role)) = target else {
        return Err(AppError::NotFound(format!(
            "user `{username}` does not exist"
        )));
    };
    if !matches!(role, Role::Admin | Role::Operator) && !offices.is_empty() {
        return Err(AppError::Unprocessable(format!(
            "username: {username} reads only; offices are held by admins and operators"
        )));
    }
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM user_offices WHERE user_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO user_offices (user_id, office) SELECT $1, unnest($2::text[])")
        .bind(id)
        .bind(&offices)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        user,
        "offices",
        &format!("user {username}"),
        json!({ "offices": offices }),
    )
    .await?;
    tx.commit().await?;
    Ok(json!({ "username": username, "offices": offices }))
}
