//! The procedure's rules of time (issue 14) against dates computed by hand: the SQL `period_end`
//! in Beijing working days over the State Council's holiday notices, each template's legal
//! durations through `project_steps_due`, the shown states against Beijing today, the holiday
//! calendar an admin replaces (and the deadlines that follow it), and the period calculator.
//!
//! The 2026 notice (国办发明电〔2025〕7号) as `calendar_days` lists it: 元旦 01-01/02 off, 01-04
//! (Sun) worked; 春节 02-16..20 and 02-23 off, 02-14 and 02-28 (Sat) worked; 清明 04-06 (Mon)
//! off; 劳动节 05-01, 05-04, 05-05 off, 05-09 (Sat) worked; 端午 06-19 off; 中秋 09-25 (Fri) off;
//! 国庆 10-01, 10-02, 10-05..07 off, 09-20 (Sun) and 10-10 (Sat) worked.
use chrono::NaiveDate;
use onemap::AppState;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::admin::call;
use crate::helpers::{session, state};

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a day")
}

/// A project of `kind` in a test district, inserted as an import would; the trigger gives it
/// the newest template of its kind. Answers its id.
pub(crate) async fn project(pool: &PgPool, code: &str, kind: &str) -> i64 {
    sqlx::raw_sql(
        "INSERT INTO regions (code, name, level, geom_source, geom)
         SELECT '430700', '测试市', 'city', 'test', ST_Multi(ST_MakeEnvelope(111, 28, 112, 29, 4326))
          WHERE NOT EXISTS (SELECT 1 FROM regions WHERE code = '430700')",
    )
    .execute(pool)
    .await
    .expect("a city");
    sqlx::query_scalar(
        "INSERT INTO projects (code, name, kind, region_id, start_date, target_date, budget_yuan, geom)
         SELECT $1, $1, $2::project_kind, id, '2025-01-01', '2027-12-31', 1000000,
                ST_Multi(ST_MakeEnvelope(111.1, 28.1, 111.2, 28.2, 4326))
           FROM regions WHERE code = '430700'
         RETURNING id",
    )
    .bind(code)
    .bind(kind)
    .fetch_one(pool)
    .await
    .expect("a project")
}

/// Sets step `key` of `project` by SQL (the ledger's writes are another part's): done on `end`
/// when given (started on `start`), else in progress since `start`.
async fn set_step(pool: &PgPool, project: i64, key: &str, start: &str, end: Option<&str>) {
    let changed = sqlx::query(
        "UPDATE project_steps SET state = CASE WHEN $4::date IS NULL THEN 'in_progress' ELSE 'done' END::step_state,
                actual_start = $3::date, actual_end = $4::date
          WHERE project_id = $1 AND key = $2",
    )
    .bind(project)
    .bind(key)
    .bind(start)
    .bind(end)
    .execute(pool)
    .await
    .expect("step set")
    .rows_affected();
    assert_eq!(changed, 1, "{key} is a step of project {project}");
}

/// (earliest_end, legal_due) of step `key` of `project`, from `project_steps_due`.
async fn due(pool: &PgPool, project: i64, key: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
    sqlx::query_as(
        "SELECT earliest_end, legal_due FROM project_steps_due WHERE project_id = $1 AND key = $2",
    )
    .bind(project)
    .bind(key)
    .fetch_one(pool)
    .await
    .expect("a step's dates")
}

async fn period_end(pool: &PgPool, start: &str, n: i32, unit: &str) -> NaiveDate {
    sqlx::query_scalar("SELECT period_end($1::date, $2, $3::period_unit)")
        .bind(start)
        .bind(n)
        .bind(unit)
        .fetch_one(pool)
        .await
        .expect("period_end")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn period_end_counts_the_laws_durations_against_hand_computed_days(pool: PgPool) {
    // (start, n, unit, the end worked out by hand, the reasoning)
    let cases = [
        // 预公告 ≥ 10 working days from Mon 09-28: 09-29 (1), 09-30 (2), 10-01..07 off (10-03/04
        // a weekend), 10-08 Thu (3), 10-09 Fri (4), 10-10 Sat worked (5), 10-12..16 Mon–Fri (6–10)
        (
            "2026-09-28",
            10,
            "working_days",
            "2026-10-16",
            "国庆 with the 10-10 Saturday worked",
        ),
        // from Mon 02-09: 02-10..13 (1–4), 02-14 Sat worked (5), 02-16..20 and 02-23 off, 02-24..27
        // Tue–Fri (6–9), 02-28 Sat worked (10)
        (
            "2026-02-09",
            10,
            "working_days",
            "2026-02-28",
            "春节 with both Saturdays worked",
        ),
        // 征收土地公告 within 15 working days of an approval on Mon 04-27: 04-28..30 (1–3), 05-01..05
        // off, 05-06..08 (4–6), 05-09 Sat worked (7), 05-11..15 (8–12), 05-18..20 (13–15)
        (
            "2026-04-27",
            15,
            "working_days",
            "2026-05-20",
            "劳动节 with the 05-09 Saturday worked",
        ),
        // across the new year from Fri 2025-12-26: 12-29..31 (1–3), 01-01/02 off, 01-04 Sun
        // worked (4), 01-05 Mon (5)
        (
            "2025-12-26",
            5,
            "working_days",
            "2026-01-05",
            "元旦 with the 01-04 Sunday worked",
        ),
        // from a holiday: 10-02..07 off or weekend, the first working day is Thu 10-08
        (
            "2026-10-01",
            1,
            "working_days",
            "2026-10-08",
            "a count starting inside 国庆",
        ),
        // 征求意见 ≥ 30 days from Fri 03-06: 03-06 + 25 = 03-31, + 30 = Sun 04-05, a rest day;
        // Mon 04-06 is 清明: the period ends on Tue 04-07
        (
            "2026-03-06",
            30,
            "days",
            "2026-04-07",
            "30 days ending on a Sunday before 清明",
        ),
        // 06-01 + 29 = 06-30, + 30 = Wed 07-01, a working day
        (
            "2026-06-01",
            30,
            "days",
            "2026-07-01",
            "30 days ending on a working day",
        ),
        // 09-01 + 29 = 09-30, + 30 = Thu 10-01 (国庆): 10-02..07 off or weekend, so Thu 10-08
        (
            "2026-09-01",
            30,
            "days",
            "2026-10-08",
            "30 days ending in 国庆",
        ),
        // 复核评估 within 10 days of Tue 09-15: Fri 09-25 is 中秋, 09-26/27 a weekend: Mon 09-28
        (
            "2026-09-15",
            10,
            "days",
            "2026-09-28",
            "10 days ending on 中秋",
        ),
        // 复议 within 60 days of Mon 08-03: 08-03 + 28 = 08-31, + 58 = 09-30, + 60 = Fri 10-02 (国庆);
        // 10-03/04 a weekend, 10-05..07 off: Thu 10-08
        (
            "2026-08-03",
            60,
            "days",
            "2026-10-08",
            "60 days ending in 国庆",
        ),
        // 07-31 + 31 = 08-31, + 60 = Tue 09-29, a working day
        (
            "2026-07-31",
            60,
            "days",
            "2026-09-29",
            "60 days ending on a working day",
        ),
        // 03-31 + 30 = 04-30, + 60 = Sat 05-30, Sun 05-31: Mon 06-01
        (
            "2026-03-31",
            60,
            "days",
            "2026-06-01",
            "60 days ending on a Saturday",
        ),
        // 诉讼 within 6 months of Sun 2025-08-31: February has no 31st, so its last day Sat
        // 2026-02-28, a Saturday worked for 春节: the period ends that day
        (
            "2025-08-31",
            6,
            "months",
            "2026-02-28",
            "month-end clamp onto a 调休 Saturday",
        ),
        // 2023-08-31 + 6 months: 2024 is a leap year, Thu 02-29, a working day
        (
            "2023-08-31",
            6,
            "months",
            "2024-02-29",
            "month-end clamp in a leap year",
        ),
        // 03-31 + 6 months: September has 30 days, Wed 09-30
        (
            "2026-03-31",
            6,
            "months",
            "2026-09-30",
            "month-end clamp to the 30th",
        ),
        // 08-03 + 6 months = Wed 2027-02-03; 2027 is not listed yet: by weekday alone
        (
            "2026-08-03",
            6,
            "months",
            "2027-02-03",
            "a year the calendar does not list",
        ),
        // 07-31 + 6 months = Sun 2027-01-31: Mon 02-01
        (
            "2026-07-31",
            6,
            "months",
            "2027-02-01",
            "6 months ending on a Sunday",
        ),
        // 拆除工程备案 15 days before works from Thu 02-05: 02-05 + 15 = Fri 02-20 (春节); 02-21/22 a
        // weekend, Mon 02-23 春节: Tue 02-24
        (
            "2026-02-05",
            15,
            "days",
            "2026-02-24",
            "春节 spanning the deadline",
        ),
        // from Fri 2025-12-26: + 5 = 12-31, + 15 = Sat 2026-01-10, Sun 01-11: Mon 01-12
        (
            "2025-12-26",
            15,
            "days",
            "2026-01-12",
            "15 days ending on a weekend",
        ),
    ];
    for (start, n, unit, expected, why) in cases {
        assert_eq!(
            period_end(&pool, start, n, unit).await,
            day(expected),
            "{start} + {n} {unit}: {why}"
        );
    }
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn each_templates_legal_durations_give_hand_computed_deadlines(pool: PgPool) {
    // 国有土地上房屋征收: the comment period, the windows after the decision and the appraisal,
    // the demolition filing (the days are those of the table above)
    let house = project(&pool, "T-HOUSE", "house_expropriation").await;
    set_step(&pool, house, "plan_comment", "2026-03-06", None).await;
    set_step(&pool, house, "decision", "2026-08-03", Some("2026-08-03")).await;
    set_step(
        &pool,
        house,
        "appraisal_published",
        "2026-09-10",
        Some("2026-09-15"),
    )
    .await;
    set_step(&pool, house, "demolition_filing", "2026-02-05", None).await;
    assert_eq!(
        due(&pool, house, "plan_comment").await,
        (Some(day("2026-04-07")), None),
        "≥ 30 days"
    );
    assert_eq!(
        due(&pool, house, "reconsideration_window").await,
        (None, Some(day("2026-10-08"))),
        "复议 60 days"
    );
    assert_eq!(
        due(&pool, house, "litigation_window").await,
        (None, Some(day("2027-02-03"))),
        "诉讼 6 months"
    );
    assert_eq!(
        due(&pool, house, "appraisal_review_window").await,
        (None, Some(day("2026-09-28"))),
        "复核评估 10 days"
    );
    assert_eq!(
        due(&pool, house, "demolition_filing").await,
        (Some(day("2026-02-24")), None),
        "备案 15 days, 春节"
    );
    // a decision on 2025-08-31: 复议 to 2025-10-30 (08-31 + 30 = 09-30, + 60 = Thu 10-30), 诉讼
    // to the last day of February, a Saturday worked
    let house2 = project(&pool, "T-HOUSE2", "house_expropriation").await;
    set_step(&pool, house2, "decision", "2025-08-31", Some("2025-08-31")).await;
    assert_eq!(
        due(&pool, house2, "reconsideration_window").await,
        (None, Some(day("2025-10-30")))
    );
    assert_eq!(
        due(&pool, house2, "litigation_window").await,
        (None, Some(day("2026-02-28")))
    );

    // 集体土地征收: the pre-announcement in working days over 国庆, the announcement within 15
    // working days of the approval (over 劳动节), the plan's 30 days
    let land = project(&pool, "T-LAND", "land_acquisition").await;
    set_step(&pool, land, "pre_announcement", "2026-09-28", None).await;
    set_step(&pool, land, "approval", "2026-04-20", Some("2026-04-27")).await;
    set_step(&pool, land, "plan_announcement", "2026-06-01", None).await;
    assert_eq!(
        due(&pool, land, "pre_announcement").await,
        (Some(day("2026-10-16")), None),
        "≥ 10 working days"
    );
    assert_eq!(
        due(&pool, land, "acquisition_announcement").await,
        (None, Some(day("2026-05-20"))),
        "≤ 15 working days"
    );
    assert_eq!(
        due(&pool, land, "plan_announcement").await,
        (Some(day("2026-07-01")), None),
        "≥ 30 days"
    );
    let land2 = project(&pool, "T-LAND2", "land_acquisition").await;
    set_step(&pool, land2, "pre_announcement", "2026-02-09", None).await;
    assert_eq!(
        due(&pool, land2, "pre_announcement").await,
        (Some(day("2026-02-28")), None),
        "over 春节"
    );

    // 棚户区改造: 走访征求意见 30 days ending in 国庆; the windows after a 03-31 announcement
    let shanty = project(&pool, "T-SHANTY", "shantytown").await;
    set_step(&pool, shanty, "consultation", "2026-09-01", None).await;
    set_step(
        &pool,
        shanty,
        "announcement",
        "2026-03-31",
        Some("2026-03-31"),
    )
    .await;
    assert_eq!(
        due(&pool, shanty, "consultation").await,
        (Some(day("2026-10-08")), None)
    );
    assert_eq!(
        due(&pool, shanty, "reconsideration_window").await,
        (None, Some(day("2026-06-01")))
    );
    assert_eq!(
        due(&pool, shanty, "litigation_window").await,
        (None, Some(day("2026-09-30")))
    );

    // 土地整备: the windows after a 07-31 announcement; the filing over the new year
    let ready = project(&pool, "T-READY", "land_readiness").await;
    set_step(
        &pool,
        ready,
        "plan_announced",
        "2026-07-31",
        Some("2026-07-31"),
    )
    .await;
    set_step(&pool, ready, "demolition_filing", "2025-12-26", None).await;
    assert_eq!(
        due(&pool, ready, "reconsideration_window").await,
        (None, Some(day("2026-09-29")))
    );
    assert_eq!(
        due(&pool, ready, "litigation_window").await,
        (None, Some(day("2027-02-01")))
    );
    assert_eq!(
        due(&pool, ready, "demolition_filing").await,
        (Some(day("2026-01-12")), None)
    );
}

/// Runs `sql` with `$1` = `project`.
async fn exec(pool: &PgPool, project: i64, sql: &str) {
    sqlx::query(sql)
        .bind(project)
        .execute(pool)
        .await
        .expect(sql);
}

/// The shown state of each step of `project` by key.
async fn shown(pool: &PgPool, project: i64) -> std::collections::HashMap<String, String> {
    sqlx::query_as("SELECT key, shown_state FROM project_steps_due WHERE project_id = $1")
        .bind(project)
        .fetch_all(pool)
        .await
        .expect("shown states")
        .into_iter()
        .collect()
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn overdue_open_and_closed_follow_beijing_today(pool: PgPool) {
    // days relative to Beijing today, as the view counts them
    let set = |project: i64, sql: &'static str| exec(&pool, project, sql);
    let house = project(&pool, "T-DUE", "house_expropriation").await;
    set(house, "UPDATE project_steps SET state = 'done', actual_start = (now() AT TIME ZONE 'Asia/Shanghai')::date - 30,
                       actual_end = (now() AT TIME ZONE 'Asia/Shanghai')::date - 20 WHERE project_id = $1 AND key = 'approval'").await;
    // in progress past its planned end: overdue; on its planned end day: not yet
    set(house, "UPDATE project_steps SET state = 'in_progress', actual_start = (now() AT TIME ZONE 'Asia/Shanghai')::date - 10,
                       planned_end = (now() AT TIME ZONE 'Asia/Shanghai')::date - 1 WHERE project_id = $1 AND key = 'organization'").await;
    set(house, "UPDATE project_steps SET state = 'in_progress', actual_start = (now() AT TIME ZONE 'Asia/Shanghai')::date - 5,
                       planned_end = (now() AT TIME ZONE 'Asia/Shanghai')::date WHERE project_id = $1 AND key = 'survey'").await;
    // waived past its planned end: waived; not started past its planned end: overdue
    set(house, "UPDATE project_steps SET state = 'waived', waive_reason = '已并入调查登记', actual_end = (now() AT TIME ZONE 'Asia/Shanghai')::date - 3,
                       planned_end = (now() AT TIME ZONE 'Asia/Shanghai')::date - 9 WHERE project_id = $1 AND key = 'freeze_notice'").await;
    set(
        house,
        "UPDATE project_steps SET planned_end = (now() AT TIME ZONE 'Asia/Shanghai')::date - 2
                 WHERE project_id = $1 AND key = 'plan_drafted'",
    )
    .await;
    // a decision ten days ago: both windows open; the appraisal's window not started
    set(house, "UPDATE project_steps SET state = 'done', actual_start = (now() AT TIME ZONE 'Asia/Shanghai')::date - 10,
                       actual_end = (now() AT TIME ZONE 'Asia/Shanghai')::date - 10 WHERE project_id = $1 AND key = 'decision'").await;
    let states = shown(&pool, house).await;
    for (key, expected) in [
        ("approval", "done"),
        ("organization", "overdue"),
        ("survey", "in_progress"),
        ("freeze_notice", "waived"),
        ("plan_drafted", "overdue"),
        ("plan_comment", "not_started"),
        ("reconsideration_window", "open"),
        ("litigation_window", "open"),
        ("appraisal_review_window", "not_started"),
    ] {
        assert_eq!(states[key], expected, "{key}");
    }
    // a decision 220 days ago: 60 days and 6 months (≤ 184 days, ≤ 8 more to a working day) passed
    let old = project(&pool, "T-DUE-OLD", "house_expropriation").await;
    set(old, "UPDATE project_steps SET state = 'done', actual_start = (now() AT TIME ZONE 'Asia/Shanghai')::date - 220,
                     actual_end = (now() AT TIME ZONE 'Asia/Shanghai')::date - 220 WHERE project_id = $1 AND key = 'decision'").await;
    let states = shown(&pool, old).await;
    assert_eq!(
        (
            states["reconsideration_window"].as_str(),
            states["litigation_window"].as_str()
        ),
        ("closed", "closed")
    );

    // 征收土地公告 undone 40 days after the approval: past 15 working days (at most 31 days even
    // over 春节), so overdue with no planned end; approved today: not yet
    let late = project(&pool, "T-DUE-LAND", "land_acquisition").await;
    set(late, "UPDATE project_steps SET state = 'done', actual_start = (now() AT TIME ZONE 'Asia/Shanghai')::date - 40,
                      actual_end = (now() AT TIME ZONE 'Asia/Shanghai')::date - 40 WHERE project_id = $1 AND key = 'approval'").await;
    assert_eq!(
        shown(&pool, late).await["acquisition_announcement"],
        "overdue"
    );
    let fresh = project(&pool, "T-DUE-LAND2", "land_acquisition").await;
    set(fresh, "UPDATE project_steps SET state = 'done', actual_start = (now() AT TIME ZONE 'Asia/Shanghai')::date,
                       actual_end = (now() AT TIME ZONE 'Asia/Shanghai')::date WHERE project_id = $1 AND key = 'approval'").await;
    assert_eq!(
        shown(&pool, fresh).await["acquisition_announcement"],
        "not_started"
    );
}

/// Year 2027's listed days and the audit lines about the calendar.
async fn calendar_written(pool: &PgPool) -> (Vec<(NaiveDate, bool, String)>, i64) {
    let days = sqlx::query_as("SELECT day, working, name FROM calendar_days WHERE day >= '2027-01-01' AND day < '2028-01-01' ORDER BY day")
        .fetch_all(pool)
        .await
        .expect("2027");
    let audited =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'holiday_calendar'")
            .fetch_one(pool)
            .await
            .expect("audit");
    (days, audited)
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn an_admin_replaces_a_years_holidays_and_deadlines_follow(pool: PgPool) {
    let app: AppState = state(&pool).await;
    let admin = session(&pool, "boss", "admin", None).await;
    let viewer = session(&pool, "viewer1", "viewer", None).await;
    let (status, y2026) = call(
        &app,
        "GET",
        "/api/procedure/calendar?year=2026",
        Some(&viewer),
        None,
    )
    .await;
    assert_eq!(status, 200, "{y2026}");
    assert_eq!(y2026["years"], json!([2024, 2025, 2026]));
    assert_eq!(
        y2026["days"].as_array().map(Vec::len),
        Some(25),
        "the 2026 notice lists 25 days"
    );
    assert_eq!(
        y2026["days"][24],
        json!({ "day": "2026-10-10", "working": true, "name": "国庆节调休上班", "weekday": 6 })
    );

    // before 2027 is listed: 诉讼 from 08-03 ends Wed 2027-02-03; 3 working days from Mon 02-01 end Thu 02-04
    assert_eq!(
        period_end(&pool, "2026-08-03", 6, "months").await,
        day("2027-02-03")
    );
    assert_eq!(
        period_end(&pool, "2027-02-01", 3, "working_days").await,
        day("2027-02-04")
    );
    let list = json!({ "days": [
        { "day": "2027-02-06", "working": true, "name": "测试调休上班" },
        { "day": "2027-02-03", "working": false, "name": "测试假日" },
        { "day": "2027-01-01", "working": false, "name": "元旦" },
    ] });
    let (status, _) = call(
        &app,
        "PUT",
        "/api/procedure/calendar/2027",
        Some(&viewer),
        Some(list.clone()),
    )
    .await;
    assert_eq!(status, 403, "admins only");
    let (status, y2027) = call(
        &app,
        "PUT",
        "/api/procedure/calendar/2027",
        Some(&admin),
        Some(list),
    )
    .await;
    assert_eq!(status, 200, "{y2027}");
    let days: Vec<&str> = y2027["days"]
        .as_array()
        .expect("the answer's shape")
        .iter()
        .map(|d| d["day"].as_str().expect("the answer's shape"))
        .collect();
    assert_eq!(days, ["2027-01-01", "2027-02-03", "2027-02-06"], "in order");
    assert_eq!(y2027["years"], json!([2024, 2025, 2026, 2027]));
    // now Wed 02-03 is off: 诉讼 ends Thu 02-04; 02-02 (1), 02-04 (2), 02-05 (3)
    assert_eq!(
        period_end(&pool, "2026-08-03", 6, "months").await,
        day("2027-02-04")
    );
    assert_eq!(
        period_end(&pool, "2027-02-01", 3, "working_days").await,
        day("2027-02-05")
    );
    let detail: Value =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'holiday_calendar'")
            .fetch_one(&pool)
            .await
            .expect("audited");
    assert_eq!(
        (
            detail["year"].as_i64(),
            detail["added"].as_array().map(Vec::len)
        ),
        (Some(2027), Some(3))
    );

    // every refusal names the day and writes nothing
    let before = calendar_written(&pool).await;
    let holiday = |d: &str, w: bool, name: &str| json!({ "day": d, "working": w, "name": name });
    for (what, days, code, named) in [
        (
            "a day of 2028",
            vec![
                holiday("2027-01-01", false, "元旦"),
                holiday("2028-01-03", false, "元旦"),
            ],
            "calendar_day_outside_year",
            json!({ "day": "2028-01-03", "year": 2027 }),
        ),
        (
            "a day twice",
            vec![
                holiday("2027-01-01", false, "元旦"),
                holiday("2027-01-01", false, "元旦"),
            ],
            "calendar_day_twice",
            json!({ "day": "2027-01-01" }),
        ),
        (
            "a holiday on a Saturday",
            vec![holiday("2027-02-06", false, "春节")],
            "calendar_holiday_on_weekend",
            json!({ "day": "2027-02-06" }),
        ),
        (
            "a worked weekday",
            vec![holiday("2027-02-03", true, "调休")],
            "calendar_workday_on_weekday",
            json!({ "day": "2027-02-03" }),
        ),
        (
            "a day without a name",
            vec![
                holiday("2027-01-01", false, "元旦"),
                holiday("2027-02-03", false, " "),
            ],
            "invalid_field",
            json!({ "field": "days[1].name" }),
        ),
        (
            "a day that is none",
            vec![holiday("2027-02-30", false, "假")],
            "invalid_field",
            json!({ "field": "days[0].day" }),
        ),
    ] {
        let (status, answer) = call(
            &app,
            "PUT",
            "/api/procedure/calendar/2027",
            Some(&admin),
            Some(json!({ "days": days })),
        )
        .await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (422, Some(code)),
            "{what}: {answer}"
        );
        assert_eq!(answer["values"], named, "{what}");
        assert_eq!(
            calendar_written(&pool).await,
            before,
            "{what}: nothing written"
        );
    }
    let (status, _) = call(
        &app,
        "PUT",
        "/api/procedure/calendar/3000",
        Some(&admin),
        Some(json!({ "days": [] })),
    )
    .await;
    assert_eq!(status, 400, "a year outside the business years");
    // an empty list: the year counts by weekday alone again
    let (status, emptied) = call(
        &app,
        "PUT",
        "/api/procedure/calendar/2027",
        Some(&admin),
        Some(json!({ "days": [] })),
    )
    .await;
    assert_eq!((status, &emptied["days"]), (200, &json!([])));
    assert_eq!(
        period_end(&pool, "2026-08-03", 6, "months").await,
        day("2027-02-03")
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn the_period_calculator_answers_what_period_end_does(pool: PgPool) {
    let app = state(&pool).await;
    let viewer = session(&pool, "viewer1", "viewer", None).await;
    let uri = "/api/procedure/period-end?start=2026-09-28&n=10&unit=working_days";
    let (status, answer) = call(&app, "GET", uri, Some(&viewer), None).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (&answer["end"], &answer["end_weekday"]),
        (&json!("2026-10-16"), &json!(5))
    );
    let listed: Vec<&str> = answer["listed"]
        .as_array()
        .expect("the answer's shape")
        .iter()
        .map(|d| d["day"].as_str().expect("the answer's shape"))
        .collect();
    assert_eq!(
        listed,
        [
            "2026-10-01",
            "2026-10-02",
            "2026-10-05",
            "2026-10-06",
            "2026-10-07",
            "2026-10-10"
        ]
    );
    for (query, field) in [
        ("start=2026-02-30&n=1&unit=days", "start"),
        ("start=2026-01-01&n=-1&unit=days", "n"),
        ("start=2026-01-01&n=99999&unit=days", "n"),
        ("start=2026-01-01&n=1&unit=weeks", "unit"),
    ] {
        let (status, answer) = call(
            &app,
            "GET",
            &format!("/api/procedure/period-end?{query}"),
            Some(&viewer),
            None,
        )
        .await;
        assert_eq!(
            (status, &answer["values"]["field"]),
            (400, &json!(field)),
            "{query}: {answer}"
        );
    }
    assert_eq!(call(&app, "GET", uri, None, None).await.0, 401);
}
