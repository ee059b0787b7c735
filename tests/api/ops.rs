//! Running it for years (issue 18): the binary started from an onemap.toml (checked first by
//! `onemap config check`), its JSON log (a request id on every request's line and in error
//! bodies, no name or ID number of the demo anywhere in it), `/metrics` read by Prometheus's own
//! text parser, `/healthz` and `/readyz`, a local MBTiles basemap served, the residents' look-up
//! limit counted per resident behind a trusted proxy, and a demo generated "today" with no event
//! later than its generation.
use std::collections::BTreeMap;
use std::io::Write as _;
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{role_url, session};

/// A PNG of one grey pixel: what the MBTiles basemap holds.
pub const PNG: [u8; 67] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b,
    0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x68, 0x00, 0x00, 0x00,
    0x82, 0x00, 0x81, 0x77, 0xcd, 0x72, 0xb6, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

/// Writes an MBTiles file holding one PNG tile, 0/0/0.
fn mbtiles(path: &std::path::Path) {
    let file = rusqlite::Connection::open(path).expect("sqlite");
    file.execute_batch(
        "CREATE TABLE metadata (name text, value text);
         CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);
         INSERT INTO metadata VALUES ('name', 'test'), ('format', 'png');",
    )
    .expect("mbtiles");
    file.execute("INSERT INTO tiles VALUES (0, 0, 0, ?1)", [PNG.to_vec()])
        .expect("tile");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("probe")
        .local_addr()
        .expect("port")
        .port()
}

/// Runs `onemap --config FILE args…`; (success, stdout and stderr).
fn onemap(config: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run onemap");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Samples by name: each with its labels and value.
type Samples = BTreeMap<String, Vec<(BTreeMap<String, String>, f64)>>;

/// The families of a text exposition as Prometheus's own parser reads them:
/// sample name → [(labels, value)].
fn parse_metrics(text: &str) -> Samples {
    const PARSER: &str = "import sys, json\nfrom prometheus_client.parser import text_string_to_metric_families\n\
        print(json.dumps([[s.name, s.labels, s.value] for f in text_string_to_metric_families(sys.stdin.read()) for s in f.samples]))";
    let mut child = std::process::Command::new("python3")
        .args(["-c", PARSER])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 (scripts/lib.sh installs prometheus_client)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("parser");
    assert!(
        out.status.success(),
        "the Prometheus parser refused /metrics:\n{text}"
    );
    let samples: Vec<(String, BTreeMap<String, String>, f64)> =
        serde_json::from_slice(&out.stdout).expect("json");
    let mut families: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for (name, labels, value) in samples {
        families.entry(name).or_default().push((labels, value));
    }
    families
}

fn value(families: &Samples, name: &str, label: Option<(&str, &str)>) -> f64 {
    families
        .get(name)
        .unwrap_or_else(|| panic!("/metrics has no {name}"))
        .iter()
        .filter(|(labels, _)| {
            label.is_none_or(|(k, v)| labels.get(k).map(String::as_str) == Some(v))
        })
        .map(|(_, v)| v)
        .sum()
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn ops_the_binary_runs_from_its_config_file_with_json_logs_metrics_and_health(pool: PgPool) {
    // the demo "as of today": nothing it writes may be later than when it was generated
    let generated_at: chrono::DateTime<chrono::Utc> = chrono::Utc::now();
    let args = onemap::config::DemoArgs {
        buildings: 1_500,
        seed: 18,
        as_of: None,
        if_empty: false,
    };
    onemap::demo::run(&pool, &args).await.expect("demo");
    let latest: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
        "SELECT max(at) FROM (SELECT max(at) AS at FROM status_events UNION ALL SELECT max(at) FROM step_events) e",
    )
    .fetch_one(&pool)
    .await
    .expect("query");
    assert!(
        latest.is_some_and(|at| at <= generated_at),
        "an event at {latest:?} is later than the demo's generation at {generated_at}"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let basemap = dir.path().join("basemap.mbtiles");
    mbtiles(&basemap);
    let (port, metrics_port) = (free_port(), free_port());
    let config = dir.path().join("onemap.toml");
    let settings = format!(
        r#"database_url = "{app}"
public_database_url = "{public}"
bind = "127.0.0.1:{port}"
frontend = "/nonexistent"
files_dir = "{files}"
pool = 4
log_format = "json"
metrics_addr = "127.0.0.1:{metrics_port}"
metrics_token = "scrape-secret"
trusted_proxies = ["127.0.0.1"]
time_zone = "Asia/Shanghai"
wall_basemap = "local"

[[basemaps]]
id = "local"
name = "本地底图"
kind = "mbtiles"
path = "{basemap}"

[[basemaps]]
id = "tdt-img"
name = "天地图影像"
kind = "tianditu"
layers = ["img", "cia"]
tk = "0123abcd"
"#,
        app = role_url(&pool, "app").await,
        public = role_url(&pool, "public").await,
        files = dir.path().join("files").display(),
        basemap = basemap.display(),
    );
    std::fs::write(&config, &settings).expect("config");

    // `config check` reads the same file and says what it found; a typo is named, not ignored
    let (ok, said) = onemap(&config, &["config", "check"]);
    assert!(
        ok && said.contains("config ok") && said.contains("2 basemaps, wall: local"),
        "{said}"
    );
    let typo = dir.path().join("typo.toml");
    std::fs::write(&typo, settings.replace("[[basemaps]]", "[[basemapz]]")).expect("config");
    let (ok, said) = onemap(&typo, &["config", "check"]);
    assert!(!ok && said.contains("`basemapz` is no setting"), "{said}");
    let bad_zone = dir.path().join("zone.toml");
    std::fs::write(&bad_zone, settings.replace("Asia/Shanghai", "Asia/Beijing")).expect("config");
    let (ok, said) = onemap(&bad_zone, &["config", "check"]);
    assert!(!ok && said.contains("Asia/Beijing"), "{said}");

    // kept for the suite's log privacy check too (scripts/test sets ONEMAP_TEST_LOGS)
    let log_path = crate::helpers::keep_server_log(&pool, "config")
        .await
        .unwrap_or_else(|| dir.path().join("onemap.log"));
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
        .arg("--config")
        .arg(&config)
        .arg("serve")
        .env_remove("DATABASE_URL")
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .expect("start onemap serve");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut ready = Value::Null;
    for _ in 0..150 {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await {
            ready = r.json().await.unwrap_or(Value::Null);
            if ready["ready"] == true {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ready["ready"], true, "{ready}");
    assert_eq!(ready["checks"]["listener"], true, "{ready}");
    assert_eq!(
        http.get(format!("{base}/healthz"))
            .send()
            .await
            .expect("healthz")
            .text()
            .await
            .expect("text"),
        "ok"
    );

    // the pages' settings and the local basemap's tiles
    let site: Value = http
        .get(format!("{base}/api/site"))
        .send()
        .await
        .expect("site")
        .json()
        .await
        .expect("json");
    assert_eq!(site["time_zone"], "Asia/Shanghai");
    let basemaps: Value = http
        .get(format!("{base}/api/basemaps"))
        .send()
        .await
        .expect("basemaps")
        .json()
        .await
        .expect("json");
    assert_eq!(basemaps["wall"], "local", "{basemaps}");
    assert_eq!(
        basemaps["basemaps"][0]["layers"][0]["tiles"][0], "/api/basemaps/local/{z}/{x}/{y}",
        "{basemaps}"
    );
    assert_eq!(
        basemaps["basemaps"][0]["layers"][0]["max_zoom"], 0,
        "{basemaps}"
    );
    let tdt = basemaps["basemaps"][1]["layers"][1]["tiles"][0]
        .as_str()
        .expect("a template");
    assert!(
        tdt.starts_with("https://t0.tianditu.gov.cn/cia_w/wmts?") && tdt.ends_with("&tk=0123abcd"),
        "{tdt}"
    );
    let tile = http
        .get(format!("{base}/api/basemaps/local/0/0/0.png"))
        .send()
        .await
        .expect("tile");
    assert_eq!(tile.headers()["content-type"], "image/png");
    let csp = tile.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        csp.contains("https://*.tianditu.gov.cn"),
        "the pages may load the configured basemap: {csp}"
    );
    assert_eq!(tile.bytes().await.expect("bytes").as_ref(), PNG);
    // where the file has no tile: a transparent one (MapLibre waits forever on a 204)
    let none = http
        .get(format!("{base}/api/basemaps/local/1/1/1"))
        .send()
        .await
        .expect("tile");
    assert_eq!(
        (
            none.status().as_u16(),
            none.headers()["content-type"].to_str().expect("ascii")
        ),
        (200, "image/png")
    );
    assert_ne!(none.bytes().await.expect("bytes").as_ref(), PNG);

    // errors carry the request's id, in the body and the header; a proxy's id is kept
    let refused = http
        .post(format!("{base}/api/login"))
        .json(&json!({"username": "nobody", "password": "wrong"}))
        .send()
        .await
        .expect("login");
    assert_eq!(refused.status(), 401);
    let id = refused.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let body: Value = refused.json().await.expect("json");
    assert_eq!(body["request_id"], id.as_str(), "{body}");
    let missing = http
        .get(format!("{base}/api/nothing-here"))
        .header("x-request-id", "proxy-id-42")
        .send()
        .await
        .expect("404");
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.json::<Value>().await.expect("json")["request_id"],
        "proxy-id-42"
    );

    // a staff member reads households (names and ID numbers in the answers, never in the log)
    session(&pool, "ops-reader", "admin", None).await;
    let bearer = ("authorization", "Bearer test-token-ops-reader");
    let (name, id_number, household): (String, String, i64) = sqlx::query_as(
        "SELECT holder_name, holder_id_number, id FROM households ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("query");
    let read = http
        .get(format!("{base}/api/households/{household}"))
        .header(bearer.0, bearer.1)
        .send()
        .await
        .expect("household");
    assert_eq!(read.status(), 200);
    let tile = |z: u32| {
        http.get(format!("{base}/tiles/regions/{z}/0/0.mvt"))
            .header(bearer.0, bearer.1)
            .send()
    };
    tile(0).await.expect("tile");
    tile(0).await.expect("tile");
    let feed = http
        .get(format!("{base}/events"))
        .header(bearer.0, bearer.1)
        .send()
        .await
        .expect("feed");
    assert_eq!(feed.status(), 200);

    // behind the trusted proxy (127.0.0.1) each resident has their own look-up limit
    let lookup = |client: &'static str, who: Value| {
        http.post(format!("{base}/api/public/lookup"))
            .header("x-forwarded-for", client)
            .json(&who)
            .send()
    };
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            lookup(
                "198.51.100.1",
                json!({"name": name, "id_number": id_number}),
            )
            .await
            .expect("lookup")
            .status()
            .as_u16(),
        );
    }
    assert_eq!(
        statuses.last(),
        Some(&429),
        "the sixth look-up in a minute is refused: {statuses:?}"
    );
    let other = lookup(
        "198.51.100.2",
        json!({"name": name, "id_number": id_number}),
    )
    .await
    .expect("lookup");
    assert_ne!(
        other.status(),
        429,
        "another resident behind the same proxy is not limited by the first"
    );

    // /metrics: on its own address, or on the main one with the token only
    assert_eq!(
        http.get(format!("{base}/metrics"))
            .send()
            .await
            .expect("metrics")
            .status(),
        401
    );
    let guarded = http
        .get(format!("{base}/metrics"))
        .bearer_auth("scrape-secret")
        .send()
        .await
        .expect("metrics");
    assert_eq!(guarded.status(), 200);
    let text = http
        .get(format!("http://127.0.0.1:{metrics_port}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    let m = parse_metrics(&text);
    let route = ("route", "/api/basemaps/{id}/{z}/{x}/{y}");
    assert!(
        value(
            &m,
            "onemap_http_request_duration_seconds_count",
            Some(route)
        ) >= 2.0,
        "{text}"
    );
    assert!(
        !text.contains("route=\"/api/basemaps/local/"),
        "routes are templates, not raw paths"
    );
    assert!(
        value(
            &m,
            "onemap_http_request_duration_seconds_bucket",
            Some(("le", "+Inf"))
        ) >= 10.0
    );
    assert!(
        value(&m, "onemap_tile_cache_hits_total", None) >= 1.0
            && value(&m, "onemap_tile_cache_misses_total", None) >= 1.0
    );
    assert!(value(&m, "onemap_tile_cache_bytes", None) > 0.0);
    value(
        &m,
        "onemap_tile_cache_evictions_total",
        Some(("reason", "changed")),
    );
    assert!(
        value(&m, "onemap_sse_clients", None) >= 1.0,
        "the open feed is counted"
    );
    assert!(value(&m, "onemap_login_failures_total", None) >= 1.0);
    assert!(value(&m, "onemap_db_pool_connections", Some(("state", "in_use"))) >= 0.0);
    assert!(
        value(&m, "onemap_feed_lag_events", None) < 0.5,
        "the feed is caught up"
    );
    value(&m, "onemap_feed_lag_seconds", None);
    value(&m, "onemap_events_applied_total", Some(("kind", "status")));
    value(&m, "onemap_writers_lock_wait_seconds_count", None);
    value(&m, "onemap_writers_lock_hold_seconds_count", None);
    assert!(value(&m, "onemap_tile_queries", Some(("state", "running_limit"))) >= 1.0);
    value(&m, "onemap_tile_queries_refused_total", None);
    value(&m, "onemap_db_pool_max_connections", Some(("pool", "live")));
    value(&m, "onemap_import_jobs", Some(("state", "running")));
    // the Grafana dashboard asks only for what /metrics has
    let dashboard = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/ops/grafana/onemap.json"
    ))
    .expect("dashboard");
    for name in dashboard
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("onemap_"))
    {
        assert!(
            text.contains(name),
            "ops/grafana/onemap.json uses {name}, which /metrics does not have"
        );
    }
    drop(feed);
    child.kill().await.expect("stop");

    // the JSON log: every line an object; every request's lines carry its id; no personal data
    let log = std::fs::read_to_string(&log_path).expect("log");
    let mut answered = 0;
    for line in log.lines() {
        let entry: Value =
            serde_json::from_str(line).unwrap_or_else(|_| panic!("not a JSON line: {line}"));
        if let Some(span) = entry.get("span") {
            assert!(
                span["request_id"].as_str().is_some_and(|id| !id.is_empty()),
                "{line}"
            );
        }
        if entry["fields"]["message"] == "answered" {
            answered += 1;
            let route = entry["span"]["route"]
                .as_str()
                .unwrap_or_else(|| panic!("{line}"));
            // a tile answered without an error is logged at debug only
            assert!(
                !route.starts_with("/tiles/") || entry["fields"]["status"].as_u64() >= Some(400),
                "a tile's access line at info: {line}"
            );
        }
    }
    assert!(
        answered >= 19,
        "one access line per request but tiles: {answered}"
    );
    assert!(log.contains("\"request_id\":\"proxy-id-42\""));
    let personal: Vec<(String, String)> =
        sqlx::query_as("SELECT holder_name, holder_id_number FROM households")
            .fetch_all(&pool)
            .await
            .expect("query");
    assert!(personal.len() > 100);
    for (name, id_number) in &personal {
        assert!(
            !log.contains(name.as_str()) && !log.contains(id_number.as_str()),
            "personal data in the log: {name} / {id_number}"
        );
    }
}
