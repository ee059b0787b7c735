//! Live-feed benchmark: N SSE clients connected while status writes arrive at a fixed rate
//! over loopback; prints write→receive latency p50/p99 over every (client, event) pair and
//! the tiles per second served meanwhile. Bounded in time; run by bench/live.sh.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::json;

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_owned())
}

/// The value at fraction `p` of sorted values (NaN when there are none).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

/// The households to sign (one write each; their projects' signing gates are open, so no write
/// is refused) and the z16 tiles the loaders fetch meanwhile.
async fn targets(
    pool: &sqlx::PgPool,
    writes: i64,
) -> anyhow::Result<(Vec<(i64, i32)>, Vec<(u32, u32)>)> {
    let households: Vec<(i64, i32)> = sqlx::query_as(
        "SELECT h.id, h.version FROM households h JOIN buildings b ON b.id = h.building_id
          WHERE h.status = 'surveyed' AND (SELECT g.open FROM gate_state(b.project_id, 'signing') g)
          ORDER BY h.id LIMIT $1",
    )
    .bind(writes)
    .fetch_all(pool)
    .await?;
    anyhow::ensure!(
        households.len() as i64 == writes,
        "only {} surveyed households for {writes} writes",
        households.len()
    );
    let tiles: Vec<(u32, u32)> = sqlx::query_as(
        "SELECT DISTINCT floor((ST_X(c) + 180) / 360 * 65536)::int, floor((1 - ln(tan(radians(ST_Y(c))) + 1 / cos(radians(ST_Y(c)))) / pi()) / 2 * 65536)::int
           FROM (SELECT ST_PointOnSurface(geom) c FROM buildings ORDER BY id LIMIT 400000) s LIMIT 2000",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(x, y): (i32, i32)| (x as u32, y as u32))
    .collect();
    Ok((households, tiles))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let base = arg("--url", "http://127.0.0.1:18090");
    let token = arg("--token", "");
    let clients: usize = arg("--clients", "200").parse()?;
    let rate: u64 = arg("--rate", "100").parse()?;
    let seconds: u64 = arg("--seconds", "20").parse()?;
    let tile_workers: usize = arg("--tile-workers", "4").parse()?;
    // total tiles per second the loaders aim at; 0: as fast as they can
    let tile_rate: u64 = arg("--tile-rate", "0").parse()?;
    let pool = sqlx::PgPool::connect(&arg("--db", "")).await?;
    let writes = (rate * seconds) as i64;
    let (households, tiles) = targets(&pool, writes).await?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;

    let (received, readers) =
        connect_clients(&http, &base, &token, clients, writes as usize).await?;
    println!("{clients} SSE clients connected");

    let stop = Instant::now() + Duration::from_secs(seconds);
    let (served, loaders) =
        start_tile_load(&http, &base, &token, &tiles, tile_workers, tile_rate, stop).await;

    let hold_before = lock_hold(&http, &base, &arg("--metrics-token", "")).await;
    // 3. writes at a fixed rate, each its own request
    let sent: Arc<Mutex<HashMap<i64, Instant>>> = Arc::new(Mutex::new(HashMap::new()));
    let mut ticker = tokio::time::interval(Duration::from_micros(1_000_000 / rate));
    let mut writers = Vec::new();
    let started = Instant::now();
    for (id, version) in households {
        ticker.tick().await;
        let (http, base, token, sent) = (http.clone(), base.clone(), token.clone(), sent.clone());
        writers.push(tokio::spawn(async move {
            let body = json!({"changes": [{"subject": "household", "id": id, "to": "signed", "version": version}]});
            let start = Instant::now();
            sent.lock().expect("lock").insert(id, start);
            let r = http.post(format!("{base}/api/status")).bearer_auth(&token).json(&body).send().await;
            (r.is_ok_and(|r| r.status() == 200), start.elapsed().as_secs_f64() * 1000.0, start.duration_since(started).as_secs())
        }));
    }
    let mut ok = 0;
    let mut answered = Vec::new();
    // Slow answers by the second they were sent in: one stall or a steady queue?
    let mut slow_by_second: std::collections::BTreeMap<u64, usize> =
        std::collections::BTreeMap::new();
    for w in writers {
        let (success, ms, second) = w.await.unwrap_or((false, f64::NAN, 0));
        ok += usize::from(success);
        answered.push(ms);
        if ms > 100.0 {
            *slow_by_second.entry(second).or_default() += 1;
        }
    }
    answered.sort_by(f64::total_cmp);
    let write_seconds = started.elapsed().as_secs_f64();
    let hold_after = lock_hold(&http, &base, &arg("--metrics-token", "")).await;
    futures_util::future::join_all(loaders).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    for r in &readers {
        r.abort();
    }

    let sent = sent.lock().expect("lock");
    let latencies = latencies(&received, &sent);
    let expected = clients * ok;
    println!(
        "writes: {ok} ok of {} in {write_seconds:.1} s ({:.0}/s)",
        sent.len(),
        ok as f64 / write_seconds
    );
    println!(
        "write request answered: p50 {:.1} ms, p99 {:.1} ms",
        percentile(&answered, 0.5),
        percentile(&answered, 0.99)
    );
    println!("answers over 100 ms by second sent: {slow_by_second:?}");
    println!(
        "deliveries: {} of {expected} expected ({} missing)",
        latencies.len(),
        expected.saturating_sub(latencies.len())
    );
    println!(
        "write→receive latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (target p99 < 250 ms)",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
    print_lock_hold(hold_before, hold_after);
    let aim = if tile_rate > 0 {
        format!("aiming at {tile_rate}/s")
    } else {
        "as fast as they can".to_owned()
    };
    println!(
        "tiles served meanwhile: {:.0}/s (z16 buildings, {tile_workers} loaders {aim}, cache on)",
        served.load(Ordering::Relaxed) as f64 / seconds as f64
    );
    Ok(())
}

/// What each SSE client saw: (household, when), one list per client.
type Received = Vec<Arc<Mutex<Vec<(i64, Instant)>>>>;

/// The household id of one SSE event's text, if it has one.
fn household_of(block: &[u8]) -> Option<i64> {
    const KEY: &[u8] = b"\"household_id\":";
    let at = memchr::memmem::find(block, KEY)? + KEY.len();
    let digits: Vec<u8> = block[at..]
        .iter()
        .skip_while(|b| **b == b' ')
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// Write → receive of every delivery, in ms, sorted.
fn latencies(received: &Received, sent: &HashMap<i64, Instant>) -> Vec<f64> {
    let mut all: Vec<f64> = received
        .iter()
        .flat_map(|seen| {
            let seen = seen.lock().expect("lock");
            seen.iter()
                .filter_map(|(h, at)| {
                    sent.get(h)
                        .map(|s| at.duration_since(*s).as_secs_f64() * 1000.0)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    all.sort_by(f64::total_cmp);
    all
}

/// Opens `clients` feeds; each records when it saw each household's event.
async fn connect_clients(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    clients: usize,
    writes: usize,
) -> anyhow::Result<(Received, Vec<tokio::task::JoinHandle<()>>)> {
    // 1. the SSE clients: each records when it saw each household's event, in a list of its
    // own (no lock shared between clients), from the bytes as they come (no copy, no JSON
    // parse): the clients run on the server's machine and their CPU is taken from it
    let mut received = Vec::new();
    let mut readers = Vec::new();
    for _ in 0..clients {
        let response = http
            .get(format!("{base}/events?heartbeat=5"))
            .bearer_auth(token)
            .send()
            .await?;
        anyhow::ensure!(response.status() == 200, "feed: {}", response.status());
        let seen = Arc::new(Mutex::new(Vec::with_capacity(writes)));
        received.push(seen.clone());
        readers.push(tokio::spawn(async move {
            let mut stream = response.bytes_stream();
            let mut buffer: Vec<u8> = Vec::new();
            while let Some(Ok(chunk)) = stream.next().await {
                let now = Instant::now();
                buffer.extend_from_slice(&chunk);
                let mut seen = seen.lock().expect("lock");
                let mut start = 0;
                while let Some(end) = memchr::memmem::find(&buffer[start..], b"\n\n") {
                    if let Some(h) = household_of(&buffer[start..start + end]) {
                        seen.push((h, now));
                    }
                    start += end + 2;
                }
                buffer.drain(..start);
            }
        }));
    }

    Ok((received, readers))
}

/// Warms the tile cache with one pass, then loads tiles until `stop`; returns the served count.
#[allow(clippy::too_many_arguments)]
async fn start_tile_load(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    tiles: &[(u32, u32)],
    tile_workers: usize,
    tile_rate: u64,
    stop: Instant,
) -> (Arc<AtomicU64>, Vec<tokio::task::JoinHandle<()>>) {
    // 2. tiles: one pass first so the measured run sees a warm cache (a command centre's is),
    // then fetched by the loaders for as long as the writes run
    if tile_workers > 0 {
        futures_util::stream::iter(tiles.to_vec())
            .for_each_concurrent(4, |(x, y)| {
                let (http, base, token) = (http.clone(), base.to_owned(), token.to_owned());
                async move {
                    let url = format!("{base}/tiles/buildings/16/{x}/{y}.mvt");
                    if let Ok(r) = http.get(url).bearer_auth(&token).send().await {
                        let _ = r.bytes().await;
                    }
                }
            })
            .await;
        println!("tile cache warmed with {} z16 tiles", tiles.len());
    }
    let served = Arc::new(AtomicU64::new(0));
    let mut loaders = Vec::new();
    for worker in 0..tile_workers {
        let (http, base, token, tiles, served) = (
            http.clone(),
            base.to_owned(),
            token.to_owned(),
            tiles.to_vec(),
            served.clone(),
        );
        loaders.push(tokio::spawn(async move {
            let mut i = worker;
            let mut pace = (tile_rate > 0).then(|| {
                tokio::time::interval(Duration::from_micros(
                    1_000_000 * tile_workers as u64 / tile_rate.max(1),
                ))
            });
            while Instant::now() < stop {
                if let Some(pace) = pace.as_mut() {
                    pace.tick().await;
                }
                let (x, y) = tiles[i % tiles.len()];
                let url = format!("{base}/tiles/buildings/16/{x}/{y}.mvt");
                if let Ok(r) = http
                    .get(url)
                    .bearer_auth(&token)
                    .header("accept-encoding", "gzip")
                    .send()
                    .await
                {
                    if r.bytes().await.is_ok() {
                        served.fetch_add(1, Ordering::Relaxed);
                    }
                }
                i += tile_workers;
            }
        }));
    }

    (served, loaders)
}

/// The server's histogram of the writers' lock hold per event (`/metrics`): (bound, cumulative
/// count) of each bucket, then sum and count; None when /metrics cannot be read.
type Hold = (Vec<(f64, f64)>, f64, f64);

async fn lock_hold(http: &reqwest::Client, base: &str, token: &str) -> Option<Hold> {
    let text = http
        .get(format!("{base}/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let name = "onemap_writers_lock_hold_seconds";
    let mut buckets = Vec::new();
    let (mut sum, mut count) = (None, None);
    for line in text.lines() {
        let Some((key, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let value: f64 = value.parse().unwrap_or(f64::NAN);
        if let Some(le) = key.strip_prefix(&format!("{name}_bucket{{le=\"")) {
            let bound = le.trim_end_matches("\"}").parse().unwrap_or(f64::INFINITY);
            buckets.push((bound, value));
        } else if key == format!("{name}_sum") {
            sum = Some(value);
        } else if key == format!("{name}_count") {
            count = Some(value);
        }
    }
    Some((buckets, sum?, count?))
}

/// The mean and p99 (a bucket's upper bound) of the lock hold per event during the run.
fn print_lock_hold(before: Option<Hold>, after: Option<Hold>) {
    let (Some((b0, s0, c0)), Some((b1, s1, c1))) = (before, after) else {
        println!("writers' lock hold per event: /metrics not readable (pass --metrics-token)");
        return;
    };
    let events = c1 - c0;
    if events <= 0.0 {
        println!("writers' lock hold per event: no events measured");
        return;
    }
    let p99 = b1
        .iter()
        .zip(&b0)
        .find(|((_, n1), (_, n0))| n1 - n0 >= 0.99 * events)
        .map_or(f64::INFINITY, |((bound, _), _)| *bound);
    println!(
        "writers' lock hold per event: mean {:.3} ms, p99 <= {:.2} ms ({events} events)",
        (s1 - s0) / events * 1000.0,
        p99 * 1000.0
    );
}
