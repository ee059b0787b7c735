//! The 信访 rules as data, for admins: categories (added, renamed, retired; never deleted, their
//! petitions keep them) and the local periods (replaced as one list; the statute's row of
//! 信访工作条例 stays as it is). Staff may read them.
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use super::{channel, required_text};
use crate::audit::audit;
use crate::auth::{Role, User};
use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub name: String,
    #[serde(default)]
    pub retired: bool,
    pub position: Option<i16>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub project: Option<String>,
    pub channel: Option<String>,
    pub category_id: Option<i16>,
    pub accept_n: i32,
    pub accept_unit: String,
    pub handle_n: i32,
    pub handle_unit: String,
    pub basis: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Periods {
    pub periods: Vec<Period>,
}

fn admin(user: &User) -> AppResult<()> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "petition rules: only admins change categories and periods".into(),
        ))
    }
}

pub async fn settings(pool: &PgPool, user: &User) -> AppResult<Value> {
    if matches!(user.role, Role::Viewer | Role::Planner) {
        return Err(AppError::Forbidden(
            "petition rules: for admins and operators".into(),
        ));
    }
    Ok(
        sqlx::query_scalar(include_str!("../../sql/petitions/settings.sql"))
            .fetch_one(pool)
            .await?,
    )
}

/// Adds a category (`id` None) or renames / retires / moves one.
pub async fn save_category(
    pool: &PgPool,
    user: &User,
    id: Option<i16>,
    c: &Category,
) -> AppResult<Value> {
    admin(user)?;
    let name = required_text("name", &c.name, 20, "name the category")?;
    let mut tx = pool.begin().await?;
    let taken: Option<i16> =
        sqlx::query_scalar("SELECT id FROM petition_categories WHERE name = $1")
            .bind(&name)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() && taken != id {
        return Err(AppError::Unprocessable(format!(
            "name: a category is named `{name}` already"
        )));
    }
    let saved: Option<i16> = match id {
        None => {
            sqlx::query_scalar("INSERT INTO petition_categories (name, position, retired) VALUES ($1, coalesce($2, 100), $3) RETURNING id")
                .bind(&name)
                .bind(c.position)
                .bind(c.retired)
                .fetch_optional(&mut *tx)
                .await?
        }
        Some(id) => {
            sqlx::query_scalar(
                "UPDATE petition_categories SET name = $2, position = coalesce($3, position), retired = $4 WHERE id = $1 RETURNING id",
            )
            .bind(id)
            .bind(&name)
            .bind(c.position)
            .bind(c.retired)
            .fetch_optional(&mut *tx)
            .await?
        }
    };
    let saved = saved.ok_or_else(|| {
        AppError::NotFound(format!(
            "petition category {} does not exist",
            id.unwrap_or_default()
        ))
    })?;
    audit(
        &mut tx,
        user,
        "petition_category_saved",
        &format!("petition category {saved}"),
        json!({ "name": name, "retired": c.retired, "position": c.position }),
    )
    .await?;
    tx.commit().await?;
    settings(pool, user).await
}

fn unit(field: &str, text: &str) -> AppResult<()> {
    if matches!(text, "days" | "working_days") {
        Ok(())
    } else {
        Err(AppError::Unprocessable(format!(
            "{field}: `{text}` is not days or working_days"
        )))
    }
}

/// Replaces every local period row at once; the statute's row is kept. A local row names at least
/// one of project, channel and category, and is no longer than the statute in count (15 / 60).
pub async fn replace_periods(pool: &PgPool, user: &User, p: &Periods) -> AppResult<Value> {
    admin(user)?;
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM petition_periods WHERE project_id IS NOT NULL OR channel IS NOT NULL OR category_id IS NOT NULL")
        .execute(&mut *tx)
        .await?;
    for (i, r) in p.periods.iter().enumerate() {
        let at = |f: &str| format!("periods[{i}].{f}");
        if r.project.is_none() && r.channel.is_none() && r.category_id.is_none() {
            return Err(AppError::Unprocessable(format!(
                "{}: a local period names a project, a channel or a category",
                at("channel")
            )));
        }
        if let Some(c) = &r.channel {
            channel(&at("channel"), c)?;
        }
        unit(&at("accept_unit"), &r.accept_unit)?;
        unit(&at("handle_unit"), &r.handle_unit)?;
        if !(1..=15).contains(&r.accept_n) {
            return Err(AppError::Unprocessable(format!(
                "{}: 1 to 15 (the statute's 15 days at most)",
                at("accept_n")
            )));
        }
        if !(1..=60).contains(&r.handle_n) {
            return Err(AppError::Unprocessable(format!(
                "{}: 1 to 60 (the statute's 60 days at most)",
                at("handle_n")
            )));
        }
        let basis = required_text(&at("basis"), &r.basis, 200, "say which rule sets it")?;
        let project: Option<i64> = match &r.project {
            None => None,
            Some(code) => Some(
                sqlx::query_scalar("SELECT id FROM projects WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| {
                        AppError::Unprocessable(format!(
                            "{}: no project has code `{code}`",
                            at("project")
                        ))
                    })?,
            ),
        };
        if let Some(c) = r.category_id {
            let known: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM petition_categories WHERE id = $1)",
            )
            .bind(c)
            .fetch_one(&mut *tx)
            .await?;
            if !known {
                return Err(AppError::Unprocessable(format!(
                    "{}: no category {c}",
                    at("category_id")
                )));
            }
        }
        let inserted = sqlx::query(
            "INSERT INTO petition_periods (project_id, channel, category_id, accept_n, accept_unit, handle_n, handle_unit, basis)
             VALUES ($1, $2::petition_channel, $3, $4, $5::period_unit, $6, $7::period_unit, $8) ON CONFLICT DO NOTHING",
        )
        .bind(project)
        .bind(&r.channel)
        .bind(r.category_id)
        .bind(r.accept_n)
        .bind(&r.accept_unit)
        .bind(r.handle_n)
        .bind(&r.handle_unit)
        .bind(&basis)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(AppError::Unprocessable(format!(
                "{}: the same project, channel and category as an earlier row",
                at("channel")
            )));
        }
    }
    audit(
        &mut tx,
        user,
        "petition_periods_replaced",
        "petition periods",
        json!({ "rows": p.periods.len() }),
    )
    .await?;
    tx.commit().await?;
    settings(pool, user).await
}
