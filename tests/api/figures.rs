//! Cockpit figures: hand-computed fixtures, "as of" figures against a replay of the events,
//! rankings on a crafted week, alerts firing and clearing, and random writes whose maintained
//! figures must always equal a recount (`onemap verify`).
use chrono::Duration;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{demo_city, get, post_json, session, state, AS_OF};
use onemap::clock::beijing_today;

/// GET `uri` as a viewer, expecting 200 and JSON (the as-of tests read with it too).
pub(crate) async fn json_of(pool: &PgPool, uri: &str) -> Value {
    let (response, body) = get(pool, uri, &[]).await;
    assert_eq!(
        response.status(),
        200,
        "{uri}: {}",
        String::from_utf8_lossy(&body)
    );
    serde_json::from_slice(&body).expect("JSON")
}

fn figure(document: &Value, key: &str) -> Value {
    document["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|f| f["key"] == key)
        .map_or(Value::Null, |f| f["value"].clone())
}

/// Inserts one household event at a given moment (Beijing time), through the real trigger.
async fn event_at(pool: &PgPool, household: &str, from: &str, to: &str, at: &str) {
    sqlx::query(
        "INSERT INTO status_events (household_id, from_status, to_status, actor, at)
         SELECT id, $2, $3, 'tester', $4::timestamptz FROM households WHERE code = $1",
    )
    .bind(household)
    .bind(from)
    .bind(to)
    .bind(at)
    .execute(pool)
    .await
    .unwrap_or_else(|e| panic!("{household} {from}->{to}: {e}"));
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building", "open_gates"))
)]
async fn project_and_region_figures_match_a_hand_count(pool: PgPool) {
    let now = "now";
    for (h, steps) in [
        (
            "T-1-B1-H01",
            vec![("pending", "surveyed"), ("surveyed", "signed")],
        ),
        ("T-1-B1-H02", vec![("pending", "surveyed")]),
    ] {
        for (from, to) in steps {
            event_at(&pool, h, from, to, now).await;
        }
    }
    for (from, to) in [
        ("pending", "acquired"),
        ("acquired", "cleared"),
        ("cleared", "delivered"),
    ] {
        sqlx::query("INSERT INTO status_events (parcel_id, from_status, to_status, actor) SELECT id, $1, $2, 't' FROM parcels WHERE code = 'T-1-P2'")
            .bind(from)
            .bind(to)
            .execute(&pool)
            .await
            .expect("parcel event");
    }
    let (p1, p2): (f64, f64) = sqlx::query_as("SELECT (SELECT area_m2 FROM parcels WHERE code = 'T-1-P1'), (SELECT area_m2 FROM parcels WHERE code = 'T-1-P2')")
        .fetch_one(&pool)
        .await
        .expect("areas");
    let id: i64 = sqlx::query_scalar("SELECT id FROM projects WHERE code = 'T-1'")
        .fetch_one(&pool)
        .await
        .expect("id");
    let project = json_of(&pool, &format!("/api/figures/projects/{id}")).await;
    let mu = |m2: f64| (m2 * 3.0 / 2000.0 * 100.0).round() / 100.0;
    // three households: one signed (monetary), one surveyed, one pending; the farmland parcel delivered
    let today = beijing_today();
    let expected = [
        ("households", json!(3)),
        ("floor_area", json!(1800.0)),
        ("signed", json!(1)),
        ("sign_rate", json!(0.3333)),
        ("vacate_rate", json!(0.0)),
        ("demolish_rate", json!(0.0)),
        ("land_delivered_mu", json!(mu(p2))),
        ("land_total_mu", json!(mu(p1 + p2))),
        (
            "land_delivered_rate",
            json!(((p2 / (p1 + p2)) * 10_000.0).round() / 10_000.0),
        ),
        ("difficult", json!(0)),
        ("monetary_rate", json!(1.0)),
        ("pace_7d", json!(0.14)),
        // two households left at one a week: 14 days
        (
            "projected_completion",
            json!((today + Duration::days(14)).to_string()),
        ),
        ("target_date", json!("2026-12-31")),
        (
            "on_track",
            json!(
                today + Duration::days(14)
                    <= chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("date")
            ),
        ),
    ];
    for (key, value) in &expected {
        assert_eq!(&figure(&project, key), value, "project {key}");
    }
    for f in project["figures"].as_array().expect("figures") {
        // keys and values only: the frontend names and defines each figure (src/i18n)
        assert!(
            f["key"].as_str().is_some_and(|k| !k.is_empty())
                && ["zh", "en", "definition_zh", "definition_en"]
                    .iter()
                    .all(|field| f.get(field).is_none()),
            "{f}"
        );
    }
    assert_eq!(project["figures"][3]["numerator"], "signed");
    assert_eq!(project["figures"][3]["denominator"], "households");
    // the region roll-up over the tree carries the same numbers, no target
    for code in ["430702001004", "430702001", "430702", "430700"] {
        let region = json_of(&pool, &format!("/api/figures/regions/{code}")).await;
        for (key, value) in &expected[..13] {
            assert_eq!(&figure(&region, key), value, "{code} {key}");
        }
        assert_eq!(figure(&region, "target_date"), Value::Null);
    }
    let (response, _) = get(&pool, "/api/figures/regions/999999", &[]).await;
    assert_eq!(response.status(), 404);
    let (response, body) = get(&pool, "/api/figures/regions/430700?as_of=2999-01-01", &[]).await;
    assert_eq!(response.status(), 400, "{}", String::from_utf8_lossy(&body));
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn as_of_figures_equal_a_replay_of_the_events(pool: PgPool) {
    demo_city(&pool).await;
    let as_of: chrono::NaiveDate = AS_OF.parse().expect("date");
    for back in [0i64, 20, 75, 200, 400] {
        let day = as_of - Duration::days(back);
        for code in ["430702", "330602", "430700"] {
            let document =
                json_of(&pool, &format!("/api/figures/regions/{code}?as_of={day}")).await;
            let replay: (i64, i64, i64, i64) = sqlx::query_as(
                "WITH scope AS (SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
                                  JOIN regions r ON r.id = p.region_id WHERE (SELECT id FROM regions WHERE code = $1) = ANY (r.lineage)),
                      last AS (SELECT DISTINCT ON (e.household_id) e.to_status FROM status_events e JOIN scope ON scope.id = e.household_id
                                WHERE (e.at AT TIME ZONE 'Asia/Shanghai')::date <= $2 ORDER BY e.household_id, e.id DESC)
                 SELECT (SELECT count(*) FROM scope),
                        count(*) FILTER (WHERE status_rank(to_status) >= 2), count(*) FILTER (WHERE status_rank(to_status) >= 3),
                        count(*) FILTER (WHERE status_rank(to_status) >= 4) FROM last",
            )
            .bind(code)
            .bind(day)
            .fetch_one(&pool)
            .await
            .expect("replay");
            let households = replay.0 as f64;
            assert_eq!(
                figure(&document, "signed"),
                json!(replay.1),
                "{code} as of {day}: signed"
            );
            let rate = |n: i64| {
                if households > 0.0 {
                    json!((n as f64 / households * 10_000.0).round() / 10_000.0)
                } else {
                    Value::Null
                }
            };
            assert_eq!(
                figure(&document, "vacate_rate"),
                rate(replay.2),
                "{code} as of {day}: vacated"
            );
            assert_eq!(
                figure(&document, "demolish_rate"),
                rate(replay.3),
                "{code} as of {day}: demolished"
            );
        }
    }
    // as of the last day of the history, the figures are the live ones
    let live = json_of(&pool, "/api/figures/regions/430700").await;
    let last = json_of(&pool, &format!("/api/figures/regions/430700?as_of={AS_OF}")).await;
    for key in [
        "signed",
        "sign_rate",
        "vacate_rate",
        "demolish_rate",
        "land_delivered_mu",
        "monetary_rate",
    ] {
        assert_eq!(figure(&live, key), figure(&last, key), "{key}");
    }
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(
        path = "../fixtures",
        scripts("one_building", "second_street", "open_gates")
    )
)]
async fn rankings_order_a_crafted_week_with_last_weeks_rank(pool: PgPool) {
    // last week (2024-01-01..07): the second street signs two; this week (08..14): the first signs three, the second one
    for h in ["T-2-B1-H01", "T-2-B1-H02"] {
        event_at(&pool, h, "pending", "surveyed", "2024-01-02 09:00+08").await;
        event_at(&pool, h, "surveyed", "signed", "2024-01-05 10:00+08").await;
    }
    for h in ["T-1-B1-H01", "T-1-B1-H02", "T-1-B1-H03"] {
        event_at(&pool, h, "pending", "surveyed", "2024-01-03 09:00+08").await;
        event_at(&pool, h, "surveyed", "signed", "2024-01-09 11:00+08").await;
    }
    event_at(
        &pool,
        "T-1-B1-H03",
        "signed",
        "vacated",
        "2024-01-14 23:30+08",
    )
    .await;
    // an event just after midnight Beijing time falls on the next day, outside the week
    event_at(
        &pool,
        "T-1-B1-H01",
        "signed",
        "vacated",
        "2024-01-15 00:10+08",
    )
    .await;
    let ranking = json_of(
        &pool,
        "/api/rankings?level=street&from=2024-01-08&to=2024-01-14",
    )
    .await;
    assert_eq!(
        ranking["previous"],
        json!({"from": "2024-01-01", "to": "2024-01-07"})
    );
    let rows = ranking["rows"].as_array().expect("rows");
    let row = |code: &str| {
        rows.iter()
            .find(|r| r["code"] == code)
            .cloned()
            .unwrap_or_default()
    };
    let first = row("430702001");
    assert_eq!(
        (
            first["rank"].clone(),
            first["previous_rank"].clone(),
            first["gain_signed"].clone(),
            first["gain_vacated"].clone()
        ),
        // nothing signed last week: no previous rank (not "unchanged"), and new in the ranking
        (json!(1), Value::Null, json!(3), json!(1))
    );
    let second = row("430702002");
    assert_eq!(
        (
            second["rank"].clone(),
            second["previous_rank"].clone(),
            second["gain_signed"].clone(),
            second["previous_gain_signed"].clone()
        ),
        (json!(2), json!(1), json!(0), json!(2))
    );
    assert_eq!(rows[0]["code"], "430702001", "sorted by the week's gain");
    let projects = json_of(
        &pool,
        "/api/rankings?level=project&from=2024-01-08&to=2024-01-14",
    )
    .await;
    assert_eq!(projects["rows"][0]["name"], "测试项目");
    let trend = json_of(&pool, "/api/trend?region=430702&days=3").await;
    assert_eq!(trend["days"].as_array().map(Vec::len), Some(3));
    let (response, _) = get(&pool, "/api/rankings?level=galaxy", &[]).await;
    assert_eq!(response.status(), 400);
    let (response, _) = get(&pool, "/api/rankings?from=2024-01-14&to=2024-01-08", &[]).await;
    assert_eq!(response.status(), 400);
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building", "open_gates"))
)]
async fn alerts_fire_and_clear(pool: PgPool) {
    // a target a year ahead, whatever day the test runs
    sqlx::query("UPDATE projects SET target_date = $1 WHERE code = 'T-1'")
        .bind(beijing_today() + Duration::days(365))
        .execute(&pool)
        .await
        .expect("target");
    // progress alerts; fund warnings are checked on their own below
    let kinds = |doc: &Value| {
        doc["alerts"]
            .as_array()
            .expect("alerts")
            .iter()
            .map(|a| a["kind"].as_str().unwrap_or_default().to_owned())
            .filter(|k| k != "funds")
            .collect::<Vec<_>>()
    };
    let alerts = json_of(&pool, "/api/alerts").await;
    assert_eq!(kinds(&alerts), vec!["stalled"], "no progress yet: {alerts}");
    assert_eq!(
        alerts["alerts"][0]["message"]["key"], "alert.stalled_never",
        "{alerts}"
    );
    assert_eq!(
        alerts["alerts"][0]["message"]["values"]["project"],
        alerts["alerts"][0]["project_name"]
    );
    for h in ["T-1-B1-H01", "T-1-B1-H02", "T-1-B1-H03"] {
        event_at(&pool, h, "pending", "surveyed", "now").await;
    }
    event_at(&pool, "T-1-B1-H01", "surveyed", "signed", "now").await;
    let alerts = json_of(&pool, "/api/alerts").await;
    assert!(
        kinds(&alerts).is_empty(),
        "progress today and a pace that makes the target"
    );
    // the fixture project has no compensation standard: the signed household's agreement is 0
    assert!(
        alerts["alerts"]
            .as_array()
            .expect("alerts")
            .iter()
            .any(|a| a["kind"] == "funds" && a["code"] == "agreement_zero"),
        "{alerts}"
    );
    let tomorrow = beijing_today() + Duration::days(1);
    sqlx::query("UPDATE projects SET target_date = $1 WHERE code = 'T-1'")
        .bind(tomorrow)
        .execute(&pool)
        .await
        .expect("target");
    let alerts = json_of(&pool, "/api/alerts").await;
    assert_eq!(kinds(&alerts), vec!["behind_target"], "{alerts}");
    // a shorter stalled window, and progress two weeks old, make it stalled as well
    let alerts = json_of(&pool, "/api/alerts?stalled_days=1").await;
    assert_eq!(
        kinds(&alerts),
        vec!["behind_target"],
        "progress today is not stalled"
    );
    for h in ["T-1-B1-H02", "T-1-B1-H03"] {
        event_at(&pool, h, "surveyed", "signed", "now").await;
    }
    assert!(
        kinds(&json_of(&pool, "/api/alerts").await).is_empty(),
        "all signed: nothing to alert"
    );
    let (response, _) = get(&pool, "/api/alerts?stalled_days=0", &[]).await;
    assert_eq!(response.status(), 400);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn random_writes_keep_maintained_figures_equal_to_a_recount(pool: PgPool) {
    demo_city(&pool).await;
    assert!(
        onemap::figures::verify(&pool)
            .await
            .expect("verify")
            .is_empty(),
        "the loaded city verifies"
    );
    let admin = session(&pool, "admin", "admin", None).await;
    let app = state(&pool).await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let scale = ["pending", "surveyed", "signed", "vacated", "demolished"];
    let land = ["pending", "acquired", "cleared", "delivered"];
    let (mut applied, mut refused) = (0, 0);
    for step in 0..240 {
        let (subject, table, status_column, steps): (&str, &str, &str, &[&str]) =
            match rng.random_range(0..10) {
                0..6 => ("household", "households", "status", &scale),
                6..9 => ("building", "buildings", "status", &scale),
                _ => ("parcel", "parcels", "land_status", &land),
            };
        let (id, status, version): (i64, String, i32) = sqlx::query_as(&format!(
            "SELECT id, {status_column}::text, version FROM {table} ORDER BY md5(id::text || $1) LIMIT 1"
        ))
        .bind(step.to_string())
        .fetch_one(&pool)
        .await
        .expect("subject");
        let at = steps.iter().position(|s| *s == status).unwrap_or(0);
        let to = if rng.random_bool(0.7) && at + 1 < steps.len() {
            steps[at + 1]
        } else {
            steps[rng.random_range(0..steps.len())]
        };
        let body = json!({"changes": [{"subject": subject, "id": id, "to": to, "version": version, "reason": "随机检验"}]});
        let (code, answer) = post_json(&app, "/api/status", Some(&admin), &body.to_string()).await;
        match code {
            200 => applied += 1,
            409 | 422 => refused += 1,
            other => panic!("step {step}: {other} {answer}"),
        }
        if step % 60 == 59 {
            let differences = onemap::figures::verify(&pool).await.expect("verify");
            assert!(differences.is_empty(), "after step {step}: {differences:?}");
        }
    }
    assert!(
        applied > 100,
        "{applied} writes applied, {refused} refused by the rules"
    );
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building", "open_gates"))
)]
async fn verify_names_a_figure_that_drifted(pool: PgPool) {
    assert!(onemap::figures::verify(&pool)
        .await
        .expect("verify")
        .is_empty());
    sqlx::query("UPDATE project_figures SET signed = signed + 1")
        .execute(&pool)
        .await
        .expect("tamper");
    sqlx::query("UPDATE daily_figures SET signed = signed + 1")
        .execute(&pool)
        .await
        .expect("tamper");
    let differences = onemap::figures::verify(&pool).await.expect("verify");
    let kinds: Vec<&str> = differences.iter().map(|d| d.0.as_str()).collect();
    assert!(kinds.contains(&"project_figures"), "{differences:?}");
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building", "open_gates"))
)]
async fn kept_answers_change_with_the_next_event(pool: PgPool) {
    use axum::body::Body;
    use axum::http::Request;
    let admin = session(&pool, "admin", "admin", None).await;
    let viewer = format!("Bearer {}", session(&pool, "viewer", "viewer", None).await);
    let app = state(&pool).await;
    let read = |uri: &'static str| {
        let (app, viewer) = (app.clone(), viewer.clone());
        async move {
            let (_, body) = crate::helpers::send(
                &app,
                Request::get(uri),
                &[("authorization", &viewer)],
                Body::empty(),
            )
            .await;
            serde_json::from_slice::<Value>(&body).expect("JSON")
        }
    };
    let signed_in_list = |doc: &Value| {
        let keys = doc["keys"].as_array().expect("keys");
        let at = keys.iter().position(|k| k == "signed").expect("signed key");
        doc["projects"][0]["values"][at].clone()
    };
    let before = (
        read("/api/figures/regions/430702").await,
        read("/api/figures/projects").await,
    );
    assert_eq!(
        (figure(&before.0, "signed"), signed_in_list(&before.1)),
        (json!(0), json!(0))
    );
    // read twice: the second answer is the kept one
    assert_eq!(read("/api/figures/regions/430702").await, before.0);
    let (id, version): (i64, i32) =
        sqlx::query_as("SELECT id, version FROM households WHERE code = 'T-1-B1-H01'")
            .fetch_one(&pool)
            .await
            .expect("h");
    let body = json!({"changes": [{"subject": "household", "id": id, "to": "signed", "version": version, "reason": "补录"}]});
    let (status, answer) = post_json(&app, "/api/status", Some(&admin), &body.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    let after = (
        read("/api/figures/regions/430702").await,
        read("/api/figures/projects").await,
    );
    assert_eq!(
        (figure(&after.0, "signed"), signed_in_list(&after.1)),
        (json!(1), json!(1)),
        "the event replaced the kept answers"
    );
}
