//! Administration (issue 13): accounts, kiosk tokens and the audit trail are for admins only;
//! a change of role, a disabling or a new password ends the person's sessions on every
//! instance; no admin can remove the last admin, even two at once; a revoked kiosk token opens
//! nothing; the trail filters by who, what, when and project and exports as XLSX.
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use onemap::AppState;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::exports::sheet_rows;
use crate::helpers::{demo_city, send, session, state};

/// A JSON request with a bearer token (None: anonymous): status and the JSON answer.
pub(crate) async fn call(
    app: &AppState,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(b) = &bearer {
        headers.push(("authorization", b.as_str()));
    }
    let request = Request::builder().method(method).uri(uri);
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let (response, bytes) = send(app, request, &headers, body).await;
    (
        response.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Logs in with a password; the session token, or the refusal's status.
async fn login(app: &AppState, username: &str, password: &str) -> Result<String, u16> {
    let (status, body) = call(
        app,
        "POST",
        "/api/login",
        None,
        Some(json!({ "username": username, "password": password })),
    )
    .await;
    match body["token"].as_str() {
        Some(token) if status == 200 => Ok(token.to_owned()),
        _ => Err(status),
    }
}

async fn me(app: &AppState, token: &str) -> u16 {
    call(app, "GET", "/api/me", Some(token), None).await.0
}

/// A city and one of its districts, enough for operators' regions; answers the district's code.
async fn district(pool: &PgPool) -> String {
    sqlx::raw_sql(
        "INSERT INTO regions (code, name, level, geom_source, geom)
         VALUES ('430700', '测试市', 'city', 'test', ST_Multi(ST_MakeEnvelope(111, 28, 112, 29, 4326)));
         INSERT INTO regions (code, name, level, parent_id, geom_source, geom)
         SELECT '430702', '测试区', 'district', id, 'test', ST_Multi(ST_MakeEnvelope(111, 28, 111.5, 28.5, 4326)) FROM regions WHERE code = '430700'",
    )
    .execute(pool)
    .await
    .expect("regions");
    "430702".into()
}

async fn audit_lines(pool: &PgPool, action: &str) -> Vec<(Option<String>, String, Value)> {
    sqlx::query_as(
        "SELECT u.username, a.subject, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.action = $1 ORDER BY a.id",
    )
    .bind(action)
    .fetch_all(pool)
    .await
    .expect("audit lines")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn admin_routes_refuse_everyone_but_admins_and_write_nothing(pool: PgPool) {
    let region = district(&pool).await;
    let app = state(&pool).await;
    let admin = session(&pool, "boss", "admin", None).await;
    let others = [
        session(&pool, "vera", "viewer", None).await,
        session(&pool, "pia", "planner", None).await,
        session(&pool, "otto", "operator", Some(&region)).await,
    ];
    let (status, _) = call(
        &app,
        "POST",
        "/api/kiosk-tokens",
        Some(&admin),
        Some(json!({ "label": "hall-1" })),
    )
    .await;
    assert_eq!(status, 201);
    let before: (i64, i64, i64) = sqlx::query_as("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM audit_log), (SELECT count(*) FROM kiosk_tokens)")
        .fetch_one(&pool)
        .await
        .expect("counts");
    let requests = [
        ("GET", "/api/users", None),
        (
            "POST",
            "/api/users",
            Some(json!({ "username": "mallory", "role": "admin", "password": "mallory-pw-2026" })),
        ),
        ("PUT", "/api/users/vera", Some(json!({ "role": "admin" }))),
        ("POST", "/api/users/boss/disable", Some(json!({}))),
        ("POST", "/api/users/vera/enable", Some(json!({}))),
        (
            "POST",
            "/api/users/boss/password",
            Some(json!({ "password": "taken-over-2026" })),
        ),
        ("POST", "/api/users/boss/unlock", Some(json!({}))),
        ("GET", "/api/kiosk-tokens", None),
        (
            "POST",
            "/api/kiosk-tokens",
            Some(json!({ "label": "hall-9" })),
        ),
        ("POST", "/api/kiosk-tokens/hall-1/rotate", Some(json!({}))),
        ("POST", "/api/kiosk-tokens/hall-1/revoke", Some(json!({}))),
        ("GET", "/api/audit", None),
        ("GET", "/api/audit.xlsx", None),
    ];
    for (method, uri, body) in &requests {
        for token in &others {
            let (status, answer) = call(&app, method, uri, Some(token), body.clone()).await;
            assert_eq!(status, 403, "{method} {uri} as {token}: {answer}");
            assert_eq!(answer["error"], "forbidden");
        }
        let (status, _) = call(&app, method, uri, None, body.clone()).await;
        assert_eq!(status, 401, "{method} {uri} anonymously");
    }
    let after: (i64, i64, i64) = sqlx::query_as("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM audit_log), (SELECT count(*) FROM kiosk_tokens)")
        .fetch_one(&pool)
        .await
        .expect("counts");
    assert_eq!(before, after, "refused requests wrote nothing");
    let (status, list) = call(&app, "GET", "/api/users", Some(&admin), None).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = list["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert_eq!(
        names,
        ["boss", "otto", "pia", "vera"],
        "by name; the wall displays' account is not a person's"
    );
    let otto = &list["users"][1];
    assert_eq!(
        (&otto["role"], &otto["region_code"], &otto["region_name"]),
        (&json!("operator"), &json!("430702"), &json!("测试区"))
    );
    assert_eq!(
        (&otto["disabled"], &otto["locked"]),
        (&json!(false), &json!(false))
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn an_admin_creates_changes_disables_and_resets_accounts_and_their_sessions_end_everywhere(
    pool: PgPool,
) {
    let region = district(&pool).await;
    let app = state(&pool).await;
    let other = state(&pool).await;
    onemap::live::spawn_listener(other.pool.clone(), other.hub.clone());
    let admin = session(&pool, "boss", "admin", None).await;
    let create = |body: Value| call(&app, "POST", "/api/users", Some(&admin), Some(body));

    for (body, field) in [
        (
            json!({ "username": "li", "role": "operator", "region_code": region, "password": "short" }),
            "password:",
        ),
        (
            json!({ "username": "li", "role": "operator", "password": "li-password-2026" }),
            "region:",
        ),
        (
            json!({ "username": "li", "role": "operator", "region_code": "999999", "password": "li-password-2026" }),
            "region:",
        ),
        (
            json!({ "username": "li", "role": "boss", "password": "li-password-2026" }),
            "role:",
        ),
        (
            json!({ "username": "l i", "role": "viewer", "password": "li-password-2026" }),
            "username:",
        ),
        (
            json!({ "username": "kiosk", "role": "viewer", "password": "li-password-2026" }),
            "username:",
        ),
    ] {
        let (status, answer) = create(body.clone()).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert!(
            answer["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(field)),
            "{body}: {answer}"
        );
    }
    let (status, answer) = create(json!({ "username": "li", "role": "operator", "region_code": region, "password": "li-password-2026" })).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(
        (&answer["user"]["region_name"], &answer["password"]),
        (&json!("测试区"), &Value::Null)
    );
    let (status, answer) =
        create(json!({ "username": "li", "role": "viewer", "password": "another-pw-2026" })).await;
    assert_eq!(
        (
            status,
            answer["message"]
                .as_str()
                .map(|m| m.starts_with("username:"))
        ),
        (409, Some(true))
    );

    // a role change ends the sessions: the new role holds at once, here and on the other instance
    let token = login(&app, "li", "li-password-2026")
        .await
        .expect("li logs in");
    assert_eq!(
        (me(&app, &token).await, me(&other, &token).await),
        (200, 200),
        "both instances remember li"
    );
    let (status, answer) = call(
        &app,
        "PUT",
        "/api/users/li",
        Some(&admin),
        Some(json!({ "role": "viewer", "region_code": null })),
    )
    .await;
    assert_eq!(
        (status, &answer["user"]["role"]),
        (200, &json!("viewer")),
        "{answer}"
    );
    assert_eq!(
        me(&app, &token).await,
        401,
        "li's session ended with the role change"
    );
    let token = login(&app, "li", "li-password-2026")
        .await
        .expect("li logs in again");
    assert_eq!(
        call(&app, "GET", "/api/me", Some(&token), None).await.1["role"],
        "viewer"
    );
    assert_eq!(me(&other, &token).await, 200);

    // disabled: no session anywhere within 2 s, and the login answers like a wrong password
    let (status, answer) = call(
        &app,
        "POST",
        "/api/users/li/disable",
        Some(&admin),
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (status, &answer["user"]["disabled"]),
        (200, &json!(true)),
        "{answer}"
    );
    assert_eq!(me(&app, &token).await, 401);
    let mut ended = false;
    for _ in 0..20 {
        if me(&other, &token).await == 401 {
            ended = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        ended,
        "the other instance forgets a disabled person's session within 2 s"
    );
    assert_eq!(
        login(&app, "li", "li-password-2026").await,
        Err(401),
        "a disabled account cannot log in"
    );
    let (status, _) = call(
        &app,
        "POST",
        "/api/users/li/enable",
        Some(&admin),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200);
    let token = login(&app, "li", "li-password-2026")
        .await
        .expect("enabled again");

    // a generated password: shown once, the old one and the old sessions gone
    let (status, answer) = call(
        &app,
        "POST",
        "/api/users/li/password",
        Some(&admin),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let generated = answer["password"]
        .as_str()
        .expect("a generated password")
        .to_owned();
    assert_eq!(
        me(&app, &token).await,
        401,
        "sessions end with a new password"
    );
    assert_eq!(login(&app, "li", "li-password-2026").await, Err(401));
    login(&app, "li", &generated)
        .await
        .expect("the generated password logs in");
    let (status, answer) = call(
        &app,
        "POST",
        "/api/users/li/password",
        Some(&admin),
        Some(json!({ "password": "li" })),
    )
    .await;
    assert_eq!(
        (
            status,
            answer["message"]
                .as_str()
                .map(|m| m.starts_with("password:"))
        ),
        (422, Some(true))
    );
    let (status, answer) = call(
        &app,
        "POST",
        "/api/users/li/password",
        Some(&admin),
        Some(json!({ "password": "chosen-by-boss-7" })),
    )
    .await;
    assert_eq!((status, &answer["password"]), (200, &Value::Null));
    login(&app, "li", "chosen-by-boss-7")
        .await
        .expect("the admin's password logs in");
    let (status, _) = call(
        &app,
        "POST",
        "/api/users/nobody/disable",
        Some(&admin),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 404);

    for action in [
        "user_created",
        "user_updated",
        "user_disabled",
        "user_enabled",
        "user_password_reset",
    ] {
        let lines = audit_lines(&pool, action).await;
        assert!(!lines.is_empty(), "{action} is audited");
        assert!(
            lines
                .iter()
                .all(|(who, subject, _)| who.as_deref() == Some("boss") && subject == "user li"),
            "{action}: {lines:?}"
        );
    }
    let resets = audit_lines(&pool, "user_password_reset").await;
    assert_eq!(resets[0].2["generated"], true);
    let everything: String =
        sqlx::query_scalar("SELECT string_agg(detail::text, ' ') FROM audit_log")
            .fetch_one(&pool)
            .await
            .expect("details");
    assert!(
        !everything.contains(&generated) && !everything.contains("chosen-by-boss-7"),
        "no password is ever audited"
    );
    let updated = &audit_lines(&pool, "user_updated").await[0].2;
    assert_eq!(
        (&updated["role"]["from"], &updated["role"]["to"]),
        (&json!("operator"), &json!("viewer"))
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn no_admin_can_remove_themselves_or_the_last_admin_even_two_at_once(pool: PgPool) {
    let app = state(&pool).await;
    let boss = session(&pool, "boss", "admin", None).await;
    for (method, uri, body) in [
        ("PUT", "/api/users/boss", json!({ "role": "viewer" })),
        ("POST", "/api/users/boss/disable", json!({})),
    ] {
        let (status, answer) = call(&app, method, uri, Some(&boss), Some(body)).await;
        assert_eq!(status, 409, "{uri}: {answer}");
        assert!(
            answer["message"]
                .as_str()
                .is_some_and(|m| m.contains("your own account")),
            "{answer}"
        );
    }
    let (status, _) = call(
        &app,
        "PUT",
        "/api/users/boss",
        Some(&boss),
        Some(json!({ "role": "admin", "region_code": null })),
    )
    .await;
    assert_eq!(status, 200, "no change is no demotion");
    // two admins demote each other at the same moment: one wins, one admin is left
    let chief = session(&pool, "chief", "admin", None).await;
    let (a, b) = tokio::join!(
        call(
            &app,
            "PUT",
            "/api/users/chief",
            Some(&boss),
            Some(json!({ "role": "viewer" }))
        ),
        call(
            &app,
            "PUT",
            "/api/users/boss",
            Some(&chief),
            Some(json!({ "role": "viewer" }))
        ),
    );
    // one wins; the other is refused as the last admin (409), or, when the winner's demotion
    // committed first, finds its own session ended with its role (401)
    let mut statuses = [a.0, b.0];
    statuses.sort_unstable();
    assert!(
        statuses == [200, 409] || statuses == [200, 401],
        "{a:?} {b:?}"
    );
    let loser = if a.0 == 200 { &b } else { &a };
    if loser.0 == 409 {
        assert!(
            loser.1["message"]
                .as_str()
                .is_some_and(|m| m.contains("last admin")),
            "{loser:?}"
        );
    }
    let admins: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(admins, 1);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn kiosk_tokens_are_issued_rotated_and_revoked_and_a_revoked_one_opens_nothing(pool: PgPool) {
    let app = state(&pool).await;
    let admin = session(&pool, "boss", "admin", None).await;
    let kiosk_login = |token: String| {
        call(
            &app,
            "POST",
            "/api/login",
            None,
            Some(json!({ "kiosk_token": token })),
        )
    };

    let (status, issued) = call(
        &app,
        "POST",
        "/api/kiosk-tokens",
        Some(&admin),
        Some(json!({ "label": "hall-2" })),
    )
    .await;
    assert_eq!(status, 201, "{issued}");
    let first = issued["token"].as_str().expect("token").to_owned();
    assert_eq!(
        issued["wall_url"],
        format!("http://test.local/wall/?kiosk={first}")
    );
    for (label, expected) in [("hall-2", 409), ("hall 2", 422), ("", 422)] {
        let (status, answer) = call(
            &app,
            "POST",
            "/api/kiosk-tokens",
            Some(&admin),
            Some(json!({ "label": label })),
        )
        .await;
        assert_eq!(status, expected, "{label}: {answer}");
        assert!(
            answer["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("label:")),
            "{answer}"
        );
    }
    let (status, wall) = kiosk_login(first.clone()).await;
    assert_eq!(status, 200);
    let wall = wall["token"].as_str().expect("session").to_owned();
    let (_, list) = call(&app, "GET", "/api/kiosk-tokens", Some(&admin), None).await;
    assert!(
        !list.to_string().contains(&first),
        "the list never holds a token"
    );
    assert_eq!(list["tokens"][0]["label"], "hall-2");
    assert!(list["tokens"][0]["last_used_at"].is_string(), "{list}");
    assert!(list["tokens"][0]["revoked_at"].is_null());

    let (status, rotated) = call(
        &app,
        "POST",
        "/api/kiosk-tokens/hall-2/rotate",
        Some(&admin),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "{rotated}");
    let second = rotated["token"].as_str().expect("token").to_owned();
    assert_ne!(first, second);
    assert_eq!(
        me(&app, &wall).await,
        401,
        "the wall's session ended with the rotation"
    );
    assert_eq!(
        kiosk_login(first).await.0,
        401,
        "the old token opens nothing"
    );
    let (status, wall) = kiosk_login(second.clone()).await;
    assert_eq!(status, 200);
    let wall = wall["token"].as_str().expect("session").to_owned();

    let (status, _) = call(
        &app,
        "POST",
        "/api/kiosk-tokens/hall-2/revoke",
        Some(&admin),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        me(&app, &wall).await,
        401,
        "revoking ends the wall's session"
    );
    assert_eq!(
        kiosk_login(second).await.0,
        401,
        "a revoked token can no longer open a session"
    );
    assert_eq!(
        call(
            &app,
            "POST",
            "/api/kiosk-tokens/hall-2/revoke",
            Some(&admin),
            Some(json!({}))
        )
        .await
        .0,
        404
    );
    assert_eq!(
        call(
            &app,
            "POST",
            "/api/kiosk-tokens/hall-2/rotate",
            Some(&admin),
            Some(json!({}))
        )
        .await
        .0,
        404
    );
    let (_, list) = call(&app, "GET", "/api/kiosk-tokens", Some(&admin), None).await;
    assert!(
        list["tokens"]
            .as_array()
            .expect("tokens")
            .iter()
            .all(|t| t["revoked_at"].is_string()),
        "{list}"
    );
    for action in ["kiosk_issued", "kiosk_rotated", "kiosk_revoked"] {
        let lines = audit_lines(&pool, action).await;
        assert_eq!(lines.len(), 1, "{action}: {lines:?}");
        assert_eq!(
            (lines[0].0.as_deref(), lines[0].1.as_str()),
            (Some("boss"), "kiosk hall-2")
        );
    }
}

/// `/api/audit` with the query `q`, as the admin: the answer, asserted 200.
async fn trail(app: &AppState, admin: &str, q: &str) -> Value {
    let (status, answer) = call(app, "GET", &format!("/api/audit?{q}"), Some(admin), None).await;
    assert_eq!(status, 200, "{q}: {answer}");
    answer
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn the_audit_trail_filters_by_who_what_when_and_project_and_exports_xlsx(pool: PgPool) {
    demo_city(&pool).await;
    let app = state(&pool).await;
    let admin = session(&pool, "boss", "admin", None).await;
    // a household alone in its building, its project and the street the project lies in
    let (household, version, project, street): (i64, i32, String, String) = sqlx::query_as(
        "SELECT h.id, h.version, p.code, left(r.code, 9) FROM households h JOIN buildings b ON b.id = h.building_id
           JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id
          WHERE h.status = 'surveyed' AND b.households = 1 ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a household");
    let (status, answer) = call(&app, "POST", "/api/users", Some(&admin),
        Some(json!({ "username": "zhou", "role": "operator", "region_code": street, "password": "zhou-password-26" }))).await;
    assert_eq!(status, 201, "{answer}");
    let zhou = login(&app, "zhou", "zhou-password-26")
        .await
        .expect("zhou logs in");
    let write = |id: i64, version: i32| json!({ "changes": [{ "subject": "household", "id": id, "to": "signed", "version": version }] });
    let (status, answer) = call(
        &app,
        "POST",
        "/api/status",
        Some(&zhou),
        Some(write(household, version)),
    )
    .await;
    assert_eq!(status, 200, "in scope: {answer}");
    let (elsewhere, other_version): (i64, i32) = sqlx::query_as(
        "SELECT h.id, h.version FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
           JOIN regions r ON r.id = p.region_id WHERE h.status = 'surveyed' AND NOT r.code LIKE $1 || '%' ORDER BY h.id LIMIT 1",
    )
    .bind(&street)
    .fetch_one(&pool)
    .await
    .expect("a household elsewhere");
    let (status, _) = call(
        &app,
        "POST",
        "/api/status",
        Some(&zhou),
        Some(write(elsewhere, other_version)),
    )
    .await;
    assert_eq!(status, 403, "outside zhou's street");
    let (status, _) = call(
        &app,
        "POST",
        &format!("/api/projects/{project}/disclosures"),
        Some(&admin),
        Some(json!({ "kind": "announcement", "title": "征收公告", "body": "正文" })),
    )
    .await;
    assert_eq!(status, 201);

    let by_zhou = trail(&app, &admin, "user=zhou").await;
    let lines = by_zhou["lines"].as_array().expect("lines");
    assert!(lines.iter().all(|l| l["username"] == "zhou"), "{by_zhou}");
    let status_line = lines
        .iter()
        .find(|l| l["action"] == "status_changed")
        .expect("zhou's status write is in the trail");
    assert_eq!(status_line["subject"], format!("household {household}"));
    assert_eq!(
        (&status_line["project"], &status_line["detail"]["to"]),
        (&json!(project), &json!("signed"))
    );
    assert!(lines.iter().any(|l| l["action"] == "login"), "{by_zhou}");
    assert_eq!(by_zhou["total"], lines.len());

    let published = trail(
        &app,
        &admin,
        &format!("action=disclosure&project={project}"),
    )
    .await;
    assert_eq!(published["total"], 1, "{published}");
    assert_eq!(
        (
            &published["lines"][0]["username"],
            &published["lines"][0]["subject"]
        ),
        (&json!("boss"), &json!(format!("project {project}")))
    );
    let in_project = trail(&app, &admin, &format!("project={project}")).await;
    assert!(in_project["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .all(|l| l["project"] == project.as_str()));
    assert_eq!(
        in_project["total"], 2,
        "the status write and the disclosure: {in_project}"
    );

    let today = onemap::clock::beijing_today();
    let yesterday = today.pred_opt().expect("a day before");
    assert_eq!(
        trail(&app, &admin, &format!("user=zhou&from={today}&to={today}")).await["total"],
        by_zhou["total"]
    );
    assert_eq!(
        trail(&app, &admin, &format!("user=zhou&to={yesterday}")).await["total"],
        0,
        "nothing of zhou's before today"
    );
    let newest = trail(&app, &admin, "limit=1").await;
    let next = trail(&app, &admin, "limit=1&offset=1").await;
    assert_eq!(newest["lines"].as_array().map(Vec::len), Some(1));
    assert!(newest["total"].as_i64() >= Some(4));
    assert_ne!(newest["lines"][0]["id"], next["lines"][0]["id"]);
    assert!(
        newest["lines"][0]["at"].as_str() >= next["lines"][0]["at"].as_str(),
        "newest first"
    );
    for bad in [
        "limit=0",
        "limit=201",
        "from=2026-13-01",
        &format!("from={today}&to={yesterday}"),
        "offset=-1",
        "who=zhou",
    ] {
        let (status, answer) = call(
            &app,
            "GET",
            &format!("/api/audit?{bad}"),
            Some(&admin),
            None,
        )
        .await;
        assert_eq!(status, 400, "{bad}: {answer}");
    }

    let (response, bytes) = send(
        &app,
        Request::get("/api/audit.xlsx?user=zhou"),
        &[("authorization", &format!("Bearer {admin}"))],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("type")
        .contains("spreadsheetml"));
    let rows = sheet_rows(&bytes);
    assert_eq!(rows.len() as i64, by_zhou["total"].as_i64().expect("total"));
    let row = rows
        .iter()
        .find(|r| r["动作"] == "status_changed")
        .expect("the status write in the sheet");
    assert_eq!(
        (row["用户"].as_str(), row["项目"].as_str()),
        ("zhou", project.as_str())
    );
    assert!(
        row["时间（北京）"].starts_with(&today.to_string()),
        "{row:?}"
    );
}
