//! A status write's fast path: the changes are checked against their subjects as they are
//! (no locks), then every event is written by one statement outside a transaction block
//! (sql/status/write_events.sql) that joins the writers' queue, rechecks each subject's status
//! and version, and commits as it ends. The queue is held for the statement's own work and the
//! commit, never for a round trip to this process nor for the WAL's fsync: the commit does not
//! wait for it, the answer does (db::durable).
use std::collections::HashMap;
use std::time::Duration;

use sqlx::PgPool;

use super::rules::check_move;
use super::{
    at_change, check_subject, prefix, scale_and_reason, Change, ChangeResult, Locked, Subject,
};
use crate::auth::User;
use crate::error::{AppError, AppResult};

/// One event to write: the change it comes from, its subject, the move and the version seen.
pub(super) struct Planned {
    change: usize,
    subject: Subject,
    id: i64,
    from: String,
    to: String,
    version: i32,
    reason: Option<String>,
}

/// The events `changes` make, each checked as `apply_locked` checks it; a subject named twice
/// is seen the second time as the first change leaves it.
pub(super) async fn plan(
    pool: &PgPool,
    user: &User,
    changes: &[Change],
) -> AppResult<Vec<Planned>> {
    let mut db = pool.acquire().await?;
    let mut planned = Vec::new();
    // (status, version) a subject will have after the events planned so far
    let mut after: HashMap<(Subject, i64), (String, i32)> = HashMap::new();
    for (i, change) in changes.iter().enumerate() {
        // (subject, id, from, version seen) of each event the change makes
        let events: AppResult<Vec<(Subject, i64, String, i32)>> = async {
            let (scale, reason) = scale_and_reason(change)?;
            let mut current: Option<Locked> = sqlx::query_as(include_str!("../../sql/status/subject.sql"))
                .bind(super::subject_name(change.subject))
                .bind(change.id)
                .fetch_optional(&mut *db)
                .await?;
            if let (Some(c), Some((status, version))) = (current.as_mut(), after.get(&(change.subject, change.id))) {
                (c.status, c.version) = (status.clone(), *version);
            }
            let current = check_subject(&mut db, user, change, current).await?;
            if change.subject != Subject::Building {
                check_move(scale, user, &current.status, &change.to, reason)?;
                return Ok(vec![(change.subject, change.id, current.status, current.version)]);
            }
            let households: Vec<(i64, String, i32)> =
                sqlx::query_as("SELECT id, status::text, version FROM households WHERE building_id = $1 ORDER BY id")
                    .bind(change.id)
                    .fetch_all(&mut *db)
                    .await?;
            let mut moved = Vec::new();
            for (household, status, version) in households {
                let (status, version) = after
                    .get(&(Subject::Household, household))
                    .cloned()
                    .unwrap_or((status, version));
                if status == change.to {
                    continue;
                }
                check_move(scale, user, &status, &change.to, reason)
                    .map_err(|e| prefix(e, &format!("household {household}")))?;
                moved.push((Subject::Household, household, status, version));
            }
            if moved.is_empty() {
                return Err(AppError::Unprocessable(format!(
                    "building {} is already {}",
                    change.id, change.to
                )));
            }
            Ok(moved)
        }
        .await;
        let reason = scale_and_reason(change)
            .ok()
            .and_then(|(_, r)| r)
            .map(str::to_owned);
        for (subject, id, from, version) in events.map_err(|e| at_change(i, e))? {
            after.insert((subject, id), (change.to.clone(), version + 1));
            planned.push(Planned {
                change: i,
                subject,
                id,
                from,
                to: change.to.clone(),
                version,
                reason: reason.clone(),
            });
        }
    }
    Ok(planned)
}

#[derive(sqlx::FromRow)]
pub(super) struct Written {
    id: i64,
    version: i32,
    queue_joined_at: f64,
    applied_at: f64,
}

/// The events of one write request and who writes them.
pub(super) struct Request<'a> {
    pub planned: &'a [Planned],
    pub actor: &'a str,
    pub user_id: i32,
}

/// Writes the events of `requests`, in order, in one statement and waits for them to be on disk;
/// a refusal (a subject moved since it was checked, a gate, a cross-row rule) writes nothing.
/// Returns each request's written rows in the order of its planned events.
pub(super) async fn write_events(
    pool: &PgPool,
    requests: &[Request<'_>],
) -> Result<Vec<Vec<Written>>, sqlx::Error> {
    let planned = || requests.iter().flat_map(|r| r.planned);
    let of = |subject| move |p: &Planned| (p.subject == subject).then_some(p.id);
    let mut written: Vec<Written> =
        sqlx::query_as(include_str!("../../sql/status/write_events.sql"))
            .bind(planned().map(of(Subject::Household)).collect::<Vec<_>>())
            .bind(planned().map(of(Subject::Parcel)).collect::<Vec<_>>())
            .bind(planned().map(|p| p.from.as_str()).collect::<Vec<_>>())
            .bind(planned().map(|p| p.to.as_str()).collect::<Vec<_>>())
            .bind(planned().map(|p| p.version).collect::<Vec<_>>())
            .bind(planned().map(|p| p.reason.as_deref()).collect::<Vec<_>>())
            .bind(
                requests
                    .iter()
                    .flat_map(|r| std::iter::repeat_n(r.actor, r.planned.len()))
                    .collect::<Vec<_>>(),
            )
            .bind(
                requests
                    .iter()
                    .flat_map(|r| std::iter::repeat_n(r.user_id, r.planned.len()))
                    .collect::<Vec<_>>(),
            )
            .fetch_all(pool)
            .await?;
    // committed without waiting for the disk: nothing is answered before it is there
    crate::db::durable::wait_for_flush(pool).await?;
    // the queue was held from joining it until the last event was applied, by the database's
    // clock (the statement's AFTER triggers and the commit, tenths of a millisecond, come on top)
    if let (Some(joined), Some(applied)) = (
        written.iter().map(|w| w.queue_joined_at).reduce(f64::min),
        written.iter().map(|w| w.applied_at).reduce(f64::max),
    ) {
        let held = Duration::from_secs_f64((applied - joined).max(0.0));
        crate::metrics::METRICS.observe_writers_lock_hold(held, written.len());
    }
    // ids are drawn in the order the events were applied
    written.sort_by_key(|w| w.id);
    let mut rest = written.into_iter();
    Ok(requests
        .iter()
        .map(|r| rest.by_ref().take(r.planned.len()).collect())
        .collect())
}

/// What a request's changes became, from the rows its `planned` events wrote.
pub(super) async fn results(
    pool: &PgPool,
    changes: &[Change],
    planned: &[Planned],
    written: &[Written],
) -> Result<Vec<ChangeResult>, sqlx::Error> {
    let mut results: Vec<ChangeResult> = changes
        .iter()
        .map(|c| ChangeResult {
            subject: c.subject,
            id: c.id,
            status: c.to.clone(),
            version: 0,
            event_ids: Vec::new(),
        })
        .collect();
    for (p, w) in planned.iter().zip(written) {
        let result = &mut results[p.change];
        result.event_ids.push(w.id);
        result.version = w.version;
    }
    for result in results
        .iter_mut()
        .filter(|r| r.subject == Subject::Building)
    {
        // a building's status and version are its households' roll-up: read them back
        (result.status, result.version) =
            sqlx::query_as("SELECT status::text, version FROM buildings WHERE id = $1")
                .bind(result.id)
                .fetch_one(pool)
                .await?;
    }
    Ok(results)
}
