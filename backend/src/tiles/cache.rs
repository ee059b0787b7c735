//! In-memory cache of encoded tiles, bounded in bytes, holding each tile's bytes both plain
//! and gzipped (served as they are, never re-compressed), with exact eviction: a changed
//! feature removes the cached tiles of its layer whose buffered extent meets its box, at
//! every zoom, and nothing else.
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use axum::http::HeaderValue;

use super::encoding::{etags_of, gzip};
use crate::metrics::METRICS;
use std::sync::atomic::Ordering::Relaxed;

/// Half the width of the EPSG:3857 world, metres.
const WORLD: f64 = 20_037_508.342_789_244;
/// The MVT buffer as a fraction of a tile: a feature this close to a tile is drawn in it.
const BUFFER: f64 = 64.0 / 4096.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TileKey {
    pub layer: &'static str,
    pub z: u8,
    pub x: u32,
    pub y: u32,
    pub mvt: bool,
}

pub struct CachedTile {
    pub plain: Bytes,
    /// Compressed on the first request that accepts gzip: a tile only ever asked for plain
    /// (desktop GIS, the benchmarks' plain runs) never pays for compressing it.
    gzipped: OnceLock<Bytes>,
    pub etag: HeaderValue,
    pub etag_gzip: HeaderValue,
}

impl CachedTile {
    #[must_use]
    pub fn new(plain: Vec<u8>) -> Self {
        let [etag, etag_gzip] = etags_of(&plain);
        Self {
            etag,
            etag_gzip,
            plain: Bytes::from(plain),
            gzipped: OnceLock::new(),
        }
    }

    /// The gzip representation, compressed once and then served as it is.
    pub fn gzipped(&self) -> Bytes {
        self.gzipped
            .get_or_init(|| {
                if self.plain.is_empty() {
                    Bytes::new()
                } else {
                    Bytes::from(gzip(&self.plain))
                }
            })
            .clone()
    }

    /// What the tile may come to hold: its gzip bytes are counted before they exist (at most
    /// the plain size, gzip's few header bytes within the allowance), so the memory bound
    /// holds whenever they are made.
    pub(super) fn size(&self) -> usize {
        2 * self.plain.len() + 128
    }
}

/// A tile's (x, y, is-MVT) within one layer and zoom.
type TilePlace = (u32, u32, bool);

#[derive(Default)]
struct Inner {
    tiles: HashMap<TileKey, (Arc<CachedTile>, u64)>,
    /// Cached (x, y, mvt) per layer and zoom, so eviction walks only the tiles in range.
    index: HashMap<(&'static str, u8), BTreeSet<TilePlace>>,
    /// Insertion order for the memory bound (first in, first out), with a generation so a
    /// re-inserted tile is not dropped for its older self.
    order: VecDeque<(TileKey, u64)>,
    generation: u64,
    /// Counts evictions: a tile read before an eviction it overlaps must not be kept after it.
    evictions: u64,
    bytes: usize,
}

impl Inner {
    fn remove(&mut self, key: &TileKey) {
        if let Some((tile, _)) = self.tiles.remove(key) {
            self.bytes -= tile.size();
            if let Some(set) = self.index.get_mut(&(key.layer, key.z)) {
                set.remove(&(key.x, key.y, key.mvt));
            }
        }
    }
}

pub struct TileCache {
    limit: usize,
    inner: Mutex<Inner>,
}

impl TileCache {
    /// A cache holding at most `limit_bytes`; 0 turns caching off.
    #[must_use]
    pub fn new(limit_bytes: usize) -> Self {
        Self {
            limit: limit_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("tile cache lock")
    }

    #[must_use]
    pub fn get(&self, key: &TileKey) -> Option<Arc<CachedTile>> {
        let tile = self.lock().tiles.get(key).map(|(tile, _)| tile.clone());
        let counter = if tile.is_some() {
            &METRICS.tile_cache_hits
        } else {
            &METRICS.tile_cache_misses
        };
        counter.fetch_add(1, Relaxed);
        tile
    }

    #[must_use]
    pub fn contains(&self, key: &TileKey) -> bool {
        self.lock().tiles.contains_key(key)
    }

    /// The eviction count now: read it before reading a tile from the database, and keep the
    /// tile with `insert_unless_evicted`.
    #[must_use]
    pub fn epoch(&self) -> u64 {
        self.lock().evictions
    }

    /// Keeps the tile only if nothing was evicted since `epoch`: a request that read the
    /// database before a change committed, and finishes after its eviction, would otherwise put
    /// the old tile back for good (work groups' assignments have no feature-state to cover it).
    pub fn insert_unless_evicted(&self, key: TileKey, tile: Arc<CachedTile>, epoch: u64) {
        let inner = self.lock();
        if inner.evictions == epoch {
            self.insert_locked(inner, key, tile);
        }
    }

    pub fn insert(&self, key: TileKey, tile: Arc<CachedTile>) {
        let inner = self.lock();
        self.insert_locked(inner, key, tile);
    }

    fn insert_locked(
        &self,
        mut inner: std::sync::MutexGuard<'_, Inner>,
        key: TileKey,
        tile: Arc<CachedTile>,
    ) {
        if self.limit == 0 || tile.size() > self.limit / 4 {
            return;
        }
        inner.remove(&key);
        inner.generation += 1;
        let generation = inner.generation;
        inner.bytes += tile.size();
        inner.tiles.insert(key, (tile, generation));
        inner
            .index
            .entry((key.layer, key.z))
            .or_default()
            .insert((key.x, key.y, key.mvt));
        inner.order.push_back((key, generation));
        while inner.bytes > self.limit {
            let Some((old, generation)) = inner.order.pop_front() else {
                break;
            };
            if inner.tiles.get(&old).is_some_and(|(_, g)| *g == generation) {
                inner.remove(&old);
                METRICS.tile_cache_evicted_memory.fetch_add(1, Relaxed);
            }
        }
    }

    /// Removes every cached tile of `layer` whose buffered extent meets `bbox` (EPSG:3857).
    pub fn evict(&self, layer: &str, [xmin, ymin, xmax, ymax]: [f64; 4]) -> usize {
        let mut inner = self.lock();
        let zooms: Vec<(&'static str, u8)> = inner
            .index
            .keys()
            .filter(|(l, _)| *l == layer)
            .copied()
            .collect();
        inner.evictions += 1;
        let mut removed = Vec::new();
        for (name, z) in zooms {
            let n = f64::from(1u32 << z);
            let size = 2.0 * WORLD / n;
            let clamp = |v: f64| v.floor().clamp(0.0, n - 1.0) as u32;
            let (x0, x1) = (
                clamp((xmin + WORLD) / size - BUFFER),
                clamp((xmax + WORLD) / size + BUFFER),
            );
            let (y0, y1) = (
                clamp((WORLD - ymax) / size - BUFFER),
                clamp((WORLD - ymin) / size + BUFFER),
            );
            if let Some(set) = inner.index.get(&(name, z)) {
                for &(x, y, mvt) in set.range((x0, 0, false)..=(x1, u32::MAX, true)) {
                    if (y0..=y1).contains(&y) {
                        removed.push(TileKey {
                            layer: name,
                            z,
                            x,
                            y,
                            mvt,
                        });
                    }
                }
            }
        }
        for key in &removed {
            inner.remove(key);
        }
        METRICS
            .tile_cache_evicted_changed
            .fetch_add(removed.len() as u64, Relaxed);
        removed.len()
    }

    #[must_use]
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// (tiles held, bytes held, the bound): what `/metrics` reports.
    #[must_use]
    pub fn usage(&self) -> (usize, usize, usize) {
        let inner = self.lock();
        (inner.tiles.len(), inner.bytes, self.limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(z: u8, x: u32, y: u32) -> TileKey {
        TileKey {
            layer: "buildings",
            z,
            x,
            y,
            mvt: true,
        }
    }

    #[test]
    fn evicts_exactly_the_tiles_a_box_touches() {
        let cache = TileCache::new(1 << 20);
        for k in [
            key(1, 0, 0),
            key(1, 1, 0),
            key(1, 0, 1),
            key(1, 1, 1),
            key(2, 3, 3),
        ] {
            cache.insert(k, Arc::new(CachedTile::new(vec![1, 2, 3])));
        }
        // a box in the north-west quarter, away from the tile edges
        let removed = cache.evict("buildings", [-15e6, 5e6, -14e6, 6e6]);
        assert_eq!(removed, 1);
        assert!(!cache.contains(&key(1, 0, 0)));
        assert!(cache.contains(&key(1, 1, 0)) && cache.contains(&key(2, 3, 3)));
        // another layer is untouched by a buildings box
        cache.insert(
            TileKey {
                layer: "parcels",
                ..key(1, 0, 0)
            },
            Arc::new(CachedTile::new(vec![1])),
        );
        cache.evict("buildings", [-15e6, 5e6, -14e6, 6e6]);
        assert!(cache.contains(&TileKey {
            layer: "parcels",
            ..key(1, 0, 0)
        }));
    }

    #[test]
    fn stays_within_its_memory_bound() {
        let cache = TileCache::new(40_000);
        for x in 0..100 {
            cache.insert(key(10, x, 0), Arc::new(CachedTile::new(vec![7; 1000])));
        }
        assert!(cache.bytes() <= 40_000);
        assert!(cache.contains(&key(10, 99, 0)), "the newest stays");
        assert!(!cache.contains(&key(10, 0, 0)), "the oldest went");
    }
}
