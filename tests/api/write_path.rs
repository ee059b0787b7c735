//! The write path under concurrency (issue 19): status event ids reach a reader in commit order
//! with none skipped while many writers write across projects at once; a saturated tile gate
//! answers 503 with Retry-After while status writes still go through.
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{post_json, send, session, state, tile_of};
use onemap::tiles::{TileGate, TileGateLimits};

/// T-1 and T-2 (tests/fixtures), each with 30 more pending households in its building.
async fn two_projects(pool: &PgPool) {
    sqlx::raw_sql(include_str!("../fixtures/one_building.sql"))
        .execute(pool)
        .await
        .expect("one_building");
    sqlx::raw_sql(include_str!("../fixtures/second_street.sql"))
        .execute(pool)
        .await
        .expect("second_street");
    sqlx::query(
        "INSERT INTO households (code, building_id, holder_name, holder_id_number, members, recorded_area, resettlement)
         SELECT b.code || '-X' || n, b.id, '并发' || n, '4307021990010100' || lpad(n::text, 2, '0'), 1, 80, 'monetary'
           FROM buildings b, generate_series(10, 39) n",
    )
    .execute(pool)
    .await
    .expect("households");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn concurrent_writers_across_projects_reach_the_feed_in_commit_order_none_skipped(
    pool: PgPool,
) {
    two_projects(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let app = state(&pool).await;
    let households: Vec<(i64, i32)> =
        sqlx::query_as("SELECT id, version FROM households WHERE status = 'pending' ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("households");
    assert!(households.len() >= 60, "{} households", households.len());
    // the feed's reader, reading by id as every instance does, while the writers write
    let mut feed = app.hub.subscribe();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (hub, pool, done) = (app.hub.clone(), app.live_pool.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(std::sync::atomic::Ordering::Acquire) {
                hub.catch_up(&pool).await.expect("catch-up");
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
    };
    // 12 writers, alternating households of both projects; every third request carries two
    let mut writers = Vec::new();
    for writer in 0..12 {
        let mine: Vec<(i64, i32)> = households
            .iter()
            .copied()
            .skip(writer)
            .step_by(12)
            .collect();
        let (app, admin) = (app.clone(), admin.clone());
        writers.push(tokio::spawn(async move {
            for (n, chunk) in mine.chunks(if writer % 3 == 0 { 2 } else { 1 }).enumerate() {
                let changes: Vec<_> = chunk
                    .iter()
                    .map(|(id, version)| json!({"subject": "household", "id": id, "to": "surveyed", "version": version}))
                    .collect();
                let body = json!({ "changes": changes }).to_string();
                let (status, answer) = post_json(&app, "/api/status", Some(&admin), &body).await;
                assert_eq!(status, 200, "writer {writer}, request {n}: {answer}");
            }
        }));
    }
    for writer in writers {
        writer.await.expect("writer");
    }
    done.store(true, std::sync::atomic::Ordering::Release);
    reader.await.expect("reader");
    app.hub
        .catch_up(&app.live_pool)
        .await
        .expect("last catch-up");
    let mut seen = Vec::new();
    while let Ok(event) = feed.try_recv() {
        if event.kind == onemap::live::EventKind::Status {
            seen.push(event.id);
        }
    }
    let written: Vec<i64> = sqlx::query_scalar("SELECT id FROM status_events ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("events");
    assert_eq!(written.len(), households.len(), "one event per household");
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "the feed saw ids in increasing order: {seen:?}"
    );
    assert_eq!(
        seen, written,
        "the feed saw every committed event, none skipped"
    );
    let surveyed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM households WHERE status = 'surveyed' AND version = 2",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(
        surveyed,
        households.len() as i64,
        "each household moved once, at version 2"
    );
}

/// The request that surveys the first household, at the version it has.
async fn survey_first_household(pool: &PgPool) -> String {
    let (id, version): (i64, i32) =
        sqlx::query_as("SELECT id, version FROM households ORDER BY id LIMIT 1")
            .fetch_one(pool)
            .await
            .expect("household");
    json!({"changes": [{"subject": "household", "id": id, "to": "surveyed", "version": version}]})
        .to_string()
}

/// Two projects, an admin's session (token and bearer header) and a dense z16 buildings tile.
async fn tile_setup(pool: &PgPool) -> (onemap::state::AppState, String, String, String) {
    two_projects(pool).await;
    let admin = session(pool, "admin", "admin", None).await;
    let bearer = format!("Bearer {admin}");
    let (x, y) = tile_of(111.612, 28.912, 16);
    (
        state(pool).await,
        admin,
        bearer,
        format!("/tiles/buildings/16/{x}/{y}.mvt"),
    )
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_saturated_tile_gate_answers_503_with_retry_after_and_writes_still_pass(pool: PgPool) {
    let (mut app, admin, bearer, uri) = tile_setup(&pool).await;
    let tile = |app: &onemap::state::AppState| {
        let (app, uri, bearer) = (app.clone(), uri.clone(), bearer.clone());
        async move {
            send(
                &app,
                Request::get(&uri),
                &[("authorization", bearer.as_str())],
                Body::empty(),
            )
            .await
            .0
        }
    };

    // no queue: with the one turn taken, a cache miss is refused at once
    let gate = Arc::new(TileGate::new(TileGateLimits {
        running: 1,
        waiting: 0,
        deadline: Duration::from_secs(3),
        ..TileGateLimits::default()
    }));
    app.tile_gate = gate.clone();
    let held = gate.enter().await.expect("the one turn");
    let refused = tile(&app).await;
    assert_eq!(refused.status(), 503);
    assert_eq!(
        refused.headers()["retry-after"],
        "3",
        "{:?}",
        refused.headers()
    );

    // a queue with a deadline: the request waits for it, then is refused
    drop(held);
    let gate = Arc::new(TileGate::new(TileGateLimits {
        running: 1,
        waiting: 4,
        deadline: Duration::from_millis(300),
        ..TileGateLimits::default()
    }));
    app.tile_gate = gate.clone();
    let held = gate.enter().await.expect("the one turn");
    let started = Instant::now();
    let refused = tile(&app).await;
    assert_eq!(refused.status(), 503);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(refused.headers()["retry-after"], "1");

    // writes do not pass the gate: one goes through while tiles are saturated
    let body = survey_first_household(&pool).await;
    let started = Instant::now();
    let (status, answer) = post_json(&app, "/api/status", Some(&admin), &body).await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the write took {:?}",
        started.elapsed()
    );

    // a turn free again: the tile is served, and a waiting request gets the turn when it frees
    let waiting = tokio::spawn(tile(&app));
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(held);
    assert_eq!(waiting.await.expect("tile").status(), 200);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn tiles_yield_while_status_writes_crowd_in(pool: PgPool) {
    let (mut app, admin, bearer, uri) = tile_setup(&pool).await;
    let gate = Arc::new(TileGate::new(TileGateLimits {
        writes_crowding: 2,
        yield_to_writes: Duration::from_millis(400),
        ..TileGateLimits::default()
    }));
    app.tile_gate = gate.clone();
    let timed_tile = || {
        let (app, uri, bearer) = (app.clone(), uri.clone(), bearer.clone());
        async move {
            let started = Instant::now();
            let (response, _) = send(
                &app,
                Request::get(&uri),
                &[("authorization", bearer.as_str())],
                Body::empty(),
            )
            .await;
            assert_eq!(response.status(), 200);
            started.elapsed()
        }
    };
    // kept in the cache first, so what is timed below is the yield, not a query
    timed_tile().await;
    let one = gate.write_started();
    let calm = timed_tile().await;
    assert!(
        calm < Duration::from_millis(400),
        "one write in flight is no crowd: {calm:?}"
    );
    let two = gate.write_started();
    let crowded = timed_tile().await;
    assert!(
        crowded >= Duration::from_millis(400),
        "two writes in flight: the tile yielded only {crowded:?}"
    );
    drop((one, two));
    let after = timed_tile().await;
    assert!(
        after < Duration::from_millis(400),
        "the writes answered, tiles go at once again: {after:?}"
    );
    let mut metrics = String::new();
    gate.render(&mut metrics);
    assert!(
        metrics.contains("onemap_tiles_yielded_to_writes_total 1"),
        "{metrics}"
    );

    // a status write counts itself while it runs: none is left in flight after its answer
    let body = survey_first_household(&pool).await;
    let (status, answer) = post_json(&app, "/api/status", Some(&admin), &body).await;
    assert_eq!(status, 200, "{answer}");
    let _third = gate.write_started();
    let after_write = timed_tile().await;
    assert!(
        after_write < Duration::from_millis(400),
        "the answered write left its count: {after_write:?}"
    );
}

/// Posts each of `bodies` as a status write while the writers' queue is held elsewhere, so that
/// they pile up, then releases it; the answers in the order of `bodies`.
async fn piled_up(
    pool: &PgPool,
    app: &onemap::state::AppState,
    admin: &str,
    bodies: Vec<String>,
) -> Vec<(u16, serde_json::Value)> {
    let mut holder = pool.begin().await.expect("begin");
    sqlx::query("SELECT pg_advisory_xact_lock(writers_queue_lock())")
        .execute(&mut *holder)
        .await
        .expect("hold the queue");
    let requests: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let (app, admin) = (app.clone(), admin.to_owned());
            tokio::spawn(async move { post_json(&app, "/api/status", Some(&admin), &body).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    holder.commit().await.expect("release the queue");
    let mut answers = Vec::new();
    for request in requests {
        answers.push(request.await.expect("request"));
    }
    answers
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn requests_that_arrive_together_are_written_together_and_a_refused_one_alone(pool: PgPool) {
    two_projects(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let app = state(&pool).await;
    let households: Vec<(i64, i32)> = sqlx::query_as(
        "SELECT id, version FROM households WHERE status = 'pending' ORDER BY id LIMIT 26",
    )
    .fetch_all(&pool)
    .await
    .expect("households");
    let survey = |(id, version): (i64, i32)| {
        json!({"changes": [{"subject": "household", "id": id, "to": "surveyed", "version": version}]}).to_string()
    };
    // 20 requests pile up behind someone holding the writers' queue
    let answers = piled_up(
        &pool,
        &app,
        &admin,
        households[..20].iter().copied().map(survey).collect(),
    )
    .await;
    assert!(
        answers.iter().all(|(status, _)| *status == 200),
        "every request is written: {answers:?}"
    );
    let (events, transactions): (i64, i64) =
        sqlx::query_as("SELECT count(*), count(DISTINCT xmin::text) FROM status_events WHERE to_status = 'surveyed'")
            .fetch_one(&pool)
            .await
            .expect("events");
    assert_eq!(events, 20, "one event per request");
    assert!(
        transactions <= 3,
        "20 piled-up requests written in {transactions} transactions, not together"
    );
    // five more, and the first of them asked twice at the same version: both pass the unlocked
    // check, the statement that combines them is refused, and each is then written alone
    let twice = households[20];
    let bodies = households[20..]
        .iter()
        .copied()
        .chain([twice])
        .map(survey)
        .collect();
    let answers = piled_up(&pool, &app, &admin, bodies).await;
    let (on_twice, others): (Vec<_>, Vec<_>) = answers.iter().partition(|(_, answer)| {
        answer["results"][0]["id"] == twice.0 || answer["current"]["id"] == twice.0
    });
    assert!(
        others.iter().all(|(status, _)| *status == 200),
        "every other request is written: {others:?}"
    );
    let mut statuses: Vec<u16> = on_twice.iter().map(|(status, _)| *status).collect();
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [200, 409],
        "one of the two on household {}: {on_twice:?}",
        twice.0
    );
    let refused = &on_twice
        .iter()
        .find(|(status, _)| *status == 409)
        .expect("refused")
        .1;
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("changes[0]: household")),
        "the refusal names its change: {refused}"
    );
    let surveyed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM households WHERE status = 'surveyed' AND version = 2",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(surveyed, 26, "each household moved once");
}
