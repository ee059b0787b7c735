//! Vector tiles: the layer catalogue, tile coordinates, the one query path, and encoding.
mod cache;
mod coords;
mod encoding;
pub mod gate;
mod history_cache;
mod layers;
mod query;
pub mod tilejson;

pub use cache::{CachedTile, TileCache, TileKey};
pub use coords::{TileCoord, TileFormat, MAX_ZOOM};
pub use encoding::{accepts_gzip, etag_matches, etag_of, etags_of, gzip};
pub use gate::{TileGate, TileGateLimits};
pub use history_cache::HistoryTileCache;
pub use layers::{layer, Field, Layer, LAYERS};
pub use query::{has_groups, TileQueries};
