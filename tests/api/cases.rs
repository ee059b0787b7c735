//! 疑难个案 (issue 15): a case escalates exactly once past its due time even with two callers of
//! the job at the same moment; the default due time is the end of the Beijing day; the
//! difficult flag follows open cases; closing 签约 links the signing event; the figures' open
//! and overdue cases equal a hand count; nothing personal reaches tiles or the wall's panel.
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{decode_mvt, get, post_json, send, session, state, tile_of};

async fn one_building(pool: &PgPool) {
    sqlx::raw_sql(include_str!("../fixtures/one_building.sql"))
        .execute(pool)
        .await
        .expect("fixture");
    sqlx::raw_sql(include_str!("../fixtures/open_gates.sql"))
        .execute(pool)
        .await
        .expect("gates");
}

async fn read(state: &onemap::AppState, uri: &str, token: &str) -> (u16, Value) {
    let bearer = format!("Bearer {token}");
    let (response, bytes) = send(
        state,
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

/// The value of figure `key` in a figures answer ({figures: [{key, value}]}).
fn figure(answer: &Value, key: &str) -> i64 {
    answer["figures"]
        .as_array()
        .and_then(|all| all.iter().find(|f| f["key"] == key))
        .and_then(|f| f["value"].as_i64())
        .unwrap_or_else(|| panic!("figure {key} in {answer}"))
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn cases_escalate_once_follow_the_flag_and_count(pool: PgPool) {
    one_building(&pool).await;
    let app = state(&pool).await;
    let admin = session(&pool, "boss", "admin", None).await;
    let viewer = session(&pool, "look", "viewer", None).await;

    // bad input names its field; an unknown household is refused, nothing written
    let (status, body) = post_json(
        &app,
        "/api/cases",
        Some(&admin),
        r#"{"household":"T-1-B1-H01","category":"feud"}"#,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("category:"),
        "{body}"
    );
    let (status, body) = post_json(
        &app,
        "/api/cases",
        Some(&admin),
        r#"{"household":"NOPE","category":"area"}"#,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("household:"),
        "{body}"
    );
    let (status, _) = post_json(
        &app,
        "/api/cases",
        Some(&viewer),
        r#"{"household":"T-1-B1-H01","category":"area"}"#,
    )
    .await;
    assert_eq!(status, 403, "viewers do not open cases");

    // open two cases; the default due time is the end of the opening's Beijing day
    let (status, first) = post_json(
        &app,
        "/api/cases",
        Some(&admin),
        r#"{"household":"T-1-B1-H01","category":"area","note":"面积有争议"}"#,
    )
    .await;
    assert_eq!(status, 201, "{first}");
    let (status, second) = post_json(
        &app,
        "/api/cases",
        Some(&admin),
        r#"{"household":"T-1-B1-H02","category":"ownership"}"#,
    )
    .await;
    assert_eq!(status, 201, "{second}");
    let (status, again) = post_json(
        &app,
        "/api/cases",
        Some(&admin),
        r#"{"household":"T-1-B1-H01","category":"other"}"#,
    )
    .await;
    assert_eq!(status, 409, "one open case per household: {again}");
    let (a, b) = (
        first["id"].as_i64().expect("id"),
        second["id"].as_i64().expect("id"),
    );
    let end_of_day: bool = sqlx::query_scalar(
        "SELECT bool_and(due_at = ((opened_at AT TIME ZONE 'Asia/Shanghai')::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
                         AND level_due_at = due_at AND level = 'group') FROM cases",
    )
    .fetch_one(&pool)
    .await
    .expect("due");
    assert!(end_of_day, "due at the end of the Beijing day they opened");

    // the flag follows: two difficult households, the figures count them
    let flagged: i64 = sqlx::query_scalar("SELECT count(*) FROM households WHERE difficult")
        .fetch_one(&pool)
        .await
        .expect("q");
    assert_eq!(flagged, 2);
    let project: i64 = sqlx::query_scalar("SELECT id FROM projects WHERE code = 'T-1'")
        .fetch_one(&pool)
        .await
        .expect("q");

    // case a passes its due time: two instances run the job at the same moment
    sqlx::query(
        "UPDATE cases SET opened_at = now() - interval '2 days', due_at = now() - interval '1 \
        minute', level_due_at = now() - interval '1 minute' WHERE id = $1",
    )
    .bind(a)
    .execute(&pool)
    .await
    .expect("past due");
    let mut holder = pool.begin().await.expect("tx");
    let moved_first: i32 = sqlx::query_scalar("SELECT escalate_due_cases(now())")
        .fetch_one(&mut *holder)
        .await
        .expect("job");
    let other = pool.clone();
    let racing = tokio::spawn(async move {
        sqlx::query_scalar::<_, i32>("SELECT escalate_due_cases(now())")
            .fetch_one(&other)
            .await
            .expect("job")
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // it passes over the case's row (SKIP LOCKED) but its events wait for the case events'
    // queue the first holds (their ids commit in order)
    assert!(
        !racing.is_finished(),
        "the second caller waits for the first's commit"
    );
    holder.commit().await.expect("commit");
    let moved_second = racing.await.expect("joined");
    assert_eq!(
        (moved_first, moved_second),
        (1, 0),
        "escalated once, exactly"
    );
    // and many at once, both callers free-running: every case moves once
    sqlx::query("UPDATE cases SET level_due_at = now() - interval '1 second' WHERE id = $1")
        .bind(a)
        .execute(&pool)
        .await
        .expect("q");
    let (x, y) = tokio::join!(
        sqlx::query_scalar::<_, i32>("SELECT escalate_due_cases(now())").fetch_one(&pool),
        sqlx::query_scalar::<_, i32>("SELECT escalate_due_cases(now())").fetch_one(&pool)
    );
    assert_eq!(
        x.expect("job") + y.expect("job"),
        1,
        "command → leader once"
    );
    let (level, escalations): (String, i64) = sqlx::query_as(
        "SELECT level::text, (SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'escalated') FROM cases WHERE id = $1",
    )
    .bind(a)
    .fetch_one(&pool)
    .await
    .expect("q");
    assert_eq!((level.as_str(), escalations), ("leader", 2));
    let top: i32 = sqlx::query_scalar("SELECT escalate_due_cases(now() + interval '9 days')")
        .fetch_one(&pool)
        .await
        .expect("job");
    assert_eq!(
        top, 1,
        "only case b moves: 挂点领导 is the top of the ladder"
    );
    let level_b: String = sqlx::query_scalar("SELECT level::text FROM cases WHERE id = $1")
        .bind(b)
        .fetch_one(&pool)
        .await
        .expect("q");
    assert_eq!(level_b, "command");

    // figures: open and overdue equal a hand count, for the project and its regions
    let (open, overdue): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE state = 'open'), count(*) FILTER (WHERE state = 'open' AND due_at <= now()) FROM cases",
    )
    .fetch_one(&pool)
    .await
    .expect("hand count");
    assert_eq!((open, overdue), (2, 1));
    let (_, figures) = read(&app, &format!("/api/figures/projects/{project}"), &viewer).await;
    assert_eq!(
        (
            figure(&figures, "open_cases"),
            figure(&figures, "overdue_cases"),
            figure(&figures, "difficult")
        ),
        (2, 1, 2)
    );
    let (_, region) = read(&app, "/api/figures/regions/430702", &viewer).await;
    assert_eq!(
        (
            figure(&region, "open_cases"),
            figure(&region, "overdue_cases")
        ),
        (2, 1),
        "{region}"
    );
    let (_, all) = read(&app, "/api/figures/projects", &viewer).await;
    let keys = all["keys"].as_array().expect("keys");
    let at = keys.iter().position(|k| k == "overdue_cases").expect("key");
    assert_eq!(all["projects"][0]["values"][at], json!(1));

    // the board: viewers see no residents' names, admins do; overdue first
    let (status, board) = read(&app, "/api/cases?overdue=true", &viewer).await;
    assert_eq!(status, 200, "{board}");
    assert_eq!(board["total"], json!(1));
    assert_eq!(board["cases"][0]["household"]["holder_name"], Value::Null);
    let (_, board) = read(&app, "/api/cases?project=T-1", &admin).await;
    assert_eq!(
        board["cases"][0]["id"],
        json!(a),
        "the overdue case heads the board"
    );
    assert_eq!(
        board["cases"][0]["household"]["holder_name"],
        json!("测试1")
    );
    let (status, _) = read(&app, "/api/cases?state=maybe", &admin).await;
    assert_eq!(status, 400);

    // a conference, then close 签约: the household signs and its signing event is linked
    let (status, conferred) = post_json(&app, &format!("/api/cases/{a}/conferences"), Some(&admin),
        &json!({"participants": ["boss"], "outside_attendees": ["村委会王主任"], "positions": "户主认为面积少算",
                "decision": "复测", "next_action": "明日复测"}).to_string()).await;
    assert_eq!(status, 201, "{conferred}");
    assert_eq!(
        conferred["conferences"][0]["outside_attendees"],
        json!(["村委会王主任"])
    );
    let (_, seen) = read(&app, &format!("/api/cases/{a}"), &viewer).await;
    assert_eq!(
        seen["conferences"][0]["outside_attendees"],
        Value::Null,
        "outside attendees are for household-file roles"
    );
    let (status, early) = post_json(
        &app,
        &format!("/api/cases/{a}/close"),
        Some(&admin),
        r#"{"outcome":"signed"}"#,
    )
    .await;
    assert_eq!(status, 422, "not signed yet: {early}");
    let household: i64 = sqlx::query_scalar("SELECT household_id FROM cases WHERE id = $1")
        .bind(a)
        .fetch_one(&pool)
        .await
        .expect("q");
    sqlx::query(
        "INSERT INTO status_events (household_id, from_status, to_status, actor) VALUES ($1, \
        'pending', 'surveyed', 'test'), ($1, 'surveyed', 'signed', 'test')",
    )
    .bind(household)
    .execute(&pool)
    .await
    .expect("signs");
    let signing: i64 =
        sqlx::query_scalar("SELECT max(id) FROM status_events WHERE household_id = $1")
            .bind(household)
            .fetch_one(&pool)
            .await
            .expect("q");
    let (status, closed) = post_json(
        &app,
        &format!("/api/cases/{a}/close"),
        Some(&admin),
        r#"{"outcome":"signed","note":"已签约"}"#,
    )
    .await;
    assert_eq!(status, 200, "{closed}");
    assert_eq!(
        closed["status_events"][0]["id"],
        json!(signing),
        "the signing event is linked"
    );
    let (status, _) = post_json(
        &app,
        &format!("/api/cases/{a}/close"),
        Some(&admin),
        r#"{"outcome":"withdrawn"}"#,
    )
    .await;
    assert_eq!(status, 409, "closed once");
    let difficult: bool = sqlx::query_scalar("SELECT difficult FROM households WHERE id = $1")
        .bind(household)
        .fetch_one(&pool)
        .await
        .expect("q");
    assert!(!difficult, "its last case closed: no longer difficult");
    let (_, figures) = read(&app, &format!("/api/figures/projects/{project}"), &viewer).await;
    assert_eq!(
        (
            figure(&figures, "open_cases"),
            figure(&figures, "overdue_cases"),
            figure(&figures, "difficult")
        ),
        (1, 0, 1)
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action LIKE 'case_%'")
            .fetch_one(&pool)
            .await
            .expect("q");
    assert_eq!(audited, 4, "two opened, one conference, one closed");

    // the ledger's flag opens a case of 其他, and cannot clear one that is open
    sqlx::query("UPDATE households SET difficult = true WHERE code = 'T-1-B1-H03'")
        .execute(&pool)
        .await
        .expect("flag");
    sqlx::query("UPDATE households SET difficult = false WHERE code = 'T-1-B1-H02'")
        .execute(&pool)
        .await
        .expect("unflag");
    let kept: (i64, bool) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM cases WHERE state = 'open' AND category = 'other'), (SELECT difficult FROM households WHERE code = 'T-1-B1-H02')",
    )
    .fetch_one(&pool)
    .await
    .expect("q");
    assert_eq!(kept, (1, true));

    // nothing personal on tiles or the wall's panel: a flag and counts
    let (x, y) = tile_of(111.612, 28.912, 16);
    let (_, mvt) = get(&pool, &format!("/tiles/buildings/16/{x}/{y}.mvt"), &[]).await;
    let features = decode_mvt(&mvt, "buildings");
    let building = features.values().next().expect("the building");
    assert_eq!(building.get("case_open"), Some(&json!(true)));
    let (status, panel) = read(&app, "/api/figures/cases?project=T-1", &viewer).await;
    assert_eq!(status, 200, "{panel}");
    assert_eq!(
        (panel["open"].clone(), panel["overdue"].clone()),
        (json!(2), json!(0))
    );
    let text = format!("{building:?}{panel}");
    for personal in ["测试", "430702198", "王主任", "holder"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
}

/// The demo's cases agree with its flags: every difficult household has one open case and no
/// other has one; a few are overdue; closed 签约 cases link their signing event; the escalation
/// job finds nothing to move (the demo's ladder is already where the clock puts it).
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn demo_cases_agree_with_the_flags(pool: PgPool) {
    crate::helpers::demo_city(&pool).await;
    let (flagged, open, mismatched): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM households WHERE difficult), (SELECT count(*) FROM cases WHERE state = 'open'),
                (SELECT count(*) FROM households h WHERE h.difficult <> EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id AND c.state = 'open'))",
    )
    .fetch_one(&pool)
    .await
    .expect("counts");
    assert!(open > 20, "{open} open cases");
    assert_eq!((flagged, mismatched), (open, 0));
    let (overdue, closed, linked, events_in_order): (i64, i64, i64, bool) = sqlx::query_as(
        // overdue at the demo's clock: its day's end when the demo is of a past day
        "SELECT (SELECT count(*) FROM cases WHERE state = 'open'
                    AND due_at <= least(now(), ((($1::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') - interval '1 minute'))),
                (SELECT count(*) FROM cases WHERE outcome = 'signed'),
                (SELECT count(*) FROM case_status_events cs JOIN status_events e ON e.id = cs.status_event_id WHERE e.to_status = 'signed'),
                (SELECT bool_and(at >= lag_at) FROM (SELECT at, lag(at, 1, at) OVER (ORDER BY id) AS lag_at FROM case_events) x)",
    )
    .bind(crate::helpers::AS_OF)
    .fetch_one(&pool)
    .await
    .expect("counts");
    assert!(
        overdue > 0 && overdue * 4 < open,
        "a few overdue: {overdue} of {open}"
    );
    assert!(
        closed > 0 && closed == linked,
        "closed 签约 {closed}, linked {linked}"
    );
    assert!(events_in_order, "event ids follow time");
    let (_, figures) = read(
        &state(&pool).await,
        "/api/figures/regions",
        &session(&pool, "wall", "viewer", None).await,
    )
    .await;
    assert!(figures["keys"]
        .as_array()
        .is_some_and(|k| k.contains(&json!("open_cases"))));
    let moved: i32 = sqlx::query_scalar(
        "SELECT escalate_due_cases(least(now(), (SELECT max(due_at) FROM cases WHERE state = \
        'open' AND level = 'group') - interval '1 second'))",
    )
    .fetch_one(&pool)
    .await
    .expect("job");
    assert_eq!(moved, 0, "nothing to escalate");
}

/// Opens `n` cases that were due two days ago (as after a service that was off, or at midnight
/// for a day's cases); the number of open cases now due.
pub async fn overdue_cases(pool: &PgPool, n: i64) -> i64 {
    sqlx::query(
        "INSERT INTO cases (household_id, project_id, group_id, category, opened_at, due_at, level_due_at)
         SELECT h.id, b.project_id, h.group_id, 'area', now() - interval '3 days', now() - interval '2 days',
                now() - interval '2 days'
           FROM households h JOIN buildings b ON b.id = h.building_id
          WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id AND c.state = 'open')
          ORDER BY h.id LIMIT $1",
    )
    .bind(n)
    .execute(pool)
    .await
    .expect("overdue cases");
    let due: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM cases WHERE state = 'open' AND level <> 'leader' AND level_due_at <= now()",
    )
    .fetch_one(pool)
    .await
    .expect("due");
    assert!(due >= n, "{due} due");
    due
}

/// A backlog (a service that was off) moves in transactions of at most 500 cases, every case
/// once: a signing waits behind one of them at most, never behind the whole backlog.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_backlog_of_overdue_cases_moves_in_short_transactions(pool: PgPool) {
    crate::helpers::demo_city(&pool).await;
    let due = overdue_cases(&pool, 1200).await;
    let moved = onemap::cases::escalation::run_once(&pool)
        .await
        .expect("job");
    assert_eq!(moved, due, "every due case moved once");
    let (transactions, largest): (i64, i64) = sqlx::query_as(
        "SELECT count(*), max(n) FROM (SELECT count(*) AS n FROM case_events
          WHERE kind = 'escalated' AND at >= now() - interval '1 minute' GROUP BY xmin::text) t",
    )
    .fetch_one(&pool)
    .await
    .expect("batches");
    assert!(
        transactions >= 3 && largest <= 500,
        "{transactions} transactions, the largest {largest} cases"
    );
}
