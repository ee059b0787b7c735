//! The procedure ledger's writes over HTTP (docs/procedure.md): each step move with its event
//! and audit line, every refused write leaving row, events and audit as they were, the stage
//! following the steps, documents stored by SHA-256, and the plan's dates against hand-computed
//! ones (a working-day period across 国庆 2026).
use reqwest::Client;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::helpers::{demo_city, session};
use crate::sse::serve;

/// A project of `kind` with every step not started and unplanned (whatever the demo wrote), its
/// code, its district and another district.
async fn fresh_project(pool: &PgPool, kind: &str) -> (i64, String, String, String) {
    let found: (i64, String, String, String) = sqlx::query_as(
        "SELECT p.id, p.code, (SELECT code FROM regions WHERE id = r.lineage[2]),
                (SELECT code FROM regions WHERE level = 'district' AND id <> r.lineage[2] ORDER BY id LIMIT 1)
           FROM projects p JOIN regions r ON r.id = p.region_id
          WHERE p.kind = $1::project_kind ORDER BY p.id LIMIT 1",
    )
    .bind(kind)
    .fetch_one(pool)
    .await
    .expect("a project of the kind");
    sqlx::query(
        "UPDATE project_steps SET state = 'not_started', planned_start = NULL, planned_end = NULL, actual_start = NULL,
                actual_end = NULL, waive_reason = NULL, responsible = NULL, note = '' WHERE project_id = $1",
    )
    .bind(found.0)
    .execute(pool)
    .await
    .expect("steps reset");
    found
}

/// Marks steps done by hand (SQL), as history entered before the test.
async fn done_by_sql(pool: &PgPool, project: i64, keys: &[&str], start: &str, end: &str) {
    sqlx::query(
        "UPDATE project_steps SET state = 'done', actual_start = $3::date, actual_end = $4::date
          WHERE project_id = $1 AND key = ANY ($2)",
    )
    .bind(project)
    .bind(keys)
    .bind(start)
    .bind(end)
    .execute(pool)
    .await
    .expect("steps done");
}

/// The step rows of the project, the count of step events and of audit lines: what a refused
/// write must leave as it was.
async fn fingerprint(pool: &PgPool, project: i64) -> (String, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT string_agg(ps::text, '|' ORDER BY key) FROM project_steps ps WHERE project_id = $1),
                (SELECT count(*) FROM step_events), (SELECT count(*) FROM audit_log)",
    )
    .bind(project)
    .fetch_one(pool)
    .await
    .expect("fingerprint")
}

async fn version(pool: &PgPool, project: i64, key: &str) -> i32 {
    sqlx::query_scalar("SELECT version FROM project_steps WHERE project_id = $1 AND key = $2")
        .bind(project)
        .bind(key)
        .fetch_one(pool)
        .await
        .expect("a step")
}

async fn patch(
    http: &Client,
    base: &str,
    token: &str,
    code: &str,
    key: &str,
    body: &Value,
) -> (u16, Value) {
    let r = http
        .patch(format!("{base}/api/projects/{code}/procedure/steps/{key}"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the server answers");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

fn step<'a>(ledger: &'a Value, key: &str) -> &'a Value {
    ledger["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["key"] == key)
        .expect("the step")
}

fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn procedure_ledger_each_move_writes_the_step_an_event_and_an_audit_line(pool: PgPool) {
    demo_city(&pool).await;
    let (project, code, district, _) = fresh_project(&pool, "house_expropriation").await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let http = Client::new();
    let today = today();

    let first_event: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM step_events")
        .fetch_one(&pool)
        .await
        .expect("events so far");

    // start: today (Beijing) by default; the clerk of the region may
    let before = fingerprint(&pool, project).await;
    let (status, ledger) = patch(
        &http,
        &base,
        &clerk,
        &code,
        "approval",
        &json!({"version": 1, "state": "in_progress"}),
    )
    .await;
    assert_eq!(status, 200, "{ledger}");
    let s = step(&ledger, "approval");
    assert_eq!(
        (
            s["state"].as_str(),
            s["actual_start"].as_str(),
            s["version"].as_i64()
        ),
        (Some("in_progress"), Some(today.as_str()), Some(2))
    );
    let after = fingerprint(&pool, project).await;
    assert_eq!(
        (after.1 - before.1, after.2 - before.2),
        (1, 1),
        "one step event and one audit line"
    );
    let event: (String, String, Option<chrono::NaiveDate>, String) = sqlx::query_as(
        "SELECT e.from_state::text, e.to_state::text, e.actual_start, u.username FROM step_events e JOIN users u ON u.id = e.user_id
          WHERE e.project_id = $1 ORDER BY e.id DESC LIMIT 1",
    )
    .bind(project)
    .fetch_one(&pool)
    .await
    .expect("the event");
    assert_eq!(
        (event.0.as_str(), event.1.as_str(), event.3.as_str()),
        ("not_started", "in_progress", "clerk")
    );
    assert_eq!(event.2.map(|d| d.to_string()), Some(today.clone()));

    // finish, with the planned dates, the responsible person and a note in the same write
    let clerk_id: i32 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'clerk'")
        .fetch_one(&pool)
        .await
        .expect("clerk");
    let body = json!({"version": 2, "state": "done", "actual_end": today, "planned_start": "2026-01-05", "planned_end": "2026-02-01",
                      "responsible": clerk_id, "note": "立项批复已取得"});
    let (status, ledger) = patch(&http, &base, &clerk, &code, "approval", &body).await;
    assert_eq!(status, 200, "{ledger}");
    let s = step(&ledger, "approval");
    assert_eq!(s["state"], "done");
    assert_eq!(s["responsible"]["username"], "clerk");
    assert_eq!(s["note"], "立项批复已取得");
    assert_eq!(s["planned_end"], "2026-02-01");
    assert_eq!(
        ledger["project"]["stage"], "preparation",
        "organization is still to do"
    );

    // the stage moves when the stage's last step is done
    for (version, state) in [(1, "in_progress"), (2, "done")] {
        let (status, ledger) = patch(
            &http,
            &base,
            &admin,
            &code,
            "organization",
            &json!({"version": version, "state": state}),
        )
        .await;
        assert_eq!(status, 200, "{ledger}");
    }
    let (stage, recount): (String, String) = sqlx::query_as(
        "SELECT stage::text, procedure_stage(id, 'infinity')::text FROM projects WHERE id = $1",
    )
    .bind(project)
    .fetch_one(&pool)
    .await
    .expect("stage");
    assert_eq!((stage.as_str(), recount.as_str()), ("survey", "survey"));

    // waive (admins, with a reason): the day it was waived is its end
    let (status, ledger) = patch(
        &http,
        &base,
        &admin,
        &code,
        "freeze_notice",
        &json!({"version": 1, "state": "waived", "waive_reason": "无需暂停办理"}),
    )
    .await;
    assert_eq!(status, 200, "{ledger}");
    let s = step(&ledger, "freeze_notice");
    assert_eq!(
        (
            s["state"].as_str(),
            s["actual_end"].as_str(),
            s["waive_reason"].as_str()
        ),
        (Some("waived"), Some(today.as_str()), Some("无需暂停办理"))
    );

    // reopen (admins, with a reason): a waived step starts today; a done one keeps its start
    let (status, ledger) = patch(
        &http,
        &base,
        &admin,
        &code,
        "freeze_notice",
        &json!({"version": 2, "state": "in_progress", "reason": "需要补发通知"}),
    )
    .await;
    assert_eq!(status, 200, "{ledger}");
    let s = step(&ledger, "freeze_notice");
    assert_eq!(
        (
            s["state"].as_str(),
            s["actual_start"].as_str(),
            s["actual_end"].as_str(),
            s["waive_reason"].as_str()
        ),
        (Some("in_progress"), Some(today.as_str()), None, None)
    );
    let (status, ledger) = patch(
        &http,
        &base,
        &admin,
        &code,
        "approval",
        &json!({"version": 3, "state": "in_progress", "reason": "批复有误，重新办理"}),
    )
    .await;
    assert_eq!(status, 200, "{ledger}");
    assert_eq!(step(&ledger, "approval")["state"], "in_progress");
    assert_eq!(
        ledger["project"]["stage"], "preparation",
        "a reopened step takes the project back"
    );
    let reasons: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT reason FROM step_events WHERE project_id = $1 AND id > $2 ORDER BY id",
    )
    .bind(project)
    .bind(first_event)
    .fetch_all(&pool)
    .await
    .expect("events");
    assert_eq!(reasons.len(), 7, "one event per write");
    assert_eq!(reasons[5].as_deref(), Some("需要补发通知"));
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'procedure_step_changed' AND subject LIKE $1")
        .bind(format!("project {code} step %"))
        .fetch_one(&pool)
        .await
        .expect("audit");
    assert_eq!(audited, 7);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn procedure_ledger_refused_writes_name_the_reason_and_write_nothing(pool: PgPool) {
    demo_city(&pool).await;
    let (project, code, district, other) = fresh_project(&pool, "house_expropriation").await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let outsider = session(&pool, "outsider", "operator", Some(&other)).await;
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let planner = session(&pool, "drawer", "planner", None).await;
    let http = Client::new();
    done_by_sql(
        &pool,
        project,
        &["approval", "organization", "survey", "plan_drafted"],
        "2026-08-03",
        "2026-08-28",
    )
    .await;
    sqlx::query("UPDATE project_steps SET state = 'in_progress', actual_start = '2026-09-01' WHERE project_id = $1 AND key = 'plan_comment'")
        .bind(project)
        .execute(&pool)
        .await
        .expect("comment period runs");
    let tomorrow = (chrono::Utc::now() + chrono::Duration::hours(32))
        .date_naive()
        .to_string();

    let cases: Vec<(&str, &str, Value, u16, &str)> = vec![
        (
            "a start after its prerequisites",
            "freeze_notice",
            json!({"version": 1, "state": "in_progress"}),
            200,
            "",
        ),
        (
            "prerequisite missing",
            "plan_revised",
            json!({"version": 1, "state": "in_progress"}),
            409,
            "step_prerequisites_missing",
        ),
        (
            "before earliest end",
            "plan_comment",
            json!({"version": 1, "state": "done", "actual_end": "2026-09-30"}),
            422,
            "step_too_early",
        ),
        (
            "future date",
            "risk_assessment",
            json!({"version": 1, "state": "in_progress", "actual_start": tomorrow}),
            422,
            "step_date_future",
        ),
        (
            "window",
            "reconsideration_window",
            json!({"version": 1, "planned_end": "2026-12-31"}),
            422,
            "step_window_by_clock",
        ),
        (
            "stale version",
            "plan_comment",
            json!({"version": 7, "note": "晚了"}),
            409,
            "stale_version",
        ),
        (
            "waive without admin",
            "risk_assessment",
            json!({"version": 1, "state": "waived", "waive_reason": "不需要"}),
            403,
            "forbidden_role",
        ),
        (
            "waive without reason",
            "risk_assessment",
            json!({"version": 1, "state": "waived", "waive_reason": " x "}),
            422,
            "invalid_field",
        ),
        (
            "illegal move",
            "funds_ready",
            json!({"version": 1, "state": "done"}),
            409,
            "step_transition",
        ),
        (
            "end before start",
            "risk_assessment",
            json!({"version": 1, "planned_start": "2026-10-09", "planned_end": "2026-10-08"}),
            422,
            "step_dates_order",
        ),
        (
            "start before a prerequisite's end",
            "risk_assessment",
            json!({"version": 1, "state": "in_progress", "actual_start": "2026-08-27"}),
            422,
            "step_dates_order",
        ),
        (
            "no such step",
            "nonsense",
            json!({"version": 1, "note": "x"}),
            404,
            "step_not_found",
        ),
        (
            "bad day",
            "risk_assessment",
            json!({"version": 1, "planned_start": "2026-13-01"}),
            422,
            "invalid_field",
        ),
    ];
    for (what, key, body, status, code_) in cases {
        let token = match what {
            "waive without admin" => &clerk,
            _ => &admin,
        };
        let before = fingerprint(&pool, project).await;
        let (got, answer) = patch(&http, &base, token, &code, key, &body).await;
        assert_eq!(got, status, "{what}: {answer}");
        if status != 200 {
            assert_eq!(answer["code"], code_, "{what}: {answer}");
            assert_eq!(
                fingerprint(&pool, project).await,
                before,
                "{what} wrote nothing"
            );
        }
    }

    // the refusals name what the person needs to know
    let (_, answer) = patch(
        &http,
        &base,
        &admin,
        &code,
        "plan_revised",
        &json!({"version": 1, "state": "in_progress"}),
    )
    .await;
    assert_eq!(
        answer["values"]["missing"], "征收补偿方案公布、征求公众意见（进行中）",
        "{answer}"
    );
    let (_, answer) = patch(
        &http,
        &base,
        &admin,
        &code,
        "plan_comment",
        &json!({"version": 1, "state": "done", "actual_end": "2026-09-30"}),
    )
    .await;
    // 2026-09-01 + 30 days is 10-01, 国庆: the period ends on the next working day
    assert_eq!(answer["values"]["earliest"], "2026-10-08", "{answer}");
    assert!(
        answer["values"]["basis"]
            .as_str()
            .expect("basis")
            .contains("不得少于30日"),
        "{answer}"
    );
    let (_, answer) = patch(
        &http,
        &base,
        &admin,
        &code,
        "plan_comment",
        &json!({"version": 7, "note": "晚了"}),
    )
    .await;
    assert_eq!(
        (
            answer["current"]["key"].as_str(),
            answer["current"]["version"].as_i64()
        ),
        (Some("plan_comment"), Some(1)),
        "{answer}"
    );
    let (_, answer) = patch(
        &http,
        &base,
        &admin,
        &code,
        "waive_reason_check",
        &json!({"version": 1}),
    )
    .await;
    assert_eq!(answer["code"], "step_not_found");

    // who may write: operators of the region and admins only
    for (who, token, code_) in [
        ("outsider", &outsider, "outside_region"),
        ("viewer", &viewer, "forbidden_role"),
        ("planner", &planner, "forbidden_role"),
    ] {
        let before = fingerprint(&pool, project).await;
        let (got, answer) = patch(
            &http,
            &base,
            token,
            &code,
            "risk_assessment",
            &json!({"version": 1, "state": "in_progress"}),
        )
        .await;
        assert_eq!(
            (got, answer["code"].as_str()),
            (403, Some(code_)),
            "{who}: {answer}"
        );
        assert_eq!(
            fingerprint(&pool, project).await,
            before,
            "{who} wrote nothing"
        );
    }

    // the comment period done on its earliest day is accepted
    let (status, ledger) = patch(
        &http,
        &base,
        &clerk,
        &code,
        "plan_comment",
        &json!({"version": 1, "state": "done", "actual_end": "2026-10-08"}),
    )
    .await;
    assert_eq!(status, 200, "{ledger}");
    assert_eq!(step(&ledger, "plan_comment")["earliest_end"], "2026-10-08");
    assert_eq!(version(&pool, project, "plan_comment").await, 2);
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

fn form(public: Option<&str>, bytes: Vec<u8>, name: &str) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    if let Some(p) = public {
        form = form.text("public", p.to_owned());
    }
    form.part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    )
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn procedure_ledger_documents_are_stored_by_sha256_marked_public_and_downloaded(
    pool: PgPool,
) {
    demo_city(&pool).await;
    let (project, code, district, other) = fresh_project(&pool, "house_expropriation").await;
    let (base, state) = serve(&pool).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let outsider = session(&pool, "outsider", "operator", Some(&other)).await;
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let http = Client::new();
    let url = format!("{base}/api/projects/{code}/procedure/steps/decision/documents");
    let audit_before: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&pool)
        .await
        .expect("audit");

    let r = http
        .post(&url)
        .bearer_auth(&clerk)
        .multipart(form(None, pdf(), "征收决定公告.pdf"))
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 201);
    let document: Value = r.json().await.expect("JSON");
    let sha256 = onemap::hex::encode(&Sha256::digest(pdf()));
    assert_eq!(
        (document["sha256"].as_str(), document["public"].as_bool()),
        (Some(sha256.as_str()), Some(false))
    );
    assert_eq!(
        std::fs::read(state.files.path(&sha256)).expect("stored under its SHA-256"),
        pdf()
    );

    // refused uploads store nothing and record nothing
    let stored = state.files.count();
    let rows = |pool: PgPool| async move {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM step_documents")
            .fetch_one(&pool)
            .await
            .expect("count")
    };
    let count = rows(pool.clone()).await;
    for (token, body, status, code_) in [
        (&viewer, form(None, pdf(), "a.pdf"), 403, "forbidden_role"),
        (&outsider, form(None, pdf(), "a.pdf"), 403, "outside_region"),
        (
            &clerk,
            form(None, b"plain words".to_vec(), "a.txt"),
            422,
            "upload_wrong_type",
        ),
        (
            &clerk,
            form(Some("maybe"), pdf(), "a.pdf"),
            422,
            "invalid_field",
        ),
    ] {
        let r = http
            .post(&url)
            .bearer_auth(token)
            .multipart(body)
            .send()
            .await
            .expect("answer");
        assert_eq!(r.status().as_u16(), status);
        let answer: Value = r.json().await.expect("JSON");
        assert_eq!(answer["code"], code_, "{answer}");
    }
    assert_eq!(
        (state.files.count(), rows(pool.clone()).await),
        (stored, count)
    );

    // marked public by the clerk; the ledger lists it so
    let id = document["id"].as_i64().expect("id");
    let r = http
        .patch(format!("{base}/api/procedure/documents/{id}"))
        .bearer_auth(&clerk)
        .json(&json!({"public": true}))
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 200);
    let r = http
        .get(format!("{base}/api/projects/{code}/procedure"))
        .bearer_auth(&clerk)
        .send()
        .await
        .expect("answer");
    let ledger: Value = r.json().await.expect("JSON");
    assert_eq!(step(&ledger, "decision")["documents"][0]["public"], true);
    let r = http
        .patch(format!("{base}/api/procedure/documents/{id}"))
        .bearer_auth(&viewer)
        .json(&json!({"public": false}))
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 403, "a viewer does not publish");

    // downloaded by staff who may read the project, as stored
    let r = http
        .get(format!("{base}/api/procedure/documents/{id}"))
        .bearer_auth(&viewer)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition.contains("attachment") && disposition.contains(".pdf"),
        "{disposition}"
    );
    assert_eq!(r.bytes().await.expect("bytes").to_vec(), pdf());
    let r = http
        .get(format!("{base}/api/procedure/documents/{id}"))
        .bearer_auth(&outsider)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 403);
    let r = http
        .get(format!("{base}/api/procedure/documents/999999"))
        .bearer_auth(&viewer)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 404);

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id OFFSET $1")
            .bind(audit_before)
            .fetch_all(&pool)
            .await
            .expect("audit");
    assert_eq!(
        actions,
        ["procedure_document_uploaded", "procedure_document_public"]
    );
    let _ = project;
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn procedure_ledger_plan_proposes_the_hand_computed_dates(pool: PgPool) {
    demo_city(&pool).await;
    let (project, code, district, other) = fresh_project(&pool, "land_acquisition").await;
    sqlx::query("UPDATE projects SET start_date = '2026-09-24', target_date = greatest(target_date, '2027-06-30') WHERE id = $1")
        .bind(project)
        .execute(&pool)
        .await
        .expect("start date");
    let (base, _state) = serve(&pool).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let outsider = session(&pool, "outsider", "operator", Some(&other)).await;
    let http = Client::new();
    let plan = |token: String, body: Value| {
        let http = http.clone();
        let url = format!("{base}/api/projects/{code}/procedure/plan");
        async move {
            let r = http
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("answer");
            (r.status().as_u16(), r.json::<Value>().await.expect("JSON"))
        }
    };
    // 预公告 10 working days from Thu 2026-09-24: 中秋 09-25 and 国庆 10-01…07 are rest days,
    // Sat 10-10 is worked (调休): 09-28, 29, 30, 10-08, 09, 10, 12, 13, 14, 15. The 30-day
    // announcement from 10-15 ends Sat 11-14, so on Mon 11-16; the filing's 15 days on Tue 12-01.
    // Clearance runs beside the filing (its prerequisite is the final plan), so the handover follows it.
    let (a, b, c) = ("2026-10-15", "2026-11-16", "2026-12-01");
    let expected = [
        ("pre_announcement", "2026-09-24", a),
        ("status_survey", a, a),
        ("risk_assessment", a, a),
        ("plan_drafted", a, a),
        ("plan_announcement", a, b),
        ("hearing", b, b),
        ("plan_final", b, b),
        ("registration", b, b),
        ("agreements", b, b),
        ("funds_ready", b, b),
        ("application", b, b),
        ("approval", b, b),
        ("acquisition_announcement", b, b),
        ("compensation_decision", b, b),
        ("compensation_paid", b, b),
        ("demolition_filing", b, c),
        ("clearance", b, b),
        ("compensation_results", b, b),
        ("land_delivery", b, b),
        ("archive", b, b),
    ];
    let before = fingerprint(&pool, project).await;
    let (status, answer) = plan(clerk.clone(), json!({})).await;
    assert_eq!(status, 200, "{answer}");
    let proposed: Vec<(String, String, String)> = answer["proposed"]
        .as_array()
        .expect("proposed")
        .iter()
        .map(|p| {
            (
                p["key"].as_str().unwrap_or("").to_owned(),
                p["planned_start"].as_str().unwrap_or("").to_owned(),
                p["planned_end"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = expected
        .iter()
        .map(|(k, s, e)| ((*k).to_owned(), (*s).to_owned(), (*e).to_owned()))
        .collect();
    assert_eq!(
        proposed, want,
        "windows get no plan; the rest as computed by hand"
    );
    assert_eq!(
        fingerprint(&pool, project).await,
        before,
        "a proposal writes nothing"
    );

    let (status, answer) = plan(outsider, json!({"apply": true})).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("outside_region"))
    );
    let (status, ledger) = plan(clerk.clone(), json!({"apply": true})).await;
    assert_eq!(status, 200, "{ledger}");
    assert_eq!(step(&ledger, "plan_announcement")["planned_end"], b);
    assert_eq!(step(&ledger, "plan_announcement")["version"], 2);
    let (_, again) = plan(clerk, json!({})).await;
    assert_eq!(again["proposed"], json!([]), "every step has its plan now");
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM step_events WHERE project_id = $1 AND reason = '按法定时限排期'",
    )
    .bind(project)
    .fetch_one(&pool)
    .await
    .expect("events");
    assert_eq!(events, 20);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn procedure_ledger_people_are_those_who_may_write_in_the_region(pool: PgPool) {
    demo_city(&pool).await;
    let (_, code, district, other) = fresh_project(&pool, "shantytown").await;
    let (base, _state) = serve(&pool).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    session(&pool, "outsider", "operator", Some(&other)).await;
    session(&pool, "chief", "admin", None).await;
    session(&pool, "watcher", "viewer", None).await;
    let r = Client::new()
        .get(format!("{base}/api/projects/{code}/procedure/people"))
        .bearer_auth(&clerk)
        .send()
        .await
        .expect("answer");
    let answer: Value = r.json().await.expect("JSON");
    let names: Vec<&str> = answer["people"]
        .as_array()
        .unwrap_or_else(|| panic!("people: {answer}"))
        .iter()
        .filter_map(|p| p["username"].as_str())
        .collect();
    assert!(
        names.contains(&"chief") && names.contains(&"clerk"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"outsider") && !names.contains(&"watcher") && !names.contains(&"kiosk"),
        "{names:?}"
    );
}

/// Hostile values for each field of a step write and of the plan, and hostile step keys: never
/// a 5xx, always the JSON error shape, and a refusal leaves the steps, events and audit as they were.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn procedure_ledger_hostile_values_are_refused_in_shape(pool: PgPool) {
    demo_city(&pool).await;
    let (project, code, _, _) = fresh_project(&pool, "house_expropriation").await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let http = Client::new();
    let long = "长".repeat(5000);
    let values = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1e308),
        json!(2_147_483_648_i64),
        json!(""),
        json!("x"),
        json!("\u{0}"),
        json!("2026-02-30"),
        json!("0000-01-01"),
        json!("9999-12-31"),
        json!("2026-1-1"),
        json!([]),
        json!({}),
        json!("' OR 1=1 --"),
        json!(long),
        json!("in_progress"),
        json!("waived"),
        json!("done"),
        json!("2026-11-20"),
    ];
    let fields = [
        "version",
        "state",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "responsible",
        "note",
        "waive_reason",
        "reason",
        "extra",
    ];
    let mut sent = 0;
    for key in ["approval", "survey", "reconsideration_window"] {
        for field in fields {
            for value in &values {
                let mut body = json!({ "version": version(&pool, project, key).await });
                body[field] = value.clone();
                let before = fingerprint(&pool, project).await;
                let (status, answer) = patch(&http, &base, &admin, &code, key, &body).await;
                sent += 1;
                assert!(status < 500, "{key}.{field} = {value}: {status} {answer}");
                if status >= 400 {
                    assert!(
                        answer["code"].is_string() && answer["message"].is_string(),
                        "{key}.{field} = {value}: {answer}"
                    );
                    assert_eq!(
                        fingerprint(&pool, project).await,
                        before,
                        "{key}.{field} = {value} was refused but wrote"
                    );
                }
            }
        }
    }
    for key in [
        "%00",
        "..%2F..%2Fetc",
        "a%20b",
        "%E9%95%BF",
        &"k".repeat(300),
    ] {
        let before = fingerprint(&pool, project).await;
        let (status, answer) = patch(
            &http,
            &base,
            &admin,
            &code,
            key,
            &json!({"version": 1, "note": "x"}),
        )
        .await;
        assert!(
            (400..500).contains(&status) && answer["code"].is_string(),
            "key {key}: {status} {answer}"
        );
        assert_eq!(fingerprint(&pool, project).await, before);
    }
    for value in &values {
        let r = http
            .post(format!("{base}/api/projects/{code}/procedure/plan"))
            .bearer_auth(&admin)
            .json(&json!({ "apply": value }))
            .send()
            .await
            .expect("answer");
        assert!(r.status().as_u16() < 500, "apply = {value}");
    }
    assert!(sent > 600, "{sent} writes sent");
}
