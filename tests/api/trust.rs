//! Trust: least privilege in the database, login throttling, sessions, CSRF, the kiosk's
//! scope, bounded replays and security headers — each finding of the abuse review replayed.
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{demo_city, post_json, role_pool, send, serve_binary, session, state};
use crate::sse::{serve, SseClient};

async fn audit_count(pool: &PgPool, action: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(pool)
        .await
        .expect("count")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn the_service_role_cannot_escalate_and_the_public_role_cannot_read_people(pool: PgPool) {
    let app = role_pool(&pool, "app").await;
    onemap::db::check_service_role(&app)
        .await
        .expect("onemap_app is fit to serve");
    assert!(
        onemap::db::check_service_role(&pool).await.is_err(),
        "the superuser is refused"
    );
    for forbidden in [
        "CREATE TABLE stolen (x int)",
        "SELECT pg_read_file('/etc/passwd')",
        "COPY (SELECT 1) TO PROGRAM 'true'",
        "TRUNCATE status_events",
        "ALTER TABLE households DISABLE TRIGGER USER",
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99999, 'x', true, '', 0)",
        "CREATE ROLE intruder SUPERUSER",
    ] {
        let refused = sqlx::query(forbidden).execute(&app).await;
        assert!(refused.is_err(), "onemap_app may not: {forbidden}");
    }
    let public = role_pool(&pool, "public").await;
    onemap::db::check_public_role(&public)
        .await
        .expect("onemap_public cannot read people");
    assert!(
        onemap::db::check_public_role(&app).await.is_err(),
        "the service's role is refused for the residents' pages"
    );
    for forbidden in [
        "SELECT holder_name FROM households",
        "SELECT holder_id_number FROM households",
        "SELECT * FROM users",
        "SELECT * FROM sessions",
    ] {
        assert!(
            sqlx::query(forbidden).execute(&public).await.is_err(),
            "onemap_public may not: {forbidden}"
        );
    }
    // the attack's way in (GDAL's PG: driver as the superuser over TCP) is closed by the cluster itself
    let options = pool.connect_options();
    let as_postgres = format!(
        "postgres://postgres@127.0.0.1:{}/{}",
        options.get_port(),
        options.get_database().expect("db")
    );
    assert!(
        sqlx::PgPool::connect(&as_postgres).await.is_err(),
        "no superuser login over TCP"
    );
}

async fn add_user(pool: &PgPool, name: &str, password: &str) {
    onemap::auth::create_user(pool, name, password, onemap::auth::Role::Admin, None)
        .await
        .expect("user");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn passwords_follow_the_policy(pool: PgPool) {
    for (password, why) in [
        ("short-pw", "at least 10"),
        ("wang.admin", "username"),
        ("aaaaaaaaaaaa", "repeat"),
    ] {
        let refused = onemap::auth::create_user(
            &pool,
            "wang.admin",
            password,
            onemap::auth::Role::Viewer,
            None,
        )
        .await;
        let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains(why), "{password}: {message}");
    }
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(users, 0);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn repeated_failures_lock_an_account_known_or_not_until_an_admin_unlocks_it(pool: PgPool) {
    add_user(&pool, "wang", "correct horse battery").await;
    let app = state(&pool).await;
    for _ in 0..onemap::auth::throttle::ACCOUNT_FAILURES - 1 {
        let (status, _) = post_json(
            &app,
            "/api/login",
            None,
            r#"{"username":"wang","password":"guess-guess"}"#,
        )
        .await;
        assert_eq!(status, 401);
    }
    let (status, locked) = post_json(
        &app,
        "/api/login",
        None,
        r#"{"username":"wang","password":"guess-guess"}"#,
    )
    .await;
    assert_eq!(status, 429, "the fifth failure locks: {locked}");
    assert!(
        locked["message"]
            .as_str()
            .is_some_and(|m| m.contains("locked") && m.contains("admin")),
        "{locked}"
    );
    // the right password does not get through a lock
    let (status, _) = post_json(
        &app,
        "/api/login",
        None,
        r#"{"username":"wang","password":"correct horse battery"}"#,
    )
    .await;
    assert_eq!(status, 429);
    // an unknown name answers exactly as a known one does, lock included
    for i in 0..onemap::auth::throttle::ACCOUNT_FAILURES {
        let (status, _) = post_json(
            &app,
            "/api/login",
            None,
            r#"{"username":"nobody","password":"guess-guess"}"#,
        )
        .await;
        assert_eq!(
            status,
            if i + 1 < onemap::auth::throttle::ACCOUNT_FAILURES {
                401
            } else {
                429
            }
        );
    }
    // an admin unlocks it (a viewer may not)
    let viewer = session(&pool, "viewer", "viewer", None).await;
    let admin = session(&pool, "boss", "admin", None).await;
    let (status, _) = post_json(&app, "/api/users/wang/unlock", Some(&viewer), "{}").await;
    assert_eq!(status, 403);
    let (status, unlocked) = post_json(&app, "/api/users/wang/unlock", Some(&admin), "{}").await;
    assert_eq!(
        (status, &unlocked["failures_forgotten"]),
        (200, &json!(onemap::auth::throttle::ACCOUNT_FAILURES)),
        "{unlocked}"
    );
    let (status, _) = post_json(
        &app,
        "/api/login",
        None,
        r#"{"username":"wang","password":"correct horse battery"}"#,
    )
    .await;
    assert_eq!(status, 200, "unlocked, the owner logs in");
    assert_eq!(
        audit_count(&pool, "login_failed").await,
        2 * onemap::auth::throttle::ACCOUNT_FAILURES
    );
    assert_eq!(audit_count(&pool, "login_locked").await, 2);
    assert_eq!(audit_count(&pool, "login_unlocked").await, 1);
    assert_eq!(audit_count(&pool, "login").await, 1);
    // HTTP Basic goes through the same gate
    for _ in 0..onemap::auth::throttle::ACCOUNT_FAILURES {
        let basic = format!("Basic {}", base64_encode("wang:wrong-password"));
        send(
            &app,
            Request::get("/api/me"),
            &[("authorization", &basic)],
            Body::empty(),
        )
        .await;
    }
    let right = format!("Basic {}", base64_encode("wang:correct horse battery"));
    let (response, _) = send(
        &app,
        Request::get("/api/me"),
        &[("authorization", &right)],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status().as_u16(), 429, "Basic is locked out too");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_request_that_takes_too_long_is_ended_with_a_408(pool: PgPool) {
    use futures_util::StreamExt;
    let mut app = state(&pool).await;
    app.request_timeout = Duration::from_secs(1);
    // a body that starts and never ends: the server must not wait for it forever
    let body = Body::from_stream(
        futures_util::stream::once(async {
            Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"{"))
        })
        .chain(futures_util::stream::pending()),
    );
    let started = std::time::Instant::now();
    let (response, bytes) = send(
        &app,
        Request::post("/api/login"),
        &[("content-type", "application/json")],
        body,
    )
    .await;
    assert_eq!(response.status().as_u16(), 408);
    let answer: serde_json::Value = serde_json::from_slice(&bytes).expect("a JSON error");
    assert_eq!(answer["error"], "timeout", "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

fn base64_encode(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn one_address_trying_many_accounts_is_slowed(pool: PgPool) {
    let (base, _app) = serve(&pool).await;
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for i in 0..=onemap::auth::throttle::ADDRESS_FAILURES {
        let r = http
            .post(format!("{base}/api/login"))
            .json(&json!({"username": format!("user{i}"), "password": "guess-guess"}))
            .send()
            .await
            .expect("post");
        statuses.push(r.status().as_u16());
    }
    assert!(
        statuses[..statuses.len() - 1].iter().all(|s| *s == 401),
        "{statuses:?}"
    );
    assert_eq!(
        statuses.last(),
        Some(&429),
        "the address waits after {} failures",
        onemap::auth::throttle::ADDRESS_FAILURES
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn idle_sessions_end_and_a_logout_ends_the_session_on_every_instance(pool: PgPool) {
    add_user(&pool, "li", "correct horse battery").await;
    let first = state(&pool).await;
    let second = state(&pool).await;
    onemap::live::spawn_listener(second.pool.clone(), second.hub.clone());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, login) = post_json(
        &first,
        "/api/login",
        None,
        r#"{"username":"li","password":"correct horse battery"}"#,
    )
    .await;
    let token = login["token"].as_str().expect("token").to_owned();
    let bearer = format!("Bearer {token}");
    let (me, _) = send(
        &second,
        Request::get("/api/me"),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    assert_eq!(
        me.status().as_u16(),
        200,
        "the second instance now remembers the session"
    );
    let (status, _) = post_json(&first, "/api/logout", Some(&token), "{}").await;
    assert_eq!(status, 200);
    let mut refused = false;
    for _ in 0..20 {
        let (me, _) = send(
            &second,
            Request::get("/api/me"),
            &[("authorization", &bearer)],
            Body::empty(),
        )
        .await;
        if me.status().as_u16() == 401 {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        refused,
        "the other instance forgets the session within 2 s, not 30"
    );
    assert_eq!(audit_count(&pool, "logout").await, 1);

    let idle = session(&pool, "idler", "viewer", None).await;
    sqlx::query("UPDATE sessions SET last_seen_at = now() - make_interval(mins => $1 + 1)")
        .bind(onemap::auth::SESSION_IDLE_MINUTES)
        .execute(&pool)
        .await
        .expect("age");
    let (me, _) = send(
        &state(&pool).await,
        Request::get("/api/me"),
        &[("authorization", &format!("Bearer {idle}"))],
        Body::empty(),
    )
    .await;
    assert_eq!(me.status().as_u16(), 401, "an idle session has ended");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_cookie_alone_never_changes_anything(pool: PgPool) {
    demo_city(&pool).await;
    let (base, _server) = serve_binary(&pool, &[]).await;
    let token = session(&pool, "boss", "admin", None).await;
    let cookie = format!("onemap_session={token}");
    let host = base.trim_start_matches("http://").to_owned();
    let http = reqwest::Client::new();
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&pool)
        .await
        .expect("count");
    let post = |path: &str| http.post(format!("{base}{path}")).header("cookie", &cookie);
    // the reviewed attack: an auto-submitted text/plain form from another port of this host
    let r = post("/api/logout")
        .header("content-type", "text/plain")
        .header("origin", "http://127.0.0.1:1")
        .body("")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 400, "text/plain is refused");
    let r = post("/api/logout").send().await.expect("post");
    assert_eq!(r.status().as_u16(), 400, "no content type is refused");
    let r = post("/api/logout")
        .header("content-type", "application/json")
        .header("origin", "http://127.0.0.1:1")
        .body("{}")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 403, "another origin is refused");
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("origin")),
        "{body}"
    );
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"{}".to_vec()).file_name("a.geojson"),
    );
    let r = post("/api/overlay")
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.status().as_u16(),
        403,
        "a multipart post without X-Requested-With is refused"
    );
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(
        sessions, 1,
        "the session was not ended by any forged request"
    );
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(before, after, "nothing was written");
    // the page itself: JSON from its own origin
    let r = post("/api/logout")
        .header("content-type", "application/json")
        .header("origin", format!("http://{host}"))
        .body("{}")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 200);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn the_kiosk_reads_figures_and_tiles_only_and_its_tokens_are_revocable(pool: PgPool) {
    demo_city(&pool).await;
    let mut app = state(&pool).await;
    app.kiosk_token = Some("configured-kiosk".into());
    let (status, login) = post_json(
        &app,
        "/api/login",
        None,
        r#"{"kiosk_token":"configured-kiosk"}"#,
    )
    .await;
    assert_eq!(status, 200, "{login}");
    let kiosk = format!("Bearer {}", login["token"].as_str().expect("token"));
    for allowed in [
        "/api/figures/projects",
        "/api/figures/regions",
        "/api/alerts",
        "/api/me",
        "/tiles/projects/10/853/418.mvt",
    ] {
        let (r, _) = send(
            &app,
            Request::get(allowed),
            &[("authorization", &kiosk)],
            Body::empty(),
        )
        .await;
        assert!(r.status().as_u16() < 400, "{allowed}: {}", r.status());
    }
    for refused in [
        "/api/households?project=1",
        "/api/objections",
        "/api/exports/projects.xlsx",
        "/ogc/collections/buildings/items",
        "/api/buildings/1",
    ] {
        let (r, _) = send(
            &app,
            Request::get(refused),
            &[("authorization", &kiosk)],
            Body::empty(),
        )
        .await;
        assert_eq!(r.status().as_u16(), 403, "{refused}");
    }
    let (r, _) = send(
        &app,
        Request::post("/api/status"),
        &[
            ("authorization", &kiosk),
            ("content-type", "application/json"),
        ],
        Body::from(r#"{"changes":[]}"#),
    )
    .await;
    assert_eq!(r.status().as_u16(), 403);

    let issued = onemap::auth::kiosk::issue(&pool, "hall-1", false)
        .await
        .expect("issue");
    let (status, login) = post_json(
        &app,
        "/api/login",
        None,
        &json!({"kiosk_token": issued}).to_string(),
    )
    .await;
    assert_eq!(status, 200);
    let wall = format!("Bearer {}", login["token"].as_str().expect("token"));
    let rotated = onemap::auth::kiosk::issue(&pool, "hall-1", true)
        .await
        .expect("rotate");
    let (status, _) = post_json(
        &app,
        "/api/login",
        None,
        &json!({"kiosk_token": issued}).to_string(),
    )
    .await;
    assert_eq!(status, 401, "the old token is refused");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let fresh = state(&pool).await;
    let (r, _) = send(
        &fresh,
        Request::get("/api/me"),
        &[("authorization", &wall)],
        Body::empty(),
    )
    .await;
    assert_eq!(r.status().as_u16(), 401, "its wall's session ended with it");
    let (status, _) = post_json(
        &app,
        "/api/login",
        None,
        &json!({"kiosk_token": rotated}).to_string(),
    )
    .await;
    assert_eq!(status, 200, "the new token works");
    assert!(
        onemap::auth::kiosk::revoke(&pool, "hall-1")
            .await
            .expect("revoke")
            == 1
    );
    let (status, _) = post_json(
        &app,
        "/api/login",
        None,
        &json!({"kiosk_token": rotated}).to_string(),
    )
    .await;
    assert_eq!(status, 401);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn old_gaps_reload_instead_of_replaying_and_screens_get_no_free_text(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let app = state(&pool).await;
    let (base, _server) = serve_binary(&pool, &["--kiosk-token", "wall"]).await;
    // the demo's history is days old: resuming from 0 asks the page to reload, replays nothing
    let mut from_zero =
        SseClient::connect(&format!("{base}/events?heartbeat=1"), &admin, Some(0)).await;
    let first = from_zero
        .next(Duration::from_secs(5))
        .await
        .expect("an event");
    assert_eq!(first.event, "reload", "{first:?}");
    assert!(first.data["last_event_id"]
        .as_i64()
        .is_some_and(|id| id > 0));

    let latest: i64 = sqlx::query_scalar("SELECT max(id) FROM status_events")
        .fetch_one(&pool)
        .await
        .expect("max");
    let (id, version): (i64, i32) = sqlx::query_as(
        "SELECT id, version FROM households WHERE status = 'surveyed' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("household");
    let login: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/api/login"))
        .json(&json!({"kiosk_token": "wall"}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    let kiosk = login["token"].as_str().expect("token").to_owned();
    let body = json!({"changes": [{"subject": "household", "id": id, "to": "signed", "version": version}]});
    let (status, answer) = post_json(&app, "/api/status", Some(&admin), &body.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    // a recent gap replays in full, with the actor for staff and without it for the wall
    let mut staff =
        SseClient::connect(&format!("{base}/events?heartbeat=1"), &admin, Some(latest)).await;
    let mut wall =
        SseClient::connect(&format!("{base}/events?heartbeat=1"), &kiosk, Some(latest)).await;
    let staff_event = staff
        .status_events(1, Duration::from_secs(5))
        .await
        .remove(0);
    let wall_event = wall
        .status_events(1, Duration::from_secs(5))
        .await
        .remove(0);
    assert_eq!(staff_event.data["household_id"], id);
    assert_eq!(staff_event.data["actor"], "admin");
    assert_eq!(wall_event.data["household_id"], id);
    assert!(
        wall_event.data.get("actor").is_none() && wall_event.data.get("reason").is_none(),
        "{:?}",
        wall_event.data
    );
    // the wall's ticker reads the same way
    let (_, recent) = send(
        &app,
        Request::get("/api/events/recent?limit=1"),
        &[("authorization", &format!("Bearer {kiosk}"))],
        Body::empty(),
    )
    .await;
    let recent: serde_json::Value = serde_json::from_slice(&recent).expect("json");
    assert_eq!(recent["events"][0]["household_id"], id);
    assert!(recent["events"][0].get("actor").is_none(), "{recent}");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn every_answer_carries_the_security_headers(pool: PgPool) {
    let mut app = state(&pool).await;
    let token = session(&pool, "reader", "viewer", None).await;
    let (r, _) = send(
        &app,
        Request::get("/api/me"),
        &[("authorization", &format!("Bearer {token}"))],
        Body::empty(),
    )
    .await;
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().expect("csp");
    assert!(
        csp.contains("script-src 'self'")
            && !csp.contains("unsafe-eval")
            && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(
        !csp.split(';')
            .any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline")),
        "no inline script: {csp}"
    );
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(
        h["cache-control"], "no-store",
        "personal answers are not stored"
    );
    app.secure_cookies = true;
    add_user(&pool, "zhao", "correct horse battery").await;
    let (r, _) = send(
        &app,
        Request::post("/api/login"),
        &[("content-type", "application/json")],
        Body::from(r#"{"username":"zhao","password":"correct horse battery"}"#),
    )
    .await;
    let cookie = r.headers()["set-cookie"].to_str().expect("cookie");
    assert!(
        cookie.contains("; Secure")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_vrt_in_disguise_is_not_read_and_viewers_cannot_send_files(pool: PgPool) {
    demo_city(&pool).await;
    let (base, _app) = serve(&pool).await;
    let planner = session(&pool, "planner", "planner", None).await;
    let viewer = session(&pool, "viewer", "viewer", None).await;
    let holder: String =
        sqlx::query_scalar("SELECT holder_name FROM households ORDER BY id LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("holder");
    let options = pool.connect_options();
    let vrt = format!(
        r#"<OGRVRTDataSource><OGRVRTLayer name="x">
             <SrcDataSource>PG:host=127.0.0.1 port={} dbname={} user=onemap_app password={}</SrcDataSource>
             <SrcSQL>SELECT holder_name, holder_id_number FROM households</SrcSQL>
           </OGRVRTLayer></OGRVRTDataSource>"#,
        options.get_port(),
        options.get_database().expect("db"),
        std::env::var("ONEMAP_APP_PASSWORD").unwrap_or_default()
    );
    let http = reqwest::Client::new();
    let form = |bytes: Vec<u8>, name: &str| {
        reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        )
    };
    let r = http
        .post(format!("{base}/api/overlay"))
        .bearer_auth(&planner)
        .multipart(form(vrt.clone().into_bytes(), "plan.geojson"))
        .send()
        .await
        .expect("post");
    let status = r.status().as_u16();
    let text = r.text().await.expect("text");
    assert_eq!(status, 422, "{text}");
    assert!(!text.contains(&holder), "no holder name comes back");
    let r = http
        .post(format!("{base}/api/overlay"))
        .bearer_auth(&viewer)
        .multipart(form(vrt.into_bytes(), "plan.geojson"))
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.status().as_u16(),
        403,
        "a viewer (and the kiosk) may not hand the server files"
    );
}
