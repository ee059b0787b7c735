//! `/api/imports`: an upload checked at once (a file that is not what its name says, or too
//! large unpacked, is refused before the answer), then imported in the background, its
//! progress and report polled by the page. Only its starter (or an admin) may read a job;
//! finished jobs are forgotten after an hour.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::State;

use super::extract::{Multipart, Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::upload::receive;
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::import::limits::IMPORT;
use crate::import::read::SURVEY_FILES;
use crate::import::{
    import_prepared, prepare_file, CrsChoice, Invalid, Options, Progress, Report, Target,
};
use crate::state::AppState;

/// How long a finished job's report stays readable: the page polls every second, so an hour
/// is for someone who closed the page and comes back.
const KEEP_FINISHED: Duration = Duration::from_secs(60 * 60);
/// Most jobs kept at once: beyond it the oldest finished job goes; if every kept job is still
/// running a new import is refused.
const MAX_JOBS: usize = 1_000;

pub struct Job {
    user_id: i32,
    target: Target,
    file: String,
    progress: Arc<Progress>,
    outcome: Mutex<Option<Result<Report, String>>>,
    finished_at: OnceLock<Instant>,
}

/// The import jobs of this instance, by id; bounded in time and count (see `KEEP_FINISHED`,
/// `MAX_JOBS`), so they are not kept in memory forever.
#[derive(Default)]
pub struct ImportJobs(Mutex<HashMap<String, Arc<Job>>>);

impl ImportJobs {
    /// Keeps a new job, after forgetting expired ones and, at the cap, the oldest finished.
    fn insert(&self, id: String, job: Arc<Job>) -> AppResult<()> {
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
                    return Err(AppError::TooMany { message: format!("{MAX_JOBS} imports are running on this instance; try again when one is done"), retry_after: 60 });
                }
            }
        }
        jobs.insert(id, job);
        Ok(())
    }

    fn get(&self, id: &str) -> Option<Arc<Job>> {
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

#[derive(Deserialize)]
pub struct ImportQuery {
    target: String,
    project: String,
    invalid: Option<String>,
    crs: Option<String>,
}

const LEDGER_FILES: [&str; 2] = [".xlsx", ".csv"];

/// The household ledger template (XLSX), to fill in and import.
pub async fn template(_user: CurrentUser) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let body = crate::import::ledger::template()?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"households.xlsx\"",
            ),
        ],
        body,
    )
        .into_response())
}

pub async fn start(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<ImportQuery>,
    multipart: Multipart,
) -> AppResult<(StatusCode, Json<Value>)> {
    if matches!(user.role, Role::Viewer | Role::Planner) {
        return Err(AppError::Forbidden(format!(
            "{} is a viewer: viewers read, they do not import",
            user.username
        )));
    }
    let target = match q.target.as_str() {
        "buildings" => Target::Buildings,
        "parcels" => Target::Parcels,
        "households" => Target::Households,
        other => {
            return Err(AppError::Unprocessable(format!(
                "target: `{other}` is not buildings, parcels or households"
            )))
        }
    };
    let invalid = match q.invalid.as_deref().unwrap_or("repair") {
        "repair" => Invalid::Repair,
        "reject" => Invalid::Reject,
        other => {
            return Err(AppError::Unprocessable(format!(
                "invalid: `{other}` is not repair or reject"
            )))
        }
    };
    let options = Options {
        target,
        project: q.project.clone(),
        invalid,
        crs: CrsChoice::parse(q.crs.as_deref())?,
    };
    // refused at once, before the upload is taken: an unknown project, or one outside the writer's region
    crate::import::writable_project(&state.pool, &user, &q.project).await?;
    let upload = receive(
        multipart,
        if target == Target::Households {
            &LEDGER_FILES[..]
        } else {
            &SURVEY_FILES[..]
        },
        &IMPORT,
    )
    .await?;
    // checked and unpacked before answering, so a refusal names the file in this answer
    let file = Arc::new(prepare_file(&upload.path, &upload.name, &IMPORT).await?);
    let id = format!("imp-{:016x}", rand::random::<u64>());
    let job = Arc::new(Job {
        user_id: user.id,
        target,
        file: upload.name.clone(),
        progress: Arc::default(),
        outcome: Mutex::new(None),
        finished_at: OnceLock::new(),
    });
    state.imports.insert(id.clone(), job.clone())?;
    tokio::spawn(async move {
        // a written import announces itself: every instance's listener evicts what it changed
        let result =
            import_prepared(&state.pool, &user, file, &options, job.progress.clone()).await;
        if result.is_err() {
            job.progress.set("failed", 0, 0);
        }
        *job.outcome.lock().expect("job lock") = Some(result.map_err(|e| match e {
            // a server fault is logged here, as no response carries it to the log middleware
            AppError::Internal(detail) => {
                tracing::error!("import {}: {detail}", job.file);
                "internal error".to_owned()
            }
            e => e.to_string(),
        }));
        let _ = job.finished_at.set(Instant::now());
        drop(upload);
    });
    Ok((StatusCode::ACCEPTED, Json(json!({ "id": id }))))
}

pub async fn status(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let job = state.imports.get(&id);
    let job = job
        .filter(|j| j.user_id == user.id || user.role == Role::Admin)
        .ok_or_else(|| AppError::NotFound(format!("import `{id}` does not exist")))?;
    let phase = *job.progress.phase.lock().expect("progress lock");
    let outcome = job.outcome.lock().expect("job lock").clone();
    let (state_name, report, error) = match outcome {
        None => (phase, Value::Null, Value::Null),
        Some(Ok(report)) => (
            if report.written { "done" } else { "failed" },
            serde_json::to_value(&report).unwrap_or(Value::Null),
            Value::Null,
        ),
        Some(Err(message)) => ("failed", Value::Null, Value::from(message)),
    };
    Ok(Json(json!({
        "id": id, "target": job.target, "file": job.file, "state": state_name,
        "done": job.progress.done.load(std::sync::atomic::Ordering::Relaxed),
        "total": job.progress.total.load(std::sync::atomic::Ordering::Relaxed),
        "report": report, "error": error,
    })))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    use std::time::{Duration, Instant};

    use super::{forget_expired, Job, KEEP_FINISHED};
    use crate::import::Target;

    fn job(finished_at: Option<Instant>) -> Arc<Job> {
        let done = OnceLock::new();
        if let Some(at) = finished_at {
            let _ = done.set(at);
        }
        Arc::new(Job {
            user_id: 1,
            target: Target::Buildings,
            file: "b.geojson".into(),
            progress: Arc::default(),
            outcome: Mutex::new(None),
            finished_at: done,
        })
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
}
