//! Liveness that includes the database: 200 only when PostgreSQL answers.
use axum::extract::State;

use crate::error::AppResult;
use crate::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> AppResult<&'static str> {
    sqlx::query("SELECT 1").execute(&state.pool).await?;
    Ok("ok")
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/healthz", get(healthz))
}
