//! `/api/households…`, `/api/attachments/{id}` and `/api/projects/{code}/compensation-standard`:
//! the household file for staff.
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::exports::attachment;
use super::extract::{Multipart, Path, Query};
use super::json_body::JsonBody;
use crate::audit::audit;
use crate::auth::{authorize, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::households::attachments::{self, NewAttachment, Stored};
use crate::households::files::{KINDS, MAX_ATTACHMENT_BYTES};
use crate::households::standard::{self, Standard};
use crate::households::{self, agreement_doc, Search};
use crate::state::AppState;

pub async fn search(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<Search>,
) -> AppResult<Json<Value>> {
    Ok(Json(households::search(&state.pool, &user, q).await?))
}

pub async fn detail(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(households::detail(&state.pool, &user, id).await?))
}

/// Multipart: `kind`, then `file`. Checked whole before anything is stored.
pub async fn upload(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> AppResult<(axum::http::StatusCode, Json<Value>)> {
    authorize(
        &user,
        &households::lineage(&state.pool, id).await?,
        &format!("household {id}"),
    )?;
    crate::groups::scope::check_household(&state.pool, &user, id).await?;
    let mut received = super::upload::receive_document(multipart, &["kind"]).await?;
    let kind = received.fields.remove("kind").ok_or_else(|| {
        AppError::Unprocessable(
            "kind: say what the file is \
             (id_card, household_register, agreement, vacate_acceptance, other)"
                .into(),
        )
    })?;
    if !KINDS.iter().any(|(k, _)| *k == kind) {
        return Err(AppError::Unprocessable(format!(
            "kind: `{kind}` is not one of {}",
            KINDS.map(|(k, _)| k).join(", ")
        )));
    }
    let super::upload::Document {
        name,
        bytes,
        content_type,
    } = received.document()?;
    let sha256 = state
        .files
        .put(&bytes)
        .await
        .map_err(|e| AppError::Internal(format!("file: cannot store it: {e}")))?;
    let mut tx = state.pool.begin().await?;
    let attachment = attachments::record(
        &mut tx,
        &NewAttachment {
            household: id,
            kind: &kind,
            sha256: &sha256,
            size: bytes.len() as i64,
            content_type,
            name: &name,
            uploaded_by: user.id,
        },
    )
    .await?;
    audit(
        &mut tx,
        &user,
        "attachment_uploaded",
        &format!("household {id}"),
        json!({ "kind": kind, "name": name, "sha256": sha256 }),
    )
    .await?;
    tx.commit().await?;
    Ok((axum::http::StatusCode::CREATED, Json(attachment)))
}

pub async fn download(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let Stored {
        household,
        sha256,
        content_type,
        name,
    } = attachments::find(&state.pool, id).await?;
    authorize(
        &user,
        &households::lineage(&state.pool, household).await?,
        &format!("attachment {id}"),
    )?;
    let bytes = state
        .files
        .read(&sha256, &format!("attachment {id}"))
        .await?;
    Ok(attachment(&content_type, &name, bytes))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    yuan: Option<f64>,
    reason: String,
}

pub async fn override_compensation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Override>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        households::override_compensation(&state.pool, &user, id, body.yuan, &body.reason).await?,
    ))
}

pub async fn agreement(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (name, bytes) = agreement_doc::generate(&state.pool, &user, id).await?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &name,
        bytes,
    ))
}

pub async fn read_standard(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    Ok(Json(standard::read(&state.pool, &user, &code).await?))
}

pub async fn write_standard(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<Standard>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        standard::write(&state.pool, &user, &code, &body).await?,
    ))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/households", get(search))
        .route("/api/households/{id}", get(detail))
        .route(
            "/api/households/{id}/attachments",
            post(upload).layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES + (2 << 20))),
        )
        .route(
            "/api/households/{id}/compensation-override",
            post(override_compensation),
        )
        .route("/api/households/{id}/agreement.docx", get(agreement))
        .route("/api/attachments/{id}", get(download))
        .route(
            "/api/projects/{code}/compensation-standard",
            get(read_standard).put(write_standard),
        )
}
