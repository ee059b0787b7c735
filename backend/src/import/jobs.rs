//! The background imports of this instance, by id, bounded in time and in number.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{Progress, Report, Target};
use crate::error::{AppError, AppResult, ClientError};

/// How long a finished job's report stays readable: the page polls every second, so an hour
/// is for someone who closed the page and comes back.
pub const KEEP_FINISHED: Duration = Duration::from_secs(60 * 60);
/// Most jobs kept at once: beyond it the oldest finished job goes; if every kept job is still
/// running a new import is refused.
pub const MAX_JOBS: usize = 1_000;

/// One import: who started it, on what, how far it is, and once finished its outcome.
pub struct Job {
    pub user_id: i32,
    pub target: Target,
    pub file: String,
    pub progress: Arc<Progress>,
    outcome: Mutex<Option<Result<Report, ClientError>>>,
    finished_at: OnceLock<Instant>,
}

impl Job {
    #[must_use]
    pub fn new(user_id: i32, target: Target, file: String) -> Self {
        Self {
            user_id,
            target,
            file,
            progress: Arc::default(),
            outcome: Mutex::new(None),
            finished_at: OnceLock::new(),
        }
    }

    /// Records the outcome (a report, or the message of a failure); the job's time to be
    /// forgotten starts now.
    pub fn finish(&self, outcome: Result<Report, ClientError>) {
        *self.outcome.lock().expect("job lock") = Some(outcome);
        let _ = self.finished_at.set(Instant::now());
    }

    /// The outcome, once finished.
    pub fn outcome(&self) -> Option<Result<Report, ClientError>> {
        self.outcome.lock().expect("job lock").clone()
    }

    /// What the page polls: the phase (or `done`/`failed`), progress, and the report or error.
    #[must_use]
    pub fn status(&self, id: String) -> JobStatus {
        let phase = *self.progress.phase.lock().expect("progress lock");
        let (state, report, error) = match self.outcome() {
            // the rows may be in (phase `done`) while the tables are still being settled: the
            // job is done only with its outcome, so a poll never sees `done` without a report
            None if phase == "done" || phase == "failed" => ("writing", None, None),
            None => (phase, None, None),
            Some(Ok(report)) => (
                if report.written { "done" } else { "failed" },
                Some(report),
                None,
            ),
            Some(Err(failure)) => ("failed", None, Some(failure)),
        };
        JobStatus {
            id,
            target: self.target,
            file: self.file.clone(),
            state,
            done: self
                .progress
                .done
                .load(std::sync::atomic::Ordering::Relaxed),
            total: self
                .progress
                .total
                .load(std::sync::atomic::Ordering::Relaxed),
            report,
            error,
        }
    }
}

/// A job as the page polls it.
#[derive(Serialize)]
pub struct JobStatus {
    pub id: String,
    pub target: Target,
    pub file: String,
    pub state: &'static str,
    pub done: usize,
    pub total: usize,
    pub report: Option<Report>,
    /// Why a failed import failed: `{code, values, message}` as an error answer has them.
    pub error: Option<ClientError>,
}

/// The import jobs of this instance, by id; bounded in time and count (see `KEEP_FINISHED`,
/// `MAX_JOBS`), so they are not kept in memory forever.
#[derive(Default)]
pub struct ImportJobs(Mutex<HashMap<String, Arc<Job>>>);

impl ImportJobs {
    /// Keeps a new job, after forgetting expired ones and, at the cap, the oldest finished.
    pub fn insert(&self, id: String, job: Arc<Job>) -> AppResult<()> {
        let mut jobs = self.0.lock().expect("imports lock");
        forget_expired(&mut jobs, Instant::now());
        if jobs.len() >= MAX_JOBS {
            let oldest = jobs
                .iter()
                .filter_map(|(id, j)| j.finished_at.get().map(|at| (*at, id.clone())))
                .min();
            match oldest {
                Some((_, id)) => {
                    jobs.remove(&id);
                }
                None => {
                    return Err(AppError::TooMany {
                        message: format!(
                            "{MAX_JOBS} imports are running on this instance; \
                             try again when one is done"
                        ),
                        retry_after: 60,
                    }
                    .coded(
                        crate::error::Code::ImportsBusy,
                        serde_json::json!({ "retry_after": 60 }),
                    ));
                }
            }
        }
        jobs.insert(id, job);
        crate::metrics::METRICS
            .imports_started
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// (running, finished and still kept): what `/metrics` reports.
    pub fn counts(&self) -> (usize, usize) {
        let jobs = self.0.lock().expect("imports lock");
        let running = jobs
            .values()
            .filter(|j| j.finished_at.get().is_none())
            .count();
        (running, jobs.len() - running)
    }

    pub fn get(&self, id: &str) -> Option<Arc<Job>> {
        let mut jobs = self.0.lock().expect("imports lock");
        forget_expired(&mut jobs, Instant::now());
        jobs.get(id).cloned()
    }
}

/// Drops the jobs that finished more than `KEEP_FINISHED` before `now`.
fn forget_expired(jobs: &mut HashMap<String, Arc<Job>>, now: Instant) {
    jobs.retain(|_, job| {
        job.finished_at
            .get()
            .is_none_or(|at| now.saturating_duration_since(*at) < KEEP_FINISHED)
    });
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use super::{forget_expired, ImportJobs, Job, KEEP_FINISHED, MAX_JOBS};
    use crate::import::Target;

    fn job(finished_at: Option<Instant>) -> Arc<Job> {
        let job = Job::new(1, Target::Buildings, "b.geojson".into());
        if let Some(at) = finished_at {
            let _ = job.finished_at.set(at);
        }
        Arc::new(job)
    }

    #[test]
    fn a_job_is_done_only_with_its_report() {
        let job = job(None);
        // the rows are committed and the phase says so, but the tables are still settling
        job.progress.set("done", 2, 2);
        let polled = job.status("imp-1".into());
        assert_eq!((polled.state, polled.report.is_none()), ("writing", true));
        job.finish(Ok(crate::import::Report {
            written: true,
            ..Default::default()
        }));
        let polled = job.status("imp-1".into());
        assert_eq!((polled.state, polled.report.is_some()), ("done", true));
    }

    #[test]
    fn finished_jobs_are_forgotten_after_an_hour_running_ones_never() {
        let start = Instant::now();
        let mut jobs = HashMap::from([
            ("running".to_owned(), job(None)),
            ("old".to_owned(), job(Some(start))),
            (
                "recent".to_owned(),
                job(Some(start + Duration::from_secs(50 * 60))),
            ),
        ]);
        forget_expired(&mut jobs, start + Duration::from_secs(59 * 60));
        assert_eq!(jobs.len(), 3, "nothing finished an hour ago yet");
        forget_expired(&mut jobs, start + KEEP_FINISHED + Duration::from_secs(1));
        let mut kept: Vec<&str> = jobs.keys().map(String::as_str).collect();
        kept.sort_unstable();
        assert_eq!(kept, ["recent", "running"]);
    }

    #[test]
    fn at_the_cap_the_oldest_finished_job_goes_and_running_ones_are_never_dropped() {
        let jobs = ImportJobs::default();
        let now = Instant::now();
        for i in 0..MAX_JOBS - 2 {
            jobs.insert(format!("running-{i}"), job(None))
                .expect("room");
        }
        let older = now.checked_sub(Duration::from_secs(60)).unwrap_or(now);
        jobs.insert("finished-older".into(), job(Some(older)))
            .expect("room");
        jobs.insert("finished-newer".into(), job(Some(now)))
            .expect("room");
        jobs.insert("new".into(), job(None))
            .expect("the oldest finished job makes room");
        assert!(
            jobs.get("finished-older").is_none(),
            "the oldest finished went"
        );
        assert!(jobs.get("finished-newer").is_some() && jobs.get("new").is_some());
        jobs.insert("newest".into(), job(None))
            .expect("the other finished job makes room");
        let refused = jobs.insert("one-too-many".into(), job(None));
        assert!(
            refused.is_err_and(|e| e.status() == axum::http::StatusCode::TOO_MANY_REQUESTS),
            "every kept job is running: a new one is refused"
        );
        assert!(jobs.get("running-0").is_some(), "running jobs stay");
    }
}
