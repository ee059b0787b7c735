//! Shared state of the HTTP handlers: the pool and the tile queries composed at start-up.
use std::path::PathBuf;
use std::sync::Arc;

use sqlx::PgPool;

use crate::tiles::TileQueries;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub tiles: Arc<TileQueries>,
    /// Built frontend (`frontend/dist`), served at `/`.
    pub frontend_dir: Option<PathBuf>,
    /// Base URL written into TileJSON; when unset it is taken from the request's Host header.
    pub public_url: Option<String>,
}

impl AppState {
    #[must_use]
    pub fn new(pool: PgPool) -> Self {
        Self { pool, tiles: Arc::new(TileQueries::compose()), frontend_dir: None, public_url: None }
    }
}
