//! The bound on tiles read from the database at once: a tile storm waits here, for a deadline
//! at most, instead of taking the connections and cores that status writes and the live feed
//! need; a request that cannot get a turn in time (or finds the queue full) gets 503 with
//! Retry-After. Only cache misses pass the gate: a cached tile costs no query.
//! While status writes crowd in (a signing rush), every tile request, cached or not, first
//! yields a moment, and fewer tile queries run at once: a map that loads as fast as it can then
//! leaves the cores to the writers' triggers and the live feed, which wait for CPU, not for
//! connections.
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::{AppError, AppResult};

/// The gate's settings (`--tile-queries`, `--tile-queue`, `--tile-queue-ms`).
#[derive(Clone, Copy, Debug)]
pub struct TileGateLimits {
    /// Tile queries running at once.
    pub running: usize,
    /// Tile requests waiting for a turn; one more is refused at once.
    pub waiting: usize,
    /// Longest a request waits for a turn.
    pub deadline: Duration,
    /// Status writes in flight from which tile requests yield.
    pub writes_crowding: usize,
    /// How long a tile request yields to crowding writes (zero: never).
    pub yield_to_writes: Duration,
    /// Tile queries starting at once while writes crowd in (at most `running`).
    pub running_crowded: usize,
}

impl Default for TileGateLimits {
    fn default() -> Self {
        TileGateLimits {
            running: 4,
            waiting: 64,
            deadline: Duration::from_secs(2),
            writes_crowding: 4,
            yield_to_writes: Duration::from_millis(2),
            running_crowded: 1,
        }
    }
}

pub struct TileGate {
    limits: TileGateLimits,
    turns: Semaphore,
    /// The turns a tile query also takes while writes crowd in.
    crowded_turns: Semaphore,
    waiting: AtomicUsize,
    refused: AtomicU64,
    writes_in_flight: AtomicUsize,
    yielded: AtomicU64,
}

/// A turn to query a tile, and the crowded turn taken with it while writes crowd in.
pub struct TileTurn<'a> {
    _turn: SemaphorePermit<'a>,
    _crowded: Option<SemaphorePermit<'a>>,
}

/// Counts one in a gauge for as long as it lives, also when its client goes away: a tile
/// request waiting for a turn, a status write in flight.
pub struct Counted<'a>(&'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl TileGate {
    #[must_use]
    pub fn new(limits: TileGateLimits) -> Self {
        TileGate {
            turns: Semaphore::new(limits.running.max(1)),
            crowded_turns: Semaphore::new(limits.running_crowded.clamp(1, limits.running.max(1))),
            limits,
            waiting: AtomicUsize::new(0),
            refused: AtomicU64::new(0),
            writes_in_flight: AtomicUsize::new(0),
            yielded: AtomicU64::new(0),
        }
    }

    /// Counts a status write as in flight while the guard lives.
    pub fn write_started(&self) -> Counted<'_> {
        self.writes_in_flight.fetch_add(1, Ordering::AcqRel);
        Counted(&self.writes_in_flight)
    }

    /// At least `writes_crowding` status writes are in flight.
    fn writes_crowd(&self) -> bool {
        self.writes_in_flight.load(Ordering::Acquire) >= self.limits.writes_crowding.max(1)
    }

    /// Waits `yield_to_writes` when at least `writes_crowding` status writes are in flight: the
    /// time a tile storm would take from them goes to them instead.
    pub async fn yield_to_writes(&self) {
        if self.limits.yield_to_writes.is_zero() || !self.writes_crowd() {
            return;
        }
        self.yielded.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(self.limits.yield_to_writes).await;
    }

    /// A turn to read a tile from the database, held until it drops; while writes crowd in, a
    /// crowded turn besides (`running_crowded`). 503 (Retry-After) when the queue is full or
    /// the deadline passes.
    pub async fn enter(&self) -> AppResult<TileTurn<'_>> {
        let crowded = self.writes_crowd();
        if let Ok(turn) = self.turns.try_acquire() {
            if !crowded {
                return Ok(TileTurn {
                    _turn: turn,
                    _crowded: None,
                });
            }
            if let Ok(crowded_turn) = self.crowded_turns.try_acquire() {
                return Ok(TileTurn {
                    _turn: turn,
                    _crowded: Some(crowded_turn),
                });
            }
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.limits.waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(self.refuse("the tile queue is full"));
        }
        let waiting = Counted(&self.waiting);
        let turns = async {
            let turn = self.turns.acquire().await.ok()?;
            let crowded = if crowded {
                Some(self.crowded_turns.acquire().await.ok()?)
            } else {
                None
            };
            Some(TileTurn {
                _turn: turn,
                _crowded: crowded,
            })
        };
        let turn = tokio::time::timeout(self.limits.deadline, turns).await;
        drop(waiting);
        match turn {
            Ok(Some(turn)) => Ok(turn),
            _ => Err(self.refuse("no tile query slot came free in time")),
        }
    }

    fn refuse(&self, why: &str) -> AppError {
        self.refused.fetch_add(1, Ordering::Relaxed);
        AppError::Busy {
            message: format!(
                "tiles are busy: {why} ({} tile queries at once, {} waiting at most); retry shortly",
                self.limits.running, self.limits.waiting
            ),
            retry_after: self.limits.deadline.as_secs().max(1),
        }
    }

    /// The gate's settings and state, for /metrics.
    pub fn render(&self, out: &mut String) {
        let running = self
            .limits
            .running
            .max(1)
            .saturating_sub(self.turns.available_permits());
        crate::metrics::head(
            out,
            "onemap_tile_queries",
            "gauge",
            "Tile queries on the database, by state, and the gate's bounds (tiles::gate).",
        );
        let _ = writeln!(
            out,
            "onemap_tile_queries{{state=\"running\"}} {running}\nonemap_tile_queries{{state=\"waiting\"}} {}\n\
             onemap_tile_queries{{state=\"running_limit\"}} {}\nonemap_tile_queries{{state=\"waiting_limit\"}} {}",
            self.waiting.load(Ordering::Acquire),
            self.limits.running.max(1),
            self.limits.waiting
        );
        crate::metrics::gauge(
            out,
            "onemap_tile_queue_deadline_seconds",
            "Longest a tile request waits for a query slot before 503.",
            self.limits.deadline.as_secs_f64(),
        );
        crate::metrics::counter(
            out,
            "onemap_tile_queries_refused_total",
            "Tile requests answered 503 because the gate was saturated.",
            &self.refused,
        );
        crate::metrics::counter(
            out,
            "onemap_tiles_yielded_to_writes_total",
            "Tile requests that waited a moment because status writes were crowding in.",
            &self.yielded,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `enter` gives a turn within 50 ms.
    async fn turn_soon(gate: &TileGate) -> Option<TileTurn<'_>> {
        tokio::time::timeout(Duration::from_millis(50), gate.enter())
            .await
            .ok()
            .map(|turn| turn.expect("a turn, not a refusal"))
    }

    #[tokio::test]
    async fn while_writes_crowd_in_one_tile_query_starts_at_a_time() {
        let gate = TileGate::new(TileGateLimits::default());
        let mut calm = Vec::new();
        for _ in 0..4 {
            calm.push(turn_soon(&gate).await.expect("four at once while calm"));
        }
        drop(calm);
        let writes: Vec<_> = (0..4).map(|_| gate.write_started()).collect();
        let first = turn_soon(&gate).await.expect("the first query starts");
        assert!(
            turn_soon(&gate).await.is_none(),
            "a second waits while writes crowd in"
        );
        drop(first);
        let again = turn_soon(&gate)
            .await
            .expect("the next starts when the first ends");
        drop(writes);
        let besides = turn_soon(&gate)
            .await
            .expect("calm again: another starts beside it");
        drop((again, besides));
    }
}
