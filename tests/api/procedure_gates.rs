//! The procedure's gates (docs/procedure.md, "Gates"): signing waits for the step that opens it
//! and the funds, demolition for its filing, a 补偿决定 for the signing period and an unsigned
//! household; each refusal is a 409 naming the project, the step and its state, and writes
//! nothing; an admin's override opens a gate until revoked.
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{post_json, send, session, state};

/// Everything a status write touches, as one comparable value: statuses and versions,
/// events, agreements, the kept figures (project, regions, days, activity).
async fn written(pool: &PgPool) -> Value {
    sqlx::query_scalar(
        "SELECT json_build_object(
            'households', (SELECT json_agg(json_build_object('id', id, 'status', status, 'version', version, 'at', status_at) ORDER BY id) FROM households),
            'buildings', (SELECT json_agg(json_build_object('id', id, 'status', status, 'version', version) ORDER BY id) FROM buildings),
            'parcels', (SELECT json_agg(json_build_object('id', id, 'status', land_status, 'version', version) ORDER BY id) FROM parcels),
            'events', (SELECT count(*) FROM status_events),
            'agreements', (SELECT json_agg(to_jsonb(a) ORDER BY household_id) FROM agreements a),
            'project_figures', (SELECT json_agg(to_jsonb(f) ORDER BY project_id) FROM project_figures f),
            'region_figures', (SELECT json_agg(to_jsonb(f) ORDER BY region_id) FROM region_figures f),
            'daily_figures', (SELECT json_agg(to_jsonb(d) ORDER BY to_jsonb(d)::text) FROM daily_figures d),
            'activity', (SELECT json_agg(to_jsonb(a) ORDER BY to_jsonb(a)::text) FROM project_activity a))",
    )
    .fetch_one(pool)
    .await
    .expect("snapshot")
}

async fn household(pool: &PgPool, code: &str) -> (i64, i32) {
    sqlx::query_as("SELECT id, version FROM households WHERE code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .expect("household")
}

async fn building(pool: &PgPool) -> (i64, i32) {
    sqlx::query_as("SELECT id, version FROM buildings WHERE code = 'T-1-B1'")
        .fetch_one(pool)
        .await
        .expect("building")
}

async fn write(app: &onemap::AppState, token: &str, changes: Value) -> (u16, Value) {
    post_json(
        app,
        "/api/status",
        Some(token),
        &json!({ "changes": changes }).to_string(),
    )
    .await
}

async fn move_household(
    pool: &PgPool,
    app: &onemap::AppState,
    token: &str,
    code: &str,
    to: &str,
) -> (u16, Value) {
    let (id, version) = household(pool, code).await;
    write(app, token, json!([{ "subject": "household", "id": id, "to": to, "version": version, "reason": "测试跳步" }])).await
}

async fn move_building(
    pool: &PgPool,
    app: &onemap::AppState,
    token: &str,
    to: &str,
) -> (u16, Value) {
    let (id, version) = building(pool).await;
    write(app, token, json!([{ "subject": "building", "id": id, "to": to, "version": version, "reason": "测试跳步" }])).await
}

/// Sets step `key` of T-1 to `state` (done: with its dates), as the ledger would.
async fn set_step(pool: &PgPool, key: &str, state: &str) {
    sqlx::query(
        "UPDATE project_steps SET state = $2::step_state,
                actual_start = CASE WHEN $2 = 'not_started' THEN NULL ELSE coalesce(actual_start, DATE '2026-01-05') END,
                actual_end = CASE WHEN $2 = 'done' THEN DATE '2026-02-10' END
          WHERE project_id = (SELECT id FROM projects WHERE code = 'T-1') AND key = $1",
    )
    .bind(key)
    .bind(state)
    .execute(pool)
    .await
    .expect("step set");
}

async fn allocate(pool: &PgPool, yuan: i64) {
    sqlx::query(
        "INSERT INTO fund_allocations (project_id, yuan, received_on, note)
         SELECT id, $1, DATE '2026-01-20', '测试拨入' FROM projects WHERE code = 'T-1'",
    )
    .bind(yuan)
    .execute(pool)
    .await
    .expect("allocation");
}

async fn get_json(app: &onemap::AppState, uri: &str, token: &str) -> (u16, Value) {
    let bearer = format!("Bearer {token}");
    let (response, bytes) = send(
        app,
        Request::get(uri),
        &[("authorization", bearer.as_str())],
        Body::empty(),
    )
    .await;
    (
        response.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A gate's refusal: 409 with `code`, its values, and a message naming the project and `words`.
fn assert_refused(answer: &(u16, Value), code: &str, values: &Value, words: &[&str]) {
    assert_eq!(answer.0, 409, "{}", answer.1);
    assert_eq!(answer.1["code"], code, "{}", answer.1);
    assert_eq!(&answer.1["values"], values, "{}", answer.1);
    let message = answer.1["message"].as_str().unwrap_or_default();
    for word in words {
        assert!(
            message.contains(word),
            "the message names {word}: {message}"
        );
    }
}

fn decision_shut(state: &str) -> Value {
    json!({ "project": "T-1", "gate": "signing", "step": "decision", "step_name": "作出并公告房屋征收决定", "state": state })
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building"))
)]
async fn signing_waits_for_the_decision_and_the_funds_and_a_refusal_writes_nothing(pool: PgPool) {
    let admin = session(&pool, "gatekeeper", "admin", None).await;
    let app = state(&pool).await;
    assert_eq!(
        move_household(&pool, &app, &admin, "T-1-B1-H01", "surveyed")
            .await
            .0,
        200,
        "surveying is not gated"
    );
    let before = written(&pool).await;

    // a household, a whole building (an admin's skip), and a batch whose first change is fine
    let refused = move_household(&pool, &app, &admin, "T-1-B1-H01", "signed").await;
    assert_refused(
        &refused,
        "gate_step_not_done",
        &decision_shut("not_started"),
        &["T-1", "作出并公告房屋征收决定", "not_started"],
    );
    assert_refused(
        &move_building(&pool, &app, &admin, "signed").await,
        "gate_step_not_done",
        &decision_shut("not_started"),
        &["T-1"],
    );
    assert_refused(
        &move_household(&pool, &app, &admin, "T-1-B1-H02", "vacated").await,
        "gate_step_not_done",
        &decision_shut("not_started"),
        &[],
    );
    let ((h2, v2), (h1, v1)) = (
        household(&pool, "T-1-B1-H02").await,
        household(&pool, "T-1-B1-H01").await,
    );
    let batch = write(
        &app,
        &admin,
        json!([
            { "subject": "household", "id": h2, "to": "surveyed", "version": v2 },
            { "subject": "household", "id": h1, "to": "signed", "version": v1 },
        ]),
    )
    .await;
    assert_refused(
        &batch,
        "gate_step_not_done",
        &decision_shut("not_started"),
        &["changes[1]"],
    );
    assert_eq!(
        written(&pool).await,
        before,
        "the refused writes wrote nothing"
    );

    // the decision in progress, then done: the funds hold signing back until allocated in full
    set_step(&pool, "decision", "in_progress").await;
    assert_refused(
        &move_household(&pool, &app, &admin, "T-1-B1-H01", "signed").await,
        "gate_step_not_done",
        &decision_shut("in_progress"),
        &["in_progress"],
    );
    set_step(&pool, "decision", "done").await;
    let short = move_household(&pool, &app, &admin, "T-1-B1-H01", "signed").await;
    assert_refused(
        &short,
        "gate_funds_short",
        &json!({ "project": "T-1", "allocated": 0.00, "budget": 1_000_000.00 }),
        &["T-1", "1000000"],
    );
    allocate(&pool, 600_000).await;
    let still_short = move_building(&pool, &app, &admin, "signed").await;
    assert_refused(
        &still_short,
        "gate_funds_short",
        &json!({ "project": "T-1", "allocated": 600_000.00, "budget": 1_000_000.00 }),
        &[],
    );
    assert_eq!(
        written(&pool).await,
        before,
        "nothing written while the funds are short"
    );
    allocate(&pool, 400_000).await;
    let signed = move_household(&pool, &app, &admin, "T-1-B1-H01", "signed").await;
    assert_eq!(signed.0, 200, "the gate open: {}", signed.1);
    let agreements: i64 = sqlx::query_scalar("SELECT count(*) FROM agreements")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(agreements, 1, "signing made its agreement");
    assert_eq!(
        move_building(&pool, &app, &admin, "signed").await.0,
        200,
        "the building signs too"
    );
    let differences = onemap::figures::verify(&pool).await.expect("verify");
    assert!(differences.is_empty(), "{differences:?}");
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building", "open_gates"))
)]
async fn a_send_back_that_re_signs_meets_the_gate(pool: PgPool) {
    let admin = session(&pool, "gatekeeper", "admin", None).await;
    let app = state(&pool).await;
    assert_eq!(
        move_household(&pool, &app, &admin, "T-1-B1-H01", "surveyed")
            .await
            .0,
        200
    );
    let (_, signed) = move_household(&pool, &app, &admin, "T-1-B1-H01", "signed").await;
    let signing = signed["results"][0]["event_ids"][0]
        .as_i64()
        .expect("the signing event");
    let back = post_json(
        &app,
        "/api/status/send-back",
        Some(&admin),
        &json!({ "event_id": signing, "reason": "协议有误" }).to_string(),
    )
    .await;
    assert_eq!(
        back.0, 200,
        "sending the signing back is not gated: {}",
        back.1
    );
    let sent_back = back.1["results"][0]["event_ids"][0]
        .as_i64()
        .expect("the send-back event");
    // the decision reopened: re-signing by sending the send-back back meets the shut gate
    set_step(&pool, "decision", "in_progress").await;
    let before = written(&pool).await;
    let again = post_json(
        &app,
        "/api/status/send-back",
        Some(&admin),
        &json!({ "event_id": sent_back, "reason": "撤回退回" }).to_string(),
    )
    .await;
    assert_refused(
        &again,
        "gate_step_not_done",
        &decision_shut("in_progress"),
        &["T-1", "作出并公告房屋征收决定"],
    );
    assert_eq!(
        written(&pool).await,
        before,
        "the refused send-back wrote nothing"
    );
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building"))
)]
async fn demolition_waits_for_its_filing(pool: PgPool) {
    let admin = session(&pool, "gatekeeper", "admin", None).await;
    let app = state(&pool).await;
    set_step(&pool, "decision", "done").await;
    allocate(&pool, 1_000_000).await;
    assert_eq!(
        move_building(&pool, &app, &admin, "vacated").await.0,
        200,
        "signed and vacated through the open signing gate"
    );
    let before = written(&pool).await;
    let shut = json!({ "project": "T-1", "gate": "demolition", "step": "demolition_filing", "step_name": "拆除工程备案", "state": "not_started" });
    assert_refused(
        &move_building(&pool, &app, &admin, "demolished").await,
        "gate_step_not_done",
        &shut,
        &["T-1", "拆除工程备案", "not_started"],
    );
    assert_refused(
        &move_household(&pool, &app, &admin, "T-1-B1-H01", "demolished").await,
        "gate_step_not_done",
        &shut,
        &[],
    );
    assert_eq!(
        written(&pool).await,
        before,
        "the refused demolitions wrote nothing"
    );
    set_step(&pool, "demolition_filing", "done").await;
    let demolished = move_building(&pool, &app, &admin, "demolished").await;
    assert_eq!(demolished.0, 200, "{}", demolished.1);
    assert_eq!(
        demolished.1["results"][0]["status"], "demolished",
        "{}",
        demolished.1
    );
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building"))
)]
async fn an_override_opens_a_gate_until_revoked_and_both_are_audited(pool: PgPool) {
    let admin = session(&pool, "gatekeeper", "admin", None).await;
    let operator = session(&pool, "clerk", "operator", Some("430702001004")).await;
    let app = state(&pool).await;
    let (code, gates) = get_json(&app, "/api/projects/T-1/gates", &operator).await;
    assert_eq!(code, 200, "{gates}");
    assert_eq!(gates["gates"][0]["gate"], "signing");
    assert_eq!(gates["gates"][0]["open"], false);
    assert_eq!(
        gates["gates"][0]["step"],
        json!({ "key": "decision", "name": "作出并公告房屋征收决定", "state": "not_started", "done": false })
    );
    assert_eq!(
        gates["gates"][0]["funds"],
        json!({ "allocated": 0.00, "budget": 1_000_000.00, "enough": false })
    );
    assert_eq!(gates["gates"][0]["override"], Value::Null);
    assert_eq!(gates["gates"][1]["step"]["key"], "signing_period");
    assert_eq!(gates["gates"][2]["step"]["key"], "demolition_filing");

    let override_uri = "/api/projects/T-1/gates/signing/override";
    let reason = json!({ "reason": "市政府专题会议纪要同意先行签约" }).to_string();
    assert_eq!(
        post_json(&app, override_uri, Some(&operator), &reason)
            .await
            .0,
        403,
        "operators do not override"
    );
    assert_eq!(
        post_json(
            &app,
            override_uri,
            Some(&admin),
            &json!({ "reason": "急" }).to_string()
        )
        .await
        .0,
        422,
        "a reason of 4 characters at least"
    );
    assert_eq!(
        post_json(
            &app,
            "/api/projects/T-1/gates/paying/override",
            Some(&admin),
            &reason
        )
        .await
        .0,
        400,
        "no such gate"
    );
    assert_eq!(
        post_json(
            &app,
            "/api/projects/T-9/gates/signing/override",
            Some(&admin),
            &reason
        )
        .await
        .0,
        404
    );
    let (code, granted) = post_json(&app, override_uri, Some(&admin), &reason).await;
    assert_eq!(code, 200, "{granted}");
    assert_eq!(granted["gates"][0]["open"], true);
    assert_eq!(
        granted["gates"][0]["override"]["reason"],
        "市政府专题会议纪要同意先行签约"
    );
    assert_eq!(granted["gates"][0]["override"]["by"], "gatekeeper");
    assert_eq!(
        post_json(&app, override_uri, Some(&admin), &reason).await.0,
        409,
        "granted once"
    );

    assert_eq!(
        move_household(&pool, &app, &operator, "T-1-B1-H01", "surveyed")
            .await
            .0,
        200
    );
    assert_eq!(
        move_household(&pool, &app, &operator, "T-1-B1-H01", "signed")
            .await
            .0,
        200,
        "the override opens signing"
    );
    let revoke_uri = "/api/projects/T-1/gates/signing/revoke";
    let (code, revoked) = post_json(
        &app,
        revoke_uri,
        Some(&admin),
        &json!({ "reason": "纪要已撤回，恢复程序" }).to_string(),
    )
    .await;
    assert_eq!(code, 200, "{revoked}");
    assert_eq!(revoked["gates"][0]["open"], false);
    assert_eq!(revoked["gates"][0]["override"], Value::Null);
    assert_eq!(
        post_json(&app, revoke_uri, Some(&admin), &reason).await.0,
        409,
        "nothing left to revoke"
    );
    assert_eq!(
        move_household(&pool, &app, &operator, "T-1-B1-H02", "surveyed")
            .await
            .0,
        200
    );
    let before = written(&pool).await;
    assert_refused(
        &move_household(&pool, &app, &operator, "T-1-B1-H02", "signed").await,
        "gate_step_not_done",
        &decision_shut("not_started"),
        &["T-1"],
    );
    assert_eq!(
        written(&pool).await,
        before,
        "the revoked gate is shut again"
    );

    let audited: Vec<(String, String, Value)> = sqlx::query_as("SELECT action, subject, detail FROM audit_log WHERE action LIKE 'gate_override%' ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("audit");
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert_eq!(
        (audited[0].0.as_str(), audited[0].1.as_str()),
        ("gate_override", "project T-1")
    );
    assert_eq!(audited[0].2["reason"], "市政府专题会议纪要同意先行签约");
    assert_eq!(audited[1].0, "gate_override_revoke");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM gate_overrides")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(rows, 2, "the revocation is a row of its own");
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(
        path = "../fixtures",
        scripts("one_building", "second_street", "open_gates")
    )
)]
async fn a_compensation_decision_only_after_the_signing_period_for_an_unsigned_household(
    pool: PgPool,
) {
    let admin = session(&pool, "gatekeeper", "admin", None).await;
    let operator = session(&pool, "clerk", "operator", Some("430702001004")).await;
    let stranger = session(&pool, "other", "operator", Some("430702002001")).await;
    let app = state(&pool).await;
    assert_eq!(
        move_household(&pool, &app, &admin, "T-1-B1-H02", "signed")
            .await
            .0,
        200
    );
    let (h1, _) = household(&pool, "T-1-B1-H01").await;
    let (h2, _) = household(&pool, "T-1-B1-H02").await;
    let uri = |id: i64| format!("/api/households/{id}/compensation-decision");
    let decision = json!({ "decided_on": "2026-06-01", "document_no": "武征补决字〔2026〕第1号", "note": "逾期未签约" }).to_string();

    let (code, section) = get_json(&app, &uri(h1), &operator).await;
    assert_eq!(code, 200, "{section}");
    assert_eq!(section["may_decide"], false);
    assert_eq!(section["blocked"]["code"], "gate_step_not_done");
    assert_eq!(section["blocked"]["values"]["step"], "signing_period");
    let shut = json!({ "project": "T-1", "gate": "compensation_decision", "step": "signing_period",
                       "step_name": "签订补偿协议（签约期）", "state": "not_started" });
    assert_refused(
        &post_json(&app, &uri(h1), Some(&operator), &decision).await,
        "gate_step_not_done",
        &shut,
        &["T-1", "签订补偿协议（签约期）"],
    );

    set_step(&pool, "signing_period", "done").await;
    let signed = post_json(&app, &uri(h2), Some(&operator), &decision).await;
    assert_eq!(
        (signed.0, signed.1["code"].as_str()),
        (409, Some("household_already_signed")),
        "{}",
        signed.1
    );
    assert_eq!(
        post_json(&app, &uri(h1), Some(&stranger), &decision)
            .await
            .0,
        403,
        "another region's operator"
    );
    let bad = json!({ "decided_on": "2026-06-01", "document_no": " " }).to_string();
    assert_eq!(
        post_json(&app, &uri(h1), Some(&operator), &bad).await.0,
        422,
        "the document number is required"
    );
    let future =
        json!({ "decided_on": "2099-01-01", "document_no": "武征补决字〔2099〕第1号" }).to_string();
    assert_eq!(
        post_json(&app, &uri(h1), Some(&operator), &future).await.0,
        422,
        "not in the future"
    );

    let (code, made) = post_json(&app, &uri(h1), Some(&operator), &decision).await;
    assert_eq!(code, 201, "{made}");
    assert_eq!(made["in_force"]["document_no"], "武征补决字〔2026〕第1号");
    assert_eq!(made["in_force"]["by"], "clerk");
    assert_eq!(made["may_decide"], false, "one in force");
    let twice = post_json(&app, &uri(h1), Some(&operator), &decision).await;
    assert_eq!(
        (twice.0, twice.1["code"].as_str()),
        (409, Some("compensation_decision_once")),
        "{}",
        twice.1
    );

    let revoke = format!("{}/revoke", uri(h1));
    let why = json!({ "reason": "文号填写错误" }).to_string();
    assert_eq!(
        post_json(&app, &revoke, Some(&operator), &why).await.0,
        403,
        "admins revoke"
    );
    let (code, revoked) = post_json(&app, &revoke, Some(&admin), &why).await;
    assert_eq!(code, 200, "{revoked}");
    assert_eq!(revoked["in_force"], Value::Null);
    assert_eq!(revoked["decisions"][0]["revoke_reason"], "文号填写错误");
    assert_eq!(revoked["may_decide"], true);
    assert_eq!(
        post_json(&app, &uri(h1), Some(&admin), &decision).await.0,
        201,
        "a new decision after the revocation"
    );
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = $1 ORDER BY id")
            .bind(format!("household {h1}"))
            .fetch_all(&pool)
            .await
            .expect("audit");
    assert_eq!(
        audited,
        [
            "compensation_decision",
            "compensation_decision_revoke",
            "compensation_decision"
        ]
    );

    // the gate's override opens it for another project's household whose step is not done
    let (t2, _) = household(&pool, "T-2-B1-H01").await;
    let other =
        json!({ "decided_on": "2026-06-01", "document_no": "府征补决字〔2026〕第1号" }).to_string();
    assert_eq!(post_json(&app, &uri(t2), Some(&admin), &other).await.0, 409);
    let grant = json!({ "reason": "签约期已届满，台账补录中" }).to_string();
    assert_eq!(
        post_json(
            &app,
            "/api/projects/T-2/gates/compensation_decision/override",
            Some(&admin),
            &grant
        )
        .await
        .0,
        200
    );
    assert_eq!(
        post_json(&app, &uri(t2), Some(&admin), &other).await.0,
        201,
        "the override opens the 补偿决定 gate"
    );
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building"))
)]
async fn collective_land_signs_only_after_its_compensation_plan_is_final(pool: PgPool) {
    // T-1 as a 集体土地征收 project: the land template's steps, none begun
    sqlx::raw_sql(
        "UPDATE projects SET kind = 'land_acquisition' WHERE code = 'T-1';
         DELETE FROM project_steps WHERE project_id = (SELECT id FROM projects WHERE code = 'T-1');
         UPDATE project_procedures SET template_id = (SELECT id FROM procedure_templates WHERE kind = 'land_acquisition'
                                                       ORDER BY version DESC LIMIT 1)
          WHERE project_id = (SELECT id FROM projects WHERE code = 'T-1');
         INSERT INTO project_steps (project_id, key)
         SELECT pp.project_id, ts.key FROM project_procedures pp JOIN procedure_template_steps ts ON ts.template_id = pp.template_id
          WHERE pp.project_id = (SELECT id FROM projects WHERE code = 'T-1') ORDER BY ts.seq;",
    )
    .execute(&pool)
    .await
    .expect("the land template");
    allocate(&pool, 1_000_000).await;
    let admin = session(&pool, "gatekeeper", "admin", None).await;
    let app = state(&pool).await;
    assert_eq!(
        move_household(&pool, &app, &admin, "T-1-B1-H01", "surveyed")
            .await
            .0,
        200
    );
    let before = written(&pool).await;
    let plan_shut = |state: &str| {
        json!({ "project": "T-1", "gate": "signing", "step": "plan_final",
                "step_name": "确定并公布征地补偿安置方案", "state": state })
    };
    assert_refused(
        &move_household(&pool, &app, &admin, "T-1-B1-H01", "signed").await,
        "gate_step_not_done",
        &plan_shut("not_started"),
        &["T-1", "确定并公布征地补偿安置方案", "not_started"],
    );
    assert_eq!(
        written(&pool).await,
        before,
        "the refused write wrote nothing"
    );
    // the 征收决定 of the house template means nothing here
    set_step(&pool, "decision", "done").await;
    set_step(&pool, "plan_final", "in_progress").await;
    let before = written(&pool).await;
    assert_refused(
        &move_household(&pool, &app, &admin, "T-1-B1-H01", "signed").await,
        "gate_step_not_done",
        &plan_shut("in_progress"),
        &["in_progress"],
    );
    assert_eq!(
        written(&pool).await,
        before,
        "the refused writes wrote nothing"
    );
    set_step(&pool, "plan_final", "done").await;
    let signed = move_household(&pool, &app, &admin, "T-1-B1-H01", "signed").await;
    assert_eq!(
        signed.0, 200,
        "the plan final and the funds in place: {}",
        signed.1
    );
}
