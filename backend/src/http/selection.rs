//! `/api/projects/{code}/selection-*`, `/api/selection-days/…` and `/api/public/selection-days/…`:
//! the selection rules, days, the clerks' console and the hall's big screen with its live feed
//! (docs/selection.md). The domain code is `crate::selection`.
use std::time::Duration;

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Json;
use serde_json::{json, Value};

use super::extract::Path;
use super::json_body::JsonBody;
use super::sse;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::selection::{self, days, desk, Rules};
use crate::state::AppState;

async fn rules(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let project = crate::projects::readable(&state.pool, &user, &code, "selection rules").await?;
    Ok(Json(selection::rules(&state.pool, project.id).await?))
}

async fn save_rules(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    JsonBody(new): JsonBody<Rules>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        selection::save_rules(&state.pool, &user, &code, &new).await?,
    ))
}

async fn list_days(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let project = crate::projects::readable(&state.pool, &user, &code, "selection days").await?;
    Ok(Json(
        json!({ "project": code, "days": days::list(&state.pool, project.id).await? }),
    ))
}

async fn create_day(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    JsonBody(new): JsonBody<days::NewDay>,
) -> AppResult<(axum::http::StatusCode, Json<Value>)> {
    let project = crate::projects::by_code(&state.pool, &code).await?;
    let day = days::create(&state.pool, &user, &code, &project, &new).await?;
    Ok((axum::http::StatusCode::CREATED, Json(day)))
}

async fn demand(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    let project = crate::projects::readable(&state.pool, &user, &code, "housing demand").await?;
    let types = selection::demand(&state.pool, &[project.id]).await?;
    Ok(Json(json!({ "project": code, "types": types })))
}

async fn day(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(days::read(&state.pool, &user, id).await?))
}

async fn units(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(days::units(&state.pool, &user, id).await?))
}

async fn draw(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(days::draw(&state.pool, &user, id).await?))
}

async fn open(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        days::set_status(&state.pool, &user, id, "open").await?,
    ))
}

async fn close(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        days::set_status(&state.pool, &user, id, "closed").await?,
    ))
}

async fn call(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(desk::call_next(&state.pool, &user, id).await?))
}

async fn choose(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, household)): Path<(i64, i64)>,
    JsonBody(choice): JsonBody<desk::Choice>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        desk::choose(&state.pool, &user, id, household, &choice).await?,
    ))
}

async fn confirm(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, household)): Path<(i64, i64)>,
    JsonBody(body): JsonBody<desk::Confirm>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        desk::confirm(&state.pool, &user, id, household, &body).await?,
    ))
}

async fn cancel(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, household)): Path<(i64, i64)>,
) -> AppResult<Json<Value>> {
    Ok(Json(desk::cancel(&state.pool, &user, id, household).await?))
}

async fn skip(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, household)): Path<(i64, i64)>,
    JsonBody(body): JsonBody<desk::Skip>,
) -> AppResult<Json<Value>> {
    Ok(Json(
        desk::skip(&state.pool, &user, id, household, &body).await?,
    ))
}

async fn hall(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Json<Value>> {
    Ok(Json(days::hall(&state.public_pool, id).await?))
}

async fn lottery(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Json<Value>> {
    Ok(Json(days::lottery(&state.public_pool, id).await?))
}

/// The hall's live feed: a `hall` event with the whole screen at once and whenever the day
/// changes (at most every 100 ms), and every 15 s regardless, which is also the heartbeat.
async fn hall_events(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let first = days::hall(&state.public_pool, id).await?;
    let mut screen = selection::live::screen(&state.public_pool).await?;
    let pool = state.public_pool.clone();
    let stream = async_stream::stream! {
        yield sse::frame("hall", None, &first.to_string());
        loop {
            match tokio::time::timeout(Duration::from_secs(15), screen.listener.recv()).await {
                Ok(Ok(n)) if n.payload() != id.to_string() => continue,
                Ok(Ok(_)) => {
                    // a burst of choices is one screen: take what else arrived within 100 ms
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    while screen.listener.next_buffered().is_some() {}
                }
                Ok(Err(e)) => { tracing::warn!("selection hall: feed lost ({e})"); return; }
                Err(_) => {}
            }
            match days::hall(&pool, id).await {
                Ok(hall) => yield sse::frame("hall", None, &hall.to_string()),
                Err(e) => { tracing::warn!("selection hall: cannot read day {id} ({e})"); return; }
            }
        }
    };
    Ok(sse::response(stream, Some(Duration::from_secs(15))))
}

pub(super) fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            "/api/projects/{code}/selection-rules",
            get(rules).put(save_rules),
        )
        .route(
            "/api/projects/{code}/selection-days",
            get(list_days).post(create_day),
        )
        .route("/api/projects/{code}/selection-demand", get(demand))
        .route("/api/selection-days/{id}", get(day))
        .route("/api/selection-days/{id}/units", get(units))
        .route("/api/selection-days/{id}/draw", post(draw))
        .route("/api/selection-days/{id}/open", post(open))
        .route("/api/selection-days/{id}/close", post(close))
        .route("/api/selection-days/{id}/call", post(call))
        .route(
            "/api/selection-days/{id}/households/{household}/choose",
            post(choose),
        )
        .route(
            "/api/selection-days/{id}/households/{household}/confirm",
            post(confirm),
        )
        .route(
            "/api/selection-days/{id}/households/{household}/cancel",
            post(cancel),
        )
        .route(
            "/api/selection-days/{id}/households/{household}/skip",
            post(skip),
        )
        .route("/api/public/selection-days/{id}/hall", get(hall))
        .route("/api/public/selection-days/{id}/lottery", get(lottery))
}

/// The hall's stream, outside the request timeout (it runs all day).
pub(super) fn live_router() -> axum::Router<AppState> {
    axum::Router::new().route("/api/public/selection-days/{id}/events", get(hall_events))
}
