//! `/api/reports/weekly`: the kept weekly reports (一周一通报) and a region's report as PDF
//! (the kept one for a kept week, else generated now); the work is in `reports::weekly`.
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;

use super::exports::attachment;
use super::extract::{Path, Query};
use crate::auth::{may_read_in, CurrentUser};
use crate::clock::beijing_today;
use crate::error::{AppError, AppResult};
use crate::reports::weekly::{file_name, store, Week};
use crate::state::AppState;

/// The most kept reports one list answers with (a year of the city and 20 districts is ~1,100).
const LIST_LIMIT: i64 = 2_000;

#[derive(Deserialize)]
pub struct WeekQuery {
    week: Option<String>,
}

/// Refuses `user` unless they may read region `code`'s reports (404 when there is no such region).
async fn authorize_region(state: &AppState, user: &CurrentUser, code: &str) -> AppResult<()> {
    let lineage: Vec<i32> = sqlx::query_scalar("SELECT lineage FROM regions WHERE code = $1")
        .bind(code)
        .fetch_optional(&state.pool)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no region has code `{code}`")))?;
    if may_read_in(&user.0, &lineage) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "region {code}: its reports are for admins and staff of the region"
        )))
    }
}

pub async fn pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(file): Path<String>,
    Query(q): Query<WeekQuery>,
) -> AppResult<Response> {
    let code = file
        .strip_suffix(".pdf")
        .ok_or_else(|| AppError::NotFound(format!("`{file}`: ask for REGION_CODE.pdf")))?;
    authorize_region(&state, &user, code).await?;
    let week = Week::requested(q.week.as_deref(), beijing_today())?;
    if let Some(kept) = store::kept(&state.pool, code, week).await? {
        match tokio::fs::read(state.files.path(&kept.sha256)).await {
            Ok(bytes) => {
                return Ok(attachment(
                    "application/pdf",
                    &file_name(&kept.region_name, week),
                    bytes,
                ))
            }
            // a file store that lost it (or another --files-dir): drawn again below
            Err(e) => tracing::warn!(
                "weekly report {code} {}: the kept file is unreadable ({e}); generating it again",
                week.monday
            ),
        }
    }
    let report = state.weekly.generate(&state.pool, code, week).await?;
    Ok(attachment(
        "application/pdf",
        &file_name(&report.region_name, week),
        report.pdf,
    ))
}

/// The kept reports of the regions `user` may read.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<store::Kept>>> {
    let mut kept = store::list(&state.pool, LIST_LIMIT).await?;
    kept.retain(|k| may_read_in(&user.0, &k.lineage));
    Ok(Json(kept))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/reports/weekly", get(list))
        .route("/api/reports/weekly/{file}", get(pdf))
}
