//! The kept weekly reports: every Monday at 07:00 Beijing the past week's report of the city
//! and of each district is generated once (across instances: a row claims it) and stored in the
//! file store; on-demand requests for a kept week get the kept file.
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use serde::Serialize;
use sqlx::PgPool;
use tokio::sync::Semaphore;

use super::{generate, FontSlot, Week};
use crate::error::{AppError, AppResult};
use crate::households::files::FileStore;

/// Reports drawn at once on this instance (each holds a core for about a second); more wait.
pub const MAX_CONCURRENT_GENERATIONS: usize = 2;
/// Longest a request waits for a free slot before 503.
const SLOT_WAIT: StdDuration = StdDuration::from_secs(20);
/// Longest one report may take to gather and draw.
pub const GENERATION_TIMEOUT: StdDuration = StdDuration::from_secs(30);
/// A claim older than this without a file is taken over (its instance died while generating).
const STALE_CLAIM_MINUTES: i32 = 10;
/// The Beijing hour on Monday the past week's reports are due.
const DUE_HOUR: u32 = 7;

/// The reports' font, the file store and the bound on concurrent generations, shared by the
/// handlers and the scheduler.
pub struct WeeklyReports {
    pub font: FontSlot,
    slots: Semaphore,
}

impl WeeklyReports {
    #[must_use]
    pub fn new(font: FontSlot) -> Self {
        Self {
            font,
            slots: Semaphore::new(MAX_CONCURRENT_GENERATIONS),
        }
    }

    /// Region `code`'s report for `week`, generated within the limits: 503 when the font is
    /// missing, every slot stays busy past `SLOT_WAIT`, or generation exceeds its time.
    pub async fn generate(
        &self,
        pool: &PgPool,
        code: &str,
        week: Week,
    ) -> AppResult<super::Generated> {
        let font = self.font.get().map_err(AppError::Unavailable)?;
        let _slot = tokio::time::timeout(SLOT_WAIT, self.slots.acquire())
            .await
            .map_err(|_| {
                AppError::Unavailable(
                    "weekly report: too many reports are being generated; try again shortly".into(),
                )
            })?
            .map_err(|_| {
                AppError::Unavailable("weekly report: the server is shutting down".into())
            })?;
        tokio::time::timeout(GENERATION_TIMEOUT, generate(pool, font, code, week))
            .await
            .map_err(|_| {
                AppError::Unavailable(format!(
                    "weekly report: generation took over {} s",
                    GENERATION_TIMEOUT.as_secs()
                ))
            })?
    }
}

/// A kept report, as the list shows it.
#[derive(Serialize, sqlx::FromRow)]
pub struct Kept {
    pub region_code: String,
    pub region_name: String,
    pub level: String,
    pub week: NaiveDate,
    pub generated_at: DateTime<Utc>,
    pub bytes: i32,
    pub pages: i32,
    pub sha256: String,
    #[serde(skip)]
    pub lineage: Vec<i32>,
}

/// Every kept report, newest week first (at most `limit`).
pub async fn list(pool: &PgPool, limit: i64) -> Result<Vec<Kept>, sqlx::Error> {
    sqlx::query_as(include_str!("../../../sql/reports/weekly_kept.sql"))
        .bind(None::<String>)
        .bind(None::<NaiveDate>)
        .bind(limit)
        .fetch_all(pool)
        .await
}

/// Region `code`'s kept report of `week`, if there is one.
pub async fn kept(pool: &PgPool, code: &str, week: Week) -> Result<Option<Kept>, sqlx::Error> {
    sqlx::query_as(include_str!("../../../sql/reports/weekly_kept.sql"))
        .bind(code)
        .bind(week.monday)
        .bind(1_i64)
        .fetch_optional(pool)
        .await
}

/// The latest week whose report is due at `now`: the week before the latest Monday 07:00 (Beijing).
#[must_use]
pub fn due_week(now: DateTime<Utc>) -> Week {
    let beijing = now + Duration::hours(8);
    let this_week = Week::containing(beijing.date_naive());
    let before_due = beijing.weekday() == chrono::Weekday::Mon && beijing.hour() < DUE_HOUR;
    if before_due {
        this_week.before().before()
    } else {
        this_week.before()
    }
}

/// One step of the Monday schedule at `now`: the due week's report of the city and of each
/// district that no instance has made or is making is generated and kept. Safe to run at
/// once on several instances: a region's week is claimed by one row (INSERT … ON CONFLICT), and
/// a claim left by a dead instance is taken over after `STALE_CLAIM_MINUTES`. Returns how many
/// reports this call generated.
pub async fn scheduled_step(
    pool: &PgPool,
    files: &FileStore,
    reports: &WeeklyReports,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let week = due_week(now);
    let regions: Vec<(i32, String)> = sqlx::query_as(
        "SELECT id, code FROM regions WHERE level IN ('city', 'district') ORDER BY level, code",
    )
    .fetch_all(pool)
    .await?;
    let mut made = 0;
    for (id, code) in regions {
        let claimed: Option<i32> =
            sqlx::query_scalar(include_str!("../../../sql/reports/weekly_claim.sql"))
                .bind(id)
                .bind(week.monday)
                .bind(STALE_CLAIM_MINUTES)
                .fetch_optional(pool)
                .await?;
        if claimed.is_none() {
            continue;
        }
        let report = match reports.generate(pool, &code, week).await {
            Ok(report) => report,
            Err(e) => {
                // let the next step (or instance) try again at once
                sqlx::query("DELETE FROM weekly_reports WHERE region_id = $1 AND week = $2 AND sha256 IS NULL")
                    .bind(id)
                    .bind(week.monday)
                    .execute(pool)
                    .await?;
                return Err(e);
            }
        };
        let sha256 = files
            .put(&report.pdf)
            .await
            .map_err(|e| AppError::Internal(format!("weekly report: cannot store the PDF: {e}")))?;
        sqlx::query("UPDATE weekly_reports SET generated_at = now(), bytes = $3, sha256 = $4, pages = $5 WHERE region_id = $1 AND week = $2")
            .bind(id)
            .bind(week.monday)
            .bind(report.pdf.len() as i32)
            .bind(&sha256)
            .bind(report.pages as i32)
            .execute(pool)
            .await?;
        tracing::info!(region = %code, week = %week.monday, bytes = report.pdf.len(), "weekly report kept");
        made += 1;
    }
    Ok(made)
}

/// How often the schedule looks for a due week; the first look is this long after start, so
/// short-lived servers (tests, a restart loop) draw nothing.
const SCHEDULE_EVERY: StdDuration = StdDuration::from_secs(300);

/// Runs the schedule on this instance: a step every five minutes (cheap when nothing is due),
/// so a server that was down at 07:00 catches up within five minutes of starting.
pub fn spawn_scheduler(pool: PgPool, files: Arc<FileStore>, reports: Arc<WeeklyReports>) {
    tokio::spawn(async move {
        let mut tick =
            tokio::time::interval_at(tokio::time::Instant::now() + SCHEDULE_EVERY, SCHEDULE_EVERY);
        loop {
            tick.tick().await;
            if let Err(e) = scheduled_step(&pool, &files, &reports, Utc::now()).await {
                tracing::warn!("weekly reports: {e}");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::due_week;

    #[test]
    fn the_past_week_is_due_from_monday_seven_in_beijing() {
        let at = |utc: &str| due_week(utc.parse().expect("a time")).monday.to_string();
        // Monday 2026-11-23, 06:59 and 07:00 Beijing
        assert_eq!(at("2026-11-22T22:59:00Z"), "2026-11-09");
        assert_eq!(at("2026-11-22T23:00:00Z"), "2026-11-16");
        // the rest of that week, to Sunday night
        assert_eq!(at("2026-11-29T15:59:00Z"), "2026-11-16");
    }
}
