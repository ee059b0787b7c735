//! `GET /api/search`, `POST /api/within` and `POST /api/within.xlsx`: the cockpit map's search box
//! and boundary counts (backend/src/maptools/). Any logged-in person; households in search only
//! for admins and the region's operators; the wall's kiosk session is refused (`kiosk_may`).
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde_json::Value;

use super::exports::{attachment, XLSX};
use super::extract::Query;
use super::json_body::JsonBody;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::maptools::search::{self, SearchQuery};
use crate::maptools::within;
use crate::state::AppState;

pub async fn search(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<SearchQuery>,
) -> AppResult<Json<Value>> {
    Ok(Json(search::search(&state.pool, &user, q).await?))
}

pub async fn within(
    State(state): State<AppState>,
    _user: CurrentUser,
    JsonBody(body): JsonBody<Value>,
) -> AppResult<Json<Value>> {
    Ok(Json(within::within(&state.pool, &body).await?))
}

pub async fn within_xlsx(
    State(state): State<AppState>,
    _user: CurrentUser,
    JsonBody(body): JsonBody<Value>,
) -> AppResult<Response> {
    let body = within::workbook_of(&state.pool, &body).await?;
    Ok(attachment(XLSX, "within.xlsx", body))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/search", get(search))
        .route("/api/within", post(within))
        .route("/api/within.xlsx", post(within_xlsx))
}
