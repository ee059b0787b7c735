//! Users and sessions: argon2id password hashes, random bearer tokens stored as SHA-256,
//! roles admin / operator (scoped to a region subtree) / planner / viewer, and a kiosk login.
mod extract;
mod household_files;
pub mod kiosk;
mod passwords;
pub mod policy;
pub mod throttle;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::error::{AppError, AppResult};
pub use extract::{session_token, CurrentUser};
pub use household_files::authorize;
pub use passwords::{hash_password, verify_password};

/// How long a login lasts at most, however busy.
const SESSION_HOURS: i32 = 12;
/// A session unused this long ends (the page polls and streams, so an open page keeps it).
pub const SESSION_IDLE_MINUTES: i32 = 120;
/// How long an instance trusts a session it looked up before asking the database again;
/// a logout or revocation NOTIFYs every instance, which forget at once.
const SESSION_MEMORY: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, sqlx::Type)]
#[sqlx(type_name = "user_role", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Operator,
    /// Reads like a viewer and may read planners' files (overlays); writes nothing.
    Planner,
    Viewer,
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "admin" => Ok(Role::Admin),
            "operator" => Ok(Role::Operator),
            "planner" => Ok(Role::Planner),
            "viewer" => Ok(Role::Viewer),
            other => Err(format!(
                "unknown role `{other}`: use admin, operator, planner or viewer"
            )),
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
    /// A wall display's session: figures, tiles and the feed only (see `kiosk::kiosk_may`).
    pub kiosk: bool,
}

const USER_COLUMNS: &str =
    "u.id, u.username, u.role, u.region_id, r.code AS region_code, false AS kiosk";

/// Sessions this instance has looked up recently, by token hash.
#[derive(Default)]
pub struct SessionMemory(Mutex<HashMap<[u8; 32], (User, Instant)>>);

impl SessionMemory {
    /// Forgets every remembered session and Basic pair: the next request asks the database.
    pub fn forget_all(&self) {
        self.0.lock().expect("session memory lock").clear();
    }
}

fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The account wall displays log in as (`kiosk_session`): no person's, so the admin page
/// neither lists nor changes it, and no one may be created under its name.
pub const KIOSK_ACCOUNT: &str = "kiosk";

/// A new account as the CLI (`onemap user add`) and the admin page (`POST /api/users`) give it.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub region_code: Option<&'a str>,
}

/// Creates an account (by no one: the command line).
pub async fn create_user(
    pool: &PgPool,
    username: &str,
    password: &str,
    role: Role,
    region_code: Option<&str>,
) -> AppResult<User> {
    let new = NewUser {
        username,
        password,
        role,
        region_code,
    };
    add_user(pool, &new, None).await
}

/// The id of the region with `code`, or a 422 naming the field.
pub async fn region_id(
    db: impl sqlx::PgExecutor<'_>,
    code: Option<&str>,
) -> AppResult<Option<i32>> {
    let Some(code) = code else { return Ok(None) };
    let id = sqlx::query_scalar("SELECT id FROM regions WHERE code = $1")
        .bind(code)
        .fetch_optional(db)
        .await?;
    id.map(Some).ok_or_else(|| {
        AppError::Unprocessable(format!("region: no region has code `{code}`")).coded(
            crate::error::Code::RegionNotFound,
            serde_json::json!({ "region": code }),
        )
    })
}

/// An operator works in a region: without one they could write nowhere.
pub fn check_region_for(role: Role, region_id: Option<i32>) -> AppResult<()> {
    if role == Role::Operator && region_id.is_none() {
        return Err(AppError::Unprocessable(
            "region: an operator needs the region they work in".into(),
        ));
    }
    Ok(())
}

/// Creates an account and audits it (`by`: the admin, None from the command line).
pub async fn add_user(pool: &PgPool, new: &NewUser<'_>, by: Option<i32>) -> AppResult<User> {
    let username = new.username;
    if username.eq_ignore_ascii_case(KIOSK_ACCOUNT) {
        return Err(AppError::Unprocessable(format!(
            "username: `{username}` is reserved for wall displays"
        )));
    }
    policy::check_password_policy(username, new.password)?;
    let region_id = region_id(pool, new.region_code).await?;
    check_region_for(new.role, region_id)?;
    let password = new.password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::thread("password", e))??;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO users (username, password_hash, role, region_id) VALUES ($1, $2, $3, $4)",
    )
    .bind(username)
    .bind(hash)
    .bind(new.role)
    .bind(region_id)
    .execute(&mut *tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(db) if db.constraint() == Some("users_username_key") => {
            AppError::Conflict {
                message: format!("username: `{username}` is taken"),
                current: serde_json::Value::Null,
            }
        }
        sqlx::Error::Database(db) if db.constraint() == Some("users_username_check") => {
            AppError::Unprocessable("username: 2–40 letters, digits, `_`, `.` or `-`".into())
        }
        _ => AppError::Database(e),
    })?;
    sqlx::query(
        "INSERT INTO audit_log (user_id, action, subject, detail)
         VALUES ($1, 'user_created', $2, json_build_object('role', $3::text, 'region', $4::text))",
    )
    .bind(by)
    .bind(format!("user {username}"))
    .bind(format!("{:?}", new.role).to_lowercase())
    .bind(new.region_code)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    find_user(pool, username)
        .await?
        .ok_or_else(|| AppError::Unprocessable("user vanished".into()))
}

async fn find_user(pool: &PgPool, username: &str) -> AppResult<Option<User>> {
    Ok(sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users u LEFT JOIN regions r ON r.id = u.region_id WHERE u.username = $1"))
        .bind(username)
        .fetch_optional(pool)
        .await?)
}

/// Checks a password and opens a session; the same answer for an unknown user and a wrong
/// password, in the same time. Throttled per account and per address (see `throttle`).
pub async fn log_in(
    pool: &PgPool,
    username: &str,
    password: &str,
    client: Option<IpAddr>,
) -> AppResult<(String, User)> {
    let user = check_password(pool, username, password, client).await?;
    let token = open_session(pool, user.id, SessionFor::Person).await?;
    sqlx::query(
        "WITH seen AS (UPDATE users SET last_login_at = now() WHERE id = $1)
         INSERT INTO audit_log (user_id, action, subject, detail) VALUES ($1, 'login', $2, json_build_object('client', $3::text))",
    )
        .bind(user.id)
        .bind(format!("user {}", user.username))
        .bind(client.map(|c| c.to_string()))
        .execute(pool)
        .await?;
    Ok((token, user))
}

async fn check_password(
    pool: &PgPool,
    username: &str,
    password: &str,
    client: Option<IpAddr>,
) -> AppResult<User> {
    let refused = || {
        AppError::new(
            crate::error::Code::WrongPassword,
            "wrong username or password".into(),
            serde_json::json!({}),
        )
    };
    if username.len() > 64 || password.len() > 1024 {
        return Err(refused());
    }
    let mut tx = pool.begin().await?;
    throttle::admit(&mut tx, username, client).await?;
    let hash: Option<String> = sqlx::query_scalar(
        "SELECT password_hash FROM users WHERE username = $1 AND disabled_at IS NULL",
    )
    .bind(username)
    .fetch_optional(&mut *tx)
    .await?;
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&hash, &password),
        None => passwords::verify_nobody(&password),
    })
    .await
    .unwrap_or(false);
    if !ok {
        let lockout = throttle::failed(&mut tx, username, client).await?;
        sqlx::query("INSERT INTO audit_log (action, subject, detail) VALUES ('login_failed', $1, json_build_object('client', $2::text))")
            .bind(format!("user {username}"))
            .bind(client.map(|c| c.to_string()))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        crate::metrics::METRICS
            .login_failures
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Err(lockout.unwrap_or_else(refused));
    }
    throttle::succeeded(&mut tx, username).await?;
    tx.commit().await?;
    find_user(pool, username).await?.ok_or_else(refused)
}

/// The read-only account wall displays log in as, with a kiosk token (`token_id` when the
/// token is a stored one, so revoking it ends the session).
pub async fn kiosk_session(pool: &PgPool, token_id: Option<i32>) -> AppResult<(String, User)> {
    sqlx::query("INSERT INTO users (username, password_hash, role) VALUES ($1, '!', 'viewer') ON CONFLICT (username) DO NOTHING")
        .bind(KIOSK_ACCOUNT)
        .execute(pool)
        .await?;
    let mut user = find_user(pool, KIOSK_ACCOUNT)
        .await?
        .ok_or_else(|| AppError::Unauthorized("no kiosk account".into()))?;
    if user.role != Role::Viewer {
        return Err(AppError::Forbidden(
            "the kiosk account must be a viewer".into(),
        ));
    }
    user.kiosk = true;
    Ok((
        open_session(pool, user.id, SessionFor::Kiosk(token_id)).await?,
        user,
    ))
}

/// Who a session is for: a person, or a wall display (with the stored token it used, if any).
enum SessionFor {
    Person,
    Kiosk(Option<i32>),
}

async fn open_session(pool: &PgPool, user_id: i32, kiosk: SessionFor) -> AppResult<String> {
    let (is_kiosk, token_id) = match kiosk {
        SessionFor::Person => (false, None),
        SessionFor::Kiosk(id) => (true, id),
    };
    let token = kiosk::new_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, expires_at, kiosk, kiosk_token_id)
         VALUES ($1, $2, now() + make_interval(hours => $3), $4, $5)",
    )
    .bind(token_hash(&token).as_slice())
    .bind(user_id)
    .bind(SESSION_HOURS)
    .bind(is_kiosk)
    .bind(token_id)
    .execute(pool)
    .await?;
    Ok(token)
}

pub async fn session_user(
    pool: &PgPool,
    memory: &SessionMemory,
    token: &str,
) -> AppResult<Option<User>> {
    let key = token_hash(token);
    if let Some((user, seen)) = memory.0.lock().expect("session memory lock").get(&key) {
        if seen.elapsed() < SESSION_MEMORY {
            return Ok(Some(user.clone()));
        }
    }
    // a live session is touched as it is read: idle time counts from here
    let user: Option<User> = sqlx::query_as(
        "WITH s AS (UPDATE sessions SET last_seen_at = now()
                     WHERE token_hash = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $2)
                    RETURNING user_id, kiosk)
         SELECT u.id, u.username, u.role, u.region_id, r.code AS region_code, s.kiosk
           FROM s JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL LEFT JOIN regions r ON r.id = u.region_id",
    )
    .bind(key.as_slice())
    .bind(SESSION_IDLE_MINUTES)
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
pub async fn basic_user(
    pool: &PgPool,
    memory: &SessionMemory,
    credentials: &str,
    client: Option<IpAddr>,
) -> AppResult<User> {
    use base64::Engine;
    let key = token_hash(&format!("basic {credentials}"));
    if let Some((user, seen)) = memory.0.lock().expect("session memory lock").get(&key) {
        if seen.elapsed() < SESSION_MEMORY {
            return Ok(user.clone());
        }
    }
    let malformed = || {
        AppError::Unauthorized("Authorization: Basic must carry base64 of username:password".into())
    };
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(credentials)
        .map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (username, password) = decoded.split_once(':').ok_or_else(malformed)?;
    let user = check_password(pool, username, password, client).await?;
    memory
        .0
        .lock()
        .expect("session memory lock")
        .insert(key, (user.clone(), Instant::now()));
    Ok(user)
}

/// Ends a session here and, through the delete's NOTIFY, on every instance at once.
pub async fn log_out(pool: &PgPool, memory: &SessionMemory, token: &str) -> AppResult<()> {
    let key = token_hash(token);
    memory.0.lock().expect("session memory lock").remove(&key);
    sqlx::query(
        "WITH gone AS (DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id)
         INSERT INTO audit_log (user_id, action, subject) SELECT u.id, 'logout', 'user ' || u.username FROM gone JOIN users u ON u.id = gone.user_id",
    )
    .bind(key.as_slice())
    .execute(pool)
    .await?;
    Ok(())
}

/// Ends every session of `username` (a CLI or admin action after a password change or a leak);
/// the delete's trigger tells every instance to forget them at once.
pub async fn revoke_sessions(db: impl sqlx::PgExecutor<'_>, username: &str) -> AppResult<u64> {
    Ok(sqlx::query(
        "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)",
    )
    .bind(username)
    .execute(db)
    .await?
    .rows_affected())
}

/// Whether `user` may write to something in the region whose lineage (root first) is given.
#[must_use]
pub fn may_write_in(user: &User, lineage: &[i32]) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Operator => user
            .region_id
            .is_some_and(|region| lineage.contains(&region)),
        Role::Planner | Role::Viewer => false,
    }
}

/// Whether `user` may read reports of the region whose lineage (root first) is given: admins,
/// and staff whose region (if they have one) is the region or above it. Wall displays may not.
#[must_use]
pub fn may_read_in(user: &User, lineage: &[i32]) -> bool {
    if user.kiosk {
        return false;
    }
    match user.role {
        Role::Admin => true,
        Role::Operator | Role::Planner | Role::Viewer => user
            .region_id
            .is_none_or(|region| lineage.contains(&region)),
    }
}

/// Whether `user` may hand the server a planner's file to read (overlays): writers and planners.
#[must_use]
pub fn may_plan(user: &User) -> bool {
    matches!(user.role, Role::Admin | Role::Operator | Role::Planner)
}
