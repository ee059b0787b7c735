//! PostgreSQL restarts under a running service: the service recovers by itself and a feed
//! client misses nothing. The test runs a cluster of its own (initdb in a temporary folder,
//! as the postgres user), so restarting it cannot disturb the other tests.
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use serde_json::json;

use crate::helpers::{demo_args, post_json, session};
use crate::sse::{serve, SseClient};

struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
}

fn run(program: &str, args: &[&str]) {
    let status = Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run");
    assert!(status.success(), "{program} {args:?} failed");
}

impl Cluster {
    fn start() -> Cluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL installed")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|b| b.join("initdb").exists())
            .max()
            .expect("an initdb");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("probe")
            .local_addr()
            .expect("addr")
            .port();
        let dir =
            std::env::temp_dir().join(format!("onemap-restart-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("cluster dir");
        run("chown", &["postgres:postgres", dir.to_str().expect("path")]);
        let tool = |name: &str| bin.join(name).to_string_lossy().into_owned();
        let d = dir.to_string_lossy().into_owned();
        run(
            "runuser",
            &[
                "-u",
                "postgres",
                "--",
                &tool("initdb"),
                "-D",
                &d,
                "-U",
                "postgres",
                "--auth=trust",
            ],
        );
        let conf = format!("listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{d}'\njit = off\n");
        let path = dir.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&path).expect("conf");
        text.push_str(&conf);
        std::fs::write(&path, text).expect("conf");
        let cluster = Cluster { dir, bin, port };
        cluster.ctl(&["start", "-w", "-l", &format!("{d}/server.log")]);
        cluster
    }

    fn ctl(&self, args: &[&str]) {
        let d = self.dir.to_string_lossy().into_owned();
        let mut all = vec!["-u", "postgres", "--"];
        let tool = self.bin.join("pg_ctl").to_string_lossy().into_owned();
        all.push(&tool);
        all.extend(["-D", &d]);
        all.extend(args);
        run("runuser", &all);
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.ctl(&["stop", "-m", "immediate"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_recovers_from_a_postgresql_restart_and_clients_miss_nothing() {
    let cluster = Cluster::start();
    let admin_pool = sqlx::PgPool::connect(&cluster.url("postgres"))
        .await
        .expect("connect");
    sqlx::query("CREATE DATABASE onemap")
        .execute(&admin_pool)
        .await
        .expect("create");
    admin_pool.close().await;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(6)
        .connect(&cluster.url("onemap"))
        .await
        .expect("connect");
    onemap::db::migrate(&pool).await.expect("migrate");
    onemap::demo::run(&pool, &demo_args(600, 5))
        .await
        .expect("demo");
    let admin = session(&pool, "admin", "admin", None).await;
    let (base, app) = serve(&pool).await;
    let mut client = SseClient::connect(&format!("{base}/events?heartbeat=1"), &admin, None).await;
    let households: Vec<(i64, i32)> = sqlx::query_as(
        "SELECT id, version FROM households WHERE status = 'surveyed' ORDER BY id LIMIT 6",
    )
    .fetch_all(&pool)
    .await
    .expect("households");
    let sign = |(id, version): (i64, i32)| {
        json!({"changes": [{"subject": "household", "id": id, "to": "signed", "version": version}]})
            .to_string()
    };
    for h in &households[..3] {
        let (status, answer) = post_json(&app, "/api/status", Some(&admin), &sign(*h)).await;
        assert_eq!(status, 200, "{answer}");
    }
    let before = client.status_events(3, Duration::from_secs(5)).await;

    cluster.ctl(&["restart", "-m", "fast", "-w"]);

    // writes go through again once the pool has reconnected by itself
    let mut written = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    for h in &households[3..] {
        loop {
            let (status, answer) = post_json(&app, "/api/status", Some(&admin), &sign(*h)).await;
            if status == 200 {
                written += 1;
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no recovery: {status} {answer}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    assert_eq!(written, 3);
    let after = client.status_events(3, Duration::from_secs(15)).await;
    let got: Vec<i64> = before
        .iter()
        .chain(&after)
        .map(|e| e.data["household_id"].as_i64().expect("id"))
        .collect();
    let want: Vec<i64> = households.iter().map(|h| h.0).collect();
    assert_eq!(
        got, want,
        "the client got every change, before and after the restart, in order"
    );
    pool.close().await;
}
