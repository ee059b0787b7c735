//! 工作组: rankings that equal a hand count (Beijing days, an event kept with the group that
//! held its household then), assignment by codes, by a lasso and by spreadsheet (all or
//! nothing, the bad row named), the group write scope, tiles carrying the group and no names,
//! the per-group exports, and an archive round trip that keeps the groups.
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{decode_mvt, post_json, send, session, state, tile_of};

const FIXTURES: [&str; 3] = [
    include_str!("../fixtures/one_building.sql"),
    include_str!("../fixtures/open_gates.sql"),
    include_str!("../fixtures/groups.sql"),
];

pub(crate) async fn arrange(pool: &PgPool) {
    for sql in FIXTURES {
        sqlx::raw_sql(sql).execute(pool).await.expect("fixture");
    }
}

pub(crate) async fn group_id(pool: &PgPool, name: &str) -> i32 {
    sqlx::query_scalar("SELECT id FROM work_groups WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .expect("group")
}

pub(crate) async fn get_json(app: &onemap::AppState, uri: &str, token: &str) -> (u16, Value) {
    let bearer = format!("Bearer {token}");
    let (response, bytes) = send(
        app,
        Request::get(uri),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    (
        response.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn patch_json(app: &onemap::AppState, uri: &str, token: &str, body: &Value) -> (u16, Value) {
    let bearer = format!("Bearer {token}");
    let headers = [
        ("authorization", bearer.as_str()),
        ("content-type", "application/json"),
    ];
    let (response, bytes) = send(
        app,
        Request::patch(uri),
        &headers,
        Body::from(body.to_string()),
    )
    .await;
    (
        response.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count")
}

/// Writes one status event at a Beijing time, as the database takes them (the trigger moves
/// the household), for history the API cannot backdate.
pub(crate) async fn event_at(pool: &PgPool, household: &str, from: &str, to: &str, beijing: &str) {
    sqlx::query(
        "INSERT INTO status_events (household_id, from_status, to_status, actor, at)
         SELECT id, $2, $3, 'test', ($4::timestamp AT TIME ZONE 'Asia/Shanghai') FROM households WHERE code = $1",
    )
    .bind(household)
    .bind(from)
    .bind(to)
    .bind(beijing)
    .execute(pool)
    .await
    .expect("event");
}

pub(crate) async fn held_from(pool: &PgPool, household: &str, group: i32, beijing: &str) {
    sqlx::query(
        "WITH h AS (UPDATE households SET group_id = $2 WHERE code = $1 RETURNING id)
         INSERT INTO work_group_assignments (household_id, group_id, from_at)
         SELECT id, $2, ($3::timestamp AT TIME ZONE 'Asia/Shanghai') FROM h",
    )
    .bind(household)
    .bind(group)
    .bind(beijing)
    .execute(pool)
    .await
    .expect("assignment");
}

pub(crate) fn row(rankings: &Value, group: i32) -> Value {
    rankings["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["id"] == json!(group)))
        .cloned()
        .unwrap_or_else(|| panic!("group {group} ranked: {rankings}"))
}

pub(crate) fn gains(row: &Value) -> (i64, i64, i64) {
    (
        row["gain_surveyed"].as_i64().unwrap_or(-1),
        row["gain_signed"].as_i64().unwrap_or(-1),
        row["gain_vacated"].as_i64().unwrap_or(-1),
    )
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn group_rankings_count_by_beijing_day_and_the_group_that_held_the_household(pool: PgPool) {
    arrange(&pool).await;
    let (a, b) = (
        group_id(&pool, "第一工作组").await,
        group_id(&pool, "第二工作组").await,
    );
    // H01 with 一组 all along; H02 with 一组, handed to 二组 on 11-10 at noon; H03 with 二组
    held_from(&pool, "T-1-B1-H01", a, "2026-11-01 00:00").await;
    held_from(&pool, "T-1-B1-H02", a, "2026-11-01 00:00").await;
    held_from(&pool, "T-1-B1-H03", b, "2026-11-01 00:00").await;
    held_from(&pool, "T-1-B1-H02", b, "2026-11-10 12:00").await;
    event_at(
        &pool,
        "T-1-B1-H01",
        "pending",
        "surveyed",
        "2026-11-02 10:00",
    )
    .await;
    event_at(
        &pool,
        "T-1-B1-H02",
        "pending",
        "surveyed",
        "2026-11-09 10:00",
    )
    .await;
    // 00:10 Beijing on the 10th is still the 9th in UTC: it counts on the 10th
    event_at(
        &pool,
        "T-1-B1-H01",
        "surveyed",
        "signed",
        "2026-11-10 00:10",
    )
    .await;
    event_at(
        &pool,
        "T-1-B1-H03",
        "pending",
        "surveyed",
        "2026-11-10 09:00",
    )
    .await;
    event_at(
        &pool,
        "T-1-B1-H03",
        "surveyed",
        "signed",
        "2026-11-10 15:00",
    )
    .await;
    event_at(
        &pool,
        "T-1-B1-H02",
        "surveyed",
        "signed",
        "2026-11-11 10:00",
    )
    .await;
    event_at(&pool, "T-1-B1-H01", "signed", "vacated", "2026-11-16 08:00").await;
    let app = state(&pool).await;
    let viewer = session(&pool, "looker", "viewer", None).await;
    let rank = |query: &'static str| {
        let (app, viewer) = (app.clone(), viewer.clone());
        async move {
            let (status, body) = get_json(
                &app,
                &format!("/api/rankings?level=group&project=T-1&{query}"),
                &viewer,
            )
            .await;
            assert_eq!(status, 200, "{query}: {body}");
            body
        }
    };

    // by hand: the 9th — 一组 surveyed H02; nothing signed (H01's 00:10 of the 10th is not here)
    let day9 = rank("period=day&as_of=2026-11-09").await;
    assert_eq!(
        (day9["from"].as_str(), day9["to"].as_str()),
        (Some("2026-11-09"), Some("2026-11-09"))
    );
    assert_eq!(gains(&row(&day9, a)), (1, 0, 0));
    assert_eq!(gains(&row(&day9, b)), (0, 0, 0));
    // the 10th — 一组 signed H01 at 00:10; 二组 surveyed and signed H03
    let day10 = rank("from=2026-11-10&to=2026-11-10").await;
    assert_eq!(gains(&row(&day10, a)), (0, 1, 0));
    assert_eq!(gains(&row(&day10, b)), (1, 1, 0));
    assert_eq!(
        row(&day10, a)["rank"],
        json!(1),
        "a tie shares the rank: {day10}"
    );
    assert_eq!(row(&day10, b)["name"], json!("测试项目 · 第二工作组"));
    // the week of Monday the 9th to the 15th: H02's survey (9th) stays with 一组 though 二组
    // holds it now; its signing (11th) is 二组's
    let week = rank("period=week&as_of=2026-11-15").await;
    assert_eq!(week["from"], json!("2026-11-09"));
    assert_eq!(gains(&row(&week, a)), (1, 1, 0));
    assert_eq!(gains(&row(&week, b)), (1, 2, 0));
    assert_eq!(
        (row(&week, b)["rank"].clone(), row(&week, a)["rank"].clone()),
        (json!(1), json!(2))
    );
    assert_eq!(
        row(&week, a)["previous_rank"],
        Value::Null,
        "no one signed the week before"
    );
    // the next week ranks against it: 一组 vacated H01, and each keeps its previous rank
    let next = rank("period=week&as_of=2026-11-22").await;
    assert_eq!(gains(&row(&next, a)), (0, 0, 1));
    assert_eq!(row(&next, b)["previous_rank"], json!(1));
    assert_eq!(row(&next, a)["previous_rank"], json!(2));
    // the sign rate of what each holds now, as it stood then: 二组 holds H02 and H03, both signed by the 15th
    assert_eq!(row(&week, b)["sign_rate"], json!(1.0));
    let month = rank("period=month&as_of=2026-11-20").await;
    assert_eq!(month["from"], json!("2026-11-01"));
    assert_eq!(gains(&row(&month, a)), (2, 1, 1));
    // without a project: every group the caller may read
    let (status, all) = get_json(
        &app,
        "/api/rankings?level=group&from=2026-11-09&to=2026-11-15",
        &viewer,
    )
    .await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["rows"].as_array().map(Vec::len), Some(2));
    let (status, bad) = get_json(&app, "/api/rankings?level=group&period=year", &viewer).await;
    assert_eq!(status, 400, "{bad}");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn groups_are_assigned_by_codes_lasso_and_sheet_and_scope_writes(pool: PgPool) {
    arrange(&pool).await;
    let app = state(&pool).await;
    let admin = session(&pool, "boss", "admin", None).await;
    let operator = session(&pool, "zhang", "operator", Some("430702001004")).await;
    let member = session(&pool, "li", "operator", Some("430702001004")).await;
    let viewer = session(&pool, "looker", "viewer", None).await;
    let li: i32 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'li'")
        .fetch_one(&pool)
        .await
        .expect("li");
    let zhang: i32 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'zhang'")
        .fetch_one(&pool)
        .await
        .expect("zhang");

    // a third group, led by zhang with li as member; viewers may not create one
    let (status, _) = post_json(
        &app,
        "/api/projects/T-1/groups",
        Some(&viewer),
        r#"{"name":"第三工作组"}"#,
    )
    .await;
    assert_eq!(status, 403);
    let body = json!({ "name": "第三工作组", "leader_id": zhang, "member_ids": [li] }).to_string();
    let (status, third) = post_json(&app, "/api/projects/T-1/groups", Some(&operator), &body).await;
    assert_eq!(status, 201, "{third}");
    assert_eq!(third["leader"]["username"], json!("zhang"));
    let (status, _) = post_json(&app, "/api/projects/T-1/groups", Some(&operator), &body).await;
    assert_eq!(status, 409, "names are unique within a project");
    let c = i32::try_from(third["id"].as_i64().expect("id")).expect("id");
    let (a, b) = (
        group_id(&pool, "第一工作组").await,
        group_id(&pool, "第二工作组").await,
    );

    // a lasso around both projects' buildings takes only T-1's five households
    let lasso = json!({ "within": { "type": "Polygon", "coordinates": [[
        [111.6100, 28.9100], [111.6300, 28.9100], [111.6300, 28.9200], [111.6100, 28.9200], [111.6100, 28.9100]]] } });
    let (status, answer) = post_json(
        &app,
        &format!("/api/groups/{a}/assign"),
        Some(&admin),
        &lasso.to_string(),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer,
        json!({ "assigned": 5, "moved_from": [], "unheld_before": 5 })
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM households WHERE group_id IS NOT NULL AND code LIKE 'T-2%'"
        )
        .await,
        0
    );

    // by building code: T-1-B2's two households move from 一组 to 二组
    let (status, answer) = post_json(
        &app,
        &format!("/api/groups/{b}/assign"),
        Some(&operator),
        r#"{"buildings":["T-1-B2"]}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["assigned"], json!(2));
    assert_eq!(
        answer["moved_from"],
        json!([{ "group_id": a, "name": "第一工作组", "households": 2 }])
    );

    // an unknown code, or one of another project: 422 naming it, nothing written
    let history = "SELECT count(*) FROM work_group_assignments";
    let before = count(&pool, history).await;
    for (body, named) in [
        (r#"{"households":["T-1-B1-H01","NOPE-9"]}"#, "NOPE-9"),
        (r#"{"buildings":["T-2-B1"]}"#, "T-2-B1"),
    ] {
        let (status, refusal) =
            post_json(&app, &format!("/api/groups/{c}/assign"), Some(&admin), body).await;
        assert_eq!(status, 422, "{refusal}");
        assert!(
            refusal["message"]
                .as_str()
                .unwrap_or_default()
                .contains(named),
            "{refusal}"
        );
    }
    let (status, refusal) = post_json(
        &app,
        &format!("/api/groups/{c}/assign"),
        Some(&admin),
        r#"{"buildings":["T-1-B1"],"households":["T-1-B1-H01"]}"#,
    )
    .await;
    assert_eq!(status, 422, "{refusal}");
    assert_eq!(count(&pool, history).await, before, "nothing written");

    // 三组 takes H01 by household code; the group list counts it all
    let (status, _) = post_json(
        &app,
        &format!("/api/groups/{c}/assign"),
        Some(&admin),
        r#"{"households":["T-1-B1-H01"]}"#,
    )
    .await;
    assert_eq!(status, 200);
    let (status, list) = get_json(&app, "/api/projects/T-1/groups", &viewer).await;
    assert_eq!(status, 200, "{list}");
    let households: Vec<i64> = list["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["households"].as_i64().unwrap_or(-1))
        .collect();
    assert_eq!(households, vec![2, 2, 1], "{list}");
    assert_eq!(list["unassigned_households"], json!(0));
    assert_eq!(
        list["groups"][2]["members"],
        json!([{ "id": li, "username": "li" }])
    );
    assert_eq!(list["groups"][0]["buildings"], json!(1));
    let audited = count(
        &pool,
        "SELECT count(*) FROM audit_log WHERE action IN ('group_created', 'group_assigned')",
    )
    .await;
    assert_eq!(audited, 4, "a creation and three assignments");

    // li is limited to his group: H01 (三组) he may write, H02 (一组) he may not
    let (status, user) = patch_json(
        &app,
        &format!("/api/users/{li}"),
        &member,
        &json!({ "write_scope": "group" }),
    )
    .await;
    assert_eq!(status, 403, "only admins change accounts: {user}");
    let (status, user) = patch_json(
        &app,
        &format!("/api/users/{li}"),
        &admin,
        &json!({ "write_scope": "group" }),
    )
    .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["user"]["write_scope"], json!("group"));
    let events = "SELECT count(*) FROM status_events";
    let before = count(&pool, events).await;
    let (h01, h02): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT id FROM households WHERE code = 'T-1-B1-H01'), (SELECT id FROM households WHERE code = 'T-1-B1-H02')",
    )
    .fetch_one(&pool)
    .await
    .expect("ids");
    let write = |id: i64| {
        json!({ "changes": [{ "subject": "household", "id": id, "to": "surveyed", "version": 1 }] })
            .to_string()
    };
    let (status, refusal) = post_json(&app, "/api/status", Some(&member), &write(h02)).await;
    assert_eq!(status, 403, "{refusal}");
    assert_eq!(refusal["code"], json!("outside_group"));
    assert_eq!(refusal["values"]["household"], json!("T-1-B1-H02"));
    let b1: i64 = sqlx::query_scalar("SELECT id FROM buildings WHERE code = 'T-1-B1'")
        .fetch_one(&pool)
        .await
        .expect("b1");
    let building =
        json!({ "changes": [{ "subject": "building", "id": b1, "to": "surveyed", "version": 1 }] });
    let (status, refusal) =
        post_json(&app, "/api/status", Some(&member), &building.to_string()).await;
    assert_eq!(
        (status, refusal["code"].clone()),
        (403, json!("outside_group")),
        "{refusal}"
    );
    assert_eq!(count(&pool, events).await, before, "nothing written");
    let (status, written) = post_json(&app, "/api/status", Some(&member), &write(h01)).await;
    assert_eq!(status, 200, "{written}");
    // a region-scoped operator of the region writes anywhere in it; li manages no groups
    let (status, _) = post_json(&app, "/api/status", Some(&operator), &write(h02)).await;
    assert_eq!(status, 200);
    let (status, _) = post_json(
        &app,
        &format!("/api/groups/{c}/assign"),
        Some(&member),
        r#"{"households":["T-1-B1-H02"]}"#,
    )
    .await;
    assert_eq!(status, 403);

    // tiles: the building wholly held carries its group, a mixed one none, never a name
    let (x, y) = tile_of(111.612, 28.912, 16);
    let bearer = format!("Bearer {viewer}");
    let (response, bytes) = send(
        &app,
        Request::get(format!("/tiles/buildings/16/{x}/{y}.mvt")),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let features = decode_mvt(&bytes, "buildings");
    let by_code = |code: &str| {
        features
            .values()
            .find(|f| f["code"] == json!(code))
            .cloned()
            .unwrap_or_else(|| panic!("{code} in {features:?}"))
    };
    assert_eq!(by_code("T-1-B2")["group_id"], json!(b));
    assert!(
        by_code("T-1-B1").get("group_id").is_none(),
        "a building of several groups has none"
    );
    let text = String::from_utf8_lossy(&bytes);
    for name in ["zhang", "测试", "二号楼", "工作组"] {
        assert!(!text.contains(name), "`{name}` on a tile");
    }
    let (response, bytes) = send(
        &app,
        Request::get(format!("/tiles/buildings/16/{x}/{y}.mvt?group={b}")),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let only: Vec<Value> = decode_mvt(&bytes, "buildings")
        .values()
        .map(|f| f["code"].clone())
        .collect();
    assert_eq!(only, vec![json!("T-1-B2")]);

    // the spreadsheet: a bad row refuses the whole file, naming it
    let sheet = |rows: &[(&str, &str, &str)]| {
        let headers = vec![
            "房屋编号".to_owned(),
            "户编号".to_owned(),
            "工作组".to_owned(),
        ];
        let cells: Vec<Vec<onemap::xlsx::Cell>> = rows
            .iter()
            .map(|(b, h, g)| {
                [b, h, g]
                    .iter()
                    .map(|v| {
                        if v.is_empty() {
                            onemap::xlsx::Cell::Empty
                        } else {
                            onemap::xlsx::Cell::Text((**v).to_owned())
                        }
                    })
                    .collect()
            })
            .collect();
        onemap::xlsx::workbook("工作组", &headers, &cells).expect("xlsx")
    };
    let before = count(&pool, history).await;
    let bad = sheet(&[
        ("T-1-B1", "", "第二工作组"),
        ("", "T-1-B2-H01", "第一工作组"),
        ("T-2-B1", "", "第一工作组"),
    ]);
    let (status, refusal) = upload(
        &app,
        "/api/projects/T-1/groups/import",
        &admin,
        "分组.xlsx",
        &bad,
    )
    .await;
    assert_eq!(status, 422, "{refusal}");
    assert_eq!(refusal["code"], json!("import_row"));
    assert_eq!(refusal["values"]["row"], json!(4), "{refusal}");
    assert!(
        refusal["message"]
            .as_str()
            .unwrap_or_default()
            .contains("T-2-B1"),
        "{refusal}"
    );
    assert_eq!(count(&pool, history).await, before, "nothing written");
    let good = sheet(&[
        ("T-1-B1", "", "第二工作组"),
        ("", "T-1-B2-H01", "第一工作组"),
    ]);
    let (status, answer) = upload(
        &app,
        "/api/projects/T-1/groups/import",
        &admin,
        "分组.xlsx",
        &good,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["assigned"], json!(4), "{answer}");

    // exports: the ledger of one group, with the 工作组 column; the per-group workbook
    for uri in [
        format!("/api/exports/projects/T-1/ledger.xlsx?group={b}"),
        "/api/projects/T-1/groups.xlsx".to_owned(),
    ] {
        let (response, bytes) = send(
            &app,
            Request::get(uri.as_str()),
            &[("authorization", &format!("Bearer {admin}"))],
            Body::empty(),
        )
        .await;
        assert_eq!(
            response.status(),
            200,
            "{uri}: {}",
            String::from_utf8_lossy(&bytes)
        );
        assert!(bytes.starts_with(b"PK"), "{uri} is a workbook");
    }

    // a group holding households is not deleted; an empty one is
    let (response, _) = send(
        &app,
        Request::delete(format!("/api/groups/{b}")),
        &[("authorization", &format!("Bearer {admin}"))],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 409);
    let (status, _) = post_json(
        &app,
        "/api/groups/unassign",
        Some(&admin),
        r#"{"households":["T-1-B1-H01"]}"#,
    )
    .await;
    assert_eq!(status, 200);
    let (response, _) = send(
        &app,
        Request::delete(format!("/api/groups/{c}")),
        &[("authorization", &format!("Bearer {admin}"))],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 204);
}

const BOUNDARY: &str = "onemap-groups";

/// Uploads `bytes` as the multipart file `name`; the status and the JSON answer.
async fn upload(
    app: &onemap::AppState,
    uri: &str,
    token: &str,
    name: &str,
    bytes: &[u8],
) -> (u16, Value) {
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
    );
    let mut body = format!("{head}Content-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let bearer = format!("Bearer {token}");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let headers = [
        ("authorization", bearer.as_str()),
        ("content-type", content_type.as_str()),
        ("x-requested-with", "test"),
    ];
    let (response, bytes) = send(app, Request::post(uri), &headers, Body::from(body)).await;
    (
        response.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn an_archive_round_trip_keeps_the_groups(pool: PgPool) {
    arrange(&pool).await;
    let app = state(&pool).await;
    let admin = session(&pool, "boss", "admin", None).await;
    session(&pool, "zhang", "operator", Some("430702001004")).await;
    session(&pool, "li", "operator", Some("430702001004")).await;
    let (a, b) = (
        group_id(&pool, "第一工作组").await,
        group_id(&pool, "第二工作组").await,
    );
    let people = json!({ "leader_id": sqlx::query_scalar::<_, i32>("SELECT id FROM users WHERE username = 'zhang'").fetch_one(&pool).await.expect("zhang"),
                         "member_ids": [sqlx::query_scalar::<_, i32>("SELECT id FROM users WHERE username = 'li'").fetch_one(&pool).await.expect("li")] });
    assert_eq!(
        patch_json(&app, &format!("/api/groups/{a}"), &admin, &people)
            .await
            .0,
        200
    );
    for (group, body) in [
        (a, r#"{"buildings":["T-1-B1","T-1-B2"]}"#),
        (b, r#"{"buildings":["T-1-B2"]}"#),
    ] {
        let (status, answer) = post_json(
            &app,
            &format!("/api/groups/{group}/assign"),
            Some(&admin),
            body,
        )
        .await;
        assert_eq!(status, 200, "{answer}");
    }
    let held = "SELECT json_build_object(
        'groups', (SELECT json_agg(json_build_object('name', g.name, 'leader', l.username,
                       'members', (SELECT json_agg(u.username) FROM work_group_members m JOIN users u ON u.id = m.user_id
                                    WHERE m.group_id = g.id)) ORDER BY g.name)
                     FROM work_groups g LEFT JOIN users l ON l.id = g.leader_id),
        'households', (SELECT json_agg(json_build_object('code', h.code, 'group', g.name) ORDER BY h.code)
                         FROM households h LEFT JOIN work_groups g ON g.id = h.group_id JOIN buildings b ON b.id = h.building_id
                         JOIN projects p ON p.id = b.project_id WHERE p.code = 'T-1'),
        'buildings', (SELECT json_agg(json_build_object('code', b.code, 'group', g.name) ORDER BY b.code)
                        FROM buildings b LEFT JOIN work_groups g ON g.id = b.group_id JOIN projects p ON p.id = b.project_id WHERE p.code = 'T-1'),
        'history', (SELECT json_agg(json_build_object('code', h.code, 'group', g.name, 'by', u.username) ORDER BY w.id)
                      FROM work_group_assignments w JOIN households h ON h.id = w.household_id
                      LEFT JOIN work_groups g ON g.id = w.group_id LEFT JOIN users u ON u.id = w.user_id))";
    let before: Value = sqlx::query_scalar(held)
        .fetch_one(&pool)
        .await
        .expect("held");
    assert_eq!(
        before["history"].as_array().map(Vec::len),
        Some(7),
        "{before}"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let files = onemap::households::files::FileStore::new(dir.path());
    let (zip, _) =
        onemap::archive::export::export(&pool, &files, "T-1", std::io::Cursor::new(Vec::new()))
            .await
            .expect("export");
    let path = dir.path().join("T-1.zip");
    std::fs::write(&path, zip.into_inner()).expect("write zip");
    let (fresh, name) = crate::archive::fresh_database(&pool, "groups").await;
    onemap::archive::import::import(
        &fresh,
        &onemap::households::files::FileStore::new(dir.path().join("restored")),
        &path,
    )
    .await
    .expect("import");
    let after: Value = sqlx::query_scalar(held)
        .fetch_one(&fresh)
        .await
        .expect("held");
    crate::archive::drop_database(&pool, fresh, &name).await;
    assert_eq!(before, after);
}
