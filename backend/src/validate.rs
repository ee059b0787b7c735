//! The shared checks of request values, applied before anything reaches the database: business
//! dates in a bounded range, finite amounts within sane limits, text free of control characters.
//!
//! Each check returns the refusal as a message naming the field; the caller picks the status
//! (`AppError::BadRequest` for a query or path, `AppError::Unprocessable` for a body field).
use chrono::{Datelike, NaiveDate};

/// The first and last year a business date (an "as of" day, a period, a receipt, an incentive
/// deadline) may fall in. PostgreSQL's dates and chrono's arithmetic both reach far beyond, and
/// fail there in different ways; no acquisition project lives outside these years.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2100;

/// Sane upper bounds of amounts of yuan, each well inside the numeric column that stores it.
/// One household's compensation, payment or incentive (numeric(14, 2) holds less than 1e12).
pub const MAX_HOUSEHOLD_YUAN: f64 = 1e10;
/// A rate per m² or per m² and month (numeric(10, 2) holds less than 1e8).
pub const MAX_RATE_YUAN: f64 = 1e6;
/// A project's allocation or batch (numeric(16, 2) holds less than 1e14).
pub const MAX_PROJECT_YUAN: f64 = 1e12;

/// Parses a `YYYY-MM-DD` day within FIRST_YEAR..=LAST_YEAR.
pub fn day(field: &str, text: &str) -> Result<NaiveDate, String> {
    // four-digit years only: chrono also reads `+99999-01-01` and `-9999-01-01`
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let parsed = well_formed
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten();
    let day = parsed.ok_or_else(|| {
        format!(
            "{field}: `{}` is not a day YYYY-MM-DD in the years {FIRST_YEAR}–{LAST_YEAR}",
            shown(text)
        )
    })?;
    day_in_range(field, day)
}

/// Refuses a day (already parsed, e.g. from a JSON body) outside FIRST_YEAR..=LAST_YEAR.
pub fn day_in_range(field: &str, day: NaiveDate) -> Result<NaiveDate, String> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&day.year()) {
        Ok(day)
    } else {
        Err(format!(
            "{field}: {day} is outside the years {FIRST_YEAR}–{LAST_YEAR}"
        ))
    }
}

/// An amount of yuan: finite, not negative, at most `max` (each column's own sane bound, well
/// inside its numeric precision).
pub fn yuan(field: &str, value: f64, max: f64) -> Result<f64, String> {
    if value.is_finite() && (0.0..=max).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "{field}: {} is not an amount of money between 0 and {}",
            shown_number(value),
            shown_number(max)
        ))
    }
}

/// A number given as text (a query parameter): finite, since `inf` and `NaN` parse as f64.
pub fn finite_number(field: &str, text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{field}: `{}` is not a finite number", shown(text)))
}

/// The first character PostgreSQL text or an XML document cannot hold, or that has no place in
/// anything typed: NUL and the other C0 controls except tab, line feed and carriage return.
#[must_use]
pub fn forbidden_char(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{7f}'))
}

/// Refuses text holding a `forbidden_char`.
pub fn text<'a>(field: &str, value: &'a str) -> Result<&'a str, String> {
    match forbidden_char(value) {
        Some(c) => Err(format!("{field}: contains the control character U+{:04X}; text may hold no control characters but tab and line breaks", u32::from(c))),
        None => Ok(value),
    }
}

/// Refuses text longer than `max` characters.
pub fn max_chars<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, String> {
    if value.chars().count() > max {
        Err(format!("{field}: is longer than {max} characters"))
    } else {
        Ok(value)
    }
}

/// A number as a message shows it: 1e308 rather than its 309 digits.
#[must_use]
pub fn shown_number(value: f64) -> String {
    if value.is_finite() && value != 0.0 && !(1e-6..1e15).contains(&value.abs()) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// A value as a message may echo it: at most 40 characters, so a 10,000-character input does
/// not come back whole.
#[must_use]
pub fn shown(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_four_digit_years_in_range() {
        assert_eq!(
            day("as_of", "2026-11-20").ok(),
            NaiveDate::from_ymd_opt(2026, 11, 20)
        );
        for bad in [
            "-9999-01-01",
            "-200000-01-01",
            "+99999-01-01",
            "0000-01-01",
            "1899-12-31",
            "2101-01-01",
            "2026-02-30",
            "2026-1-1",
            "",
            "２０２６-01-01",
        ] {
            let error = day("as_of", bad).expect_err(bad);
            assert!(error.starts_with("as_of: "), "{error}");
        }
        assert!(day_in_range("until", NaiveDate::MIN).is_err());
    }

    #[test]
    fn amounts_are_finite_and_bounded() {
        assert_eq!(yuan("yuan", 12.5, 1e6), Ok(12.5));
        for bad in [f64::NAN, f64::INFINITY, -0.01, 1e12, f64::MAX] {
            assert!(yuan("yuan", bad, 1e10).is_err(), "{bad}");
        }
        assert_eq!(finite_number("bbox", " 1.5"), Ok(1.5));
        for bad in ["inf", "-infinity", "NaN", "1e309", "x"] {
            assert!(finite_number("bbox", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_kept() {
        assert!(text("reason", "第一行\n第二行\t\r").is_ok());
        for bad in ["a\0b", "\u{1}", "x\u{1b}[31m", "\u{8}"] {
            assert!(text("reason", bad)
                .expect_err(bad)
                .starts_with("reason: contains the control character U+"));
        }
        assert_eq!(
            forbidden_char("ok\u{7f}"),
            None,
            "DEL is valid in PostgreSQL and XML"
        );
    }

    #[test]
    fn echoed_values_are_cut() {
        assert_eq!(shown("短"), "短");
        assert_eq!(shown(&"x".repeat(10_000)).chars().count(), 41);
        assert_eq!(shown_number(1e308), "1e308");
        assert_eq!(shown_number(-12.5), "-12.5");
        assert_eq!(shown_number(f64::NAN), "NaN");
    }
}
