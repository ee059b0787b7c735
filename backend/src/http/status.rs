//! `/api/status` writes, `/api/status/send-back`, and the read side a writer needs:
//! `/api/buildings/{id}` (statuses and versions, no personal data), the same for a household's
//! building (`/api/status/households/{id}`), and buildings found by code (`/api/status/find`).
use axum::extract::State;

use super::extract::{Path, Query};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::json_body::JsonBody;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::status::{self, Change};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeRequest {
    changes: Vec<Change>,
}

pub async fn write(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody<ChangeRequest>,
) -> AppResult<Json<Value>> {
    // tiles yield while writes crowd in, until this one is answered and broadcast
    let _in_flight = state.tile_gate.write_started();
    let writes = state
        .status_writes
        .get_or_init(|| status::StatusWrites::start(state.live_pool.clone()));
    let results = status::apply(&state.live_pool, writes, &user, &body.changes).await?;
    broadcast(
        &state,
        results
            .iter()
            .flat_map(|r| r.event_ids.iter().copied())
            .max(),
    )
    .await;
    Ok(Json(json!({ "results": results })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendBack {
    event_id: i64,
    reason: String,
}

pub async fn send_back(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody<SendBack>,
) -> AppResult<Json<Value>> {
    let result = status::send_back(&state.live_pool, &user, body.event_id, &body.reason).await?;
    broadcast(&state, result.event_ids.iter().copied().max()).await;
    Ok(Json(json!({ "results": [result] })))
}

/// The writer's own instance evicts and broadcasts before answering, so the writer's next
/// tile request already sees the change; other instances follow on NOTIFY.
async fn broadcast(state: &AppState, last_event: Option<i64>) {
    let Some(last_event) = last_event else { return };
    if let Err(error) = state.hub.catch_up_to(&state.live_pool, last_event).await {
        tracing::warn!(
            "live feed: catch-up after a write failed ({error}); the listener will retry"
        );
    }
}

pub async fn building(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    let document = status::building(&state.pool, id).await?;
    document
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("building {id} does not exist")))
}

/// The building of household `id`, as `building` answers it: what the desk reads before a write.
pub async fn household(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    let document = status::building_of_household(&state.pool, id).await?;
    document
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("household {id} does not exist")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Find {
    code: String,
}

/// Buildings by (part of) their code or a household's: the field screen's search box.
pub async fn find(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<Find>,
) -> AppResult<Json<Value>> {
    let buildings = status::find(&state.pool, &user, &q.code).await?;
    Ok(Json(json!({ "buildings": buildings })))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/status", post(write))
        .route("/api/status/send-back", post(send_back))
        .route("/api/buildings/{id}", get(building))
        .route("/api/status/households/{id}", get(household))
        .route("/api/status/find", get(find))
}
