//! Users and sessions: argon2id password hashes, random bearer tokens stored as SHA-256,
//! roles admin / operator (scoped to a region subtree) / viewer, and a kiosk login.
mod extract;
mod passwords;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::error::{AppError, AppResult};
pub use extract::{session_token, CurrentUser};
pub use passwords::{hash_password, verify_password};

/// How long a login lasts.
const SESSION_HOURS: i32 = 12;
/// How long an instance trusts a session it looked up before asking the database again.
const SESSION_MEMORY: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, sqlx::Type)]
#[sqlx(type_name = "user_role", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Operator,
    Viewer,
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "admin" => Ok(Role::Admin),
            "operator" => Ok(Role::Operator),
            "viewer" => Ok(Role::Viewer),
            other => Err(format!("unknown role `{other}`: use admin, operator or viewer")),
        }
    }
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct User {
    #[serde(skip)]
    pub id: i32,
    pub username: String,
    pub role: Role,
    #[serde(skip)]
    pub region_id: Option<i32>,
    pub region_code: Option<String>,
}

const USER_COLUMNS: &str = "u.id, u.username, u.role, u.region_id, r.code AS region_code";

/// Sessions this instance has looked up recently, by token hash.
#[derive(Default)]
pub struct SessionMemory(Mutex<HashMap<[u8; 32], (User, Instant)>>);

fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

pub async fn create_user(pool: &PgPool, username: &str, password: &str, role: Role, region_code: Option<&str>) -> AppResult<User> {
    if password.chars().count() < 8 && role != Role::Viewer {
        return Err(AppError::Unprocessable("password: at least 8 characters for accounts that can write".into()));
    }
    let region_id: Option<i32> = match region_code {
        Some(code) => Some(
            sqlx::query_scalar("SELECT id FROM regions WHERE code = $1")
                .bind(code)
                .fetch_optional(pool)
                .await?
                .ok_or_else(|| AppError::Unprocessable(format!("region: no region has code `{code}`")))?,
        ),
        None => None,
    };
    if role == Role::Operator && region_id.is_none() {
        return Err(AppError::Unprocessable("region: an operator needs the region they work in".into()));
    }
    let hash = hash_password(password)?;
    sqlx::query("INSERT INTO users (username, password_hash, role, region_id) VALUES ($1, $2, $3, $4)")
        .bind(username)
        .bind(hash)
        .bind(role)
        .bind(region_id)
        .execute(pool)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.constraint() == Some("users_username_key") => {
                AppError::Conflict { message: format!("username `{username}` is taken"), current: serde_json::Value::Null }
            }
            sqlx::Error::Database(db) if db.constraint() == Some("users_username_check") => {
                AppError::Unprocessable("username: 2–40 letters, digits, `_`, `.` or `-`".into())
            }
            _ => AppError::Database(e),
        })?;
    find_user(pool, username).await?.ok_or_else(|| AppError::Unprocessable("user vanished".into()))
}

async fn find_user(pool: &PgPool, username: &str) -> AppResult<Option<User>> {
    Ok(sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users u LEFT JOIN regions r ON r.id = u.region_id WHERE u.username = $1"))
        .bind(username)
        .fetch_optional(pool)
        .await?)
}

/// Checks a password and opens a session; the same answer for an unknown user and a wrong password.
pub async fn log_in(pool: &PgPool, username: &str, password: &str) -> AppResult<(String, User)> {
    let user = check_password(pool, username, password).await?;
    Ok((open_session(pool, user.id).await?, user))
}

async fn check_password(pool: &PgPool, username: &str, password: &str) -> AppResult<User> {
    let refused = || AppError::Unauthorized("wrong username or password".into());
    let hash: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(pool)
        .await?;
    let hash = hash.ok_or_else(refused)?;
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&hash, &password)).await.unwrap_or(false);
    if !ok {
        return Err(refused());
    }
    find_user(pool, username).await?.ok_or_else(refused)
}

/// The read-only account wall displays log in as with the configured kiosk token.
pub async fn kiosk_session(pool: &PgPool) -> AppResult<(String, User)> {
    sqlx::query("INSERT INTO users (username, password_hash, role) VALUES ('kiosk', '!', 'viewer') ON CONFLICT (username) DO NOTHING")
        .execute(pool)
        .await?;
    let user = find_user(pool, "kiosk").await?.ok_or_else(|| AppError::Unauthorized("no kiosk account".into()))?;
    if user.role != Role::Viewer {
        return Err(AppError::Forbidden("the kiosk account must be a viewer".into()));
    }
    Ok((open_session(pool, user.id).await?, user))
}

async fn open_session(pool: &PgPool, user_id: i32) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = bytes.iter().fold(String::with_capacity(64), |mut hex, b| {
        use std::fmt::Write;
        let _ = write!(hex, "{b:02x}");
        hex
    });
    sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))")
        .bind(token_hash(&token).as_slice())
        .bind(user_id)
        .bind(SESSION_HOURS)
        .execute(pool)
        .await?;
    Ok(token)
}

pub async fn session_user(pool: &PgPool, memory: &SessionMemory, token: &str) -> AppResult<Option<User>> {
    let key = token_hash(token);
    if let Some((user, seen)) = memory.0.lock().expect("session memory lock").get(&key) {
        if seen.elapsed() < SESSION_MEMORY {
            return Ok(Some(user.clone()));
        }
    }
    let user: Option<User> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN regions r ON r.id = u.region_id
          WHERE s.token_hash = $1 AND s.expires_at > now()"
    ))
    .bind(key.as_slice())
    .fetch_optional(pool)
    .await?;
    let mut memory = memory.0.lock().expect("session memory lock");
    match &user {
        Some(user) => {
            memory.insert(key, (user.clone(), Instant::now()));
        }
        None => {
            memory.remove(&key);
        }
    }
    Ok(user)
}

/// The user of HTTP Basic credentials (base64 `username:password`), for desktop GIS clients
/// that page through many requests: a checked pair is remembered like a session, so only the
/// first request pays for the password hash.
pub async fn basic_user(pool: &PgPool, memory: &SessionMemory, credentials: &str) -> AppResult<User> {
    use base64::Engine;
    let key = token_hash(&format!("basic {credentials}"));
    if let Some((user, seen)) = memory.0.lock().expect("session memory lock").get(&key) {
        if seen.elapsed() < SESSION_MEMORY {
            return Ok(user.clone());
        }
    }
    let malformed = || AppError::Unauthorized("Authorization: Basic must carry base64 of username:password".into());
    let decoded = base64::engine::general_purpose::STANDARD.decode(credentials).map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (username, password) = decoded.split_once(':').ok_or_else(malformed)?;
    let user = check_password(pool, username, password).await?;
    memory.0.lock().expect("session memory lock").insert(key, (user.clone(), Instant::now()));
    Ok(user)
}

pub async fn log_out(pool: &PgPool, memory: &SessionMemory, token: &str) -> AppResult<()> {
    let key = token_hash(token);
    memory.0.lock().expect("session memory lock").remove(&key);
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(key.as_slice()).execute(pool).await?;
    Ok(())
}

/// Whether `user` may write to something in the region whose lineage (root first) is given.
#[must_use]
pub fn may_write_in(user: &User, lineage: &[i32]) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Operator => user.region_id.is_some_and(|region| lineage.contains(&region)),
        Role::Viewer => false,
    }
}
