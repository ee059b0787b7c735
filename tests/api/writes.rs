//! Logins and status writes: sessions, roles and regions, optimistic versions, all-or-nothing
//! batches, errors that name the problem and write nothing, 50 concurrent conflicting writers.
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{demo_city, post_json, send, session, state};

async fn events(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM status_events")
        .fetch_one(pool)
        .await
        .expect("count")
}

/// A household with the given status that is alone in its building, with its version and the
/// code of the street its project lies in.
async fn household(pool: &PgPool, status: &str) -> (i64, i32, String) {
    sqlx::query_as(
        "SELECT h.id, h.version, left(r.code, 9) FROM households h
           JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id
          WHERE h.status = $1::progress_status AND b.households = 1 ORDER BY h.id LIMIT 1",
    )
    .bind(status)
    .fetch_one(pool)
    .await
    .expect("a household in that status")
}

fn change(subject: &str, id: i64, to: &str, version: i32) -> String {
    json!({ "changes": [{ "subject": subject, "id": id, "to": to, "version": version }] })
        .to_string()
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn logins_open_sessions_and_everything_else_needs_one(pool: PgPool) {
    demo_city(&pool).await;
    onemap::auth::create_user(
        &pool,
        "wang",
        "correct horse",
        onemap::auth::Role::Viewer,
        None,
    )
    .await
    .expect("user");
    let mut app = state(&pool).await;
    app.kiosk_token = Some("wall-display-7".into());
    let (status, body) = post_json(
        &app,
        "/api/login",
        None,
        r#"{"username":"wang","password":"correct horse"}"#,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().expect("token").to_owned();
    assert_eq!(body["user"]["role"], "viewer");
    for bad in [
        r#"{"username":"wang","password":"wrong"}"#,
        r#"{"username":"nobody","password":"x"}"#,
        r#"{"kiosk_token":"guess"}"#,
    ] {
        let (status, body) = post_json(&app, "/api/login", None, bad).await;
        assert_eq!(status, 401, "{bad}: {body}");
    }
    let (status, body) = post_json(
        &app,
        "/api/login",
        None,
        r#"{"kiosk_token":"wall-display-7"}"#,
    )
    .await;
    assert_eq!((status, &body["user"]["username"]), (200, &json!("kiosk")));
    for uri in [
        "/tiles/buildings.json",
        "/tiles/regions/8/0/0.mvt",
        "/api/me",
        "/events",
        "/api/figures/regions/430702",
    ] {
        let (response, body) = send(&app, Request::get(uri), &[], Body::empty()).await;
        assert_eq!(response.status(), 401, "{uri} without a session");
        assert!(String::from_utf8_lossy(&body).contains("log in"), "{uri}");
    }
    let bearer = format!("Bearer {token}");
    let (response, body) = send(
        &app,
        Request::get("/api/me"),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).expect("json")["username"],
        "wang"
    );
    let cookie = format!("theme=dark; onemap_session={token}");
    let (response, _) = send(
        &app,
        Request::get("/api/figures/regions/430702"),
        &[("cookie", &cookie)],
        Body::empty(),
    )
    .await;
    assert_eq!(
        response.status(),
        200,
        "the cookie works as well as the header"
    );
    let (status, _) = post_json(&app, "/api/logout", Some(&token), "").await;
    assert_eq!(status, 200);
    let fresh = state(&pool).await;
    let (response, _) = send(
        &fresh,
        Request::get("/api/me"),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 401, "logged out");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_forward_step_is_written_with_its_event_and_version(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let app = state(&pool).await;
    let (id, version, _) = household(&pool, "surveyed").await;
    let before = events(&pool).await;
    let (status, body) = post_json(
        &app,
        "/api/status",
        Some(&admin),
        &change("household", id, "signed", version),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["status"], "signed");
    assert_eq!(body["results"][0]["version"], version + 1);
    assert_eq!(events(&pool).await, before + 1);
    let (actor, user_id, to, event_version): (String, Option<i32>, String, Option<i32>) =
        sqlx::query_as(
            "SELECT actor, user_id, to_status, version FROM status_events ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(&pool)
        .await
        .expect("event");
    assert_eq!(
        (
            actor.as_str(),
            user_id.is_some(),
            to.as_str(),
            event_version
        ),
        ("admin", true, "signed", Some(version + 1))
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn bad_writes_get_a_4xx_that_names_the_problem_and_write_nothing(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let app = state(&pool).await;
    let (id, version, street) = household(&pool, "surveyed").await;
    let operator = session(&pool, "op", "operator", Some(&street)).await;
    let other_street = if street == "430702001" {
        "430702002"
    } else {
        "430702001"
    };
    let outsider = session(&pool, "outsider", "operator", Some(other_street)).await;
    let viewer = session(&pool, "leader", "viewer", None).await;
    let before = events(&pool).await;
    let stale = change("household", id, "signed", version + 7);
    let skip = change("household", id, "vacated", version);
    let back = change("household", id, "pending", version);
    let cases: Vec<(Option<&str>, String, u16, &str)> = vec![
        (
            Some(&admin),
            change("household", id, "sold", version),
            422,
            "unknown status `sold`",
        ),
        (
            Some(&admin),
            change("household", id, "acquired", version),
            422,
            "unknown status `acquired`",
        ),
        (Some(&operator), skip.clone(), 403, "only an admin"),
        (Some(&operator), back.clone(), 403, "only an admin"),
        (Some(&admin), skip, 422, "needs a reason"),
        (
            Some(&admin),
            change("household", 999_999_999, "signed", 1),
            404,
            "household 999999999 does not exist",
        ),
        (
            Some(&admin),
            change("building", 999_999_999, "signed", 1),
            404,
            "building 999999999 does not exist",
        ),
        (Some(&admin), "{\"changes\": [".into(), 400, "body"),
        (
            Some(&admin),
            json!({"changes": [{"subject": "household", "id": id, "to": "signed"}]}).to_string(),
            422,
            "version is required",
        ),
        (
            Some(&admin),
            json!({"changes": [{"subject": "flat", "id": id, "to": "signed", "version": 1}]})
                .to_string(),
            422,
            "subject",
        ),
        (
            Some(&admin),
            json!({"changes": []}).to_string(),
            422,
            "between 1 and",
        ),
        (
            Some(&admin),
            stale.clone(),
            409,
            "changed since you read it",
        ),
        (
            Some(&outsider),
            change("household", id, "signed", version),
            403,
            "outside your region",
        ),
        (
            Some(&viewer),
            change("household", id, "signed", version),
            403,
            "viewers read",
        ),
        (
            None,
            change("household", id, "signed", version),
            401,
            "log in",
        ),
    ];
    for (token, body, expected, needle) in cases {
        let (status, answer) = post_json(&app, "/api/status", token, &body).await;
        assert_eq!(status, expected, "{body}: {answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(needle),
            "{body}: `{message}` lacks `{needle}`"
        );
    }
    let (_, conflict) = post_json(&app, "/api/status", Some(&admin), &stale).await;
    assert_eq!(
        conflict["current"],
        json!({"subject": "household", "id": id, "status": "surveyed", "version": version})
    );
    assert_eq!(events(&pool).await, before, "nothing written");
    // the operator of the household's own street may make the forward step
    let (status, answer) = post_json(
        &app,
        "/api/status",
        Some(&operator),
        &change("household", id, "signed", version),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_batch_that_fails_in_part_writes_nothing(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let app = state(&pool).await;
    let (id, version, _) = household(&pool, "surveyed").await;
    let before = events(&pool).await;
    let batch = json!({ "changes": [
        { "subject": "household", "id": id, "to": "signed", "version": version },
        { "subject": "household", "id": id, "to": "vacated", "version": version + 1 },
        { "subject": "household", "id": 999_999_999, "to": "signed", "version": 1 },
    ]});
    let (status, answer) = post_json(&app, "/api/status", Some(&admin), &batch.to_string()).await;
    assert_eq!(status, 404, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("changes[2]:"),
        "{answer}"
    );
    assert_eq!(events(&pool).await, before);
    let now: String = sqlx::query_scalar("SELECT status::text FROM households WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .expect("status");
    assert_eq!(now, "surveyed", "the first two changes were rolled back");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn buildings_move_all_households_and_admins_send_back_with_a_reason(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let app = state(&pool).await;
    let (building, version, from, to): (i64, i32, String, String) = sqlx::query_as(
        "SELECT b.id, b.version, b.status::text, CASE b.status WHEN 'surveyed' THEN 'signed' ELSE 'vacated' END
           FROM buildings b WHERE b.households > 1 AND b.status IN ('surveyed', 'signed')
            AND NOT EXISTS (SELECT 1 FROM households h WHERE h.building_id = b.id AND h.status <> b.status) ORDER BY b.households DESC, b.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a building of several households in one status");
    let (status, answer) = post_json(
        &app,
        "/api/status",
        Some(&admin),
        &change("building", building, &to, version),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let event_ids = answer["results"][0]["event_ids"]
        .as_array()
        .expect("ids")
        .clone();
    let households: i64 =
        sqlx::query_scalar("SELECT count(*) FROM households WHERE building_id = $1")
            .bind(building)
            .fetch_one(&pool)
            .await
            .expect("n");
    assert_eq!(
        event_ids.len() as i64,
        households,
        "one event per household"
    );
    // a leader's send-back (退回) of one household's signing: the reverse move, with the reason
    let first = event_ids[0].as_i64().expect("id");
    let (status, answer) = post_json(
        &app,
        "/api/status/send-back",
        Some(&admin),
        &json!({"event_id": first, "reason": "协议未按规定公示"}).to_string(),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (to, reason): (String, String) =
        sqlx::query_as("SELECT to_status, reason FROM status_events ORDER BY id DESC LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("event");
    assert_eq!(to, from);
    assert!(
        reason.contains("退回") && reason.contains("协议未按规定公示"),
        "{reason}"
    );
    let building_status: String =
        sqlx::query_scalar("SELECT status::text FROM buildings WHERE id = $1")
            .bind(building)
            .fetch_one(&pool)
            .await
            .expect("b");
    assert_eq!(building_status, from, "least advanced household again");
    let operator = session(&pool, "op", "operator", Some("430702")).await;
    let (status, _) = post_json(
        &app,
        "/api/status/send-back",
        Some(&operator),
        &json!({"event_id": first, "reason": "x"}).to_string(),
    )
    .await;
    assert_eq!(status, 403, "only admins send back");
    let (status, _) = post_json(
        &app,
        "/api/status/send-back",
        Some(&admin),
        &json!({"event_id": first, "reason": "again"}).to_string(),
    )
    .await;
    assert_eq!(status, 409, "it has already been sent back");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn concurrent_conflicting_writers_win_each_version_exactly_once(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let app = state(&pool).await;
    let (id, start, _) = household(&pool, "surveyed").await;
    let before = events(&pool).await;
    let mut writers = Vec::new();
    for writer in 0..50 {
        let (app, admin) = (app.clone(), admin.clone());
        writers.push(tokio::spawn(async move {
            let mut won = Vec::new();
            for _ in 0..6 {
                // read, then try to move on from what was read: forward, or back with a reason
                let row: (String, i32) = sqlx::query_as("SELECT status::text, version FROM households WHERE id = $1")
                    .bind(id)
                    .fetch_one(&app.pool)
                    .await
                    .expect("read");
                let to = if row.0 == "surveyed" { "signed" } else { "surveyed" };
                let body = json!({"changes": [{"subject": "household", "id": id, "to": to, "version": row.1, "reason": format!("writer {writer}")}]});
                let (status, answer) = post_json(&app, "/api/status", Some(&admin), &body.to_string()).await;
                match status {
                    200 => won.push(row.1),
                    409 => {}
                    other => panic!("writer {writer}: unexpected {other}: {answer}"),
                }
            }
            won
        }));
    }
    let mut won: Vec<i32> = Vec::new();
    for writer in writers {
        won.extend(writer.await.expect("writer"));
    }
    won.sort_unstable();
    let expected: Vec<i32> = (start..start + won.len() as i32).collect();
    assert_eq!(
        won, expected,
        "every version won exactly once, none skipped"
    );
    assert!(won.len() >= 6, "writers made progress ({} wins)", won.len());
    assert_eq!(
        events(&pool).await - before,
        won.len() as i64,
        "one event per successful write"
    );
    let version: i32 = sqlx::query_scalar("SELECT version FROM households WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .expect("v");
    assert_eq!(version, start + won.len() as i32);
}
