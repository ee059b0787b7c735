//! Petitions (信访/意见箱), end to end on one small project (no demo city): the objection form makes
//! a petition; deadlines over 国庆 2026 in calendar and working days (worked out by hand below); a
//! reply reaches the public ticket without staff or petitioner names; repeat linking; statistics
//! equal a hand count; 4xx naming the field; who may see what.
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{post_json, role_pool, send, session, state};

const GOOD_ID: &str = "43070219800101001";

fn valid_id(body: &str) -> String {
    format!("{body}{}", onemap::id_number::check_char(body))
}

async fn get_json(state: &onemap::AppState, uri: &str, token: Option<&str>) -> (u16, Value) {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = bearer
        .iter()
        .map(|b| ("authorization", b.as_str()))
        .collect();
    let (response, bytes) = send(state, Request::get(uri), &headers, Body::empty()).await;
    (
        response.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building"))
)]
async fn petitions_end_to_end(pool: PgPool) {
    let holder_id = valid_id(GOOD_ID);
    let caller_id = valid_id("43070219750505002");
    sqlx::query("UPDATE projects SET published = true")
        .execute(&pool)
        .await
        .expect("publish");
    sqlx::query("UPDATE households SET holder_id_number = $1 WHERE code = 'T-1-B1-H01'")
        .bind(&holder_id)
        .execute(&pool)
        .await
        .expect("a valid ID number");
    let clerk = session(&pool, "clerk", "operator", Some("430702")).await;
    let viewer = session(&pool, "looker", "viewer", None).await;
    let outsider = session(&pool, "outsider", "operator", Some("430702001004")).await;
    sqlx::query("INSERT INTO regions (code, name, level, parent_id, geom_source, geom)
                 SELECT '430703', '鼎城区', 'district', parent_id, 'test', geom FROM regions WHERE code = '430702'")
        .execute(&pool)
        .await
        .expect("another district");
    let stranger = session(&pool, "stranger", "operator", Some("430703")).await;
    let boss = session(&pool, "boss", "admin", None).await;
    let st = state(&pool).await;

    // the city's local period for the on-site box, as an admin sets it: 3 working days to accept, 10 to reply
    let put = |uri: &'static str, token: String, body: Value| {
        let st = st.clone();
        async move {
            let auth = format!("Bearer {token}");
            let headers = [
                ("authorization", auth.as_str()),
                ("content-type", "application/json"),
            ];
            let (response, bytes) = send(
                &st,
                Request::put(uri),
                &headers,
                Body::from(body.to_string()),
            )
            .await;
            (
                response.status().as_u16(),
                serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
            )
        }
    };
    let local = |accept_n: i32| {
        json!({ "periods": [{ "channel": "box", "accept_n": accept_n, "accept_unit": "working_days",
        "handle_n": 10, "handle_unit": "working_days", "basis": "现场意见箱承诺" }] })
    };
    let (code, refused) = put("/api/petitions/periods", boss.clone(), local(20)).await;
    assert_eq!(code, 422);
    assert!(
        refused["message"]
            .as_str()
            .expect("message")
            .starts_with("periods[0].accept_n:"),
        "{refused}"
    );
    assert_eq!(
        put("/api/petitions/periods", clerk.clone(), local(3))
            .await
            .0,
        403,
        "operators do not set the rules"
    );
    let (code, rules) = put("/api/petitions/periods", boss.clone(), local(3)).await;
    assert_eq!(code, 200, "{rules}");
    assert_eq!(
        rules["periods"].as_array().expect("periods").len(),
        2,
        "the statute's row stays: {rules}"
    );
    let (code, added) = post_json(
        &st,
        "/api/petitions/categories",
        Some(&boss),
        &json!({ "name": "环境影响" }).to_string(),
    )
    .await;
    assert_eq!(code, 201, "{added}");
    assert_eq!(added["categories"].as_array().expect("categories").len(), 6);

    // the public objection form makes a petition of the 网上申诉 channel with the same ticket
    let (code, filed) = post_json(
        &st,
        "/api/public/objections",
        None,
        &json!({ "name": "测试1", "id_number": holder_id, "household_code": "T-1-B1-H01", "body": "对面积有异议" }).to_string(),
    )
    .await;
    assert_eq!(code, 201, "{filed}");
    let ticket = filed["ticket"].as_str().expect("ticket").to_owned();
    let (online, channel, status): (i64, String, String) =
        sqlx::query_as("SELECT id, channel::text, status::text FROM petitions WHERE ticket = $1 AND objection_id IS NOT NULL")
            .bind(&ticket)
            .fetch_one(&pool)
            .await
            .expect("the objection is a petition");
    assert_eq!(
        (channel.as_str(), status.as_str()),
        ("online", "registered")
    );

    // a letter received Wed 2026-09-16: 15 calendar days end on 10-01 (国庆), so on Thu 10-08
    let register = |body: Value| {
        let st = st.clone();
        let clerk = clerk.clone();
        async move { post_json(&st, "/api/petitions", Some(&clerk), &body.to_string()).await }
    };
    let (code, letter) = register(json!({ "project": "T-1", "channel": "letter", "body": "来信反映补偿标准",
        "received_at": "2026-09-16T10:00", "petitioner_name": "张三", "petitioner_id_number": caller_id,
        "household_code": "T-1-B1-H02", "category_id": 1 }))
    .await;
    assert_eq!(code, 201, "{letter}");
    assert_eq!(letter["accept_due"], "2026-10-08");
    // the box, Tue 09-29: working days 09-30, 10-08, 10-09 (10-01..07 rest, 10-03/04 weekend)
    let (code, boxed) = register(
        json!({ "project": "T-1", "channel": "box", "body": "意见箱：希望公布选房顺序",
        "received_at": "2026-09-29T10:00" }),
    )
    .await;
    assert_eq!(code, 201, "{boxed}");
    assert_eq!(boxed["accept_due"], "2026-10-09");

    // 4xx naming the field
    for (body, field) in [
        (
            json!({ "project": "T-1", "channel": "fax", "body": "x" }),
            "channel:",
        ),
        (
            json!({ "project": "T-1", "channel": "visit", "body": "  " }),
            "body:",
        ),
        (
            json!({ "project": "T-1", "channel": "visit", "body": "x", "household_code": "NOPE" }),
            "household_code:",
        ),
        (
            json!({ "project": "T-1", "channel": "visit", "body": "x", "petitioner_id_number": "123" }),
            "petitioner_id_number:",
        ),
        (
            json!({ "project": "T-1", "channel": "visit", "body": "x", "received_at": "2099-01-01T00:00" }),
            "received_at:",
        ),
    ] {
        let (code, refused) = register(body).await;
        assert_eq!(code, 422, "{refused}");
        assert!(
            refused["message"]
                .as_str()
                .expect("message")
                .starts_with(field),
            "{refused}"
        );
    }
    let act = |id: i64, what: &str, body: Value| {
        let st = st.clone();
        let clerk = clerk.clone();
        let uri = format!("/api/petitions/{id}/{what}");
        async move { post_json(&st, &uri, Some(&clerk), &body.to_string()).await }
    };
    let letter_id = letter["id"].as_i64().expect("id");
    let box_id = boxed["id"].as_i64().expect("id");
    let (code, refused) = act(letter_id, "reply", json!({ "body": "答复" })).await;
    assert_eq!(code, 422);
    assert!(
        refused["message"]
            .as_str()
            .expect("message")
            .starts_with("status:"),
        "{refused}"
    );
    let (code, refused) = act(letter_id, "accept", json!({ "accept": false })).await;
    assert_eq!(code, 422);
    assert!(
        refused["message"]
            .as_str()
            .expect("message")
            .starts_with("reason:"),
        "{refused}"
    );
    let (code, refused) = act(letter_id, "assign", json!({ "group_id": 999 })).await;
    assert_eq!(code, 422, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .expect("message")
            .starts_with("group_id:"),
        "{refused}"
    );

    // accepted on Wed 09-30: 60 days end Sun 11-29, so Mon 11-30; the box's 10 working days (10-10 worked) on 10-20
    for id in [letter_id, box_id, online] {
        let (code, accepted) = act(id, "accept", json!({ "accept": true })).await;
        assert_eq!(code, 200, "{accepted}");
    }
    sqlx::query("UPDATE petitions SET decided_at = '2026-09-30 10:00+08' WHERE id = ANY ($1)")
        .bind(vec![letter_id, box_id])
        .execute(&pool)
        .await
        .expect("accepted on 09-30");
    let (_, letter) = get_json(&st, &format!("/api/petitions/{letter_id}"), Some(&clerk)).await;
    assert_eq!(letter["handle_due"], "2026-11-30");
    assert_eq!(letter["petitioner_name"], "张三");
    let (_, boxed) = get_json(&st, &format!("/api/petitions/{box_id}"), Some(&clerk)).await;
    assert_eq!(boxed["handle_due"], "2026-10-20");

    // a reply reaches the public ticket (text and day), and the resident's objection
    let (code, replied) = act(
        online,
        "reply",
        json!({ "body": "已安排复测，结果另行告知。" }),
    )
    .await;
    assert_eq!(code, 200, "{replied}");
    assert_eq!(replied["status"], "replied");
    let (code, public) = get_json(
        &st,
        &format!("/api/public/objections/{}", ticket.to_lowercase()),
        None,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(public["status"], "answered");
    assert_eq!(public["answer"], "已安排复测，结果另行告知。");
    assert_eq!(public["replies"][0]["body"], "已安排复测，结果另行告知。");
    let answer: Option<String> =
        sqlx::query_scalar("SELECT answer FROM objections WHERE ticket = $1")
            .bind(&ticket)
            .fetch_one(&pool)
            .await
            .expect("objection");
    assert_eq!(answer.as_deref(), Some("已安排复测，结果另行告知。"));
    // the box replied after its due day: late
    let (code, _) = act(
        box_id,
        "reply",
        json!({ "body": "选房顺序将于下周张榜公布。" }),
    )
    .await;
    assert_eq!(code, 200);

    // a visit today by the letter's petitioner: suggested as its repeat, linked when staff confirm
    let (code, visit) = register(
        json!({ "project": "T-1", "channel": "visit", "body": "来访，再次反映补偿标准",
        "petitioner_name": "张三", "petitioner_id_number": caller_id }),
    )
    .await;
    assert_eq!(code, 201, "{visit}");
    let visit_id = visit["id"].as_i64().expect("id");
    assert_eq!(visit["suggested_links"][0]["id"], letter_id, "{visit}");
    let (code, linked) = act(visit_id, "link", json!({ "repeat_of": letter_id })).await;
    assert_eq!(code, 200, "{linked}");
    assert_eq!(linked["repeat_of"], letter_id);
    assert_eq!(linked["linked"][0]["id"], letter_id);
    assert_eq!(linked["suggested_links"], json!([]));

    // a public caller sees neither the petitioner nor who replied, and the public role cannot read them
    let visit_ticket = visit["ticket"].as_str().expect("ticket");
    let (code, public) =
        get_json(&st, &format!("/api/public/objections/{visit_ticket}"), None).await;
    assert_eq!(code, 200);
    for (ticket_json, secret) in [
        (&public, "张三"),
        (&public, caller_id.as_str()),
        (&public, "clerk"),
    ] {
        assert!(
            !ticket_json.to_string().contains(secret),
            "{ticket_json} shows {secret}"
        );
    }
    let (_, online_public) = get_json(&st, &format!("/api/public/objections/{ticket}"), None).await;
    assert!(
        !online_public.to_string().contains("clerk")
            && !online_public.to_string().contains("测试1"),
        "{online_public}"
    );
    let public_pool = role_pool(&pool, "public").await;
    assert!(sqlx::query("SELECT petitioner_name FROM petitions")
        .execute(&public_pool)
        .await
        .is_err());
    assert!(sqlx::query("SELECT by_user FROM petition_replies")
        .execute(&public_pool)
        .await
        .is_err());

    // statistics on today (after 2026-11-30): online on time, box late, letter overdue, visit open
    let (code, stats) = get_json(&st, "/api/petitions/stats?project=T-1", Some(&clerk)).await;
    assert_eq!(code, 200, "{stats}");
    assert_eq!(
        stats["total"],
        json!({ "total": 4, "on_time": 1, "late": 1, "overdue": 1, "open": 1, "on_time_rate": 0.5 })
    );
    let channels: Vec<(String, i64)> = stats["by_channel"]
        .as_array()
        .expect("by channel")
        .iter()
        .map(|c| {
            (
                c["channel"].as_str().expect("channel").to_owned(),
                c["total"].as_i64().expect("total"),
            )
        })
        .collect();
    assert_eq!(
        channels,
        [
            ("online".into(), 1),
            ("letter".into(), 1),
            ("visit".into(), 1),
            ("box".into(), 1)
        ],
        "in the channels' order"
    );
    let (_, board) = get_json(&st, "/api/petitions?timeliness=overdue", Some(&clerk)).await;
    assert_eq!(board["petitions"][0]["id"], letter_id, "{board}");
    assert_eq!(board["counts"]["overdue"], 1);
    let (_, board) = get_json(&st, "/api/petitions?channel=box", Some(&clerk)).await;
    assert_eq!(board["petitions"][0]["timeliness"], "late", "{board}");

    // who may see: viewers see counts, never the board; operators of another district see neither
    assert_eq!(get_json(&st, "/api/petitions", Some(&viewer)).await.0, 403);
    assert_eq!(
        get_json(&st, "/api/petitions/stats?project=T-1", Some(&viewer))
            .await
            .0,
        200
    );
    assert_eq!(
        get_json(&st, &format!("/api/petitions/{letter_id}"), Some(&stranger))
            .await
            .0,
        403
    );
    assert_eq!(
        get_json(&st, "/api/petitions/stats?region=430702", Some(&stranger))
            .await
            .0,
        403
    );
    assert_eq!(
        get_json(&st, &format!("/api/petitions/{letter_id}"), Some(&outsider))
            .await
            .0,
        200
    );
    let (_, empty) = get_json(&st, "/api/petitions", Some(&stranger)).await;
    assert_eq!(empty["petitions"], json!([]));
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action LIKE 'petition_%'")
            .fetch_one(&pool)
            .await
            .expect("audit");
    // the periods and a category, then 3 registered, 3 accepted, 2 replied, 1 linked
    assert_eq!(audited, 11);
}
