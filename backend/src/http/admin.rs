//! `/api/users`, `/api/kiosk-tokens` and `/api/audit` (admins only): accounts, wall displays'
//! tokens and the audit trail, for the admin page. The domain code is `admin::*` and
//! `auth::kiosk`, shared with the command line.
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::exports::attachment;
use super::extract::{Path, Query};
use super::json_body::JsonBody;
use crate::admin::{admins_only, trail, users};
use crate::auth::{self, kiosk, CurrentUser, NewUser, Role, User};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

fn role(text: &str) -> AppResult<Role> {
    text.parse()
        .map_err(|e: String| AppError::Unprocessable(format!("role: {e}")))
}

/// An empty region code is none (the form's "no region").
fn region(code: Option<&str>) -> Option<&str> {
    code.map(str::trim).filter(|c| !c.is_empty())
}

pub async fn list_users(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> AppResult<Json<Value>> {
    admins_only(&user, "users")?;
    Ok(Json(
        json!({ "users": users::list(&state.pool, None).await? }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Create {
    username: String,
    role: String,
    region_code: Option<String>,
    /// None: the server makes one up and answers it once.
    password: Option<String>,
}

pub async fn create_user(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody<Create>,
) -> AppResult<(StatusCode, Json<Value>)> {
    admins_only(&user, "users")?;
    let generated = body.password.is_none().then(users::generate_password);
    let new = NewUser {
        username: body.username.trim(),
        password: body
            .password
            .as_deref()
            .or(generated.as_deref())
            .unwrap_or_default(),
        role: role(&body.role)?,
        region_code: region(body.region_code.as_deref()),
    };
    auth::add_user(&state.pool, &new, Some(user.id)).await?;
    let created = users::one(&state.pool, new.username).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "user": created, "password": generated })),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    role: String,
    region_code: Option<String>,
}

/// After a change that ended someone's sessions: this instance forgets at once too (the others
/// hear the delete's NOTIFY).
fn forget(state: &AppState) {
    state.sessions.forget_all();
}

pub async fn change_user(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(username): Path<String>,
    JsonBody(body): JsonBody<Change>,
) -> AppResult<Json<Value>> {
    admins_only(&user, "users")?;
    let changed = users::change(
        &state.pool,
        &user,
        &username,
        role(&body.role)?,
        region(body.region_code.as_deref()),
    )
    .await?;
    forget(&state);
    Ok(Json(json!({ "user": changed })))
}

async fn set_disabled(
    state: &AppState,
    user: &User,
    username: &str,
    disabled: bool,
) -> AppResult<Json<Value>> {
    admins_only(user, "users")?;
    let changed = users::set_disabled(&state.pool, user, username, disabled).await?;
    forget(state);
    Ok(Json(json!({ "user": changed })))
}

pub async fn disable(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(username): Path<String>,
) -> AppResult<Json<Value>> {
    set_disabled(&state, &user, &username, true).await
}

pub async fn enable(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(username): Path<String>,
) -> AppResult<Json<Value>> {
    set_disabled(&state, &user, &username, false).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Password {
    /// None: generate one, answered once.
    password: Option<String>,
}

pub async fn reset_password(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(username): Path<String>,
    JsonBody(body): JsonBody<Password>,
) -> AppResult<Json<Value>> {
    admins_only(&user, "users")?;
    let generated =
        users::reset_password(&state.pool, &user, &username, body.password.as_deref()).await?;
    forget(&state);
    Ok(Json(
        json!({ "user": users::one(&state.pool, &username).await?, "password": generated }),
    ))
}

pub async fn list_tokens(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> AppResult<Json<Value>> {
    admins_only(&user, "kiosk tokens")?;
    Ok(Json(json!({ "tokens": kiosk::list(&state.pool).await? })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    label: String,
}

/// The token, shown once, and the link a wall opens with it.
fn issued(state: &AppState, headers: &HeaderMap, label: &str, token: &str) -> Json<Value> {
    let wall_url = format!("{}/wall/?kiosk={token}", super::base_url(state, headers));
    Json(json!({ "label": label, "token": token, "wall_url": wall_url }))
}

pub async fn create_token(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    JsonBody(body): JsonBody<NewToken>,
) -> AppResult<(StatusCode, Json<Value>)> {
    admins_only(&user, "kiosk tokens")?;
    let label = body.label.trim();
    let token = kiosk::issue_as(&state.pool, label, false, Some(user.id)).await?;
    Ok((StatusCode::CREATED, issued(&state, &headers, label, &token)))
}

pub async fn rotate_token(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    Path(label): Path<String>,
) -> AppResult<Json<Value>> {
    admins_only(&user, "kiosk tokens")?;
    let token = kiosk::issue_as(&state.pool, &label, true, Some(user.id)).await?;
    forget(&state);
    Ok(issued(&state, &headers, &label, &token))
}

pub async fn revoke_token(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(label): Path<String>,
) -> AppResult<Json<Value>> {
    admins_only(&user, "kiosk tokens")?;
    let revoked = kiosk::revoke_as(&state.pool, &label, Some(user.id)).await?;
    if revoked == 0 {
        return Err(AppError::NotFound(format!(
            "label: no live kiosk token has label `{label}`"
        )));
    }
    forget(&state);
    Ok(Json(json!({ "label": label, "revoked": revoked })))
}

pub async fn audit_page(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(filter): Query<trail::Filter>,
) -> AppResult<Json<Value>> {
    admins_only(&user, "audit")?;
    Ok(Json(trail::page(&state.pool, &filter).await?))
}

pub async fn audit_xlsx(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(filter): Query<trail::Filter>,
) -> AppResult<Response> {
    admins_only(&user, "audit")?;
    let bytes = trail::workbook_of(&state.pool, &filter).await?;
    let day = crate::clock::beijing_today();
    Ok(attachment(
        super::exports::XLSX,
        &format!("审计日志-{day}.xlsx"),
        bytes,
    ))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post, put};
    axum::Router::new()
        .route("/api/users", get(list_users).post(create_user))
        .route(
            "/api/users/{username}",
            put(change_user).patch(super::groups::set_write_scope),
        )
        .route("/api/users/{username}/disable", post(disable))
        .route("/api/users/{username}/enable", post(enable))
        .route("/api/users/{username}/password", post(reset_password))
        .route("/api/kiosk-tokens", get(list_tokens).post(create_token))
        .route("/api/kiosk-tokens/{label}/rotate", post(rotate_token))
        .route("/api/kiosk-tokens/{label}/revoke", post(revoke_token))
        .route("/api/audit", get(audit_page))
        .route("/api/audit.xlsx", get(audit_xlsx))
}
