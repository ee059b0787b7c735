//! The day of history a request reads (`as_of`): a Beijing day from the first day of the
//! recorded history up to today; anything else is refused, naming `as_of`.
use chrono::NaiveDate;
use sqlx::PgPool;

use crate::clock::past_day;
use crate::error::{AppError, AppResult};

/// The first day of the recorded history (the earliest day any project moved), if any.
pub async fn first_day(pool: &PgPool) -> Result<Option<NaiveDate>, sqlx::Error> {
    sqlx::query_scalar("SELECT min(day) FROM daily_figures")
        .fetch_one(pool)
        .await
}

/// Parses `as_of`: None when absent (live); 400 when malformed, in the future, or before the
/// history starts (no status was recorded then, so no screen could show that day honestly).
pub async fn as_of(pool: &PgPool, text: Option<&str>) -> AppResult<Option<NaiveDate>> {
    let Some(day) = past_day("as_of", text)? else {
        return Ok(None);
    };
    if let Some(first) = first_day(pool).await? {
        if day < first {
            return Err(AppError::BadRequest(format!(
                "as_of: {day} is before the recorded history, which starts on {first}"
            )));
        }
    }
    Ok(Some(day))
}

/// `as_of` for what is kept live (tiles, lists): today's end is the live state, so today
/// reads the live path and its cache.
#[must_use]
pub fn past_only(day: Option<NaiveDate>) -> Option<NaiveDate> {
    day.filter(|d| *d < crate::clock::beijing_today())
}
