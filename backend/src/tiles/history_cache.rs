//! Tiles as of a past day, kept apart from the live tiles: a past day never changes (events
//! are stamped when written), so these need no eviction by events, only a memory bound, and
//! can never be served for, or evicted with, a live tile.
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use super::cache::{CachedTile, TileKey};

type DayKey = (NaiveDate, TileKey);

#[derive(Default)]
struct Inner {
    tiles: HashMap<DayKey, Arc<CachedTile>>,
    order: VecDeque<DayKey>,
    bytes: usize,
}

pub struct HistoryTileCache {
    limit: usize,
    inner: Mutex<Inner>,
}

impl HistoryTileCache {
    /// A cache holding at most `limit_bytes`; 0 turns caching off.
    #[must_use]
    pub fn new(limit_bytes: usize) -> Self {
        Self {
            limit: limit_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("history tile cache lock")
    }

    #[must_use]
    pub fn get(&self, day: NaiveDate, key: &TileKey) -> Option<Arc<CachedTile>> {
        self.lock().tiles.get(&(day, *key)).cloned()
    }

    /// Keeps a tile; the oldest go first once the bound is passed.
    pub fn insert(&self, day: NaiveDate, key: TileKey, tile: Arc<CachedTile>) {
        if self.limit == 0 || tile.size() > self.limit / 4 {
            return;
        }
        let mut inner = self.lock();
        inner.bytes += tile.size();
        if let Some(old) = inner.tiles.insert((day, key), tile) {
            inner.bytes -= old.size();
        } else {
            inner.order.push_back((day, key));
        }
        while inner.bytes > self.limit {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(old) = inner.tiles.remove(&oldest) {
                inner.bytes -= old.size();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_kept_apart_and_bounded() {
        let cache = HistoryTileCache::new(40_000);
        let key = TileKey {
            layer: "buildings",
            z: 15,
            x: 1,
            y: 2,
            mvt: true,
        };
        let (monday, tuesday) = (
            NaiveDate::from_ymd_opt(2026, 11, 16).expect("day"),
            NaiveDate::from_ymd_opt(2026, 11, 17).expect("day"),
        );
        cache.insert(monday, key, Arc::new(CachedTile::new(vec![1; 100])));
        assert!(cache.get(monday, &key).is_some());
        assert!(cache.get(tuesday, &key).is_none());
        for x in 0..100 {
            cache.insert(
                tuesday,
                TileKey { x, ..key },
                Arc::new(CachedTile::new(vec![7; 1000])),
            );
        }
        assert!(cache.get(monday, &key).is_none(), "the oldest went");
        assert!(cache.get(tuesday, &TileKey { x: 99, ..key }).is_some());
    }
}
