//! Status writes: one request changes households, whole buildings or parcels, each at the
//! version the writer saw; all or nothing, each change recorded as its status_event.
mod combine;
mod one_statement;
mod read;
mod rules;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use crate::auth::{may_write_in, Role, User};
use crate::error::{AppError, AppResult, Code};
pub use combine::StatusWrites;
pub use read::{building, building_of_household, find};
use rules::check_move;
pub use rules::{HOUSEHOLD_SCALE, LAND_SCALE};

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    Household,
    Building,
    Parcel,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub subject: Subject,
    pub id: i64,
    pub to: String,
    /// The version the writer last saw; required.
    pub version: Option<i32>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ChangeResult {
    pub subject: Subject,
    pub id: i64,
    pub status: String,
    pub version: i32,
    pub event_ids: Vec<i64>,
}

/// Most changes one request may carry.
const MAX_CHANGES: usize = 1000;

/// Applies every change or none, written with the requests that arrive meanwhile (`writes`);
/// the caller broadcasts after commit.
pub async fn apply(
    pool: &PgPool,
    writes: &StatusWrites,
    user: &User,
    changes: &[Change],
) -> AppResult<Vec<ChangeResult>> {
    if matches!(user.role, Role::Viewer | Role::Planner) {
        return Err(AppError::Forbidden(format!(
            "{} is a viewer: viewers read, they do not write",
            user.username
        )));
    }
    if changes.is_empty() || changes.len() > MAX_CHANGES {
        return Err(AppError::Unprocessable(format!(
            "changes: between 1 and {MAX_CHANGES} per request, got {}",
            changes.len()
        )));
    }
    // the fast path: checked without locks, written in one statement that holds the writers'
    // queue for no round trip (one_statement.rs)
    let planned = one_statement::plan(pool, user, changes).await?;
    let (planned, written) = writes.write(planned, &user.username, user.id).await;
    match written {
        Ok(written) => Ok(one_statement::results(pool, changes, &planned, &written).await?),
        // refused (a subject moved between the check and the write, a gate, a cross-row rule):
        // the locked path applies the changes one by one and names the change refused
        Err(error) if error.as_database_error().is_some() => {
            apply_locked(pool, user, changes).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Applies the changes one by one in a transaction, each after joining the writers' queue and
/// locking its subject: an error names the change it is about.
async fn apply_locked(
    pool: &PgPool,
    user: &User,
    changes: &[Change],
) -> AppResult<Vec<ChangeResult>> {
    // No round trip of its own for the writers' queue: the first row-lock query joins it.
    let mut tx = pool.begin().await?;
    let mut results = Vec::with_capacity(changes.len());
    let mut locked_at = None;
    for (i, change) in changes.iter().enumerate() {
        let result = apply_one(&mut tx, user, change, &mut locked_at)
            .await
            .map_err(|e| at_change(i, e))?;
        results.push(result);
    }
    tx.commit().await?;
    if let Some(at) = locked_at {
        let events = results.iter().map(|r| r.event_ids.len()).sum();
        crate::metrics::METRICS.observe_writers_lock_hold(at.elapsed(), events);
    }
    Ok(results)
}

/// Status writers take the event lock first, before any row lock: they then queue in one
/// order and cannot deadlock on a building and its households (the event trigger takes the
/// same lock again, which a transaction that holds it passes at once). The lock is held until
/// commit and every writer waits for it, so its holder makes as few round trips as it can:
/// the lock_*.sql queries take it themselves, and an event's insert returns the new version.
async fn serialize_writers(tx: &mut PgConnection) -> AppResult<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(writers_queue_lock())")
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Prefixes an error with the change it is about, so a batch names its bad entry.
fn at_change(i: usize, error: AppError) -> AppError {
    let at = |m: String| format!("changes[{i}]: {m}");
    match error {
        AppError::Coded(c) => {
            let (code, values) = (c.code, c.values);
            at_change(i, c.error).coded(code, values)
        }
        AppError::NotFound(m) => AppError::NotFound(at(m)),
        AppError::BadRequest(m) => AppError::BadRequest(at(m)),
        AppError::Forbidden(m) => AppError::Forbidden(at(m)),
        AppError::Unprocessable(m) => AppError::Unprocessable(at(m)),
        AppError::Conflict { message, current } => AppError::Conflict {
            message: at(message),
            current,
        },
        other => other,
    }
}

#[derive(sqlx::FromRow)]
struct Locked {
    status: String,
    version: i32,
    lineage: Vec<i32>,
}

async fn apply_one(
    tx: &mut PgConnection,
    user: &User,
    change: &Change,
    locked_at: &mut Option<std::time::Instant>,
) -> AppResult<ChangeResult> {
    let (scale, reason) = scale_and_reason(change)?;
    let locked = lock_at_version(tx, user, change).await?;
    locked_at.get_or_insert_with(std::time::Instant::now);
    match change.subject {
        Subject::Household | Subject::Parcel => {
            check_move(scale, user, &locked.status, &change.to, reason)?;
            let (event_id, version) = insert_event(
                tx,
                user,
                change.subject,
                change.id,
                &locked.status,
                &change.to,
                reason,
            )
            .await?;
            Ok(ChangeResult {
                subject: change.subject,
                id: change.id,
                status: change.to.clone(),
                version,
                event_ids: vec![event_id],
            })
        }
        Subject::Building => {
            let event_ids = move_households_of(tx, user, change, scale, reason).await?;
            // A building's status and version are its households' roll-up: read them back.
            let after: Locked = sqlx::query_as(lock_sql(change.subject))
                .bind(change.id)
                .fetch_one(&mut *tx)
                .await?;
            Ok(ChangeResult {
                subject: change.subject,
                id: change.id,
                status: after.status,
                version: after.version,
                event_ids,
            })
        }
    }
}

/// The scale of the change's subject, which must hold its target, and its reason if any.
fn scale_and_reason(change: &Change) -> AppResult<(&'static [&'static str], Option<&str>)> {
    let scale: &[&str] = if change.subject == Subject::Parcel {
        &LAND_SCALE
    } else {
        &HOUSEHOLD_SCALE
    };
    if !scale.contains(&change.to.as_str()) {
        return Err(AppError::Unprocessable(format!(
            "to: unknown status `{}` for a {}: one of {}",
            change.to,
            subject_name(change.subject),
            scale.join(", ")
        )));
    }
    let reason = change
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    Ok((scale, reason))
}

fn lock_sql(subject: Subject) -> &'static str {
    match subject {
        Subject::Household => include_str!("../../sql/status/lock_household.sql"),
        Subject::Building => include_str!("../../sql/status/lock_building.sql"),
        Subject::Parcel => include_str!("../../sql/status/lock_parcel.sql"),
    }
}

/// Joins the writers' queue and locks the subject's row; refuses a subject outside the
/// writer's region or changed since the version the writer sent.
async fn lock_at_version(tx: &mut PgConnection, user: &User, change: &Change) -> AppResult<Locked> {
    seen_version(change)?;
    // the lock query joins the writers' queue: its time is the wait /metrics reports
    let started = std::time::Instant::now();
    let locked: Option<Locked> = sqlx::query_as(lock_sql(change.subject))
        .bind(change.id)
        .fetch_optional(&mut *tx)
        .await?;
    crate::metrics::METRICS.observe_writers_lock_wait(started.elapsed());
    check_subject(tx, user, change, locked).await
}

/// The version the writer sent, which every change must carry.
fn seen_version(change: &Change) -> AppResult<i32> {
    change.version.ok_or_else(|| {
        AppError::Unprocessable("version is required: send the version you last saw".into())
    })
}

/// Refuses a change whose subject does not exist, lies outside the writer's region or group,
/// or is no longer at the version the writer sent.
async fn check_subject(
    tx: &mut PgConnection,
    user: &User,
    change: &Change,
    locked: Option<Locked>,
) -> AppResult<Locked> {
    let version = seen_version(change)?;
    let locked = locked.ok_or_else(|| {
        AppError::NotFound(format!(
            "{} {} does not exist",
            subject_name(change.subject),
            change.id
        ))
        .coded(
            Code::SubjectNotFound,
            json!({ "subject": change.subject, "id": change.id }),
        )
    })?;
    if !may_write_in(user, &locked.lineage) {
        return Err(AppError::Forbidden(format!(
            "{} {} is outside your region {}",
            subject_name(change.subject),
            change.id,
            user.region_code.as_deref().unwrap_or("-")
        ))
        .coded(Code::OutsideRegion, json!({ "region": user.region_code })));
    }
    // an operator limited to their work groups' households (groups::scope): 403 outside_group
    crate::groups::scope::check_subject(tx, user, change.subject, change.id).await?;
    if locked.version != version {
        return Err(AppError::Conflict {
            message: format!(
                "{} {} changed since you read it: it is at version {} ({}), you sent {version}",
                subject_name(change.subject),
                change.id,
                locked.version,
                locked.status
            ),
            current: json!({ "subject": change.subject, "id": change.id, "status": locked.status, "version": locked.version }),
        }
        .coded(
            Code::StaleVersion,
            json!({ "subject": change.subject, "id": change.id, "status": locked.status, "version": locked.version, "sent": version }),
        ));
    }
    Ok(locked)
}

/// A building moves by moving each of its households not yet at the target: one event each.
async fn move_households_of(
    tx: &mut PgConnection,
    user: &User,
    change: &Change,
    scale: &[&'static str],
    reason: Option<&str>,
) -> AppResult<Vec<i64>> {
    let households: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, status::text FROM households WHERE building_id = $1 ORDER BY id FOR UPDATE",
    )
    .bind(change.id)
    .fetch_all(&mut *tx)
    .await?;
    let mut event_ids = Vec::new();
    for (household, status) in households.iter().filter(|(_, s)| *s != change.to) {
        check_move(scale, user, status, &change.to, reason)
            .map_err(|e| prefix(e, &format!("household {household}")))?;
        let (event_id, _) = insert_event(
            tx,
            user,
            Subject::Household,
            *household,
            status,
            &change.to,
            reason,
        )
        .await?;
        event_ids.push(event_id);
    }
    if event_ids.is_empty() {
        return Err(AppError::Unprocessable(format!(
            "building {} is already {}",
            change.id, change.to
        )));
    }
    Ok(event_ids)
}

fn prefix(error: AppError, what: &str) -> AppError {
    match error {
        AppError::Coded(c) => {
            let (code, values) = (c.code, c.values);
            prefix(c.error, what).coded(code, values)
        }
        AppError::Forbidden(m) => AppError::Forbidden(format!("{what}: {m}")),
        AppError::Unprocessable(m) => AppError::Unprocessable(format!("{what}: {m}")),
        other => other,
    }
}

#[must_use]
pub fn subject_name(subject: Subject) -> &'static str {
    match subject {
        Subject::Household => "household",
        Subject::Building => "building",
        Subject::Parcel => "parcel",
    }
}

/// Inserts one event; the database applies it and enforces the cross-row rules. Returns the
/// event id and the version the event gave its household or parcel.
async fn insert_event(
    tx: &mut PgConnection,
    user: &User,
    subject: Subject,
    id: i64,
    from: &str,
    to: &str,
    reason: Option<&str>,
) -> AppResult<(i64, i32)> {
    let column = if subject == Subject::Parcel {
        "parcel_id"
    } else {
        "household_id"
    };
    sqlx::query_as(&format!(
        "INSERT INTO status_events ({column}, from_status, to_status, actor, user_id, reason) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, version"
    ))
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(&user.username)
    .bind(user.id)
    .bind(reason)
    .fetch_one(&mut *tx)
    .await
    // the rules an event can break (it moved meanwhile, the cross-row rules) are 409s
    .map_err(|e| crate::refusals::refusal(e, ""))
}

/// Sends a change back (退回): writes the reverse of event `event_id`, with a reason. Admins only.
pub async fn send_back(
    pool: &PgPool,
    user: &User,
    event_id: i64,
    reason: &str,
) -> AppResult<ChangeResult> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(
            "sending a change back needs the admin role".into(),
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::Unprocessable(
            "reason: say why the change is sent back".into(),
        ));
    }
    let event: Option<(Option<i64>, Option<i64>, String, String)> = sqlx::query_as(
        "SELECT household_id, parcel_id, from_status, to_status FROM status_events WHERE id = $1",
    )
    .bind(event_id)
    .fetch_optional(pool)
    .await?;
    let (household, parcel, from, to) =
        event.ok_or_else(|| AppError::NotFound(format!("event {event_id} does not exist")))?;
    let (subject, id) = match (household, parcel) {
        (Some(h), _) => (Subject::Household, h),
        (_, Some(p)) => (Subject::Parcel, p),
        _ => {
            return Err(AppError::NotFound(format!(
                "event {event_id} has no subject"
            )))
        }
    };
    let version: i32 = sqlx::query_scalar(if subject == Subject::Parcel {
        "SELECT version FROM parcels WHERE id = $1"
    } else {
        "SELECT version FROM households WHERE id = $1"
    })
    .bind(id)
    .fetch_one(pool)
    .await?;
    let change = Change {
        subject,
        id,
        to: from,
        version: Some(version),
        reason: Some(format!("退回 event {event_id}: {reason}")),
    };
    let mut tx = pool.begin().await?;
    serialize_writers(&mut tx).await?;
    let current: String = sqlx::query_scalar(if subject == Subject::Parcel {
        "SELECT land_status::text FROM parcels WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT status::text FROM households WHERE id = $1 FOR UPDATE"
    })
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if current != to {
        return Err(AppError::Conflict {
            message: format!(
                "{} {id} has moved on since event {event_id}: it is {current} now",
                subject_name(subject)
            ),
            current: json!({ "subject": subject, "id": id, "status": current }),
        }
        .coded(Code::StatusMovedOn, json!({})));
    }
    let result = apply_one(&mut tx, user, &change, &mut None).await?;
    tx.commit().await?;
    Ok(result)
}
