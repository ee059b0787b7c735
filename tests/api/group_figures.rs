//! 工作组 figures kept by the database (group_daily_figures, group_holdings; migration 0039): a
//! backdated reassignment and a backdated event land on the right group and Beijing day, and
//! after a mix of writes (events in SQL and through the API, a building's write, assignments
//! through the API and backdated, a step back, an unassignment, a group deleted) the kept
//! tables equal a recount from the events and the history.
use serde_json::json;
use sqlx::PgPool;

use crate::groups::{arrange, event_at, gains, get_json, group_id, held_from, row};
use crate::helpers::{post_json, session, state};

/// A group's kept (surveyed, signed, vacated) on a day; zeros where it has no row.
async fn kept(pool: &PgPool, group: i32, day: &str) -> (i32, i32, i32) {
    sqlx::query_as(
        "SELECT coalesce(sum(surveyed), 0)::integer, coalesce(sum(signed), 0)::integer, coalesce(sum(vacated), 0)::integer
           FROM group_daily_figures WHERE group_id = $1 AND day = $2::date",
    )
    .bind(group)
    .bind(day)
    .fetch_one(pool)
    .await
    .expect("kept")
}

/// Rows where the kept tables and their recounts differ (days netting to nothing left out).
async fn drift(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "WITH kept AS (SELECT * FROM group_daily_figures WHERE (surveyed, signed, vacated, demolished) <> (0, 0, 0, 0)),
              fresh AS (SELECT * FROM group_daily_figures_recount WHERE (surveyed, signed, vacated, demolished) <> (0, 0, 0, 0)),
              held AS (SELECT * FROM group_holdings WHERE (households, signed) <> (0, 0))
         SELECT 'kept ' || k::text FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh) k
         UNION ALL SELECT 'recount ' || f::text FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept) f
         UNION ALL SELECT 'held ' || h::text FROM (SELECT * FROM held EXCEPT SELECT * FROM group_holdings_recount) h
         UNION ALL SELECT 'holds ' || r::text FROM (SELECT * FROM group_holdings_recount EXCEPT SELECT * FROM held) r",
    )
    .fetch_all(pool)
    .await
    .expect("drift")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn kept_group_figures_follow_reassignments_and_backdated_events(pool: PgPool) {
    arrange(&pool).await;
    let (a, b) = (
        group_id(&pool, "第一工作组").await,
        group_id(&pool, "第二工作组").await,
    );
    held_from(&pool, "T-1-B1-H01", a, "2026-11-01 00:00").await;
    held_from(&pool, "T-1-B1-H02", a, "2026-11-01 00:00").await;
    held_from(&pool, "T-1-B1-H03", b, "2026-11-01 00:00").await;
    event_at(
        &pool,
        "T-1-B1-H02",
        "pending",
        "surveyed",
        "2026-11-09 10:00",
    )
    .await;
    assert_eq!(kept(&pool, a, "2026-11-09").await, (1, 0, 0));
    // handed to 二组 from 08:00 of the 9th, written afterwards: the survey at 10:00 moves to 二组
    held_from(&pool, "T-1-B1-H02", b, "2026-11-09 08:00").await;
    assert_eq!(kept(&pool, a, "2026-11-09").await, (0, 0, 0));
    assert_eq!(kept(&pool, b, "2026-11-09").await, (1, 0, 0));

    // H03 handed to 一组 from midnight of the 12th; events written afterwards dated before it
    // stay with 二组; 00:10 Beijing of the 12th (the 11th in UTC) is 一组's, on the 12th
    held_from(&pool, "T-1-B1-H03", a, "2026-11-12 00:00").await;
    event_at(
        &pool,
        "T-1-B1-H03",
        "pending",
        "surveyed",
        "2026-11-11 23:30",
    )
    .await;
    event_at(
        &pool,
        "T-1-B1-H03",
        "surveyed",
        "signed",
        "2026-11-12 00:10",
    )
    .await;
    assert_eq!(kept(&pool, b, "2026-11-11").await, (1, 0, 0));
    assert_eq!(kept(&pool, a, "2026-11-11").await, (0, 0, 0));
    assert_eq!(kept(&pool, a, "2026-11-12").await, (0, 1, 0));
    let app = state(&pool).await;
    let viewer = session(&pool, "looker", "viewer", None).await;
    let (status, day12) = get_json(
        &app,
        "/api/rankings?level=group&project=T-1&period=day&as_of=2026-11-12",
        &viewer,
    )
    .await;
    assert_eq!(status, 200, "{day12}");
    assert_eq!(gains(&row(&day12, a)), (0, 1, 0));
    assert_eq!(gains(&row(&day12, b)), (0, 0, 0));
    // a step back (with its reason) counts −1 for the group holding the household then
    sqlx::query(
        "INSERT INTO status_events (household_id, from_status, to_status, actor, reason, at)
         SELECT id, 'signed', 'surveyed', 'test', '协议撤销', '2026-11-13 09:00+08' FROM households WHERE code = 'T-1-B1-H03'",
    )
    .execute(&pool)
    .await
    .expect("step back");
    assert_eq!(kept(&pool, a, "2026-11-13").await, (0, -1, 0));

    // the API's writes: an assignment now, a household's and a building's status writes (one
    // statement of several events), a third group that takes a household, loses it and goes
    let admin = session(&pool, "boss", "admin", None).await;
    let (status, moved) = post_json(
        &app,
        &format!("/api/groups/{b}/assign"),
        Some(&admin),
        r#"{"households":["T-1-B1-H01"]}"#,
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    let c: i32 = sqlx::query_scalar(
        "INSERT INTO work_groups (project_id, name) SELECT id, '第三工作组' FROM projects WHERE code = 'T-1' RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .expect("third group");
    let (status, moved) = post_json(
        &app,
        &format!("/api/groups/{c}/assign"),
        Some(&admin),
        r#"{"households":["T-1-B2-H01"]}"#,
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    // (a group's change moves the building's version: read it as a page would)
    let subjects: Vec<(String, i64, i32)> = sqlx::query_as(
        "SELECT 'household', id, version FROM households WHERE code = 'T-1-B1-H01'
         UNION ALL SELECT 'building', id, version FROM buildings WHERE code = 'T-1-B2'",
    )
    .fetch_all(&pool)
    .await
    .expect("subjects");
    for (subject, id, version) in subjects {
        let change = json!({ "subject": subject, "id": id, "to": "surveyed", "version": version });
        let body = json!({ "changes": [change] }).to_string();
        let (status, written) = post_json(&app, "/api/status", Some(&admin), &body).await;
        assert_eq!(status, 200, "{subject} {id} {version}: {written}");
    }
    let today: (i32, i32) = sqlx::query_as(
        "SELECT (SELECT surveyed FROM group_daily_figures WHERE group_id = $1 AND day = (now() AT TIME ZONE 'Asia/Shanghai')::date),
                (SELECT surveyed FROM group_daily_figures WHERE group_id = $2 AND day = (now() AT TIME ZONE 'Asia/Shanghai')::date)",
    )
    .bind(b)
    .bind(c)
    .fetch_one(&pool)
    .await
    .expect("today");
    assert_eq!(today, (1, 1), "H01 surveyed for 二组, B2-H01 for 三组");
    assert_eq!(drift(&pool).await, Vec::<String>::new());
    // backdated to before all of it: 三组 held B2-H02 too, since the 1st
    held_from(&pool, "T-1-B2-H02", c, "2026-11-01 00:00").await;
    let (status, moved) = post_json(
        &app,
        "/api/groups/unassign",
        Some(&admin),
        r#"{"buildings":["T-1-B2"]}"#,
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    sqlx::query("DELETE FROM work_groups WHERE id = $1")
        .bind(c)
        .execute(&pool)
        .await
        .expect("an empty group goes");
    assert_eq!(drift(&pool).await, Vec::<String>::new());
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM group_daily_figures WHERE group_id NOT IN (SELECT id FROM work_groups)")
        .fetch_one(&pool)
        .await
        .expect("orphans");
    assert_eq!(rows, 0, "a deleted group's rows go with it");
    let held: (i32, i32) =
        sqlx::query_as("SELECT households, signed FROM group_holdings WHERE group_id = $1")
            .bind(b)
            .fetch_one(&pool)
            .await
            .expect("held");
    assert_eq!(held, (2, 0), "二组 holds H01 and H02, neither signed");
    // the history grows by rows: a row's time is not rewritten
    let rewrite =
        sqlx::query("UPDATE work_group_assignments SET from_at = from_at - interval '1 day'")
            .execute(&pool)
            .await;
    assert!(rewrite.is_err(), "rewritten: {rewrite:?}");
    // and a recount gives what was kept
    sqlx::query("SELECT recount_group_figures()")
        .execute(&pool)
        .await
        .expect("recount");
    assert_eq!(kept(&pool, b, "2026-11-11").await, (1, 0, 0));
    assert_eq!(kept(&pool, a, "2026-11-12").await, (0, 1, 0));
}
