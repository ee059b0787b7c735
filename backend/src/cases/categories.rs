//! The seven case categories and their due rule (`due_days`: a case is due at the end of the
//! Beijing day that many days after it opens or escalates; 0 = the same day). Staff read
//! them; admins change the rule, audited.
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::admin::admins_only;
use crate::audit::audit;
use crate::auth::User;
use crate::error::{AppError, AppResult};

/// The longest rule an admin may set, in days.
pub const MAX_DUE_DAYS: i16 = 30;

pub async fn list(pool: &PgPool) -> AppResult<Value> {
    Ok(sqlx::query_scalar(
        "SELECT json_build_object('categories', coalesce(json_agg(json_build_object(
                    'key', key, 'name', name, 'due_days', due_days, 'updated_at', updated_at) ORDER BY seq), '[]'))
           FROM case_categories",
    )
    .fetch_one(pool)
    .await?)
}

/// 422 naming the field unless `key` is a category.
pub async fn known(pool: &PgPool, key: &str) -> AppResult<()> {
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM case_categories ORDER BY seq")
        .fetch_all(pool)
        .await?;
    if keys.iter().any(|k| k == key) {
        Ok(())
    } else {
        Err(AppError::Unprocessable(format!(
            "category: `{key}` is not one of {}",
            keys.join(", ")
        )))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub key: String,
    pub due_days: i16,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub categories: Vec<Rule>,
}

/// Sets the due rule of the categories named (admins): cases opened or escalated from now on
/// follow it; deadlines already set stay.
pub async fn set(pool: &PgPool, user: &User, rules: &Rules) -> AppResult<Value> {
    admins_only(user, "changing the case categories' due rules")?;
    if rules.categories.is_empty() {
        return Err(AppError::Unprocessable(
            "categories: name at least one category and its due_days".into(),
        ));
    }
    for (i, rule) in rules.categories.iter().enumerate() {
        if !(0..=MAX_DUE_DAYS).contains(&rule.due_days) {
            return Err(AppError::Unprocessable(format!(
                "categories[{i}].due_days: {} is not between 0 and {MAX_DUE_DAYS}",
                rule.due_days
            )));
        }
        known(pool, &rule.key).await.map_err(|_| {
            AppError::Unprocessable(format!(
                "categories[{i}].key: `{}` is not a category",
                rule.key
            ))
        })?;
    }
    let mut tx = pool.begin().await?;
    for rule in &rules.categories {
        let before: i16 = sqlx::query_scalar(
            "UPDATE case_categories c SET due_days = $2, updated_at = now(), updated_by = $3
               FROM case_categories old WHERE old.key = c.key AND c.key = $1 RETURNING old.due_days",
        )
        .bind(&rule.key)
        .bind(rule.due_days)
        .bind(user.id)
        .fetch_one(&mut *tx)
        .await?;
        audit(
            &mut tx,
            user,
            "case_category_rule",
            &format!("case category {}", rule.key),
            json!({ "key": rule.key, "due_days": rule.due_days, "before": before }),
        )
        .await?;
    }
    tx.commit().await?;
    list(pool).await
}
