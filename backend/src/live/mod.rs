//! The live feed: every instance LISTENs for status events, procedure step events, case
//! events and unit status events, reads them from their tables in id order (four id spaces,
//! four cursors), evicts the tiles they changed and broadcasts them to its SSE clients.
mod listener;
mod read;
pub mod recent;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};

use axum::body::Bytes;
use sqlx::PgPool;
use tokio::sync::{broadcast, Mutex};

pub use listener::{spawn_listener, GROUPS_CHANNEL};
pub use read::{events_after, read_events_after};

use crate::tiles::TileCache;

/// How many events one read takes; a longer backlog is read in several.
pub const BATCH: i64 = 500;
/// Events kept for slow SSE clients before they fall back to reading the table.
const CHANNEL: usize = 4096;
/// SSE streams reading missed events from the tables at once (`Hub::replay_turns`).
const REPLAYS_AT_ONCE: usize = 2;
/// More procedure, case or unit events than this in one read are a machine's bulk (the
/// escalation job at midnight moves tens of thousands of cases): they are broadcast as one
/// `bulk` marker, which streams send as one `reload`, not each to every wall.
pub const BULK_AT: usize = 100;

/// Which table an event comes from: each has its own ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A household's or parcel's status change (`status_events`), SSE event `status`.
    Status,
    /// A procedure step's change (`step_events`), SSE event `procedure`.
    Procedure,
    /// Work groups took or gave up households (no table id, not replayed), SSE event `groups`.
    Groups,
    /// A 疑难个案's step (`case_events`: opened, conference, escalated, reassigned, closed), SSE event `case`.
    Case,
    /// A resettlement unit's status change (`unit_status_events`), SSE event `unit`.
    Unit,
}

impl EventKind {
    /// Every kind, in declaration order (the metrics count by `kind as usize`).
    pub const ALL: [EventKind; 5] = [
        EventKind::Status,
        EventKind::Procedure,
        EventKind::Groups,
        EventKind::Case,
        EventKind::Unit,
    ];

    /// The SSE event's name, which the metrics use as the `kind` label.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Status => "status",
            EventKind::Procedure => "procedure",
            EventKind::Groups => "groups",
            EventKind::Case => "case",
            EventKind::Unit => "unit",
        }
    }
}

/// One status or procedure event as the feed sends it and the tile caches use it.
#[derive(Debug)]
pub struct LiveEvent {
    pub kind: EventKind,
    /// The id in its own table (`status_events` or `step_events`).
    pub id: i64,
    pub project_id: i64,
    /// Codes of the project's region and all its ancestors.
    pub region_codes: Vec<String>,
    /// The JSON sent to staff sessions.
    pub payload: String,
    /// The same without free text (reasons, who acted): what wall displays receive.
    pub screen_payload: String,
    /// (layer, EPSG:3857 box) of every feature whose tiles the event changed.
    pub touched: Vec<(&'static str, [f64; 4])>,
    /// 0 for one event; n > 0 when this stands for n events of its kind read at once, the last
    /// with `id` (`BULK_AT`): no project, regions or payload, and every stream reloads.
    pub bulk: usize,
    /// The event as the feed writes it, for wall displays and for staff (`frame_for`).
    pub frames: [OnceLock<Bytes>; 2],
}

impl LiveEvent {
    /// The marker of `count` events of `kind` read at once, the last with `id` (`BULK_AT`).
    fn bulk(kind: EventKind, id: i64, count: usize) -> Self {
        LiveEvent {
            kind,
            id,
            project_id: 0,
            region_codes: Vec::new(),
            payload: String::new(),
            screen_payload: String::new(),
            touched: Vec::new(),
            bulk: count,
            frames: Default::default(),
        }
    }

    /// The event as a stream writes it: `render`ed from `payload_for(staff)` by the first stream
    /// that asks, then shared by all (one event goes to hundreds of streams).
    pub fn frame_for(&self, staff: bool, render: impl FnOnce(&str) -> Bytes) -> Bytes {
        self.frames[usize::from(staff)]
            .get_or_init(|| render(self.payload_for(staff)))
            .clone()
    }

    /// The JSON a session receives: staff get the free text, wall displays do not.
    #[must_use]
    pub fn payload_for(&self, staff: bool) -> &str {
        if staff {
            &self.payload
        } else {
            &self.screen_payload
        }
    }
}

/// The kinds whose events are rows of a table, each with its own ids, in the order a
/// catch-up reads them.
pub const TABLE_KINDS: [EventKind; 4] = [
    EventKind::Status,
    EventKind::Procedure,
    EventKind::Case,
    EventKind::Unit,
];

fn table_index(kind: EventKind) -> usize {
    TABLE_KINDS.iter().position(|k| *k == kind).unwrap_or(0)
}

pub struct Hub {
    sender: broadcast::Sender<Arc<LiveEvent>>,
    /// The last event id broadcast of each table, by the kind's place in `TABLE_KINDS`; its
    /// mutex keeps two reads of that table from interleaving. One lock per table: the midnight
    /// escalation's 70,000 case events, read for seconds, must not hold up the status events.
    delivered: [Mutex<i64>; TABLE_KINDS.len()],
    /// The same, read without the mutex.
    delivered_hint: [AtomicI64; TABLE_KINDS.len()],
    cache: Arc<TileCache>,
    /// Figure answers kept until the next event; imports change figures without one.
    pub lists: Arc<crate::figures::ListCache>,
    /// Sessions this instance remembers; forgotten when any instance revokes one.
    pub sessions: Arc<crate::auth::SessionMemory>,
    /// The LISTEN connection is up (`/readyz`): without it changes reach this instance only
    /// through the safety-net timer.
    pub listening: std::sync::atomic::AtomicBool,
    /// When a read last reached the end of each table (Unix ms), by the kind's place in
    /// `TABLE_KINDS`: how far behind the instance may be (`/readyz`).
    caught_up_at: [AtomicI64; TABLE_KINDS.len()],
    /// Turns for SSE streams that read what they missed from the tables, across all streams:
    /// a burst that leaves every stream behind the channel at once (200 walls after a stall)
    /// becomes a short queue of reads, not hundreds at once taking the connections and cores
    /// the writes need.
    pub replay_turns: tokio::sync::Semaphore,
}

impl Hub {
    pub async fn start(pool: &PgPool, cache: Arc<TileCache>) -> Result<Arc<Self>, sqlx::Error> {
        let (last, procedure, case, unit): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT coalesce(max(id), 0) FROM status_events), (SELECT coalesce(max(id), 0) FROM step_events),
                    (SELECT coalesce(max(id), 0) FROM case_events), (SELECT coalesce(max(id), 0) FROM unit_status_events)",
        )
        .fetch_one(pool)
        .await?;
        let (sender, _) = broadcast::channel(CHANNEL);
        Ok(Arc::new(Hub {
            sender,
            delivered: [last, procedure, case, unit].map(Mutex::new),
            delivered_hint: [last, procedure, case, unit].map(AtomicI64::new),
            cache,
            lists: Arc::default(),
            sessions: Arc::default(),
            listening: std::sync::atomic::AtomicBool::new(false),
            caught_up_at: [(); TABLE_KINDS.len()]
                .map(|()| AtomicI64::new(chrono::Utc::now().timestamp_millis())),
            replay_turns: tokio::sync::Semaphore::new(REPLAYS_AT_ONCE),
        }))
    }

    /// When `kind`'s table was last read to its end (Unix ms).
    #[must_use]
    pub fn read_to_end_at(&self, kind: EventKind) -> i64 {
        self.caught_up_at[table_index(kind)].load(Ordering::Acquire)
    }

    /// An import changed features within `extent` (EPSG:3857) without status events: every
    /// cached tile there and every kept figure answer go.
    pub fn imported(&self, extent: [f64; 4]) {
        for layer in ["buildings", "parcels", "projects", "regions", "estates"] {
            self.cache.evict(layer, extent);
        }
        self.lists.clear();
    }

    /// Work groups took or gave up households (`payload`: groups/notify.sql): the buildings
    /// tiles of their extent and every kept figure answer go; with `broadcast`, the pages are
    /// told (SSE `groups`). The writer's instance evicts before answering, without telling.
    pub fn groups_changed(&self, payload: &str, broadcast: bool) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(payload) else {
            tracing::warn!("live feed: a groups notification `{payload}` is not JSON");
            return;
        };
        let extent: Vec<f64> = value["extent"]
            .as_array()
            .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
            .unwrap_or_default();
        if let [x0, y0, x1, y1] = extent[..] {
            self.cache.evict("buildings", [x0, y0, x1, y1]);
        }
        self.lists.clear();
        if broadcast {
            let regions = value["regions"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let _ = self.sender.send(Arc::new(LiveEvent {
                kind: EventKind::Groups,
                id: 0,
                project_id: value["project_id"].as_i64().unwrap_or_default(),
                region_codes: regions,
                payload: payload.to_owned(),
                screen_payload: payload.to_owned(),
                touched: Vec::new(),
                bulk: 0,
                frames: Default::default(),
            }));
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.sender.subscribe()
    }

    /// The last event id of `kind`'s table this instance has broadcast.
    pub fn delivered_of(&self, kind: EventKind) -> i64 {
        self.delivered_hint[table_index(kind)].load(Ordering::Acquire)
    }

    /// The last status event id this instance has broadcast.
    pub fn delivered(&self) -> i64 {
        self.delivered_of(EventKind::Status)
    }

    /// The last procedure step event id this instance has broadcast.
    pub fn procedure_delivered(&self) -> i64 {
        self.delivered_of(EventKind::Procedure)
    }

    /// The last case event id this instance has broadcast.
    pub fn case_delivered(&self) -> i64 {
        self.delivered_of(EventKind::Case)
    }

    /// The last unit status event id this instance has broadcast.
    pub fn unit_delivered(&self) -> i64 {
        self.delivered_of(EventKind::Unit)
    }

    /// As `catch_up_to` for unit status event `target`: a writer of unit statuses calls this,
    /// so its answer's 楼盘表 and figures already see the change.
    pub async fn unit_catch_up_to(&self, pool: &PgPool, target: i64) -> Result<(), sqlx::Error> {
        self.catch_up_to_of(pool, EventKind::Unit, target).await
    }

    /// What kept figure answers were made after: it grows with every status, procedure and
    /// case event (their ids only grow), so a step's change or a case's makes them stale too.
    pub fn figures_version(&self) -> i64 {
        self.delivered() + self.procedure_delivered() + self.case_delivered()
    }

    /// Makes sure status event `target` has been broadcast (and its tiles evicted): at once if
    /// it has, else after one catch-up. Writers call this, so that a busy feed does not queue a
    /// read per write behind the listener's reads.
    pub async fn catch_up_to(&self, pool: &PgPool, target: i64) -> Result<(), sqlx::Error> {
        self.catch_up_to_of(pool, EventKind::Status, target).await
    }

    /// As `catch_up_to` for procedure step event `target`: the step writers call this, so the
    /// answer after a step's change already sees its stage (figures, tiles).
    pub async fn procedure_catch_up_to(
        &self,
        pool: &PgPool,
        target: i64,
    ) -> Result<(), sqlx::Error> {
        self.catch_up_to_of(pool, EventKind::Procedure, target)
            .await
    }

    async fn catch_up_to_of(
        &self,
        pool: &PgPool,
        kind: EventKind,
        target: i64,
    ) -> Result<(), sqlx::Error> {
        if self.delivered_of(kind) >= target {
            return Ok(());
        }
        let mut last = self.delivered[table_index(kind)].lock().await;
        if *last >= target {
            return Ok(());
        }
        // only the writer's table: the others' events come on their own NOTIFY (one query
        // inside the writer's answer, not four)
        self.read_new(pool, kind, &mut last).await.map(|_| ())
    }

    /// Reads every event after the last one broadcast, evicts the tiles each changed, then
    /// broadcasts it. Called on NOTIFY, after a reconnect and on a timer.
    pub async fn catch_up(&self, pool: &PgPool) -> Result<usize, sqlx::Error> {
        self.catch_up_of(pool, &TABLE_KINDS).await
    }

    /// As `catch_up`, the tables of `kinds` only: those whose channel notified.
    pub async fn catch_up_of(
        &self,
        pool: &PgPool,
        kinds: &[EventKind],
    ) -> Result<usize, sqlx::Error> {
        let mut total = 0;
        for kind in TABLE_KINDS {
            if kinds.contains(&kind) {
                let mut last = self.delivered[table_index(kind)].lock().await;
                total += self.read_new(pool, kind, &mut last).await?;
            }
        }
        Ok(total)
    }

    /// Reads `kind`'s table to its end from `last` (its cursor, locked), which then marks the
    /// last event broadcast.
    async fn read_new(
        &self,
        pool: &PgPool,
        kind: EventKind,
        last: &mut i64,
    ) -> Result<usize, sqlx::Error> {
        let i = table_index(kind);
        let mut total = 0;
        loop {
            let events = events_after(pool, kind, *last).await?;
            let count = events.len();
            let bulk = kind != EventKind::Status && count > BULK_AT;
            for event in events {
                *last = event.id;
                self.delivered_hint[i].store(event.id, Ordering::Release);
                self.apply(&event);
                if !bulk {
                    self.send(event);
                }
            }
            if bulk {
                // status events are the feed's substance and go one by one (a stream that falls
                // behind them reads the table); other kinds' bulks only make pages refetch
                self.send(LiveEvent::bulk(kind, *last, count));
            }
            total += count;
            if (count as i64) < BATCH {
                break;
            }
        }
        self.caught_up_at[i].store(chrono::Utc::now().timestamp_millis(), Ordering::Release);
        Ok(total)
    }

    /// Evicts the tiles `event` changed and the figures it moved: before it is sent.
    fn apply(&self, event: &LiveEvent) {
        for (layer, bbox) in &event.touched {
            self.cache.evict(layer, *bbox);
        }
        // a unit nobody holds (project 0) moves no project's figures
        if event.project_id != 0 {
            self.lists.touched(event.project_id);
        }
        crate::metrics::METRICS.events_applied[event.kind as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Sends `event` to every subscriber.
    fn send(&self, event: LiveEvent) {
        // no subscriber is not an error: the event is in the table for later readers
        let _ = self.sender.send(Arc::new(event));
    }
}
