//! 选房 (docs/selection.md): 50 clerks racing for 20 units, the swap money on hand-computed
//! cases joined to the agreement and the funds, the public lottery recomputed from its seed,
//! the rules' refusals, skips, and the hall's public, live screen.
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{post_json, send, session, state};
use crate::households::unzip;
use onemap::state::AppState;

const RULES: &str = r#"{"area_ratio": 1, "incentive_area": 10, "beyond_max_area": 10, "max_units": 2,
    "unused_yuan_per_m2": null, "order_by": "signing", "recalls": 1}"#;

async fn put_json(app: &AppState, uri: &str, token: &str, body: &str) -> (u16, Value) {
    let bearer = format!("Bearer {token}");
    let (response, bytes) = send(
        app,
        Request::put(uri),
        &[
            ("content-type", "application/json"),
            ("authorization", &bearer),
        ],
        Body::from(body.to_owned()),
    )
    .await;
    (
        response.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn get_json(app: &AppState, uri: &str, token: Option<&str>) -> (u16, Value) {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = bearer
        .iter()
        .map(|b| ("authorization", b.as_str()))
        .collect();
    let (response, bytes) = send(app, Request::get(uri), &headers, Body::empty()).await;
    (
        response.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Rules saved, a day in `order` made (and opened unless a lottery); returns the day's id.
async fn day(app: &AppState, admin: &str, order: &str, seed: Option<&str>) -> i64 {
    let rules = RULES.replace("\"signing\"", &format!("\"{order}\""));
    assert_eq!(
        put_json(app, "/api/projects/T-1/selection-rules", admin, &rules)
            .await
            .0,
        200
    );
    let body = json!({ "day": "2026-04-01", "seed": seed }).to_string();
    let (code, day) = post_json(app, "/api/projects/T-1/selection-days", Some(admin), &body).await;
    assert_eq!(code, 201, "{day}");
    assert_eq!(
        day["queue"].as_array().map(Vec::len),
        Some(50),
        "every signed swap household is queued"
    );
    let id = day["id"].as_i64().expect("an id");
    if order == "signing" {
        let (code, opened) = post_json(
            app,
            &format!("/api/selection-days/{id}/open"),
            Some(admin),
            "{}",
        )
        .await;
        assert_eq!(code, 200, "{opened}");
    }
    id
}

async fn units(app: &AppState, token: &str, id: i64) -> Vec<(i32, f64)> {
    let (code, body) = get_json(app, &format!("/api/selection-days/{id}/units"), Some(token)).await;
    assert_eq!(code, 200, "{body}");
    body["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| {
            (
                u["id"].as_i64().expect("id") as i32,
                u["area"].as_f64().expect("area"),
            )
        })
        .collect()
}

async fn fund_differences(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM fund_differences()")
        .fetch_one(pool)
        .await
        .expect("fund check")
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(
        path = "../fixtures",
        scripts("one_building", "open_gates", "selection_day")
    )
)]
async fn selection_fifty_clerks_twenty_units_each_sold_once(pool: PgPool) {
    let admin = session(&pool, "chief", "admin", None).await;
    let app = state(&pool).await;
    let id = day(&app, &admin, "signing", None).await;
    let mut clerks = Vec::new();
    for i in 0..50 {
        clerks.push(session(&pool, &format!("clerk{i:02}"), "operator", Some("430702")).await);
    }
    // 50 clerks call at once: 50 different households, in the queue's order
    let calls = futures_util::future::join_all(clerks.iter().map(|c| {
        let app = app.clone();
        let c = c.clone();
        async move {
            post_json(
                &app,
                &format!("/api/selection-days/{id}/call"),
                Some(&c),
                "{}",
            )
            .await
        }
    }))
    .await;
    let mut households: Vec<i64> = calls
        .iter()
        .map(|(code, h)| {
            assert_eq!(*code, 200, "{h}");
            h["household_id"].as_i64().expect("household")
        })
        .collect();
    let called = households.clone();
    households.sort_unstable();
    households.dedup();
    assert_eq!(households.len(), 50, "no household is called twice");

    // then all 50 choose at once, two or three to a unit
    let units = units(&app, &admin, id).await;
    assert_eq!(units.len(), 20);
    let choices = futures_util::future::join_all(clerks.iter().zip(&called).enumerate().map(
        |(i, (c, h))| {
            let app = app.clone();
            let c = c.clone();
            let unit = units[i % 20].0;
            async move {
                let body = json!({ "units": [unit] }).to_string();
                (
                    unit,
                    *h,
                    post_json(
                        &app,
                        &format!("/api/selection-days/{id}/households/{h}/choose"),
                        Some(&c),
                        &body,
                    )
                    .await,
                )
            }
        },
    ))
    .await;
    let mut winners = Vec::new();
    for (unit, household, (code, body)) in &choices {
        match code {
            200 => winners.push((*unit, *household)),
            409 => {
                assert_eq!(
                    body["current"]["unit_id"],
                    json!(unit),
                    "the loser is told which unit: {body}"
                );
                assert_eq!(
                    body["current"]["status"], "reserved",
                    "and its new state: {body}"
                );
                assert!(
                    body["message"]
                        .as_str()
                        .unwrap_or_default()
                        .contains("测试安置小区"),
                    "{body}"
                );
            }
            other => panic!("choose answered {other}: {body}"),
        }
    }
    assert_eq!(winners.len(), 20, "each unit sold exactly once");
    let (live, distinct): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT unit_id) FROM selection_choices WHERE day_id = $1 AND state <> 'cancelled'",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .expect("choices");
    assert_eq!((live, distinct), (20, 20));

    // the winners confirm at once: units selected to them, swap money settled, funds consistent
    let confirms = futures_util::future::join_all(winners.iter().map(|(_, h)| {
        let app = app.clone();
        let admin = admin.clone();
        let h = *h;
        async move {
            post_json(
                &app,
                &format!("/api/selection-days/{id}/households/{h}/confirm"),
                Some(&admin),
                "{}",
            )
            .await
        }
    }))
    .await;
    assert!(
        confirms.iter().all(|(code, _)| *code == 200),
        "{confirms:?}"
    );
    let selected: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM estate_units u JOIN selection_choices c ON c.unit_id = u.id AND c.state = 'confirmed'
          WHERE u.status = 'selected' AND u.household_id = c.household_id",
    )
    .fetch_one(&pool)
    .await
    .expect("units");
    assert_eq!(selected, 20);
    let settled: i64 = sqlx::query_scalar("SELECT count(*) FROM swap_settlements")
        .fetch_one(&pool)
        .await
        .expect("settled");
    assert_eq!(settled, 20);
    assert_eq!(fund_differences(&pool).await, 0);
    // a second sale of a sold unit is refused by the database itself
    let again = sqlx::query("INSERT INTO selection_choices (day_id, household_id, unit_id, chosen_by) SELECT $1, $2, $3, 1")
        .bind(id)
        .bind(called[49])
        .bind(winners[0].0)
        .execute(&pool)
        .await
        .expect_err("one live choice per unit");
    assert_eq!(
        again.as_database_error().and_then(|d| d.constraint()),
        Some("selection_choices_one_per_unit")
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action LIKE 'selection_%'")
            .fetch_one(&pool)
            .await
            .expect("audit");
    assert_eq!(
        audited,
        3 + 50 + 20 + 20,
        "rules, day, opening, calls, choices and confirmations are audited"
    );
}

/// The household's agreement: (agreed, swap, owed).
async fn agreement(pool: &PgPool, code: &str) -> (f64, f64, f64) {
    sqlx::query_as(
        "SELECT a.yuan::float8, a.swap_yuan::float8, a.owed_yuan::float8 FROM agreements a JOIN households h ON h.id = a.household_id WHERE h.code = $1",
    )
    .bind(code)
    .fetch_one(pool)
    .await
    .expect("agreement")
}

async fn household_id(pool: &PgPool, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM households WHERE code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .expect("household")
}

/// Calls the next household; returns its id and code.
async fn call(app: &AppState, token: &str, id: i64) -> (i64, String) {
    let (code, h) = post_json(
        app,
        &format!("/api/selection-days/{id}/call"),
        Some(token),
        "{}",
    )
    .await;
    assert_eq!(code, 200, "{h}");
    (
        h["household_id"].as_i64().expect("id"),
        h["code"].as_str().expect("code").to_owned(),
    )
}

async fn choose_and_confirm(
    app: &AppState,
    token: &str,
    id: i64,
    household: i64,
    units: &[i32],
) -> Value {
    let base = format!("/api/selection-days/{id}/households/{household}");
    let (code, body) = post_json(
        app,
        &format!("{base}/choose"),
        Some(token),
        &json!({ "units": units }).to_string(),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = post_json(app, &format!("{base}/confirm"), Some(token), "{}").await;
    assert_eq!(code, 200, "{body}");
    body
}

/// The next `hall` event of an SSE body, within 5 s.
async fn next_hall(body: &mut Body) -> Value {
    let mut text = String::new();
    loop {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
            .await
            .expect("a hall event within 5 s")
            .expect("the stream goes on")
            .expect("a frame");
        if let Some(data) = frame.data_ref() {
            text.push_str(std::str::from_utf8(data).expect("utf-8"));
        }
        if let Some(end) = text.find("\n\n") {
            let event: String = text.drain(..end + 2).collect();
            if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) {
                if event.contains("event: hall") {
                    return serde_json::from_str(data).expect("hall JSON");
                }
            }
        }
    }
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(
        path = "../fixtures",
        scripts("one_building", "open_gates", "selection_day")
    )
)]
async fn selection_swap_money_hand_computed_and_the_hall_live(pool: PgPool) {
    let admin = session(&pool, "chief", "admin", None).await;
    let app = state(&pool).await;
    let id = day(&app, &admin, "signing", None).await;
    // every swap household is queued on that open day: a second day would be empty, and is not made
    let (code, empty) = post_json(
        &app,
        "/api/projects/T-1/selection-days",
        Some(&admin),
        r#"{"day": "2026-04-02"}"#,
    )
    .await;
    assert_eq!(code, 422, "{empty}");
    assert!(
        empty["message"]
            .as_str()
            .unwrap_or_default()
            .contains("would be empty"),
        "{empty}"
    );
    let days: i64 = sqlx::query_scalar("SELECT count(*) FROM selection_days")
        .fetch_one(&pool)
        .await
        .expect("days");
    assert_eq!(days, 1, "the empty day was not written");
    let units = units(&app, &admin, id).await;
    let (a1, a2) = (units[0].0, units[2].0); // 90 m² (floors 1–5 are type A)
    let b = units.iter().find(|u| u.1 > 100.0).expect("a 120 m² unit").0;

    // the hall, public and live: whose turn, then the choice as it happens
    let router = onemap::http::app(app.clone());
    let stream = tower::ServiceExt::oneshot(
        router,
        Request::get(format!("/api/public/selection-days/{id}/events"))
            .header("host", "test.local")
            .body(Body::empty())
            .expect("request"),
    )
    .await
    .expect("the router answers");
    let mut feed = stream.into_body();
    let first = next_hall(&mut feed).await;
    assert_eq!(
        first["next"][0]["code"], "T-1-B1-S01",
        "signing order: S01 first"
    );
    assert_eq!(first["counts"]["waiting"], 50);

    // computed = 100 m² × 5000 + 5000 + 100 m² × 20 × 24 = 553,000; entitled 100 × 1 + 10 = 110 m²
    // within: 90 m² × 1500 = 135,000; unused 20 m² × 5000 = 100,000; house 500,000 exchanged
    let (s01, code) = call(&app, &admin, id).await;
    assert_eq!(code, "T-1-B1-S01");
    let called = next_hall(&mut feed).await;
    assert_eq!(called["turn"][0]["code"], "T-1-B1-S01", "{called}");
    let done = choose_and_confirm(&app, &admin, id, s01, &[a1]).await;
    assert_eq!(done["settlement"]["swap_yuan"], json!(-535_000.0));
    assert_eq!(
        agreement(&pool, "T-1-B1-S01").await,
        (18_000.0, -535_000.0, 0.0)
    );
    // a send-back voids the agreement; signing again makes it anew with the flat still chosen:
    // the swap money stays added (it was lost on re-signing before)
    let signed: i64 = sqlx::query_scalar(
        "SELECT max(id) FROM status_events WHERE household_id = $1 AND to_status = 'signed'",
    )
    .bind(s01)
    .fetch_one(&pool)
    .await
    .expect("query");
    let (code, body) = post_json(
        &app,
        "/api/status/send-back",
        Some(&admin),
        &json!({ "event_id": signed, "reason": "协议文本有误，重签" }).to_string(),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let version: i32 = sqlx::query_scalar("SELECT version FROM households WHERE id = $1")
        .bind(s01)
        .fetch_one(&pool)
        .await
        .expect("query");
    let (code, body) = post_json(&app, "/api/status", Some(&admin),
        &json!({ "changes": [{ "subject": "household", "id": s01, "to": "signed", "version": version, "reason": "重签协议" }] }).to_string()).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(
        agreement(&pool, "T-1-B1-S01").await,
        (18_000.0, -535_000.0, 0.0),
        "re-signed: agreed, swap and owed as settled"
    );
    assert_eq!(fund_differences(&pool).await, 0);
    let mut hall = next_hall(&mut feed).await;
    while hall["last"]
        .as_array()
        .is_none_or(|l| l.iter().all(|c| c["state"] != "confirmed"))
    {
        hall = next_hall(&mut feed).await;
    }
    assert_eq!(hall["last"][0]["code"], "T-1-B1-S01");
    let text = hall.to_string();
    assert!(
        !text.contains("选房") && !text.contains("43070219"),
        "no name, no ID number on the hall: {text}"
    );

    // beyond: 120 m² = 110 within × 1500 (165,000) + 10 beyond × 6000 (60,000); nothing unused:
    // 553,000 − 725,000 < 0 → agreed 0, the household pays in 172,000
    let (s02, _) = call(&app, &admin, id).await;
    choose_and_confirm(&app, &admin, id, s02, &[b]).await;
    assert_eq!(
        agreement(&pool, "T-1-B1-S02").await,
        (0.0, -725_000.0, 172_000.0)
    );
    // no flat: 110 m² × 5000 − 500,000 = +50,000 → 603,000
    let (s03, _) = call(&app, &admin, id).await;
    let (code, body) = post_json(
        &app,
        &format!("/api/selection-days/{id}/households/{s03}/confirm"),
        Some(&admin),
        "{}",
    )
    .await;
    assert_eq!(code, 422, "confirming nothing needs saying so: {body}");
    let (code, _) = post_json(
        &app,
        &format!("/api/selection-days/{id}/households/{s03}/confirm"),
        Some(&admin),
        r#"{"no_units": true}"#,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(
        agreement(&pool, "T-1-B1-S03").await,
        (603_000.0, 50_000.0, 0.0)
    );

    // more than the rules allow: two 90 m² units = 180 m² > 110 + 10
    let (s04, _) = call(&app, &admin, id).await;
    let (code, body) = post_json(
        &app,
        &format!("/api/selection-days/{id}/households/{s04}/choose"),
        Some(&admin),
        &json!({ "units": [a2, units[4].0] }).to_string(),
    )
    .await;
    assert_eq!(code, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("units:"),
        "{body}"
    );

    // the funds rule holds: S04 has 500,000 committed; a 120 m² flat would leave it 0 → 409
    let batch = json!({ "note": "预付", "payments": [{ "household_id": s04, "yuan": 500_000, "idempotency_key": "selection-0001" }] });
    let (code, body) = post_json(
        &app,
        "/api/projects/T-1/batches",
        Some(&admin),
        &batch.to_string(),
    )
    .await;
    assert_eq!(code, 201, "{body}");
    let b2 = units
        .iter()
        .filter(|u| u.1 > 100.0)
        .nth(1)
        .expect("another 120 m² unit")
        .0;
    let base = format!("/api/selection-days/{id}/households/{s04}");
    assert_eq!(
        post_json(
            &app,
            &format!("{base}/choose"),
            Some(&admin),
            &json!({ "units": [b2] }).to_string()
        )
        .await
        .0,
        200
    );
    let (code, body) = post_json(&app, &format!("{base}/confirm"), Some(&admin), "{}").await;
    assert_eq!(code, 409, "never pay more than agreed: {body}");
    assert_eq!(
        post_json(&app, &format!("{base}/cancel"), Some(&admin), "{}")
            .await
            .0,
        200
    );
    let status: String = sqlx::query_scalar("SELECT status::text FROM estate_units WHERE id = $1")
        .bind(b2)
        .fetch_one(&pool)
        .await
        .expect("unit");
    assert_eq!(status, "available", "a cancelled choice frees its unit");
    assert_eq!(fund_differences(&pool).await, 0);

    // the household's file, its agreement and the detail table show the swap money
    let (code, file) = get_json(&app, &format!("/api/households/{s01}"), Some(&admin)).await;
    assert_eq!(code, 200);
    let swap = file["compensation"]["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["key"] == "swap")
        .cloned();
    assert_eq!(
        swap.as_ref().map(|l| l["yuan"].clone()),
        Some(json!(-535_000.0)),
        "{file}"
    );
    assert_eq!(file["compensation"]["total_yuan"], json!(18_000.0));
    let (response, bytes) = send(
        &app,
        Request::get(format!(
            "/api/households/{}/agreement.docx",
            household_id(&pool, "T-1-B1-S02").await
        )),
        &[("authorization", &format!("Bearer {admin}"))],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let document = unzip(&bytes, "word/document.xml");
    assert!(
        document.contains("产权调换差价-725,000.00元")
            && document.contains("乙方应补交差价172,000.00元"),
        "{document}"
    );
    let (response, bytes) = send(
        &app,
        Request::get("/api/exports/projects/T-1/compensation.xlsx"),
        &[("authorization", &format!("Bearer {admin}"))],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert!(unzip(&bytes, "xl/sharedStrings.xml").contains("产权调换差价"));
    // an agreement a swap brought to 0 is no "agreement worth 0" warning
    let (_, funds) = get_json(&app, "/api/projects/T-1/funds", Some(&admin)).await;
    assert!(
        !funds["warnings"].to_string().contains("agreement_zero"),
        "{funds}"
    );
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(
        path = "../fixtures",
        scripts("one_building", "open_gates", "selection_day")
    )
)]
async fn selection_lottery_recomputed_from_its_published_seed(pool: PgPool) {
    let admin = session(&pool, "chief", "admin", None).await;
    let operator = session(&pool, "other", "operator", Some("430702001")).await;
    let app = state(&pool).await;
    let seed = "5eed".repeat(16);
    let id = day(&app, &admin, "lottery", Some(&seed)).await;

    // published before the draw: seed and codes, no order; the day cannot open undrawn
    let (code, published) = get_json(
        &app,
        &format!("/api/public/selection-days/{id}/lottery"),
        None,
    )
    .await;
    assert_eq!(code, 200, "{published}");
    assert_eq!(published["seed"], json!(seed));
    assert!(published["order"].is_null());
    let codes: Vec<String> = serde_json::from_value(published["codes"].clone()).expect("codes");
    assert_eq!(codes.len(), 50);
    assert_eq!(
        post_json(
            &app,
            &format!("/api/selection-days/{id}/open"),
            Some(&admin),
            "{}"
        )
        .await
        .0,
        409
    );

    let (code, drawn) = post_json(
        &app,
        &format!("/api/selection-days/{id}/draw"),
        Some(&admin),
        "{}",
    )
    .await;
    assert_eq!(code, 200, "{drawn}");
    assert_eq!(
        post_json(
            &app,
            &format!("/api/selection-days/{id}/draw"),
            Some(&admin),
            "{}"
        )
        .await
        .0,
        409,
        "drawn once"
    );
    let (_, published) = get_json(
        &app,
        &format!("/api/public/selection-days/{id}/lottery"),
        None,
    )
    .await;
    let order: Vec<String> = serde_json::from_value(published["order"].clone()).expect("order");
    assert_eq!(
        order,
        onemap::selection::lottery::order(&seed, &codes),
        "the order is recomputed from seed and codes"
    );
    assert_ne!(order, codes, "and is not the list's order");
    let queue: Vec<String> = drawn["queue"]
        .as_array()
        .expect("queue")
        .iter()
        .map(|q| q["code"].as_str().expect("code").to_owned())
        .collect();
    assert_eq!(queue, order, "the queue follows the draw");

    // anyone recomputes it with the standalone script, from the published JSON alone
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/selection-lottery.py");
    let mut child = std::process::Command::new("python3")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    std::io::Write::write_all(
        &mut child.stdin.take().expect("stdin"),
        published.to_string().as_bytes(),
    )
    .expect("write");
    let out = child.wait_with_output().expect("the script ends");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recomputed: Vec<String> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(recomputed, order);

    // skips go to the end by rule: once back in the queue (recalls 1), then absent
    assert_eq!(
        post_json(
            &app,
            &format!("/api/selection-days/{id}/open"),
            Some(&admin),
            "{}"
        )
        .await
        .0,
        200
    );
    let (first, code) = call(&app, &admin, id).await;
    assert_eq!(code, order[0]);
    let (status, _) = post_json(
        &app,
        &format!("/api/selection-days/{id}/call"),
        Some(&admin),
        "{}",
    )
    .await;
    assert_eq!(status, 409, "one household at a time per clerk");
    let skip = format!("/api/selection-days/{id}/households/{first}/skip");
    let (status, skipped) = post_json(&app, &skip, Some(&admin), r#"{"reason": "absent"}"#).await;
    assert_eq!(status, 200, "{skipped}");
    assert_eq!(
        (skipped["state"].as_str(), skipped["position"].as_i64()),
        (Some("waiting"), Some(51))
    );
    let (second, _) = call(&app, &admin, id).await;
    let (status, body) = post_json(
        &app,
        &format!("/api/selection-days/{id}/households/{second}/skip"),
        Some(&admin),
        r#"{"reason": "skipped"}"#,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    sqlx::query("UPDATE selection_queue SET position = position + 100 WHERE day_id = $1 AND household_id <> $2")
        .bind(id)
        .bind(first)
        .execute(&pool)
        .await
        .expect("bring the first back to the front");
    let (again, _) = call(&app, &admin, id).await;
    assert_eq!(again, first);
    let (_, absent) = post_json(&app, &skip, Some(&admin), r#"{"reason": "absent"}"#).await;
    assert_eq!(absent["state"], "absent", "{absent}");

    // rules: admins only, every field checked and named, audited
    let (status, _) = put_json(&app, "/api/projects/T-1/selection-rules", &operator, RULES).await;
    assert_eq!(status, 403);
    let (status, body) = put_json(
        &app,
        "/api/projects/T-1/selection-rules",
        &admin,
        &RULES.replace("\"area_ratio\": 1", "\"area_ratio\": -1"),
    )
    .await;
    assert_eq!(
        (
            status,
            body["message"]
                .as_str()
                .map(|m| m.starts_with("area_ratio:"))
        ),
        (422, Some(true)),
        "{body}"
    );
    let (_, rules) = get_json(&app, "/api/projects/T-1/selection-rules", Some(&operator)).await;
    assert_eq!(
        (rules["order_by"].as_str(), rules["updated_by"].as_str()),
        (Some("lottery"), Some("chief")),
        "{rules}"
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'selection_rules'")
            .fetch_one(&pool)
            .await
            .expect("audit");
    assert_eq!(audited, 1);
    // entitlement demand against supply: 50 households at 110 m² want type B (120 m², the nearest): 10 units
    let (_, demand) = get_json(&app, "/api/projects/T-1/selection-demand", Some(&admin)).await;
    let b = demand["types"]
        .as_array()
        .expect("types")
        .iter()
        .find(|t| t["name"] == "B户型")
        .cloned()
        .expect("B");
    assert_eq!(
        (b["demand"].as_i64(), b["supply"].as_i64()),
        (Some(50), Some(10)),
        "{demand}"
    );
    // the same on the screens' housing figures (cockpit, wall, phone): per type across the scope
    let (code, figures) = get_json(&app, "/api/figures/housing", Some(&admin)).await;
    assert_eq!(code, 200, "{figures}");
    let b = figures["demand"]
        .as_array()
        .expect("demand")
        .iter()
        .find(|t| t["name"] == "B户型")
        .cloned()
        .expect("B");
    assert_eq!(
        (
            b["demand"].as_i64(),
            b["supply"].as_i64(),
            b["shortfall"].as_i64()
        ),
        (Some(50), Some(10), Some(40)),
        "{figures}"
    );
    let (_, alerts) = get_json(&app, "/api/alerts", Some(&admin)).await;
    assert!(
        alerts["alerts"]
            .as_array()
            .expect("alerts")
            .iter()
            .any(|a| a["kind"] == "housing_shortfall"),
        "{alerts}"
    );
}

/// Runs the demo's selection days (backend/sql/demo/selections.sql) as of `as_of`, in `tx`.
async fn demo_selections(tx: &mut sqlx::PgConnection, as_of: &str) {
    sqlx::query("SELECT set_config('onemap.as_of', $1, true)")
        .bind(as_of)
        .execute(&mut *tx)
        .await
        .expect("as of");
    sqlx::raw_sql(include_str!("../../backend/sql/demo/selections.sql"))
        .execute(&mut *tx)
        .await
        .expect("the demo's selection days");
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(
        path = "../fixtures",
        scripts("one_building", "open_gates", "selection_day")
    )
)]
async fn selection_demo_days_past_and_upcoming_are_consistent(pool: PgPool) {
    // signed in March: on 20 March the project is not done signing long enough, so it has an
    // upcoming lottery with its seed published and all 50 queued, and no past day
    let mut tx = pool.begin().await.expect("tx");
    demo_selections(&mut tx, "2026-03-20").await;
    let (status, order, queued): (String, String, i64) = sqlx::query_as(
        "SELECT d.status, d.order_by, count(q.*) FROM selection_days d JOIN selection_queue q ON q.day_id = d.id
          WHERE d.seed_published_at IS NOT NULL GROUP BY d.id",
    )
    .fetch_one(&mut *tx)
    .await
    .expect("an upcoming day");
    assert_eq!(
        (status.as_str(), order.as_str(), queued),
        ("planned", "lottery", 50)
    );
    tx.rollback().await.expect("rollback");

    // by June it had its day 14 days after the last signing: every household served in order,
    // the ten 90 m² units went to the first ten (the 120 m² ones are beyond the default rules'
    // 100 + 10 m²), the others took no flat; units and choices agree, the funds check finds 0
    // differences
    let mut tx = pool.begin().await.expect("tx");
    demo_selections(&mut tx, "2026-06-01").await;
    tx.commit().await.expect("commit");
    let (day, status, done): (String, String, i64) = sqlx::query_as(
        "SELECT d.day::text, d.status, count(*) FILTER (WHERE q.state = 'done') FROM selection_days d
           JOIN selection_queue q ON q.day_id = d.id GROUP BY d.id",
    )
    .fetch_one(&pool)
    .await
    .expect("a past day");
    assert_eq!(
        (day.as_str(), status.as_str(), done),
        ("2026-03-15", "closed", 50)
    );
    let (choices, selected, settled): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM selection_choices WHERE state = 'confirmed'),
                (SELECT count(*) FROM estate_units u JOIN selection_choices c ON c.unit_id = u.id AND c.household_id = u.household_id
                  WHERE u.status = 'selected' AND c.state = 'confirmed'),
                (SELECT count(*) FROM swap_settlements)",
    )
    .fetch_one(&pool)
    .await
    .expect("counts");
    assert_eq!((choices, selected, settled), (10, 10, 50));
    let first_types: Vec<f64> = sqlx::query_scalar(
        "SELECT u.area::float8 FROM selection_choices c JOIN estate_units u ON u.id = c.unit_id
           JOIN selection_queue q ON q.day_id = c.day_id AND q.household_id = c.household_id ORDER BY q.position LIMIT 10",
    )
    .fetch_all(&pool)
    .await
    .expect("areas");
    assert!(
        first_types.iter().all(|a| (*a - 90.0).abs() < 1e-9),
        "100 m² households take the 90 m² flats first: {first_types:?}"
    );
    assert_eq!(fund_differences(&pool).await, 0);
}
