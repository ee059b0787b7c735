//! `/api/imports`: an upload checked at once (a file that is not what its name says, or too
//! large unpacked, is refused before the answer), then imported in the background, its
//! progress and report polled by the page. Only its starter (or an admin) may read a job;
//! finished jobs are forgotten after an hour (`import::jobs`).
use std::sync::Arc;

use axum::extract::State;

use super::extract::{Multipart, Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::upload::receive;
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::import::jobs::{Job, JobStatus};
use crate::import::limits::IMPORT;
use crate::import::read::SURVEY_FILES;
use crate::import::{import_prepared, prepare_file, CrsChoice, Invalid, Options, Target};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ImportQuery {
    target: String,
    project: String,
    invalid: Option<String>,
    crs: Option<String>,
    /// `true`: write the rows that pass, leave out the rejected ones (default all or nothing).
    accept_valid: Option<bool>,
}

/// The answer to a started import: the id to poll.
#[derive(Serialize)]
pub struct Started {
    id: String,
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
) -> AppResult<(StatusCode, Json<Started>)> {
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
        accept_valid: q.accept_valid.unwrap_or(false),
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
    let job = Arc::new(Job::new(user.id, target, upload.name.clone()));
    state.imports.insert(id.clone(), job.clone())?;
    tokio::spawn(async move {
        // a written import announces itself: every instance's listener evicts what it changed
        let result =
            import_prepared(&state.pool, &user, file, &options, job.progress.clone()).await;
        if result.is_err() {
            job.progress.set("failed", 0, 0);
        }
        job.finish(result.map_err(|e| {
            // a server fault is logged here, as no response carries it to the log middleware;
            // the page reads only what a response would have said
            if e.status().is_server_error() {
                tracing::error!("import {}: {e}", job.file);
            }
            e.for_client()
        }));
        drop(upload);
    });
    Ok((StatusCode::ACCEPTED, Json(Started { id })))
}

/// The job `id`, if `user` started it (or is an admin): 404 otherwise, as for an unknown id.
fn own_job(state: &AppState, user: &crate::auth::User, id: &str) -> AppResult<Arc<Job>> {
    state
        .imports
        .get(id)
        .filter(|j| j.user_id == user.id || user.role == Role::Admin)
        .ok_or_else(|| AppError::NotFound(format!("import `{id}` does not exist")))
}

pub async fn status(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<JobStatus>> {
    let job = own_job(&state, &user, &id)?;
    Ok(Json(job.status(id)))
}

/// The rejected rows of a finished import, to correct and import again:
/// `rejected.geojson` (their attributes and geometry, plus `row`, `reason`, `reason_code`)
/// or `rejected.xlsx` (the same as a table, without geometry). 404 while it runs, or when
/// no row was rejected.
pub async fn rejected_rows(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, file)): Path<(String, String)>,
) -> AppResult<axum::response::Response> {
    let job = own_job(&state, &user, &id)?;
    let rows = match job.outcome() {
        Some(Ok(report)) if !report.rejected_rows.is_empty() => report.rejected_rows,
        _ => {
            return Err(AppError::NotFound(format!(
                "import `{id}` has no rejected rows (yet)"
            )))
        }
    };
    let stem = job
        .file
        .rsplit_once('.')
        .map_or(job.file.as_str(), |(s, _)| s);
    let (body, kind) = match file.as_str() {
        "rejected.geojson" => (
            crate::import::rejected::geojson(&rows),
            "application/geo+json",
        ),
        "rejected.xlsx" => (
            crate::import::rejected::xlsx(&rows)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        other => {
            return Err(AppError::NotFound(format!(
                "`{other}` is not rejected.geojson or rejected.xlsx"
            )))
        }
    };
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    Ok(super::exports::attachment(
        kind,
        &format!("{stem}.rejected.{ext}"),
        body,
    ))
}

/// This area's routes within the request timeout (the upload has its own: `upload_router`), composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/imports/{id}", get(status))
        .route("/api/imports/{id}/{file}", get(rejected_rows))
        .route("/api/imports/template/households.xlsx", get(template))
}

/// The import's upload, with the upload's longer timeout and larger body limit.
pub(super) fn upload_router() -> axum::Router<AppState> {
    axum::Router::new().route("/api/imports", super::upload::upload_route(start))
}
