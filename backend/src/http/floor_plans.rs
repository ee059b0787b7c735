//! `/api/housing/estates/{code}/types/{type}/floor-plan` (staff set a 套型图) and
//! `/api/public/estates/{code}/types/{type}/floor-plan` (anyone reads it). Domain code:
//! `housing::floor_plans`.
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::extract::{Multipart, Path};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, Code};
use crate::housing::{estates, floor_plans};
use crate::state::AppState;

/// Multipart `file`: a JPEG or PNG (by its content, ≤ 10 MiB); replaces the type's floor plan.
pub async fn upload(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((code, type_code)): Path<(String, String)>,
    multipart: Multipart,
) -> AppResult<Json<Value>> {
    let estate = estates::by_code(&state.pool, &code).await?;
    if !crate::auth::may_write_in(&user, &estate.lineage) {
        return Err(AppError::Forbidden(format!(
            "estate {code}: only admins and the operators of its region set its floor plans"
        ))
        .coded(
            Code::OutsideRegion,
            serde_json::json!({ "region": user.region_code }),
        ));
    }
    let document = super::upload::receive_document(multipart, &[])
        .await?
        .document()?;
    if !document.content_type.starts_with("image/") {
        return Err(AppError::Unprocessable(format!(
            "file: a floor plan is a JPEG or PNG image; `{}` is a PDF",
            document.name
        ))
        .coded(
            Code::UploadWrongType,
            serde_json::json!({ "file": document.name, "allowed": "JPG PNG" }),
        ));
    }
    let sha256 = state
        .files
        .put(&document.bytes)
        .await
        .map_err(|e| AppError::Internal(format!("file: cannot store it: {e}")))?;
    let plan = floor_plans::FloorPlan {
        sha256,
        content_type: document.content_type.to_owned(),
    };
    Ok(Json(
        floor_plans::set(&state.pool, &user, &estate, &type_code, &plan).await?,
    ))
}

/// The floor plan image, for anyone; revalidated by its content hash. A whole image counts
/// against the address's downloads a minute, as the public documents do (a 304 does not).
pub async fn public(
    State(state): State<AppState>,
    client: super::public::ClientAddr,
    Path((code, type_code)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    let plan = floor_plans::find(&state.pool, &code, &type_code).await?;
    let etag = format!("\"{}\"", plan.sha256);
    let cache = (header::CACHE_CONTROL, "public, max-age=300".to_owned());
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return Ok((
            axum::http::StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), cache],
        )
            .into_response());
    }
    super::public::limited(
        &state,
        &client,
        crate::disclosure::rate_limit::Purpose::Download,
    )
    .await?;
    let bytes = state
        .files
        .read(&plan.sha256, &format!("floor plan {code}/{type_code}"))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, plan.content_type),
            (header::ETAG, etag),
            cache,
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use crate::households::files::MAX_ATTACHMENT_BYTES;
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route(
            "/api/housing/estates/{code}/types/{type_code}/floor-plan",
            post(upload).layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES + (2 << 20))),
        )
        .route(
            "/api/public/estates/{code}/types/{type_code}/floor-plan",
            get(public),
        )
}
