//! `/events`: the live feed as Server-Sent Events. The event id is the status_event id; a
//! client that reconnects with `Last-Event-ID` first gets every event it missed, read from
//! the table, then the live ones. A visible `heartbeat` event lets clients see a silent feed.
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::live::{events_after, LiveEvent};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct FeedQuery {
    project: Option<i64>,
    region: Option<String>,
    heartbeat: Option<u64>,
    last_event_id: Option<i64>,
}

struct Filter {
    project: Option<i64>,
    region: Option<String>,
}

impl Filter {
    fn admits(&self, event: &LiveEvent) -> bool {
        self.project.is_none_or(|p| p == event.project_id)
            && self.region.as_ref().is_none_or(|r| event.region_codes.iter().any(|c| c == r))
    }
}

fn sse_event(event: &LiveEvent) -> Event {
    Event::default().event("status").id(event.id.to_string()).data(&event.payload)
}

pub async fn events(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<FeedQuery>,
    headers: HeaderMap,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let interval = query.heartbeat.unwrap_or(15);
    if !(1..=60).contains(&interval) {
        return Err(AppError::BadRequest(format!("heartbeat: {interval} s is outside 1..60")));
    }
    let resume = match headers.get("last-event-id").and_then(|v| v.to_str().ok()) {
        Some(text) => Some(text.trim().parse::<i64>().map_err(|_| AppError::BadRequest(format!("Last-Event-ID `{text}` is not an event id")))?),
        None => query.last_event_id,
    };
    let filter = Filter { project: query.project, region: query.region };
    // Subscribe before reading the table, so nothing falls between the replay and the live feed.
    let mut live = state.hub.subscribe();
    let mut sent = resume.unwrap_or_else(|| state.hub.delivered());
    let replay = resume.is_some();
    let pool = state.pool.clone();
    let stream = async_stream::stream! {
        if replay {
            match replay_after(&pool, &filter, &mut sent).await {
                Ok(events) => for event in events { yield Ok(event) },
                Err(error) => { tracing::warn!("live feed: replay failed ({error})"); return; }
            }
        }
        let mut ticker = tokio::time::interval(Duration::from_secs(interval));
        loop {
            tokio::select! {
                received = live.recv() => match received {
                    Ok(event) => {
                        if event.id > sent {
                            sent = event.id;
                            if filter.admits(&event) { yield Ok(sse_event(&event)); }
                        }
                    }
                    // this client fell behind the channel: read what it missed from the table
                    Err(RecvError::Lagged(_)) => match replay_after(&pool, &filter, &mut sent).await {
                        Ok(events) => for event in events { yield Ok(event) },
                        Err(error) => { tracing::warn!("live feed: catch-up failed ({error})"); return; }
                    },
                    Err(RecvError::Closed) => return,
                },
                _ = ticker.tick() => {
                    let beat = json!({ "now": chrono::Utc::now(), "interval_s": interval, "last_event_id": sent });
                    // the id lets a browser's own reconnect resume here even before any status event
                    yield Ok(Event::default().event("heartbeat").id(sent.to_string()).data(beat.to_string()));
                }
            }
        }
    };
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(interval))))
}

/// Every event after `sent` that the filter admits, advancing `sent` past all read.
async fn replay_after(pool: &sqlx::PgPool, filter: &Filter, sent: &mut i64) -> Result<Vec<Event>, sqlx::Error> {
    let mut out = Vec::new();
    loop {
        let batch = events_after(pool, *sent).await?;
        let done = (batch.len() as i64) < crate::live::BATCH;
        for event in &batch {
            *sent = event.id;
            if filter.admits(event) {
                out.push(sse_event(event));
            }
        }
        if done || batch.is_empty() {
            return Ok(out);
        }
    }
}
