//! The Beijing day the service reasons in, and the days of history a request may ask for.
use chrono::{Duration, NaiveDate};

use crate::error::{AppError, AppResult};

/// Beijing is UTC+8 all year (no daylight saving).
const BEIJING_OFFSET_HOURS: i64 = 8;

/// Today in Beijing, the day figures, paces, rankings and compensation reason in.
#[must_use]
pub fn beijing_today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(BEIJING_OFFSET_HOURS)).date_naive()
}

/// Parses a day of history (`as_of`, a period's ends) within the business years; a future day
/// is refused, since history stops today.
pub fn past_day(field: &str, text: Option<&str>) -> AppResult<Option<NaiveDate>> {
    let Some(text) = text else { return Ok(None) };
    let day = crate::validate::day(field, text).map_err(AppError::BadRequest)?;
    if day > beijing_today() {
        return Err(AppError::BadRequest(format!(
            "{field}: {day} is in the future"
        )));
    }
    Ok(Some(day))
}
