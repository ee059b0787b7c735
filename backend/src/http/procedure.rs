//! `/api/projects/{code}/procedure`: a project's procedure ledger (docs/procedure.md).
use axum::extract::State;
use axum::Json;
use serde_json::Value;

use super::extract::Path;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::procedure::read::{self, Reader};
use crate::state::AppState;

/// The ledger for staff who may read the project's region; a wall display gets the screen's
/// version (no people, notes or non-public documents).
pub async fn ledger(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let (project, reader) = if user.kiosk {
        (
            crate::projects::by_code(&state.pool, &code).await?,
            Reader::Screen,
        )
    } else {
        (
            crate::projects::readable(&state.pool, &user, &code, "procedure steps").await?,
            Reader::Staff,
        )
    };
    read::ledger(&state.pool, project.id, reader)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("project {code} has no procedure")))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/api/projects/{code}/procedure", get(ledger))
}
