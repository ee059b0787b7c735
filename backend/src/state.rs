//! Shared state of the HTTP handlers: pool, tile queries and cache, sessions, the live hub.
use std::path::PathBuf;
use std::sync::Arc;

use sqlx::PgPool;

use crate::figures::ListCache;
use crate::live::Hub;
use crate::tiles::{HistoryTileCache, TileCache, TileGate, TileQueries};

/// The handlers' state, cloned for every request by every layer and extractor: one shared
/// allocation, so a clone is one reference count, not twenty (and the lists and strings in it
/// are not copied). Setting a field before serving writes to this copy alone (copy on write),
/// as when the fields were held by value.
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

impl std::ops::Deref for AppState {
    type Target = SharedState;
    fn deref(&self) -> &SharedState {
        &self.0
    }
}

impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut SharedState {
        Arc::make_mut(&mut self.0)
    }
}

#[derive(Clone)]
pub struct SharedState {
    pub pool: PgPool,
    /// The connections status writes and the live feed use, apart from tiles and the other
    /// reads (`--live-pool`), so a tile storm cannot make a write or the feed queue for one.
    /// Tests and small setups share `pool`.
    pub live_pool: PgPool,
    /// The connections tile queries run on, planned once per session (`db::tile_pool`); tests
    /// and small setups share `pool`.
    pub tile_pool: PgPool,
    /// The bound on tiles read from the database at once (`--tile-queries` …).
    pub tile_gate: Arc<TileGate>,
    pub tiles: Arc<TileQueries>,
    pub tile_cache: Arc<TileCache>,
    /// Tiles as of past days (`?as_of=`), apart from the live ones: a quarter of the bound.
    pub history_tiles: Arc<HistoryTileCache>,
    pub hub: Arc<Hub>,
    pub sessions: Arc<crate::auth::SessionMemory>,
    /// City-wide figure lists, until the next event.
    pub lists: Arc<ListCache>,
    /// Built frontend (`frontend/dist`), served at `/`.
    pub frontend_dir: Option<PathBuf>,
    /// Base URL written into TileJSON; when unset it is taken from the request's Host header.
    pub public_url: Option<String>,
    /// A token that logs wall displays in as the read-only kiosk account.
    pub kiosk_token: Option<String>,
    /// Imports started through the page, by id, while this instance runs.
    pub imports: Arc<crate::import::jobs::ImportJobs>,
    /// Household attachments on disk.
    pub files: Arc<crate::households::files::FileStore>,
    /// The residents' pages read through this pool: a role that cannot read names or ID numbers.
    pub public_pool: PgPool,
    /// The residents' landing (every published project), kept and paged in memory.
    pub landing: Arc<crate::disclosure::landing::Landing>,
    /// Session cookies carry `Secure` (the service is reached over TLS).
    pub secure_cookies: bool,
    /// Extra sources the pages may load from (a basemap server), added to the CSP.
    pub csp_sources: Vec<String>,
    /// The Content-Security-Policy headers (everywhere, on a framed wall), made on the first
    /// answer from `csp_sources` and `wall_frame_ancestors`, which are set before serving.
    pub csp: Arc<std::sync::OnceLock<[axum::http::HeaderValue; 2]>>,
    /// Origins allowed to frame the wall display (`frame-ancestors`); none by default.
    pub wall_frame_ancestors: Vec<String>,
    /// Longest a request may take (but the live feed and uploads): then 408.
    pub request_timeout: std::time::Duration,
    /// The status writers, started on the first write (over `live_pool`, set before serving).
    pub status_writes: Arc<std::sync::OnceLock<crate::status::StatusWrites>>,
    /// Each live feed stream writes at most once per this while events crowd in (`--feed-flush-ms`).
    pub feed_flush: std::time::Duration,
    /// The weekly reports' font and their bound on concurrent generations.
    pub weekly: Arc<crate::reports::weekly::store::WeeklyReports>,
    /// The operator's settings (time zone, basemaps, proxies, metrics token, readiness bound).
    pub site: Arc<crate::ops::Site>,
    /// The local basemap files (MBTiles, PMTiles), by basemap id.
    pub basemap_files: Arc<std::collections::HashMap<String, crate::ops::local_tiles::LocalTiles>>,
}

/// Default of `request_timeout` (`--request-timeout-secs`): the slowest answer (the largest
/// export) takes about a second.
pub const DEFAULT_REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Default of `feed_flush` (`--feed-flush-ms`): a wall sees an event at most 20 ms later, and
/// at 400 events a second each stream writes 50 times a second instead of 400.
pub const DEFAULT_FEED_FLUSH: std::time::Duration = std::time::Duration::from_millis(20);

/// Where attachments live unless `--files-dir` says otherwise.
pub const DEFAULT_FILES_DIR: &str = ".local/files";

/// Default bound of the tile cache.
pub const DEFAULT_TILE_CACHE_BYTES: usize = 256 << 20;

impl AppState {
    /// State over a pool, with its live hub (the LISTEN loop is started separately).
    /// State over the service's pool and the residents' pool.
    pub async fn new(pool: PgPool, public_pool: PgPool) -> Result<Self, sqlx::Error> {
        Self::with_cache(pool, public_pool, DEFAULT_TILE_CACHE_BYTES).await
    }

    pub async fn with_cache(
        pool: PgPool,
        public_pool: PgPool,
        cache_bytes: usize,
    ) -> Result<Self, sqlx::Error> {
        let tile_cache = Arc::new(TileCache::new(cache_bytes));
        let hub = Hub::start(&pool, tile_cache.clone()).await?;
        let lists = hub.lists.clone();
        let sessions = hub.sessions.clone();
        Ok(Self(Arc::new(SharedState {
            live_pool: pool.clone(),
            tile_pool: pool.clone(),
            tile_gate: Arc::new(TileGate::new(crate::tiles::TileGateLimits::default())),
            pool,
            tiles: Arc::new(TileQueries::compose()),
            tile_cache,
            history_tiles: Arc::new(HistoryTileCache::new(cache_bytes / 4)),
            hub,
            sessions,
            lists,
            frontend_dir: None,
            public_url: None,
            kiosk_token: None,
            imports: Arc::default(),
            files: Arc::new(crate::households::files::FileStore::new(DEFAULT_FILES_DIR)),
            public_pool,
            landing: Arc::default(),
            secure_cookies: false,
            csp_sources: Vec::new(),
            csp: Arc::default(),
            wall_frame_ancestors: Vec::new(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            feed_flush: DEFAULT_FEED_FLUSH,
            status_writes: Arc::default(),
            weekly: Arc::new(crate::reports::weekly::store::WeeklyReports::new(
                crate::reports::weekly::FontSlot::new(crate::reports::weekly::DEFAULT_REPORT_FONT),
            )),
            site: Arc::default(),
            basemap_files: Arc::default(),
        })))
    }
}
