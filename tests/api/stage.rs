//! Stage as a dimension: a project's stage and the counts by stage of regions equal a recount
//! (live, and as of a past day after backdated step changes), kept answers go stale on a step
//! change, tiles and OGC carry the stage, rankings, alerts and exports carry it, and the live
//! feed sends procedure events and replays them after a reconnect.
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::exports::sheet_rows;
use crate::helpers::{decode_mvt, demo_city, send, session, state, tile_of};
use crate::sse::{serve, SseClient};

/// The past day the as-of checks read (the demo city's history ends on 2026-11-20).
const PAST: &str = "2026-11-15";

/// Marks every step of `project` up to template position `upto` (windows aside) done on
/// `day`, as the ledger writes a step change: the step row and its step_events row.
async fn finish_steps(pool: &PgPool, project: i64, upto: i32, day: &str) {
    sqlx::query(
        "WITH s AS (
             UPDATE project_steps ps SET state = 'done', actual_start = coalesce(ps.actual_start, $3::date),
                    actual_end = $3::date, version = ps.version + 1
               FROM project_procedures pp JOIN procedure_template_steps ts ON ts.template_id = pp.template_id
              WHERE pp.project_id = ps.project_id AND ts.key = ps.key AND ps.project_id = $1
                AND ts.seq <= $2 AND NOT ts.is_window AND ps.state <> 'done'
          RETURNING ps.project_id, ps.key, ps.actual_start, ps.actual_end)
         INSERT INTO step_events (project_id, key, from_state, to_state, actual_start, actual_end)
         SELECT project_id, key, 'not_started', 'done', actual_start, actual_end FROM s",
    )
    .bind(project)
    .bind(upto)
    .bind(day)
    .execute(pool)
    .await
    .expect("steps done");
}

/// The first `n` projects' ids, each reset to a procedure not begun (the demo city gives them
/// histories): every step not started, as the ledger records a reopen, step event included.
async fn projects(pool: &PgPool, n: i64) -> Vec<i64> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM projects ORDER BY id LIMIT $1")
        .bind(n)
        .fetch_all(pool)
        .await
        .expect("projects");
    sqlx::query(
        "WITH old AS (SELECT project_id, key, state FROM project_steps WHERE project_id = ANY ($1) AND state <> 'not_started'),
              reset AS (UPDATE project_steps ps SET state = 'not_started', actual_start = NULL, actual_end = NULL, waive_reason = NULL,
                               planned_start = NULL, planned_end = NULL, version = ps.version + 1
                          FROM old WHERE ps.project_id = old.project_id AND ps.key = old.key RETURNING ps.project_id)
         INSERT INTO step_events (project_id, key, from_state, to_state) SELECT project_id, key, state, 'not_started' FROM old",
    )
    .bind(&ids)
    .execute(pool)
    .await
    .expect("steps reset");
    ids
}

/// Each project's stage recounted from its steps, not from procedure_stage or projects.stage:
/// the first non-window step (template order) not done or waived by the day's end.
const RECOUNT: &str = "
    SELECT p.id, coalesce((
        SELECT ts.stage::text FROM project_procedures pp
          JOIN procedure_template_steps ts ON ts.template_id = pp.template_id
          JOIN project_steps ps ON ps.project_id = pp.project_id AND ps.key = ts.key
         WHERE pp.project_id = p.id AND NOT ts.is_window
           AND NOT (ps.state IN ('done', 'waived') AND ps.actual_end <= coalesce($1::date, 'infinity'))
         ORDER BY ts.seq LIMIT 1), 'closed') AS stage, f.households::bigint, r.lineage
      FROM projects p JOIN regions r ON r.id = p.region_id JOIN project_figures f ON f.project_id = p.id";

/// `{projects_by_stage, households_by_stage}` of the projects below region `code`, recounted.
async fn recount(pool: &PgPool, code: &str, day: Option<&str>) -> Value {
    let rows: Vec<(i64, String, i64, Vec<i32>)> = sqlx::query_as(RECOUNT)
        .bind(day)
        .fetch_all(pool)
        .await
        .expect("recount");
    let region: i32 = sqlx::query_scalar("SELECT id FROM regions WHERE code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .expect("region");
    let (mut projects, mut households) = (serde_json::Map::new(), serde_json::Map::new());
    for stage in [
        "preparation",
        "survey",
        "plan",
        "decision",
        "signing",
        "relocation",
        "handover",
        "closed",
    ] {
        let here = rows
            .iter()
            .filter(|r| r.1 == stage && r.3.contains(&region));
        let (n, h) = here.fold((0_i64, 0_i64), |(n, h), r| (n + 1, h + r.2));
        projects.insert(stage.into(), n.into());
        households.insert(stage.into(), h.into());
    }
    json!({ "projects_by_stage": projects, "households_by_stage": households })
}

async fn get_json(app: &onemap::AppState, uri: &str, token: &str) -> Value {
    let bearer = format!("Bearer {token}");
    let (response, bytes) = send(
        app,
        Request::get(uri),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    assert_eq!(
        response.status(),
        200,
        "{uri}: {}",
        String::from_utf8_lossy(&bytes)
    );
    serde_json::from_slice(&bytes).expect("JSON")
}

fn by_stage(document: &Value) -> Value {
    json!({ "projects_by_stage": document["projects_by_stage"], "households_by_stage": document["households_by_stage"] })
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn stage_figures_and_counts_by_stage_equal_a_recount_live_and_as_of(pool: PgPool) {
    demo_city(&pool).await;
    let token = session(&pool, "stage_reader", "viewer", None).await;
    let ids = projects(&pool, 3).await;
    finish_steps(&pool, ids[0], 9, "2026-11-10").await; // before the past day
    finish_steps(&pool, ids[1], 5, "2026-11-18").await; // after it: not yet on the past day
    finish_steps(&pool, ids[2], 60, "2026-11-01").await; // every step: closed
    let app = state(&pool).await;
    let city: String = sqlx::query_scalar(
        "SELECT c.code FROM projects p JOIN regions r ON r.id = p.region_id JOIN regions c ON c.id = ANY (r.lineage) AND c.level = 'city'
          WHERE p.id = $1",
    )
    .bind(ids[0])
    .fetch_one(&pool)
        .await
        .expect("city");
    for day in [None, Some(PAST)] {
        let q = day.map_or(String::new(), |d| format!("?as_of={d}"));
        let region = get_json(&app, &format!("/api/figures/regions/{city}{q}"), &token).await;
        assert_eq!(
            by_stage(&region),
            recount(&pool, &city, day).await,
            "city {day:?}"
        );
        let children = get_json(&app, &format!("/api/regions/{city}/children{q}"), &token).await;
        let rows = children["children"].as_array().expect("children");
        assert!(!rows.is_empty());
        for child in rows {
            let code = child["code"].as_str().expect("code");
            assert_eq!(
                by_stage(child),
                recount(&pool, code, day).await,
                "{code} {day:?}"
            );
            assert_eq!(
                child["projects_by_stage"]
                    .as_object()
                    .map(serde_json::Map::len),
                Some(8),
                "zeros included"
            );
        }
        for id in &ids {
            let project = get_json(&app, &format!("/api/figures/projects/{id}{q}"), &token).await;
            let rows: Vec<(i64, String, i64, Vec<i32>)> = sqlx::query_as(RECOUNT)
                .bind(day)
                .fetch_all(&pool)
                .await
                .expect("recount");
            let expected = rows.iter().find(|r| r.0 == *id).map(|r| r.1.clone());
            assert_eq!(
                project["stage"].as_str().map(str::to_owned),
                expected,
                "project {id} {day:?}"
            );
        }
    }
    // the backdated changes show: closed now; the second project still in preparation on the past day
    let p = |id: i64, q: &'static str| {
        let app = app.clone();
        let token = token.clone();
        async move {
            get_json(&app, &format!("/api/figures/projects/{id}{q}"), &token).await["stage"].clone()
        }
    };
    assert_eq!(p(ids[2], "").await, "closed");
    assert_eq!(p(ids[1], "?as_of=2026-11-15").await, "preparation");
    assert_ne!(p(ids[1], "").await, "preparation");

    // a kept live answer goes stale on a step's change (once the feed has read its event)
    let before = get_json(&app, &format!("/api/figures/regions/{city}"), &token).await;
    let list_before = get_json(&app, "/api/figures/regions", &token).await;
    finish_steps(&pool, ids[0], 60, "2026-11-19").await;
    app.hub.catch_up(&pool).await.expect("catch up");
    let after = get_json(&app, &format!("/api/figures/regions/{city}"), &token).await;
    assert_ne!(by_stage(&before), by_stage(&after));
    assert_eq!(by_stage(&after), recount(&pool, &city, None).await);
    let list_after = get_json(&app, "/api/figures/regions", &token).await;
    let city_row = |list: &Value| {
        list["regions"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["code"] == city.as_str()).cloned())
    };
    assert_ne!(
        city_row(&list_before).map(|r| by_stage(&r)),
        city_row(&list_after).map(|r| by_stage(&r))
    );
    assert_eq!(
        city_row(&list_after).map(|r| by_stage(&r)),
        Some(recount(&pool, &city, None).await)
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn tiles_and_ogc_carry_the_stage_and_ogc_filters_by_it(pool: PgPool) {
    demo_city(&pool).await;
    let token = session(&pool, "stage_reader", "viewer", None).await;
    let ids = projects(&pool, 2).await;
    finish_steps(&pool, ids[0], 60, "2026-11-01").await;
    let app = state(&pool).await;

    let closed = get_json(&app, "/ogc/collections/projects/items?stage=closed", &token).await;
    let features = closed["features"].as_array().expect("features");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM projects WHERE stage = 'closed'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(features.len() as i64, count, "only the closed projects");
    assert!(features
        .iter()
        .all(|f| f["properties"]["stage"] == "closed"));
    let code: String = sqlx::query_scalar("SELECT code FROM projects WHERE id = $1")
        .bind(ids[0])
        .fetch_one(&pool)
        .await
        .expect("code");
    assert!(
        features
            .iter()
            .any(|f| f["properties"]["code"] == code.as_str()),
        "the project just closed"
    );
    let all = get_json(&app, "/ogc/collections/projects/items?limit=1000", &token).await;
    let stages: Vec<(String, String)> = sqlx::query_as("SELECT code, stage::text FROM projects")
        .fetch_all(&pool)
        .await
        .expect("stages");
    for f in all["features"].as_array().expect("features") {
        let code = f["properties"]["code"].as_str().expect("code");
        let stage = stages.iter().find(|s| s.0 == code).map(|s| s.1.as_str());
        assert_eq!(f["properties"]["stage"].as_str(), stage, "{code}");
    }
    let queryables = get_json(&app, "/ogc/collections/projects/queryables", &token).await;
    assert!(queryables["properties"]["stage"]["enum"]
        .as_array()
        .is_some_and(|e| e.len() == 8));
    let bearer = format!("Bearer {token}");
    let (bad, _) = send(
        &app,
        Request::get("/ogc/collections/projects/items?stage=nowhere"),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    assert_eq!(bad.status(), 400);
    let (none, _) = send(
        &app,
        Request::get("/ogc/collections/buildings/items?stage=closed"),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    assert_eq!(none.status(), 400, "buildings have no stage");

    // the projects tile over the second project: its stage, and a new one after a step event
    let (lon, lat): (f64, f64) = sqlx::query_as("SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) c FROM projects WHERE id = $1) x")
        .bind(ids[1])
        .fetch_one(&pool)
        .await
        .expect("centre");
    let (x, y) = tile_of(lon, lat, 12);
    // the tile live (`query` empty) or as of a past day: its features and its Cache-Control
    let fetch = |app: onemap::AppState, query: String| {
        let bearer = bearer.clone();
        async move {
            let (response, bytes) = send(
                &app,
                Request::get(format!("/tiles/projects/12/{x}/{y}.mvt{query}")),
                &[("authorization", &bearer)],
                Body::empty(),
            )
            .await;
            assert_eq!(response.status(), 200, "{query}");
            let cache = response.headers()["cache-control"]
                .to_str()
                .expect("ASCII")
                .to_owned();
            (decode_mvt(&bytes, "projects"), cache)
        }
    };
    let tile = |app: onemap::AppState| {
        let fetched = fetch(app, String::new());
        async move { fetched.await.0 }
    };
    let before = tile(app.clone()).await;
    let id = u64::try_from(ids[1]).expect("id");
    assert_eq!(before[&id]["stage"], "preparation");
    finish_steps(&pool, ids[1], 60, "2026-11-02").await;
    app.hub.catch_up(&pool).await.expect("catch up");
    let after = tile(app.clone()).await;
    assert_eq!(
        after[&id]["stage"], "closed",
        "the step event evicted the cached tile"
    );

    // as of a past day: the stage then, and a step's end written later for that day shows
    // (a past projects tile is not kept, and clients revalidate it)
    let past = |app: onemap::AppState, day: &str| {
        let fetched = fetch(app, format!("?as_of={day}"));
        async move {
            let (features, cache) = fetched.await;
            assert_eq!(cache, "no-cache", "a past projects tile is revalidated");
            features
        }
    };
    assert_eq!(
        past(app.clone(), "2026-11-01").await[&id]["stage"],
        "preparation"
    );
    assert_eq!(
        past(app.clone(), "2026-11-02").await[&id]["stage"],
        "closed"
    );
    assert_eq!(
        past(app.clone(), "2026-10-30").await[&id]["stage"],
        "preparation"
    );
    sqlx::query("UPDATE project_steps SET actual_start = '2026-10-30', actual_end = '2026-10-30' WHERE project_id = $1 AND state = 'done'")
        .bind(ids[1])
        .execute(&pool)
        .await
        .expect("backdated");
    assert_eq!(
        past(app.clone(), "2026-10-30").await[&id]["stage"],
        "closed",
        "the backdated ends count for the past day"
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn rankings_alerts_and_exports_carry_the_stage(pool: PgPool) {
    demo_city(&pool).await;
    let token = session(&pool, "stage_reader", "viewer", None).await;
    let ids = projects(&pool, 3).await;
    finish_steps(&pool, ids[0], 60, "2026-11-01").await;
    let app = state(&pool).await;

    let rankings = get_json(&app, "/api/rankings?level=project", &token).await;
    let rows = rankings["rows"].as_array().expect("rows");
    let closed = rows.iter().find(|r| r["id"] == ids[0]).expect("ranked");
    assert_eq!(closed["stage"], "closed");
    assert!(rows.iter().all(|r| r["stage"].is_string()));

    // a step past its planned end, undone: overdue; a decision done 55 days ago: its 60-day
    // 复议期 closes within a week
    let today: chrono::NaiveDate =
        sqlx::query_scalar("SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date")
            .fetch_one(&pool)
            .await
            .expect("today");
    let step: String = sqlx::query_scalar(
        "SELECT ts.key FROM project_procedures pp JOIN procedure_template_steps ts ON ts.template_id = pp.template_id
          WHERE pp.project_id = $1 AND ts.seq = 1",
    )
    .bind(ids[1])
    .fetch_one(&pool)
    .await
    .expect("first step");
    sqlx::query("UPDATE project_steps SET planned_start = $3::date - 20, planned_end = $3::date - 3 WHERE project_id = $1 AND key = $2")
        .bind(ids[1])
        .bind(&step)
        .bind(today)
        .execute(&pool)
        .await
        .expect("planned");
    let (window, clock_from, seq): (String, String, i16) = sqlx::query_as(
        "SELECT w.key, w.clock_from, c.seq FROM project_procedures pp
           JOIN procedure_template_steps w ON w.template_id = pp.template_id AND w.is_window AND w.period_unit = 'days'
           JOIN procedure_template_steps c ON c.template_id = pp.template_id AND c.key = w.clock_from
          WHERE pp.project_id = $1 ORDER BY w.seq LIMIT 1",
    )
    .bind(ids[2])
    .fetch_one(&pool)
    .await
    .expect("a window");
    let done_on = (today - chrono::Duration::days(55)).to_string();
    finish_steps(&pool, ids[2], i32::from(seq), &done_on).await;
    let alerts = get_json(&app, "/api/alerts", &token).await;
    let list = alerts["alerts"].as_array().expect("alerts");
    let overdue = list.iter().find(|a| {
        a["kind"] == "step_overdue" && a["project_id"] == ids[1] && a["step_key"] == step.as_str()
    });
    let overdue = overdue.expect("the overdue step");
    assert_eq!(overdue["days_overdue"], 3);
    assert_eq!(
        overdue["due_on"],
        (today - chrono::Duration::days(3)).to_string()
    );
    let closing = list.iter().find(|a| {
        a["kind"] == "window_closing"
            && a["project_id"] == ids[2]
            && a["step_key"] == window.as_str()
    });
    let closing =
        closing.unwrap_or_else(|| panic!("the {window} window after {clock_from}: {list:?}"));
    let closes: chrono::NaiveDate = closing["closes_on"]
        .as_str()
        .expect("closes_on")
        .parse()
        .expect("date");
    assert!(
        closes >= today + chrono::Duration::days(5) && closes <= today + chrono::Duration::days(7)
    );
    assert_eq!(alerts["window_days"], 7);
    let narrow = get_json(&app, "/api/alerts?window_days=1", &token).await;
    assert!(!narrow["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .any(|a| a["kind"] == "window_closing" && a["project_id"] == ids[2]));
    // as of a day before the decision: neither the window nor the decision's steps yet
    let before = get_json(
        &app,
        &format!("/api/alerts?as_of={}", today - chrono::Duration::days(60)),
        &token,
    )
    .await;
    assert!(!before["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .any(|a| a["kind"] == "window_closing" && a["project_id"] == ids[2]));
    let bearer = format!("Bearer {token}");
    let (bad, _) = send(
        &app,
        Request::get("/api/alerts?window_days=61"),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    assert_eq!(bad.status(), 400);

    let (_, xlsx) = send(
        &app,
        Request::get("/api/exports/projects.xlsx"),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    let code: String = sqlx::query_scalar("SELECT code FROM projects WHERE id = $1")
        .bind(ids[0])
        .fetch_one(&pool)
        .await
        .expect("code");
    let rows = sheet_rows(&xlsx);
    let row = rows
        .iter()
        .find(|r| r["项目编码"] == code)
        .expect("the project's row");
    assert_eq!(row["阶段"], "完成");
    let (_, past) = send(
        &app,
        Request::get("/api/exports/projects.xlsx?as_of=2026-10-01"),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    let rows = sheet_rows(&past);
    let row = rows
        .iter()
        .find(|r| r["项目编码"] == code)
        .expect("the project's row");
    assert_eq!(row["阶段"], "前期准备", "as of a day before its steps");
    let (_, regions) = send(
        &app,
        Request::get("/api/exports/regions.xlsx"),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    let rows = sheet_rows(&regions);
    // every project is in one city: the cities' counts by stage add up to all projects
    let cities: Vec<_> = rows.iter().filter(|r| r["层级"] == "city").collect();
    let count = |stage: &str| -> i64 {
        cities
            .iter()
            .map(|c| {
                c[&format!("项目数·{stage}")]
                    .parse::<i64>()
                    .expect("a count")
            })
            .sum()
    };
    assert_eq!(count("完成"), 1);
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM projects")
        .fetch_one(&pool)
        .await
        .expect("count");
    let stages = [
        "前期准备",
        "调查摸底",
        "方案拟定公示",
        "征收决定",
        "协议签约",
        "搬迁拆除",
        "交付移交",
        "完成",
    ];
    assert_eq!(stages.iter().map(|s| count(s)).sum::<i64>(), total);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn the_feed_sends_procedure_events_and_replays_them_after_a_reconnect(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let ids = projects(&pool, 1).await;
    let (base, _app) = serve(&pool).await;
    let mut client = SseClient::connect(&format!("{base}/events?heartbeat=1"), &admin, None).await;
    finish_steps(&pool, ids[0], 1, "2026-11-19").await;
    let first = procedure_events(&mut client, 1).await;
    let event = &first[0].data;
    assert_eq!(event["project_id"], ids[0]);
    assert_eq!(event["to"], "done");
    assert_eq!(event["from"], "not_started");
    assert!(
        event["step_name"].is_string()
            && event["project_name"].is_string()
            && event["project_code"].is_string()
    );
    assert_eq!(event["stage_before"], "preparation");
    assert!(
        first[0].id.is_none(),
        "procedure events leave the status cursor alone"
    );
    let seen = event["procedure_id"].as_i64().expect("procedure id");
    drop(client);

    finish_steps(&pool, ids[0], 60, "2026-11-20").await;
    let missed: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM step_events WHERE id > $1 ORDER BY id")
            .bind(seen)
            .fetch_all(&pool)
            .await
            .expect("ids");
    assert!(missed.len() > 5);
    let mut client = SseClient::connect(
        &format!("{base}/events?heartbeat=1&last_procedure_id={seen}"),
        &admin,
        None,
    )
    .await;
    let replayed = procedure_events(&mut client, missed.len()).await;
    let got: Vec<i64> = replayed
        .iter()
        .map(|e| e.data["procedure_id"].as_i64().expect("id"))
        .collect();
    assert_eq!(got, missed, "every missed step event, in order, once");
    assert_eq!(
        replayed.last().map(|e| e.data["stage_after"].clone()),
        Some(json!("closed"))
    );
    // the heartbeat says how far the procedure events got
    loop {
        let e = client
            .next(Duration::from_secs(5))
            .await
            .expect("a heartbeat");
        if e.event == "heartbeat" {
            assert_eq!(e.data["last_procedure_id"], json!(missed.last()));
            break;
        }
    }
}

/// The next `n` procedure events (others skipped), each within 5 s of the one before.
async fn procedure_events(client: &mut SseClient, n: usize) -> Vec<crate::sse::SseEvent> {
    let mut out = Vec::new();
    while out.len() < n {
        match client.next(Duration::from_secs(8)).await {
            Some(event) if event.event == "procedure" => out.push(event),
            Some(_) => {}
            None => panic!("only {} of {n} procedure events arrived", out.len()),
        }
    }
    out
}
