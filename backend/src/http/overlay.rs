//! `POST /api/overlay`: a planner's own file read and sent back as WGS84 GeoJSON for the map,
//! stored nowhere (the upload directory goes with the request). Writers and planners only,
//! within the overlay's limits (`import/limits.rs`).
use axum::extract::State;

use super::extract::{Multipart, Query};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::upload::receive;
use crate::auth::{may_plan, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::import::limits::OVERLAY;
use crate::import::overlay::read_overlay;
use crate::import::read::{CrsChoice, SURVEY_FILES};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct OverlayQuery {
    crs: Option<String>,
}

pub async fn overlay(
    State(_state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<OverlayQuery>,
    multipart: Multipart,
) -> AppResult<Response> {
    // reading a file runs GDAL on the server: not for viewers or the wall display
    if !may_plan(&user) {
        return Err(AppError::Forbidden(format!(
            "{} may not read files on the server: overlays are for admins, operators and planners",
            user.username
        )));
    }
    let crs = CrsChoice::parse(q.crs.as_deref())?;
    let upload = receive(multipart, &SURVEY_FILES, &OVERLAY).await?;
    let overlay =
        tokio::task::spawn_blocking(move || read_overlay(&upload.path, &upload.name, &crs))
            .await
            .map_err(|e| AppError::thread("file: reading it", e))??;
    let body = serde_json::to_vec(&overlay)
        .map_err(|e| AppError::Internal(format!("overlay: cannot serialise it: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

/// This area's route, with the upload's longer timeout and larger body limit.
pub(super) fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/api/overlay", super::upload::upload_route(overlay))
}
