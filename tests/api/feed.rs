//! The live feed end to end over real connections: replay after a reconnect, a second
//! instance (the real binary) pushing writes made through the first, exact tile eviction, and a
//! machine's bulk of case events as reloads.
use std::time::Duration;

use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{demo_city, post_json, session};
use crate::sse::{serve, SseClient};

/// Moves `n` surveyed households (alone in their building) one step, one request each.
async fn sign_households(app: &onemap::AppState, pool: &PgPool, token: &str, n: i64) -> Vec<i64> {
    let rows: Vec<(i64, i32)> = sqlx::query_as(
        "SELECT h.id, h.version FROM households h WHERE h.status = 'surveyed' ORDER BY h.id LIMIT $1",
    )
    .bind(n)
    .fetch_all(pool)
    .await
    .expect("households");
    assert_eq!(rows.len() as i64, n, "enough surveyed households");
    let mut ids = Vec::new();
    for (id, version) in rows {
        let body = json!({"changes": [{"subject": "household", "id": id, "to": "signed", "version": version}]});
        let (status, answer) = post_json(app, "/api/status", Some(token), &body.to_string()).await;
        assert_eq!(status, 200, "{answer}");
        ids.push(id);
    }
    ids
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_client_that_reconnects_gets_every_event_it_missed_in_order(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let (base, app) = serve(&pool).await;
    let mut client = SseClient::connect(&format!("{base}/events?heartbeat=1"), &admin, None).await;
    sign_households(&app, &pool, &admin, 1).await;
    let first = client.status_events(1, Duration::from_secs(5)).await;
    let last_seen = first[0].id.expect("event id");
    assert_eq!(first[0].data["to"], "signed");
    assert!(
        first[0].data["figures"]["regions"]
            .as_array()
            .is_some_and(|r| r.len() == 4),
        "community to city figures"
    );
    drop(client);

    let missed = sign_households(&app, &pool, &admin, 100).await;
    let mut client = SseClient::connect(
        &format!("{base}/events?heartbeat=1"),
        &admin,
        Some(last_seen),
    )
    .await;
    let events = client.status_events(100, Duration::from_secs(10)).await;
    let expected: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM status_events WHERE id > $1 ORDER BY id")
            .bind(last_seen)
            .fetch_all(&pool)
            .await
            .expect("ids");
    let got: Vec<i64> = events.iter().map(|e| e.id.expect("id")).collect();
    assert_eq!(got, expected, "every missed event, in order, once");
    let households: Vec<i64> = events
        .iter()
        .map(|e| e.data["household_id"].as_i64().expect("household"))
        .collect();
    assert_eq!(households, missed);
    // and then live ones, after the replay
    sign_households(&app, &pool, &admin, 1).await;
    let live = client.status_events(1, Duration::from_secs(5)).await;
    assert!(live[0].id > got.last().copied());
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn the_feed_filters_by_project_and_region(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let (base, app) = serve(&pool).await;
    let target: (i64, i64) = sqlx::query_as(
        "SELECT h.id, b.project_id FROM households h JOIN buildings b ON b.id = h.building_id WHERE h.status = 'surveyed' ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("household");
    let other_project = format!("{base}/events?heartbeat=1&project={}", target.1 + 100_000);
    let mut elsewhere = SseClient::connect(&other_project, &admin, None).await;
    let mut here = SseClient::connect(
        &format!("{base}/events?heartbeat=1&project={}", target.1),
        &admin,
        None,
    )
    .await;
    sign_households(&app, &pool, &admin, 1).await;
    let event = here.status_events(1, Duration::from_secs(5)).await;
    assert_eq!(event[0].data["household_id"], target.0);
    let mut saw_status = false;
    for _ in 0..3 {
        if let Some(e) = elsewhere.next(Duration::from_secs(2)).await {
            saw_status |= e.event == "status";
        }
    }
    assert!(!saw_status, "another project's feed stays quiet");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_second_instance_pushes_changes_written_through_the_first(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let (_, first) = serve(&pool).await;
    // the second instance is the real binary, on its own port, over the same database
    // as deployed: the service's own role, and the residents' role beside it
    let (base, mut second) = crate::helpers::serve_binary(&pool, &[]).await;
    let mut client = SseClient::connect(&format!("{base}/events?heartbeat=1"), &admin, None).await;
    let written = sign_households(&first, &pool, &admin, 3).await;
    let events = client.status_events(3, Duration::from_secs(10)).await;
    let pushed: Vec<i64> = events
        .iter()
        .map(|e| e.data["household_id"].as_i64().expect("id"))
        .collect();
    assert_eq!(
        pushed, written,
        "the second instance pushed every write made through the first"
    );
    second.kill().await.expect("stop the second instance");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_change_evicts_exactly_the_tiles_it_touches(pool: PgPool) {
    use onemap::tiles::TileKey;
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let (base, app) = serve(&pool).await;
    let (household, version, lon, lat): (i64, i32, f64, f64) = sqlx::query_as(
        "SELECT h.id, h.version, ST_X(c), ST_Y(c) FROM households h JOIN buildings b ON b.id = h.building_id,
                LATERAL ST_PointOnSurface(b.geom) c
          WHERE h.status = 'surveyed' AND b.households = 1 ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("household");
    let http = reqwest::Client::new();
    let fetch = |layer: &'static str, z: u8, x: u32, y: u32| {
        let (http, base, admin) = (http.clone(), base.clone(), admin.clone());
        async move {
            let response = http
                .get(format!("{base}/tiles/{layer}/{z}/{x}/{y}.mvt"))
                .bearer_auth(admin)
                .send()
                .await
                .expect("tile");
            response
                .headers()
                .get("etag")
                .map(|e| e.to_str().unwrap_or_default().to_owned())
        }
    };
    let key = |layer, z, (x, y): (u32, u32)| TileKey {
        layer,
        z,
        x,
        y,
        mvt: true,
    };
    let mut touched = Vec::new();
    for z in [15u8, 16, 17, 18] {
        touched.push(key("buildings", z, crate::helpers::tile_of(lon, lat, z)));
    }
    touched.push(key("projects", 12, crate::helpers::tile_of(lon, lat, 12)));
    touched.push(key("regions", 8, crate::helpers::tile_of(lon, lat, 8)));
    // untouched: buildings far away (the other district), and the parcel under the building
    let far = key(
        "buildings",
        16,
        crate::helpers::tile_of(
            if lon < 115.0 { 120.58 } else { 111.69 },
            if lon < 115.0 { 30.0 } else { 29.04 },
            16,
        ),
    );
    let parcel = key("parcels", 16, crate::helpers::tile_of(lon, lat, 16));
    let mut etags = Vec::new();
    for k in touched.iter().chain([&far, &parcel]) {
        etags.push(fetch(k.layer, k.z, k.x, k.y).await);
        assert!(app.tile_cache.contains(k), "{k:?} cached");
    }
    let body = json!({"changes": [{"subject": "household", "id": household, "to": "signed", "version": version}]});
    let (status, answer) = post_json(&app, "/api/status", Some(&admin), &body.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    for k in &touched {
        assert!(!app.tile_cache.contains(k), "{k:?} evicted");
    }
    assert!(
        app.tile_cache.contains(&far),
        "a tile the change does not touch stays cached"
    );
    assert!(
        app.tile_cache.contains(&parcel),
        "a household's change leaves parcel tiles alone"
    );
    for (k, before) in touched.iter().zip(&etags) {
        let after = fetch(k.layer, k.z, k.x, k.y).await;
        assert_ne!(&after, before, "{k:?}: a new ETag after the change");
    }
}

/// Reads `client` until its case cursor reaches `last` (a reload or a heartbeat says so); the
/// case events and the reloads it got on the way.
async fn read_case_cursor_to(client: &mut SseClient, last: i64) -> (usize, Vec<serde_json::Value>) {
    let (mut cases, mut reloads) = (0, Vec::new());
    loop {
        let event = client
            .next(Duration::from_secs(20))
            .await
            .unwrap_or_else(|| panic!("the feed went silent before case event {last}"));
        let reached = event.data["last_case_id"].as_i64() == Some(last);
        match event.event.as_str() {
            "case" => cases += 1,
            "reload" => reloads.push(event.data),
            _ => {}
        }
        if reached {
            return (cases, reloads);
        }
    }
}

/// The escalation job at midnight moves a day's overdue cases at once: a stream (filtered or
/// not) gets a few `reload`s that move its case cursor past them, not one event per case to
/// every wall; a resume past more than 1,000 case events reloads instead of replaying them.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_bulk_of_case_events_reaches_streams_as_reloads(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let (base, _app) = serve(&pool).await;
    let (before, status_last, project): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT coalesce(max(id), 0) FROM case_events), (SELECT max(id) FROM status_events), (SELECT min(id) FROM projects)",
    )
    .fetch_one(&pool)
    .await
    .expect("cursors");
    let mut all = SseClient::connect(&format!("{base}/events?heartbeat=1"), &admin, None).await;
    let mut one_project = SseClient::connect(
        &format!("{base}/events?heartbeat=1&project={project}"),
        &admin,
        None,
    )
    .await;
    let due = crate::cases::overdue_cases(&pool, 1200).await;
    let moved = onemap::cases::escalation::run_once(&pool)
        .await
        .expect("job");
    assert_eq!(moved, due);
    let last: i64 = sqlx::query_scalar("SELECT max(id) FROM case_events")
        .fetch_one(&pool)
        .await
        .expect("last");
    for client in [&mut all, &mut one_project] {
        let (cases, reloads) = read_case_cursor_to(client, last).await;
        assert!(!reloads.is_empty(), "no reload for {moved} escalations");
        assert!(
            cases <= 200 && reloads.len() <= 12,
            "{cases} case events and {} reloads for {moved} escalations",
            reloads.len()
        );
        for reload in &reloads {
            assert_eq!(
                reload["last_event_id"], status_last,
                "the status cursor stays"
            );
            assert!(
                reload["reason"]
                    .as_str()
                    .is_some_and(|r| r.ends_with("case events at once")),
                "{reload}"
            );
        }
    }
    // a page that was away since before the escalation
    let mut back = SseClient::connect(
        &format!("{base}/events?heartbeat=1&last_case_id={before}"),
        &admin,
        None,
    )
    .await;
    let (cases, reloads) = read_case_cursor_to(&mut back, last).await;
    assert_eq!(cases, 0, "nothing of the gap replayed");
    assert_eq!(reloads.len(), 1, "{reloads:?}");
    assert_eq!(
        reloads[0]["reason"],
        "more than 1000 case events were missed"
    );
}

/// Waits until the hub has read case event `id` (its listener reads on NOTIFY).
async fn hub_reads_case(app: &onemap::AppState, id: i64) {
    for _ in 0..100 {
        if app.hub.case_delivered() >= id {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the hub never read case event {id}");
}

/// Of a case, tiles carry only the building's `case_open` flag: an opening evicts the
/// building's tiles and no project or region tile; an escalation evicts none (70,000 of them at
/// midnight emptied the cache).
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_case_evicts_only_its_buildings_tiles_and_only_when_it_opens_or_closes(pool: PgPool) {
    use onemap::tiles::TileKey;
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let (base, app) = serve(&pool).await;
    let (household, lon, lat): (i64, f64, f64) = sqlx::query_as(
        "SELECT h.id, ST_X(c), ST_Y(c) FROM households h JOIN buildings b ON b.id = h.building_id,
                LATERAL ST_PointOnSurface(b.geom) c
          WHERE NOT h.difficult ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("household");
    let key = |layer, z| {
        let (x, y) = crate::helpers::tile_of(lon, lat, z);
        TileKey {
            layer,
            z,
            x,
            y,
            mvt: true,
        }
    };
    let (building, project, region) =
        (key("buildings", 16), key("projects", 12), key("regions", 8));
    let http = reqwest::Client::new();
    let cache = |k: TileKey| {
        let (http, base, admin, app) = (http.clone(), base.clone(), admin.clone(), app.clone());
        async move {
            let url = format!("{base}/tiles/{}/{}/{}/{}.mvt", k.layer, k.z, k.x, k.y);
            let response = http.get(url).bearer_auth(admin).send().await.expect("tile");
            assert_eq!(response.status(), 200);
            assert!(app.tile_cache.contains(&k), "{k:?} cached");
        }
    };
    for k in [building, project, region] {
        cache(k).await;
    }
    sqlx::query("UPDATE households SET difficult = true WHERE id = $1")
        .bind(household)
        .execute(&pool)
        .await
        .expect("mark difficult");
    let opened: i64 = sqlx::query_scalar("SELECT max(id) FROM case_events")
        .fetch_one(&pool)
        .await
        .expect("opened");
    hub_reads_case(&app, opened).await;
    assert!(
        !app.tile_cache.contains(&building),
        "the opening evicts the building's tile"
    );
    assert!(
        app.tile_cache.contains(&project) && app.tile_cache.contains(&region),
        "no figure moved"
    );

    cache(building).await;
    sqlx::query("UPDATE cases SET level_due_at = now() - interval '1 minute' WHERE household_id = $1 AND state = 'open'")
        .bind(household)
        .execute(&pool)
        .await
        .expect("due");
    assert!(
        onemap::cases::escalation::run_once(&pool)
            .await
            .expect("job")
            >= 1
    );
    let escalated: i64 =
        sqlx::query_scalar("SELECT max(id) FROM case_events WHERE kind = 'escalated'")
            .fetch_one(&pool)
            .await
            .expect("escalated");
    hub_reads_case(&app, escalated).await;
    for k in [building, project, region] {
        assert!(
            app.tile_cache.contains(&k),
            "{k:?} stays cached after an escalation"
        );
    }
}
