//! 一周一通报: a region's printable weekly report (A4 PDF) — figures at the week's end against
//! the week before, rankings with last week's ranks, lagging projects, funds warnings and an
//! eight-week trend — generated on the server (no browser), on demand and every Monday.
mod content;
pub mod font;
mod layout;
mod numbers;
mod render;
pub mod store;
mod words;

use chrono::{Datelike, Duration, NaiveDate};

use crate::error::{AppError, AppResult};
pub use font::{FontSlot, ReportFont, DEFAULT_REPORT_FONT};

/// A Monday-to-Sunday week (Beijing), named by its Monday.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Week {
    pub monday: NaiveDate,
}

impl Week {
    /// The week `day` falls in.
    #[must_use]
    pub fn containing(day: NaiveDate) -> Self {
        Self {
            monday: day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
        }
    }

    /// The last complete week before `today`.
    #[must_use]
    pub fn last_complete(today: NaiveDate) -> Self {
        Self::containing(today).before()
    }

    #[must_use]
    pub fn before(self) -> Self {
        Self {
            monday: self.monday - Duration::days(7),
        }
    }

    #[must_use]
    pub fn sunday(self) -> NaiveDate {
        self.monday + Duration::days(6)
    }

    /// The `week` a request names: a Monday, not after this week's (today's week reports the
    /// days so far); None: the last complete week.
    pub fn requested(text: Option<&str>, today: NaiveDate) -> AppResult<Self> {
        let Some(text) = text else {
            return Ok(Self::last_complete(today));
        };
        let day = crate::validate::day("week", text).map_err(AppError::BadRequest)?;
        if day.weekday() != chrono::Weekday::Mon {
            return Err(AppError::BadRequest(format!(
                "week: {day} is a {}, not a Monday",
                day.weekday()
            )));
        }
        if day > today {
            return Err(AppError::BadRequest(format!(
                "week: {day} is in the future"
            )));
        }
        Ok(Self { monday: day })
    }
}

/// A generated report.
pub struct Generated {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// For the download's name: "<region>一周一通报<monday>.pdf".
    pub region_name: String,
}

/// The file name a report downloads as.
#[must_use]
pub fn file_name(region_name: &str, week: Week) -> String {
    format!("{region_name}一周一通报_{}.pdf", week.monday)
}

/// Region `code`'s report for `week`, as of the week's end (or today, for this week); the
/// drawing runs on a blocking thread (subsetting a CJK font is CPU work).
pub async fn generate(
    pool: &sqlx::PgPool,
    font: std::sync::Arc<ReportFont>,
    code: &str,
    week: Week,
) -> AppResult<Generated> {
    let started = std::time::Instant::now();
    let report = content::gather(pool, code, week).await?;
    let gathered = started.elapsed();
    let region_name = report.region_name.clone();
    let (pdf, pages) = tokio::task::spawn_blocking(move || report.draw(&font))
        .await
        .map_err(|e| AppError::Internal(format!("weekly report: drawing stopped: {e}")))?
        .map_err(AppError::Internal)?;
    tracing::info!(region = code, week = %week.monday, bytes = pdf.len(), pages, gathered_ms = gathered.as_millis(),
        total_ms = started.elapsed().as_millis(), "weekly report generated");
    Ok(Generated {
        pdf,
        pages,
        region_name,
    })
}

#[cfg(test)]
mod tests {
    use super::Week;

    #[test]
    fn weeks_run_monday_to_sunday() {
        let wednesday = "2026-12-02".parse().expect("a day");
        let week = Week::last_complete(wednesday);
        assert_eq!(week.monday.to_string(), "2026-11-23");
        assert_eq!(week.sunday().to_string(), "2026-11-29");
        let monday = "2026-11-30".parse().expect("a day");
        assert_eq!(Week::last_complete(monday).monday.to_string(), "2026-11-23");
        assert!(Week::requested(Some("2026-11-24"), wednesday).is_err());
        assert!(Week::requested(Some("2026-12-07"), wednesday).is_err());
        assert_eq!(
            Week::requested(Some("2026-11-16"), wednesday)
                .expect("a Monday")
                .monday
                .to_string(),
            "2026-11-16"
        );
    }
}
