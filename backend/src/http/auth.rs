//! `/api/login`, `/api/logout`, `/api/me`: sessions for people (password) and wall displays (kiosk token).
use axum::extract::State;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::extract::Path;
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

pub async fn login(
    State(state): State<AppState>,
    parts: Parts,
    JsonBody(body): JsonBody<Login>,
) -> AppResult<Response> {
    let client = crate::client::peer(&parts.extensions);
    let (token, user) = match (&body.username, &body.password, &body.kiosk_token) {
        (Some(username), Some(password), None) => {
            auth::log_in(&state.pool, username, password, client).await?
        }
        (None, None, Some(token)) => {
            let configured = state
                .kiosk_token
                .as_ref()
                .is_some_and(|expected| constant_time_eq(expected.as_bytes(), token.as_bytes()));
            // stored tokens are compared by their SHA-256, as sessions are
            let stored = if configured {
                None
            } else {
                auth::kiosk::stored_token(&state.pool, token).await?
            };
            if !configured && stored.is_none() {
                return Err(AppError::Unauthorized(
                    "kiosk_token: not a valid kiosk token (revoked, or never issued)".into(),
                )
                .coded(crate::error::Code::KioskTokenInvalid, json!({})));
            }
            auth::kiosk_session(&state.pool, stored).await?
        }
        _ => {
            return Err(AppError::Unprocessable(
                "send either username and password, or kiosk_token".into(),
            ))
        }
    };
    Ok((
        [(header::SET_COOKIE, session_cookie(&state, &token, 43_200))],
        Json(json!({ "token": token, "user": user })),
    )
        .into_response())
}

/// The session cookie: HttpOnly, SameSite=Strict, and Secure when served over TLS.
fn session_cookie(state: &AppState, token: &str, max_age: u32) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("onemap_session={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}")
}

pub async fn me(CurrentUser(user): CurrentUser) -> Json<auth::User> {
    Json(user)
}

pub async fn logout(State(state): State<AppState>, parts: Parts) -> AppResult<Response> {
    if let Some(token) = session_token(&parts) {
        auth::log_out(&state.pool, &state.sessions, &token).await?;
    }
    Ok((
        [(header::SET_COOKIE, session_cookie(&state, "", 0))],
        Json(json!({ "logged_out": true })),
    )
        .into_response())
}

/// An admin ends an account's lockout after failed logins (`onemap user unlock` does the same).
pub async fn unlock(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(username): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    if user.role != auth::Role::Admin {
        return Err(
            AppError::Forbidden("unlock: only an admin unlocks accounts".into())
                .coded(crate::error::Code::ForbiddenRole, json!({})),
        );
    }
    let failures = auth::throttle::unlock(&state.pool, &username, Some(user.id)).await?;
    Ok(Json(
        json!({ "username": username, "failures_forgotten": failures }),
    ))
}

/// Compares secrets in time independent of where they differ.
pub(super) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/login", post(login))
        .route("/api/logout", post(logout))
        .route("/api/users/{username}/unlock", post(unlock))
        .route("/api/me", get(me))
}
