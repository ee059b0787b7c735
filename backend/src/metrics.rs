//! The service's own measurements, process-wide, written out in the Prometheus text format
//! (`/metrics`): plain atomics and one lock per histogram family, no metrics library.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::live::EventKind;

/// Upper bounds (seconds) of the latency buckets: a tile from the cache takes a millisecond,
/// the largest export about a second.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Finer bounds (seconds) for the writers' lock hold, which is meant to stay well under a millisecond.
const FINE_BUCKETS: [f64; 12] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
];

/// Counts of observations per bucket (not cumulative; summed when written), their sum and count.
#[derive(Clone)]
struct Histogram {
    bounds: &'static [f64; 12],
    buckets: [u64; 12],
    sum: f64,
    count: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self::with_bounds(&BUCKETS)
    }
}

impl Histogram {
    const fn with_bounds(bounds: &'static [f64; 12]) -> Self {
        Histogram {
            bounds,
            buckets: [0; 12],
            sum: 0.0,
            count: 0,
        }
    }

    fn observe(&mut self, seconds: f64) {
        if let Some(i) = self.bounds.iter().position(|b| seconds <= *b) {
            self.buckets[i] += 1;
        }
        self.sum += seconds;
        self.count += 1;
    }

    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (bound, n) in self.bounds.iter().zip(self.buckets) {
            cumulative += n;
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

/// Every measurement the service keeps; one instance per process (`METRICS`).
pub struct Metrics {
    /// Request latency by (matched route template, method).
    /// By route template, then method: looked up by reference, a key allocated only once.
    requests: Mutex<BTreeMap<String, BTreeMap<String, Histogram>>>,
    /// Answers by status class (index 1 = 1xx … 5 = 5xx).
    responses: [AtomicU64; 6],
    pub tile_cache_hits: AtomicU64,
    pub tile_cache_misses: AtomicU64,
    /// Tiles dropped because a feature in them changed.
    pub tile_cache_evicted_changed: AtomicU64,
    /// Tiles dropped to stay within the memory bound.
    pub tile_cache_evicted_memory: AtomicU64,
    pub sse_clients: AtomicI64,
    /// Events the feed applied, by `EventKind as usize`.
    pub events_applied: [AtomicU64; EventKind::ALL.len()],
    /// How long status writers waited for the writers' queue and their row.
    writers_lock_wait: Mutex<Histogram>,
    /// How long a status write held the writers' queue, per event it wrote.
    writers_lock_hold: Mutex<Histogram>,
    pub login_failures: AtomicU64,
    pub imports_started: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: Mutex::default(),
            responses: Default::default(),
            tile_cache_hits: AtomicU64::default(),
            tile_cache_misses: AtomicU64::default(),
            tile_cache_evicted_changed: AtomicU64::default(),
            tile_cache_evicted_memory: AtomicU64::default(),
            sse_clients: AtomicI64::default(),
            events_applied: Default::default(),
            writers_lock_wait: Mutex::default(),
            writers_lock_hold: Mutex::new(Histogram::with_bounds(&FINE_BUCKETS)),
            login_failures: AtomicU64::default(),
            imports_started: AtomicU64::default(),
        }
    }
}

pub static METRICS: std::sync::LazyLock<Metrics> = std::sync::LazyLock::new(Metrics::default);

impl Metrics {
    pub fn observe_request(&self, route: &str, method: &str, status: u16, took: Duration) {
        let class = usize::from(status / 100).min(5);
        self.responses[class].fetch_add(1, Ordering::Relaxed);
        let mut requests = self.requests.lock().expect("metrics lock");
        if !requests.contains_key(route) {
            requests.insert(route.to_owned(), BTreeMap::new());
        }
        let by_method = requests.get_mut(route).expect("inserted above");
        if !by_method.contains_key(method) {
            by_method.insert(method.to_owned(), Histogram::default());
        }
        let histogram = by_method.get_mut(method).expect("inserted above");
        histogram.observe(took.as_secs_f64());
    }

    pub fn observe_writers_lock_wait(&self, took: Duration) {
        self.writers_lock_wait
            .lock()
            .expect("metrics lock")
            .observe(took.as_secs_f64());
    }

    /// A status write held the writers' queue for `took` and wrote `events` events under it.
    pub fn observe_writers_lock_hold(&self, took: Duration, events: usize) {
        let per_event = took.as_secs_f64() / events.max(1) as f64;
        let mut hold = self.writers_lock_hold.lock().expect("metrics lock");
        for _ in 0..events.max(1) {
            hold.observe(per_event);
        }
    }

    /// The process-wide measurements in the text format; `gauges` are the ones read at the
    /// moment of asking (pool, cache, feed), already written by the caller.
    #[must_use]
    pub fn render(&self, gauges: &str) -> String {
        let mut out = String::with_capacity(16 << 10);
        head(
            &mut out,
            "onemap_http_request_duration_seconds",
            "histogram",
            "Time to answer a request, by matched route template and method.",
        );
        for (route, by_method) in self.requests.lock().expect("metrics lock").iter() {
            for (method, h) in by_method {
                let labels = format!("route=\"{}\",method=\"{}\"", escape(route), escape(method));
                h.write(&mut out, "onemap_http_request_duration_seconds", &labels);
            }
        }
        head(
            &mut out,
            "onemap_http_responses_total",
            "counter",
            "Answers by status class.",
        );
        for (class, n) in self.responses.iter().enumerate().skip(1) {
            let _ = writeln!(
                out,
                "onemap_http_responses_total{{class=\"{class}xx\"}} {}",
                n.load(Ordering::Relaxed)
            );
        }
        self.render_counters(&mut out);
        crate::figures::kept::write_metrics(&mut out);
        out.push_str(gauges);
        out
    }

    /// The caches', feed's, writers', logins' and imports' measurements.
    fn render_counters(&self, out: &mut String) {
        counter(
            out,
            "onemap_tile_cache_hits_total",
            "Tiles answered from the cache.",
            &self.tile_cache_hits,
        );
        counter(
            out,
            "onemap_tile_cache_misses_total",
            "Tiles not in the cache (made from the database).",
            &self.tile_cache_misses,
        );
        head(
            out,
            "onemap_tile_cache_evictions_total",
            "counter",
            "Tiles dropped from the cache, by why.",
        );
        let changed = self.tile_cache_evicted_changed.load(Ordering::Relaxed);
        let memory = self.tile_cache_evicted_memory.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "onemap_tile_cache_evictions_total{{reason=\"changed\"}} {changed}"
        );
        let _ = writeln!(
            out,
            "onemap_tile_cache_evictions_total{{reason=\"memory\"}} {memory}"
        );
        head(
            out,
            "onemap_sse_clients",
            "gauge",
            "Live-feed (SSE) connections open now.",
        );
        let _ = writeln!(
            out,
            "onemap_sse_clients {}",
            self.sse_clients.load(Ordering::Relaxed)
        );
        head(
            out,
            "onemap_events_applied_total",
            "counter",
            "Events the live feed read, applied to the caches and broadcast, by table.",
        );
        for kind in EventKind::ALL {
            let applied = self.events_applied[kind as usize].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "onemap_events_applied_total{{kind=\"{}\"}} {applied}",
                kind.name()
            );
        }
        head(
            out,
            "onemap_writers_lock_wait_seconds",
            "histogram",
            "Time a status write waited for the writers' queue and its row.",
        );
        self.writers_lock_wait.lock().expect("metrics lock").write(
            out,
            "onemap_writers_lock_wait_seconds",
            "",
        );
        head(
            out,
            "onemap_writers_lock_hold_seconds",
            "histogram",
            "Time a status write held the writers' queue, per event written (the queue is global: \
             its hold bounds the events per second).",
        );
        self.writers_lock_hold.lock().expect("metrics lock").write(
            out,
            "onemap_writers_lock_hold_seconds",
            "",
        );
        counter(
            out,
            "onemap_login_failures_total",
            "Failed logins (wrong password, unknown or locked account).",
            &self.login_failures,
        );
        counter(
            out,
            "onemap_imports_started_total",
            "Imports started through the pages.",
            &self.imports_started,
        );
    }
}

/// `# HELP` and `# TYPE` of a family.
pub fn head(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

pub fn counter(out: &mut String, name: &str, help: &str, value: &AtomicU64) {
    head(out, name, "counter", help);
    let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
}

/// One gauge family with one unlabelled sample.
pub fn gauge(out: &mut String, name: &str, help: &str, value: impl std::fmt::Display) {
    head(out, name, "gauge", help);
    let _ = writeln!(out, "{name} {value}");
}

/// A label value as the text format wants it: backslash, quote and newline escaped.
#[must_use]
pub fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Counts a live-feed connection for as long as it is held.
pub struct SseClient;

impl SseClient {
    #[must_use]
    pub fn open() -> Self {
        METRICS.sse_clients.fetch_add(1, Ordering::Relaxed);
        SseClient
    }
}

impl Drop for SseClient {
    fn drop(&mut self) {
        METRICS.sse_clients.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_is_cumulative_and_counts_the_slow_ones_only_in_inf() {
        let mut h = Histogram::default();
        h.observe(0.002);
        h.observe(0.2);
        h.observe(30.0);
        let mut out = String::new();
        h.write(&mut out, "x", "route=\"/a\"");
        assert!(
            out.contains("x_bucket{route=\"/a\",le=\"0.0025\"} 1\n"),
            "{out}"
        );
        assert!(
            out.contains("x_bucket{route=\"/a\",le=\"10\"} 2\n"),
            "{out}"
        );
        assert!(
            out.contains("x_bucket{route=\"/a\",le=\"+Inf\"} 3\n"),
            "{out}"
        );
        assert!(out.contains("x_count{route=\"/a\"} 3\n"), "{out}");
    }
}
