//! The LISTEN loop of an instance: wakes the hub on NOTIFY (status, procedure, case and unit events), after every reconnect (a
//! PostgreSQL restart loses notifications, never events) and every few seconds as a net. Each
//! table has a reader of its own, woken by the loop: a long read of one table (the midnight
//! escalation's 70,000 case events) holds up neither the others nor the loop (sessions, groups).
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::PgPool;
use tokio::sync::Notify;

use super::{EventKind, Hub, TABLE_KINDS};

const CHANNEL: &str = "onemap_status";
/// Procedure step events (step_events_notify.sql): read by the same catch-up.
const PROCEDURE_CHANNEL: &str = "onemap_procedure";
/// Case events (case_events_notify.sql): read by the same catch-up.
const CASE_CHANNEL: &str = "onemap_case";
/// Unit status events (unit_status_events_notify.sql): read by the same catch-up.
const UNITS_CHANNEL: &str = "onemap_units";
/// Imports announce the extent (EPSG:3857 `xmin,ymin,xmax,ymax`) they changed.
pub const IMPORT_CHANNEL: &str = "onemap_import";
/// Work group assignments (groups::assign): evict their buildings tiles, tell the pages.
pub const GROUPS_CHANNEL: &str = "onemap_groups";
/// Session deletions (logouts, revocations): every instance forgets what it remembered.
const SESSIONS_CHANNEL: &str = "onemap_sessions";
const SAFETY_NET: Duration = Duration::from_secs(5);
const RETRY: Duration = Duration::from_millis(500);

/// Wakes the reader of each table, by the kind's place in `TABLE_KINDS`: a wake while it reads
/// is kept (one), so a rush of notifications becomes one more read.
type Wake = [Notify; TABLE_KINDS.len()];

fn wake(readers: &Wake, kinds: &[EventKind]) {
    for (kind, reader) in TABLE_KINDS.iter().zip(readers) {
        if kinds.contains(kind) {
            reader.notify_one();
        }
    }
}

/// The readers and the LISTEN loop, in one task: aborting it stops them all.
pub fn spawn_listener(pool: PgPool, hub: Arc<Hub>) -> tokio::task::JoinHandle<()> {
    let readers: Wake = Default::default();
    tokio::spawn(async move {
        let reading = futures_util::future::join_all(TABLE_KINDS.iter().zip(&readers).map(
            |(kind, woken)| {
                let (pool, hub) = (&pool, &hub);
                async move {
                    loop {
                        woken.notified().await;
                        catch_up(pool, hub, &[*kind]).await;
                    }
                }
            },
        ));
        tokio::join!(reading, listen(&pool, &hub, &readers));
    })
}

async fn listen(pool: &PgPool, hub: &Hub, readers: &Wake) {
    loop {
        let mut listener = match PgListener::connect_with(pool).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!("live feed: cannot connect to listen ({error}); retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        if let Err(error) = listener
            .listen_all([
                CHANNEL,
                PROCEDURE_CHANNEL,
                CASE_CHANNEL,
                UNITS_CHANNEL,
                IMPORT_CHANNEL,
                SESSIONS_CHANNEL,
                GROUPS_CHANNEL,
            ])
            .await
        {
            tracing::warn!("live feed: LISTEN failed ({error}); retrying");
            tokio::time::sleep(RETRY).await;
            continue;
        }
        hub.listening.store(true, Ordering::Release);
        // notifications may have been lost while disconnected: trust no remembered session
        hub.sessions.forget_all();
        wake(readers, &TABLE_KINDS);
        loop {
            match tokio::time::timeout(SAFETY_NET, listener.try_recv()).await {
                // a notification, a reconnect (Ok(None): some may be lost) or the timer;
                // notifications already queued are folded into the same read
                Ok(Ok(first)) => {
                    // a reconnect (None) may have lost any table's notification: all of them
                    let mut kinds = if first.is_none() {
                        TABLE_KINDS.to_vec()
                    } else {
                        Vec::new()
                    };
                    let mut notification = first;
                    while let Some(n) = notification {
                        match n.channel() {
                            IMPORT_CHANNEL => imported(hub, n.payload()),
                            GROUPS_CHANNEL => hub.groups_changed(n.payload(), true),
                            SESSIONS_CHANNEL => hub.sessions.forget_all(),
                            channel => kinds.extend(table_of(channel)),
                        }
                        notification = listener.next_buffered();
                    }
                    // only the tables that notified: a signing rush wakes this loop for
                    // every write, and the writer has read its own event already
                    wake(readers, &kinds);
                }
                Err(_) => wake(readers, &TABLE_KINDS),
                Ok(Err(error)) => {
                    hub.listening.store(false, Ordering::Release);
                    tracing::warn!("live feed: listener failed ({error}); reconnecting");
                    tokio::time::sleep(RETRY).await;
                    break;
                }
            }
        }
    }
}

/// The event table whose NOTIFY channel is `channel`.
fn table_of(channel: &str) -> Option<EventKind> {
    match channel {
        CHANNEL => Some(EventKind::Status),
        PROCEDURE_CHANNEL => Some(EventKind::Procedure),
        CASE_CHANNEL => Some(EventKind::Case),
        UNITS_CHANNEL => Some(EventKind::Unit),
        _ => None,
    }
}

fn imported(hub: &Hub, payload: &str) {
    let numbers: Vec<f64> = payload.split(',').filter_map(|n| n.parse().ok()).collect();
    if let [x0, y0, x1, y1] = numbers[..] {
        hub.imported([x0, y0, x1, y1]);
    } else {
        tracing::warn!("live feed: an import notification `{payload}` carries no extent");
    }
}

/// Reads the tables of `kinds` (the hub reads each once however often it is named).
async fn catch_up(pool: &PgPool, hub: &Hub, kinds: &[EventKind]) {
    if let Err(error) = hub.catch_up_of(pool, kinds).await {
        tracing::warn!("live feed: reading new events failed ({error}); will retry");
    }
}
