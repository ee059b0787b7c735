//! Writing a project's procedure ledger (docs/procedure.md): `PATCH …/procedure/steps/{key}`,
//! `POST …/procedure/plan`, the responsible-person picker, and the steps' documents.
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::exports::attachment;
use super::extract::{Multipart, Path};
use super::json_body::JsonBody;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::procedure::documents::{self, NewDocument};
use crate::procedure::plan;
use crate::procedure::write::{self, StepChange};
use crate::state::AppState;

pub async fn change_step(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((code, key)): Path<(String, String)>,
    JsonBody(change): JsonBody<StepChange>,
) -> AppResult<Json<Value>> {
    let project = crate::projects::by_code(&state.pool, &code).await?;
    let ledger = write::change_step(&state.pool, &user, &project, &code, &key, &change).await?;
    catch_up(&state).await;
    Ok(Json(ledger))
}

/// The writer's own instance delivers the step events it just committed before answering, so
/// the writer's next read sees the new stage (kept figures, tiles); others follow on NOTIFY.
async fn catch_up(state: &AppState) {
    let last: Result<Option<i64>, sqlx::Error> =
        sqlx::query_scalar("SELECT max(id) FROM step_events")
            .fetch_one(&state.pool)
            .await;
    let result = match last {
        Ok(Some(last)) => {
            state
                .hub
                .procedure_catch_up_to(&state.live_pool, last)
                .await
        }
        Ok(None) => Ok(()),
        Err(error) => Err(error),
    };
    if let Err(error) = result {
        tracing::warn!("live feed: procedure catch-up after a step write failed ({error}); the listener will retry");
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    /// Write the proposal (else only return it).
    #[serde(default)]
    apply: bool,
}

pub async fn propose_plan(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<PlanBody>,
) -> AppResult<Json<Value>> {
    let project = crate::projects::by_code(&state.pool, &code).await?;
    let ledger = plan::plan(&state.pool, &user, &project, &code, body.apply).await?;
    if body.apply {
        catch_up(&state).await;
    }
    Ok(Json(ledger))
}

/// Who may be made responsible for a step: the staff who may write in the project's region.
pub async fn people(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let project = crate::projects::readable(&state.pool, &user, &code, "people").await?;
    Ok(Json(
        json!({ "people": write::people(&state.pool, &project.lineage).await? }),
    ))
}

/// Multipart: `public` (`true` or `false`, optional), then `file` (PDF, JPEG or PNG, ≤ 10 MiB).
pub async fn upload(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((code, key)): Path<(String, String)>,
    multipart: Multipart,
) -> AppResult<(axum::http::StatusCode, Json<Value>)> {
    let project = crate::projects::by_code(&state.pool, &code).await?;
    write::may_write(&user, &project, &code)?;
    // the step exists (404 naming it) before anything is stored
    write::lock(&mut *state.pool.acquire().await?, project.id, &code, &key).await?;
    let mut received = super::upload::receive_document(multipart, &["public"]).await?;
    let public = match received.fields.remove("public").as_deref() {
        None | Some("" | "false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(AppError::Unprocessable(format!(
                "public: `{}` is not true or false",
                crate::validate::shown(other)
            )))
        }
    };
    let document = received.document()?;
    let sha256 = state
        .files
        .put(&document.bytes)
        .await
        .map_err(|e| AppError::Internal(format!("file: cannot store it: {e}")))?;
    let new = NewDocument {
        project: project.id,
        key: &key,
        sha256: &sha256,
        size: document.bytes.len() as i64,
        content_type: document.content_type,
        name: &document.name,
        public,
    };
    let recorded = documents::record(&state.pool, &user, &code, &new).await?;
    Ok((axum::http::StatusCode::CREATED, Json(recorded)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicBody {
    public: bool,
}

pub async fn set_public(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<PublicBody>,
) -> AppResult<Json<Value>> {
    let stored = documents::find(&state.pool, id).await?;
    let project = crate::projects::by_code(&state.pool, &stored.code).await?;
    write::may_write(&user, &project, &stored.code)?;
    Ok(Json(
        documents::set_public(&state.pool, &user, id, &stored, body.public).await?,
    ))
}

/// A step's document for staff who may read its project, as stored (type and name).
pub async fn download(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let stored = documents::find(&state.pool, id).await?;
    crate::projects::readable(&state.pool, &user, &stored.code, "procedure documents").await?;
    let bytes = state
        .files
        .read(&stored.sha256, &format!("document {id}"))
        .await?;
    Ok(attachment(&stored.content_type, &stored.file_name, bytes))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use crate::households::files::MAX_ATTACHMENT_BYTES;
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, patch, post};
    axum::Router::new()
        .route(
            "/api/projects/{code}/procedure/steps/{key}",
            patch(change_step),
        )
        .route("/api/projects/{code}/procedure/plan", post(propose_plan))
        .route("/api/projects/{code}/procedure/people", get(people))
        .route(
            "/api/projects/{code}/procedure/steps/{key}/documents",
            post(upload).layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES + (2 << 20))),
        )
        .route(
            "/api/procedure/documents/{id}",
            get(download).patch(set_public),
        )
}
