//! `/events`: the live feed as Server-Sent Events. The event id is the status_event id; a
//! client that reconnects with `Last-Event-ID` first gets every event it missed, read from
//! the table, then the live ones. A visible `heartbeat` event lets clients see a silent feed.
//! Replays are bounded: a gap of more than `REPLAY_MAX_EVENTS` events or `REPLAY_MAX_HOURS`
//! is not replayed but answered with one `reload` event (the page refetches its figures).
//! Procedure step events (`procedure`) have ids of their own (`step_events`): they carry no
//! SSE `id:` (the status cursor, which existing clients resume from, stays the status id); a
//! client resumes them with `?last_procedure_id=` (heartbeats say how far it got), and one
//! that does not ask gets the live ones only. Case events (`case`, `case_events` ids) work the
//! same way with `?last_case_id=`, unit status events (`unit`, `unit_status_events` ids: the
//! 楼盘表) with `?last_unit_id=`.
use std::time::Duration;

use axum::extract::State;

use super::extract::Query;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::Semaphore;

use super::sse;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::live::{events_after, EventKind, LiveEvent};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct FeedQuery {
    project: Option<i64>,
    region: Option<String>,
    heartbeat: Option<u64>,
    last_event_id: Option<i64>,
    last_procedure_id: Option<i64>,
    last_case_id: Option<i64>,
    last_unit_id: Option<i64>,
}

struct Filter {
    project: Option<i64>,
    region: Option<String>,
}

impl Filter {
    fn admits(&self, event: &LiveEvent) -> bool {
        self.project.is_none_or(|p| p == event.project_id)
            && self
                .region
                .as_ref()
                .is_none_or(|r| event.region_codes.iter().any(|c| c == r))
    }
}

/// Most events one reconnect replays; past that the client reloads instead.
pub const REPLAY_MAX_EVENTS: i64 = 10_000;
/// Oldest gap one reconnect replays, in hours.
pub const REPLAY_MAX_HOURS: i32 = 24;
/// Most procedure, case or unit events one reconnect replays: people record those one by one,
/// so a longer gap is a machine's bulk (the midnight escalation), which the page refetches.
pub const REPLAY_MAX_OTHER_EVENTS: i64 = 1_000;

/// The event as this stream writes it, rendered once for all streams (`LiveEvent::frame_for`).
pub(super) fn sse_event(event: &LiveEvent, staff: bool) -> Bytes {
    event.frame_for(staff, |payload| match event.kind {
        EventKind::Status => sse::frame("status", Some(event.id), payload),
        // no `id:`: the browser's Last-Event-ID stays the status cursor; groups events (work
        // groups' holdings changed: pages refetch) are live only, never replayed
        kind => sse::frame(kind.name(), None, payload),
    })
}

/// Seconds between heartbeats, 15 unless asked (1..60).
fn heartbeat_interval(asked: Option<u64>) -> AppResult<u64> {
    let interval = asked.unwrap_or(15);
    if !(1..=60).contains(&interval) {
        return Err(AppError::BadRequest(format!(
            "heartbeat: {interval} s is outside 1..60"
        )));
    }
    Ok(interval)
}

/// The heartbeat: the time and how far the stream got in each kind (status, procedure, case,
/// unit), to resume from.
fn heartbeat(interval: u64, sent: [i64; 4]) -> Bytes {
    let [status, procedure, case, unit] = sent;
    let beat = json!({ "now": chrono::Utc::now(), "interval_s": interval, "last_event_id": status,
                       "last_procedure_id": procedure, "last_case_id": case, "last_unit_id": unit });
    // the id lets a browser's own reconnect resume here even before any status event
    sse::frame("heartbeat", Some(status), &beat.to_string())
}

/// 400 naming `field` when a resume cursor is negative.
fn not_negative(field: &str, id: Option<i64>) -> AppResult<()> {
    if id.is_some_and(|id| id < 0) {
        return Err(AppError::BadRequest(format!(
            "{field}: an event id is not negative"
        )));
    }
    Ok(())
}

/// Where the status events resume: the `Last-Event-ID` header (a browser's own reconnect), else
/// `?last_event_id=`; none for a new client.
fn status_resume(headers: &HeaderMap, query: Option<i64>) -> AppResult<Option<i64>> {
    let resume = match headers.get("last-event-id").and_then(|v| v.to_str().ok()) {
        Some(text) => Some(text.trim().parse::<i64>().map_err(|_| {
            AppError::BadRequest(format!("Last-Event-ID `{text}` is not an event id"))
        })?),
        None => query,
    };
    if resume.is_some_and(|id| id < 0) {
        return Err(AppError::BadRequest(
            "Last-Event-ID: an event id is not negative".into(),
        ));
    }
    Ok(resume)
}

/// Tells the page it missed too much to replay: refetch figures, resume status events from
/// `status` and, with `moved`, that kind's events from its id.
fn reload_event(status: i64, moved: Option<(EventKind, i64)>, reason: &str) -> Bytes {
    let mut data = json!({ "reason": reason, "last_event_id": status });
    if let Some((kind, id)) = moved {
        data[cursor_field(kind)] = json!(id);
    }
    sse::frame("reload", Some(status), &data.to_string())
}

/// The query parameter (and heartbeat field) that resumes `kind`'s events.
fn cursor_field(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Status | EventKind::Groups => "last_event_id",
        EventKind::Procedure => "last_procedure_id",
        EventKind::Case => "last_case_id",
        EventKind::Unit => "last_unit_id",
    }
}

/// Why the gap after `after` is too long to replay, if it is.
async fn too_long_to_replay(
    pool: &sqlx::PgPool,
    after: i64,
    latest: i64,
) -> Result<Option<String>, sqlx::Error> {
    if latest - after > REPLAY_MAX_EVENTS {
        return Ok(Some(format!(
            "more than {REPLAY_MAX_EVENTS} events were missed"
        )));
    }
    let old = crate::live::recent::first_after_is_older(pool, after, REPLAY_MAX_HOURS).await?;
    Ok(old.then(|| format!("the missed events go back more than {REPLAY_MAX_HOURS} hours")))
}

pub async fn events(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(query): Query<FeedQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let interval = heartbeat_interval(query.heartbeat)?;
    let resume = status_resume(&headers, query.last_event_id)?;
    not_negative("last_procedure_id", query.last_procedure_id)?;
    not_negative("last_case_id", query.last_case_id)?;
    not_negative("last_unit_id", query.last_unit_id)?;
    let filter = Filter {
        project: query.project,
        region: query.region,
    };
    // free text (reasons, who acted) is for staff; wall displays get the figures
    let staff = !user.kiosk;
    // Subscribe before reading the table, so nothing falls between the replay and the live feed.
    let mut live = state.hub.subscribe();
    let mut sent = resume.unwrap_or_else(|| state.hub.delivered());
    let resume_procedure = query.last_procedure_id;
    let mut sent_procedure = resume_procedure.unwrap_or_else(|| state.hub.procedure_delivered());
    let resume_case = query.last_case_id;
    let mut sent_case = resume_case.unwrap_or_else(|| state.hub.case_delivered());
    let resume_unit = query.last_unit_id;
    let mut sent_unit = resume_unit.unwrap_or_else(|| state.hub.unit_delivered());
    let hub = state.hub.clone();
    // missed events are read through the general pool, a few streams at a time: the live
    // pool's connections are the writes' (and the hub's one read per change)
    let pool = state.pool.clone();
    let mut outbox = sse::Outbox::new(state.feed_flush);
    let stream = async_stream::stream! {
        // counted in onemap_sse_clients until the client goes (the stream is dropped)
        let _client = crate::metrics::SseClient::open();
        // a resuming client, or one that fell behind the channel, reads what it missed from the
        // table: one batch at a time (a long replay never sits in memory whole), or one reload
        let mut missed = resume.is_some();
        let mut missed_procedure = resume_procedure.is_some();
        let mut missed_case = resume_case.is_some();
        let mut missed_unit = resume_unit.is_some();
        let mut ticker = tokio::time::interval(Duration::from_secs(interval));
        loop {
            if missed || missed_procedure || missed_case || missed_unit {
                // what the outbox holds came before what is replayed
                if let Some(held) = outbox.take() { yield held }
            }
            if std::mem::take(&mut missed) {
                match catch_up(&pool, &hub.replay_turns, &mut sent, hub.delivered()).await {
                    Ok(CatchUp::Reload(event)) => yield event,
                    Ok(CatchUp::Replay) => loop {
                        match replay_batch(&pool, &hub.replay_turns, EventKind::Status, &filter, &mut sent, staff).await {
                            Ok((events, done)) => { for event in events { yield event } if done { break } }
                            Err(error) => { tracing::warn!("live feed: replay failed ({error})"); return; }
                        }
                    },
                    Err(error) => { tracing::warn!("live feed: replay failed ({error})"); return; }
                }
            }
            // step, case and unit changes are few (people record them): a gap is replayed whole, in
            // batches, unless it is longer than a person makes (then one reload)
            for (missed, kind, cursor) in [(&mut missed_procedure, EventKind::Procedure, &mut sent_procedure),
                                           (&mut missed_case, EventKind::Case, &mut sent_case),
                                           (&mut missed_unit, EventKind::Unit, &mut sent_unit)] {
                if std::mem::take(missed) {
                    let latest = hub.delivered_of(kind);
                    if latest - *cursor > REPLAY_MAX_OTHER_EVENTS {
                        let reason = format!("more than {REPLAY_MAX_OTHER_EVENTS} {} events were missed", kind.name());
                        *cursor = latest;
                        yield reload_event(sent, Some((kind, latest)), &reason);
                        continue;
                    }
                    match replay_all(&pool, &hub.replay_turns, kind, &filter, cursor, staff).await {
                        Ok(events) => { for event in events { yield event } }
                        Err(error) => { tracing::warn!("live feed: {} replay failed ({error})", kind.name()); return; }
                    }
                }
            }
            tokio::select! {
                received = live.recv() => match received {
                    Ok(event) if event.kind == EventKind::Groups => {
                        if filter.admits(&event) { outbox.push(&sse_event(&event, staff)); }
                    }
                    Ok(event) => {
                        let cursor = match event.kind {
                            // (groups events, which have no id, took the arm above)
                            EventKind::Status | EventKind::Groups => &mut sent,
                            EventKind::Procedure => &mut sent_procedure,
                            EventKind::Case => &mut sent_case,
                            EventKind::Unit => &mut sent_unit,
                        };
                        if event.id > *cursor {
                            *cursor = event.id;
                            if event.bulk > 0 {
                                // a machine's bulk (live/mod.rs BULK_AT): one refetch, whatever the filter
                                let reason = format!("{} {} events at once", event.bulk, event.kind.name());
                                outbox.push(&reload_event(sent, Some((event.kind, event.id)), &reason));
                            } else if filter.admits(&event) {
                                outbox.push(&sse_event(&event, staff));
                            }
                        }
                    }
                    Err(RecvError::Lagged(_)) => { missed = true; missed_procedure = true; missed_case = true; missed_unit = true; }
                    Err(RecvError::Closed) => return,
                },
                () = outbox.due(), if outbox.holds() => {}
                _ = ticker.tick() => outbox.push(&heartbeat(interval, [sent, sent_procedure, sent_case, sent_unit])),
            }
            if let Some(held) = outbox.take_due() { yield held }
        }
    };
    // the heartbeats keep the connection alive
    Ok(sse::response(stream, None))
}

enum CatchUp {
    /// The gap is short: replay it.
    Replay,
    /// The gap is too long: send this `reload` instead; `sent` has moved to the latest event.
    Reload(Bytes),
}

async fn catch_up(
    pool: &sqlx::PgPool,
    turns: &Semaphore,
    sent: &mut i64,
    latest: i64,
) -> Result<CatchUp, sqlx::Error> {
    let turn = turns
        .acquire()
        .await
        .expect("the hub never closes its replay turns");
    let too_long = too_long_to_replay(pool, *sent, latest).await?;
    drop(turn);
    match too_long {
        Some(reason) => {
            *sent = latest;
            Ok(CatchUp::Reload(reload_event(latest, None, &reason)))
        }
        None => Ok(CatchUp::Replay),
    }
}

/// The next batch of `kind` events after `sent` that the filter admits, advancing `sent` past all
/// read; `true` once the table has no more.
async fn replay_batch(
    pool: &sqlx::PgPool,
    turns: &Semaphore,
    kind: EventKind,
    filter: &Filter,
    sent: &mut i64,
    staff: bool,
) -> Result<(Vec<Bytes>, bool), sqlx::Error> {
    let turn = turns
        .acquire()
        .await
        .expect("the hub never closes its replay turns");
    let batch = events_after(pool, kind, *sent).await?;
    drop(turn);
    let done = (batch.len() as i64) < crate::live::BATCH;
    let mut out = Vec::with_capacity(batch.len());
    for event in &batch {
        *sent = event.id;
        if filter.admits(event) {
            out.push(sse_event(event, staff));
        }
    }
    Ok((out, done || batch.is_empty()))
}

/// Every `kind` event after `sent` that the filter admits, batch after batch to the table's end.
async fn replay_all(
    pool: &sqlx::PgPool,
    turns: &Semaphore,
    kind: EventKind,
    filter: &Filter,
    sent: &mut i64,
    staff: bool,
) -> Result<Vec<Bytes>, sqlx::Error> {
    let mut all = Vec::new();
    loop {
        let (events, done) = replay_batch(pool, turns, kind, filter, sent, staff).await?;
        all.extend(events);
        if done {
            return Ok(all);
        }
    }
}

/// This area's route, outside the request timeout: the feed streams for hours.
pub(super) fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/events", axum::routing::get(events))
}
