//! `POST /api/overlay`: a planner's own file read and sent back as WGS84 GeoJSON for the map,
//! stored nowhere (the upload directory goes with the request). Writers and planners only,
//! within the overlay's limits (`import/limits.rs`).
use axum::extract::State;

use super::extract::{Multipart, Query};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gdal::vector::Geometry;
use serde::Deserialize;

use super::upload::receive;
use crate::auth::{may_plan, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::import::limits::OVERLAY;
use crate::import::prepare::prepare;
use crate::import::read::{read, CrsChoice, SURVEY_FILES};
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
    let body = tokio::task::spawn_blocking(move || -> AppResult<String> {
        let file = prepare(&upload.path, &upload.name, &OVERLAY)?;
        let mut read_features = Vec::new();
        let source = read(
            &file,
            &crs,
            None,
            &OVERLAY,
            &mut |feature| {
                read_features.push(feature);
                Ok(())
            },
            &mut |_, _| {},
        )?;
        let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        let mut features = Vec::with_capacity(read_features.len());
        for feature in &read_features {
            let geometry = match &feature.wkb {
                Some(wkb) => {
                    let g = Geometry::from_wkb(wkb).map_err(|e| AppError::Unprocessable(format!("row {}: {e}", feature.row)))?;
                    let e = g.envelope();
                    bbox = [bbox[0].min(e.MinX), bbox[1].min(e.MinY), bbox[2].max(e.MaxX), bbox[3].max(e.MaxY)];
                    g.json().map_err(|e| AppError::Unprocessable(format!("row {}: {e}", feature.row)))?
                }
                None => "null".to_owned(),
            };
            let properties = serde_json::to_string(&feature.fields).expect("strings serialise");
            features.push(format!(r#"{{"type":"Feature","id":{},"geometry":{geometry},"properties":{properties}}}"#, feature.row));
        }
        let bbox = if bbox[0].is_finite() { serde_json::to_string(&bbox).expect("numbers") } else { "null".into() };
        Ok(format!(
            r#"{{"type":"FeatureCollection","name":{},"sourceCrs":{},"layers":{},"bbox":{bbox},"features":[{}]}}"#,
            serde_json::to_string(&upload.name).expect("string"),
            serde_json::to_string(&source.crs).expect("string"),
            serde_json::to_string(&source.layers).expect("strings"),
            features.join(",")
        ))
    })
    .await
    .map_err(|e| AppError::thread("file: reading it", e))??;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

/// This area's route, with the upload's longer timeout and larger body limit.
pub(super) fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/api/overlay", super::upload::upload_route(overlay))
}
