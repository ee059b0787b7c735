//! `/api/login`, `/api/logout`, `/api/me`: sessions for people (password) and wall displays (kiosk token).
use axum::extract::State;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::json_body::JsonBody;
use crate::auth::{self, session_token, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    username: Option<String>,
    password: Option<String>,
    kiosk_token: Option<String>,
}

pub async fn login(State(state): State<AppState>, JsonBody(body): JsonBody<Login>) -> AppResult<Response> {
    let (token, user) = match (&body.username, &body.password, &body.kiosk_token) {
        (Some(username), Some(password), None) => auth::log_in(&state.pool, username, password).await?,
        (None, None, Some(token)) => match &state.kiosk_token {
            Some(expected) if constant_time_eq(expected.as_bytes(), token.as_bytes()) => auth::kiosk_session(&state.pool).await?,
            _ => return Err(AppError::Unauthorized("kiosk_token: not the configured kiosk token".into())),
        },
        _ => return Err(AppError::Unprocessable("send either username and password, or kiosk_token".into())),
    };
    let cookie = format!("onemap_session={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200");
    Ok(([(header::SET_COOKIE, cookie)], Json(json!({ "token": token, "user": user }))).into_response())
}

pub async fn me(CurrentUser(user): CurrentUser) -> Json<auth::User> {
    Json(user)
}

pub async fn logout(State(state): State<AppState>, parts: Parts) -> AppResult<Response> {
    if let Some(token) = session_token(&parts) {
        auth::log_out(&state.pool, &state.sessions, &token).await?;
    }
    let expired = "onemap_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";
    Ok(([(header::SET_COOKIE, expired)], Json(json!({ "logged_out": true }))).into_response())
}

/// Compares secrets in time independent of where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
