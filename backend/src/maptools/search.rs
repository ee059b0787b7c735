//! `GET /api/search`: the map's search box — projects, regions (the data's addresses), buildings
//! by code, and households for the staff who may see them, in the caller's region only.
use serde::Deserialize;
use serde_json::Value;
use sqlx::PgPool;

use crate::auth::{Role, User};
use crate::error::{AppError, AppResult};

/// The longest query: a whole household code is 26 characters, an ID number 18.
pub const MAX_QUERY_CHARS: usize = 40;
/// Hits per answer at most, and when the caller names none.
pub const MAX_LIMIT: i64 = 30;
pub const DEFAULT_LIMIT: i64 = 10;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    pub q: Option<String>,
    pub limit: Option<i64>,
}

/// Whose households a user's search may find: `None` none, `Some(None)` everywhere,
/// `Some(Some(region))` that region's subtree. The households search's rule (households/mod.rs).
#[must_use]
pub fn household_scope(user: &User) -> Option<Option<i32>> {
    if user.kiosk {
        return None;
    }
    match user.role {
        Role::Admin => Some(None),
        Role::Operator => user.region_id.map(Some),
        Role::Viewer | Role::Planner => None,
    }
}

/// `text` with LIKE's wildcards and escape character taken literally.
fn like_literal(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// An ID number's ending (at least 4 of its digits or a final X), upper-cased, if `q` is one.
fn id_ending(q: &str) -> Option<String> {
    let q = q.to_uppercase();
    let digits = q.strip_suffix('X').unwrap_or(&q);
    (q.len() >= 4 && q.len() <= 18 && digits.chars().all(|c| c.is_ascii_digit())).then_some(q)
}

pub async fn search(pool: &PgPool, user: &User, query: SearchQuery) -> AppResult<Value> {
    let q = query.q.as_deref().map(str::trim).unwrap_or_default();
    if q.is_empty() {
        return Err(AppError::BadRequest(
            "q: say what to look for (a project, building or household code, a name)".into(),
        ));
    }
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(AppError::BadRequest(format!(
            "q: {chars} characters; at most {MAX_QUERY_CHARS}"
        )));
    }
    if q.chars().any(char::is_control) {
        return Err(AppError::BadRequest("q: control characters".into()));
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "limit: {limit} is not between 1 and {MAX_LIMIT}"
        )));
    }
    let scope = household_scope(user);
    let hits: Value = sqlx::query_scalar(include_str!("../../sql/maptools/search.sql"))
        // planned for this query's own patterns: a generic plan cannot use the pattern indexes
        .persistent(false)
        .bind(q)
        .bind(like_literal(q))
        .bind(limit)
        .bind(scope.is_some())
        .bind(scope.flatten())
        .bind(scope.and_then(|_| id_ending(q)))
        .fetch_one(pool)
        .await?;
    Ok(serde_json::json!({ "q": q, "limit": limit, "households": scope.is_some(), "hits": hits }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_are_literal_and_endings_are_digits() {
        assert_eq!(like_literal(r"a%b_c\"), r"a\%b\_c\\");
        assert_eq!(id_ending("123x").as_deref(), Some("123X"));
        assert_eq!(id_ending("12a4"), None);
        assert_eq!(id_ending("123"), None);
    }
}
