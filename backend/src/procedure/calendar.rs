//! The holiday calendar deadlines count in (docs/procedure.md): a year's listed days (法定节假日
//! on weekdays, 调休 weekend days worked) for staff, an admin's replacement of a year's list in
//! one audited transaction, and the period calculator over the SQL `period_end` (the one place
//! the arithmetic lives).
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::audit::audit;
use crate::auth::User;
use crate::error::{AppError, AppResult, Code};
use crate::validate;

/// The longest name of a listed day (the notice's name: 国庆节、中秋节调休上班).
const MAX_DAY_NAME: usize = 40;
/// The longest period the calculator takes, in any unit (months included: a century).
pub const MAX_PERIOD: i32 = 3660;

/// A listed day as the admin page sends it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayIn {
    pub day: String,
    pub working: bool,
    pub name: String,
}

/// A year's list as the admin page sends it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearIn {
    pub days: Vec<DayIn>,
}

/// A year the calendar may list: within the business years.
pub fn check_year(year: i32) -> AppResult<i32> {
    if (validate::FIRST_YEAR..=validate::LAST_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(AppError::BadRequest(format!(
            "year: {year} is outside the years {}–{}",
            validate::FIRST_YEAR,
            validate::LAST_YEAR
        )))
    }
}

/// Year `year`'s listed days in order, and every year the calendar lists days of.
pub async fn year(pool: &PgPool, year: i32) -> AppResult<Value> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/procedure/calendar_year.sql"))
            .bind(year)
            .fetch_one(pool)
            .await?,
    )
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Each day of the list checked: a day of `year`, listed once, a 节假日 on a weekday, a 调休上班
/// day on a weekend day, a name; the first broken rule refused naming the day.
pub fn check_days(year: i32, days: &[DayIn]) -> AppResult<Vec<(NaiveDate, bool, String)>> {
    let mut out: Vec<(NaiveDate, bool, String)> = Vec::with_capacity(days.len());
    for (i, d) in days.iter().enumerate() {
        let day =
            validate::day(&format!("days[{i}].day"), &d.day).map_err(AppError::Unprocessable)?;
        if day.year() != year {
            let why = format!("days[{i}].day: {day} is not a day of {year}");
            return Err(AppError::new(
                Code::CalendarDayOutsideYear,
                why,
                json!({ "day": day, "year": year }),
            ));
        }
        let named = json!({ "day": day });
        if out.iter().any(|(seen, _, _)| *seen == day) {
            let why = format!("days[{i}].day: {day} is listed twice");
            return Err(AppError::new(Code::CalendarDayTwice, why, named));
        }
        if !d.working && is_weekend(day) {
            let why = format!("days[{i}].working: {day} is a weekend day, a rest day already: a 节假日 listed falls on a weekday");
            return Err(AppError::new(Code::CalendarHolidayOnWeekend, why, named));
        }
        if d.working && !is_weekend(day) {
            let why = format!("days[{i}].working: {day} is a weekday, worked already: a 调休上班 day listed falls on a weekend");
            return Err(AppError::new(Code::CalendarWorkdayOnWeekday, why, named));
        }
        let name = d.name.trim();
        if name.is_empty() || name.chars().count() > MAX_DAY_NAME {
            let why = format!("days[{i}].name: {day}'s name is 1 to {MAX_DAY_NAME} characters");
            return Err(AppError::Unprocessable(why));
        }
        out.push((day, d.working, name.to_owned()));
    }
    out.sort_by_key(|(day, _, _)| *day);
    Ok(out)
}

/// Replaces year `year`'s list with `days` in one transaction, audited with the days added and
/// removed; nothing is written when a day is refused. Answers the year as `year` does.
pub async fn replace(pool: &PgPool, user: &User, year_: i32, days: &[DayIn]) -> AppResult<Value> {
    let year_ = check_year(year_)?;
    let days = check_days(year_, days)?;
    let mut tx = pool.begin().await?;
    // one writer of a year at a time: the second replaces the first's list, never collides with it
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('calendar_days'), $1)")
        .bind(year_)
        .execute(&mut *tx)
        .await?;
    let before: Vec<(NaiveDate, bool, String)> = sqlx::query_as(
        "DELETE FROM calendar_days WHERE extract(year FROM day) = $1 RETURNING day, working, name",
    )
    .bind(year_)
    .fetch_all(&mut *tx)
    .await?;
    let listed: Vec<NaiveDate> = days.iter().map(|d| d.0).collect();
    let working: Vec<bool> = days.iter().map(|d| d.1).collect();
    let names: Vec<&str> = days.iter().map(|d| d.2.as_str()).collect();
    sqlx::query("INSERT INTO calendar_days (day, working, name) SELECT * FROM unnest($1::date[], $2::boolean[], $3::text[])")
        .bind(&listed)
        .bind(&working)
        .bind(&names)
        .execute(&mut *tx)
        .await?;
    let added: Vec<&(NaiveDate, bool, String)> =
        days.iter().filter(|d| !before.contains(d)).collect();
    let removed: Vec<&(NaiveDate, bool, String)> =
        before.iter().filter(|d| !days.contains(d)).collect();
    let shown = |list: &[&(NaiveDate, bool, String)]| -> Vec<Value> {
        list.iter()
            .map(|(d, w, n)| json!({ "day": d, "working": w, "name": n }))
            .collect()
    };
    let detail = json!({ "year": year_, "days": days.len(), "added": shown(&added), "removed": shown(&removed) });
    audit(
        &mut tx,
        user,
        "holiday_calendar",
        &format!("holiday calendar {year_}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    year(pool, year_).await
}

/// The last day of a period of `n` `unit`s from `start` (SQL `period_end`), with whether `end`
/// is a working day and the listed days between the two, so a page can show why.
pub async fn period_end(pool: &PgPool, start: NaiveDate, n: i32, unit: &str) -> AppResult<Value> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/procedure/period_end.sql"))
            .bind(start)
            .bind(n)
            .bind(unit)
            .fetch_one(pool)
            .await?,
    )
}
