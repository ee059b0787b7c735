//! For load balancers: `/healthz`, the process is alive (no database round trip, so a slow
//! database does not get live instances restarted); `/readyz`, it can serve: the database
//! answers, the live feed's LISTEN connection is up and the feed is not behind.
use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::live::EventKind;
use crate::state::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

/// How far this instance's live feed is behind the event tables: (events, seconds since it
/// last read to the end while there are events it has not read).
pub async fn feed_lag(state: &AppState) -> Result<(i64, f64), sqlx::Error> {
    let (status, procedure): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT coalesce(max(id), 0) FROM status_events), (SELECT coalesce(max(id), 0) FROM step_events)",
    )
    .fetch_one(&state.pool)
    .await?;
    let behind_status = (status - state.hub.delivered()).max(0);
    let behind_procedure = (procedure - state.hub.procedure_delivered()).max(0);
    // how long since each table that is behind was last read to its end
    let now = chrono::Utc::now().timestamp_millis();
    let since = |kind| (now - state.hub.read_to_end_at(kind)).max(0);
    let mut millis = 0;
    if behind_status > 0 {
        millis = millis.max(since(EventKind::Status));
    }
    if behind_procedure > 0 {
        millis = millis.max(since(EventKind::Procedure));
    }
    Ok((behind_status + behind_procedure, millis as f64 / 1e3))
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let listening = state.hub.listening.load(Ordering::Acquire);
    let bound = state.site.ready_max_lag.as_secs_f64();
    let (ready, body) = match feed_lag(&state).await {
        Ok((events, seconds)) => (
            listening && seconds <= bound,
            json!({ "database": true, "listener": listening, "lag_events": events, "lag_seconds": seconds, "max_lag_seconds": bound }),
        ),
        Err(error) => {
            tracing::warn!("readyz: the database does not answer ({error})");
            (false, json!({ "database": false, "listener": listening }))
        }
    };
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(json!({ "ready": ready, "checks": body })))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}
