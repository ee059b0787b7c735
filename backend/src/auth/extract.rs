//! The logged-in user of a request, from `Authorization: Bearer`, the `onemap_session` cookie,
//! or `Authorization: Basic` (what QGIS and GDAL send without a plug-in).
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::kiosk::kiosk_may;
use super::{basic_user, session_user, User};
use crate::error::AppError;
use crate::state::AppState;

pub struct CurrentUser(pub User);

/// The session token a request carries, if any.
#[must_use]
pub fn session_token(parts: &Parts) -> Option<String> {
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let cookie = || {
        parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|cookies| {
                cookies
                    .split(';')
                    .map(str::trim)
                    .find_map(|c| c.strip_prefix("onemap_session="))
            })
    };
    bearer
        .or_else(cookie)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let basic = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "));
        if let Some(credentials) = basic {
            return basic_user(
                &state.pool,
                &state.sessions,
                credentials.trim(),
                crate::client::peer(&parts.extensions),
            )
            .await
            .map(CurrentUser);
        }
        let token = session_token(parts).ok_or_else(|| {
            AppError::Unauthorized(
                "log in first: no session (Authorization: Bearer or the onemap_session cookie)"
                    .into(),
            )
            .coded(crate::error::Code::LoginRequired, serde_json::json!({}))
        })?;
        let user = session_user(&state.pool, &state.sessions, &token)
            .await?
            .ok_or_else(|| {
                AppError::Unauthorized("the session is unknown or expired: log in again".into())
                    .coded(crate::error::Code::SessionExpired, serde_json::json!({}))
            })?;
        if user.kiosk && !kiosk_may(&parts.method, parts.uri.path()) {
            return Err(AppError::Forbidden(format!(
                "{}: a wall display's session reads figures, tiles and the feed only",
                parts.uri.path()
            ))
            .coded(crate::error::Code::KioskReadOnly, serde_json::json!({})));
        }
        Ok(CurrentUser(user))
    }
}
