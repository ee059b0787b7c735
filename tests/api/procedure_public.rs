//! 程序公开: the public project document's published steps and 九公开 items for a project whose
//! steps are set by SQL (published and unpublished steps, public and private documents), with no
//! private document, unpublished step, person, note or user name in it; the public download of
//! a step document (refused for the rest, rate-limited); and the kiosk reading a procedure only.
use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::{demo_city, post_json, send, state};
use onemap::auth::kiosk::kiosk_may;
use onemap::state::AppState;

const NOTE: &str = "内部备注：勿外传甲乙丙";
const WAIVE_REASON: &str = "豁免理由：内部研判丁戊";
const OFFICER: &str = "steps-officer-zq";

/// A 国有土地上房屋征收 project of the demo city, published, its steps set by hand: approval and
/// organization done, survey in progress, the unpublished plan_drafted done, freeze_notice
/// waived, the decision done ten days ago (its windows open), a note and a responsible person.
async fn project_with_steps(pool: &PgPool) -> (i64, String) {
    let (id, code): (i64, String) = sqlx::query_as(
        "UPDATE projects SET published = true
          WHERE id = (SELECT id FROM projects WHERE kind = 'house_expropriation' ORDER BY published DESC, id LIMIT 1)
          RETURNING id, code",
    )
    .fetch_one(pool)
    .await
    .expect("a published house expropriation project");
    sqlx::query(
        "INSERT INTO users (username, password_hash, role) VALUES ($1, '!', 'planner'::user_role)",
    )
    .bind(OFFICER)
    .execute(pool)
    .await
    .expect("officer");
    // from a clean slate: the demo city gives every project a history of its own
    sqlx::query(
        "UPDATE project_steps SET state = 'not_started', actual_start = NULL, actual_end = NULL, waive_reason = NULL,
                planned_start = NULL, planned_end = NULL WHERE project_id = $1",
    )
    .bind(id)
    .execute(pool)
    .await
    .expect("steps reset");
    let today = "(now() AT TIME ZONE 'Asia/Shanghai')::date";
    for (key, sql) in [
        ("approval", "state = 'done', actual_start = T - 120, actual_end = T - 110, planned_end = T - 110".to_owned()),
        ("organization", "state = 'done', actual_start = T - 100, actual_end = T - 95".to_owned()),
        ("survey", "state = 'in_progress', actual_start = T - 90, planned_start = T - 90, planned_end = T + 30".to_owned()),
        ("freeze_notice", format!("state = 'waived', actual_end = T - 80, waive_reason = '{WAIVE_REASON}'")),
        ("plan_drafted", "state = 'done', actual_start = T - 70, actual_end = T - 60".to_owned()),
        ("decision", "state = 'done', actual_start = T - 12, actual_end = T - 10".to_owned()),
    ] {
        let sql = sql.replace('T', today);
        sqlx::query(&format!(
            "UPDATE project_steps SET {sql}, note = $3, responsible = (SELECT id FROM users WHERE username = $4)
              WHERE project_id = $1 AND key = $2"
        ))
        .bind(id)
        .bind(key)
        .bind(NOTE)
        .bind(OFFICER)
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("step {key}: {e}"));
    }
    (id, code)
}

/// Stores `bytes` and files them as a document of step `key`; returns its id.
async fn document(
    pool: &PgPool,
    app: &AppState,
    project: i64,
    key: &str,
    name: &str,
    public: bool,
    bytes: &[u8],
) -> i64 {
    let sha256 = app.files.put(bytes).await.expect("stored");
    sqlx::query_scalar(
        "INSERT INTO step_documents (project_id, key, sha256, size_bytes, content_type, file_name, public, uploaded_by)
         VALUES ($1, $2, $3, $4, 'application/pdf', $5, $6, (SELECT id FROM users WHERE username = $7)) RETURNING id",
    )
    .bind(project)
    .bind(key)
    .bind(&sha256)
    .bind(bytes.len() as i64)
    .bind(name)
    .bind(public)
    .bind(OFFICER)
    .fetch_one(pool)
    .await
    .expect("document")
}

async fn get_public(app: &AppState, uri: &str) -> (u16, Vec<u8>, axum::http::HeaderMap) {
    let (r, body) = send(app, Request::get(uri), &[], Body::empty()).await;
    (r.status().as_u16(), body, r.headers().clone())
}

fn item<'a>(doc: &'a Value, key: &str) -> &'a Value {
    doc["nine"]
        .as_array()
        .expect("nine")
        .iter()
        .find(|i| i["item"] == key)
        .unwrap_or_else(|| panic!("item {key}"))
}

fn step<'a>(doc: &'a Value, key: &str) -> Option<&'a Value> {
    doc["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["key"] == key)
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn the_public_document_lists_published_steps_and_the_nine_items_and_nothing_private(
    pool: PgPool,
) {
    demo_city(&pool).await;
    let app = state(&pool).await;
    let (id, code) = project_with_steps(&pool).await;
    let public_doc = document(
        &pool,
        &app,
        id,
        "approval",
        "立项批复公告.pdf",
        true,
        b"%PDF-1.4 approval",
    )
    .await;
    document(
        &pool,
        &app,
        id,
        "approval",
        "内部审批单-私密.pdf",
        false,
        b"%PDF-1.4 private",
    )
    .await;
    document(
        &pool,
        &app,
        id,
        "plan_drafted",
        "方案初稿-未公开步骤.pdf",
        true,
        b"%PDF-1.4 draft",
    )
    .await;
    sqlx::query("INSERT INTO disclosures (project_id, kind, title, body) VALUES ($1, 'policy', '征收补偿政策', '政策全文')")
        .bind(id)
        .execute(&pool)
        .await
        .expect("disclosure");

    let (status, body, _) = get_public(&app, &format!("/api/public/projects/{code}")).await;
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_slice(&body).expect("json");

    // exactly the template's published steps, in order
    let published: Vec<String> = sqlx::query_scalar(
        "SELECT ts.key FROM procedure_template_steps ts JOIN project_procedures pp ON pp.template_id = ts.template_id
          WHERE pp.project_id = $1 AND ts.published ORDER BY ts.seq",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .expect("published keys");
    let shown: Vec<&str> = doc["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["key"].as_str().expect("key"))
        .collect();
    assert_eq!(shown, published);
    assert!(
        step(&doc, "plan_drafted").is_none(),
        "an unpublished step stays inside"
    );

    let approval = step(&doc, "approval").expect("approval");
    assert_eq!(approval["state"], "done");
    assert_eq!(approval["state_name"], "已完成");
    let docs = approval["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 1, "only the public document: {docs:?}");
    assert_eq!(docs[0]["name"], "立项批复公告.pdf");
    assert_eq!(docs[0]["type"], "application/pdf");
    assert_eq!(docs[0]["size_bytes"], 17);
    assert_eq!(
        docs[0]["url"],
        format!("api/public/projects/{code}/documents/{public_doc}")
    );
    assert_eq!(
        step(&doc, "survey").expect("survey")["state_name"],
        "进行中"
    );
    assert_eq!(
        step(&doc, "freeze_notice").expect("freeze")["state_name"],
        "已豁免"
    );
    assert_eq!(
        step(&doc, "appraisal_published").expect("appraisal")["state_name"],
        "未开始"
    );
    // the decision was done ten days ago: its 60-day reconsideration window is open, from that day
    let window = step(&doc, "reconsideration_window").expect("window");
    assert_eq!(window["state"], "open");
    assert_eq!(window["state_name"], "期限内");
    let (decided, closes): (String, String) = sqlx::query_as(
        "SELECT (d.day - 10)::text, period_end(d.day - 10, 60, 'days')::text FROM (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS day) d",
    )
    .fetch_one(&pool)
    .await
    .expect("dates");
    assert_eq!(window["period_from"], decided.as_str());
    assert_eq!(window["period_to"], closes.as_str());

    // 九公开: the nine items in order, each with its steps and what is missing
    let items: Vec<&str> = doc["nine"]
        .as_array()
        .expect("nine")
        .iter()
        .map(|i| i["item"].as_str().expect("item"))
        .collect();
    assert_eq!(
        items,
        [
            "overview",
            "policy",
            "compensation_plan",
            "announcement",
            "survey_results",
            "appraisal_results",
            "compensation_results",
            "staff",
            "supervision"
        ]
    );
    assert_eq!(
        item(&doc, "overview")["published"],
        true,
        "approval done with a public document"
    );
    assert_eq!(item(&doc, "overview")["documents"], 1);
    assert_eq!(item(&doc, "staff")["published"], true, "organization done");
    assert_eq!(
        item(&doc, "staff")["missing"]["document"],
        true,
        "no document filed for it yet"
    );
    assert_eq!(
        item(&doc, "policy")["published"],
        true,
        "a policy disclosure exists"
    );
    assert_eq!(item(&doc, "policy")["disclosures"], 1);
    assert_eq!(
        item(&doc, "announcement")["published"],
        true,
        "the decision is done"
    );
    let survey = item(&doc, "survey_results");
    assert_eq!(survey["published"], false);
    assert_eq!(survey["missing"]["steps"][0]["key"], "survey");
    assert_eq!(survey["missing"]["document"], true);
    let plan = item(&doc, "compensation_plan");
    assert_eq!(plan["published"], false);
    assert_eq!(plan["steps"][0]["key"], "plan_comment");
    assert_eq!(
        item(&doc, "compensation_results")["missing"]["steps"][0]["key"],
        "compensation_results"
    );

    // nothing private: no person, note, waive reason, user, private or unpublished-step document
    let text = String::from_utf8(body).expect("utf-8");
    for secret in [
        NOTE,
        WAIVE_REASON,
        OFFICER,
        "内部审批单",
        "方案初稿",
        "responsible",
        "waive_reason",
        "uploaded_by",
        "sha256",
    ] {
        assert!(
            !text.contains(secret),
            "`{secret}` is in the public document"
        );
    }
    let people: Vec<(String, String)> =
        sqlx::query_as("SELECT holder_name, holder_id_number FROM households")
            .fetch_all(&pool)
            .await
            .expect("people");
    let users: Vec<String> = sqlx::query_scalar("SELECT username FROM users")
        .fetch_all(&pool)
        .await
        .expect("users");
    let mut words = Vec::new();
    strings(&doc["steps"], &mut words);
    strings(&doc["nine"], &mut words);
    for (name, number) in &people {
        assert!(
            !text.contains(number.as_str()),
            "an ID number is in the public document"
        );
        assert!(
            !words.contains(name),
            "a holder's name is in the public steps"
        );
    }
    for user in &users {
        assert!(!words.contains(user), "user {user} is in the public steps");
    }
}

/// Every string inside a JSON value.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_public_step_document_downloads_and_everything_else_is_a_404(pool: PgPool) {
    demo_city(&pool).await;
    let app = state(&pool).await;
    let (id, code) = project_with_steps(&pool).await;
    let bytes = b"%PDF-1.4 public notice \xe5\x85\xac\xe5\x91\x8a";
    let public = document(
        &pool,
        &app,
        id,
        "approval",
        "征收公告 2026.pdf",
        true,
        bytes,
    )
    .await;
    let private = document(
        &pool,
        &app,
        id,
        "approval",
        "internal.pdf",
        false,
        b"%PDF private",
    )
    .await;
    let unpublished_step = document(
        &pool,
        &app,
        id,
        "plan_drafted",
        "draft.pdf",
        true,
        b"%PDF draft",
    )
    .await;
    let url = |code: &str, doc: i64| format!("/api/public/projects/{code}/documents/{doc}");

    let (status, body, headers) = get_public(&app, &url(&code, public)).await;
    assert_eq!(status, 200);
    assert_eq!(body, bytes);
    assert_eq!(headers["content-type"], "application/pdf");
    let disposition = headers["content-disposition"].to_str().expect("ascii");
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("filename*=UTF-8''%E5%BE%81"),
        "{disposition}"
    );

    let other: String = sqlx::query_scalar(
        "SELECT code FROM projects WHERE published AND id <> $1 ORDER BY id LIMIT 1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .expect("another project");
    for refused in [
        url(&code, private),
        url(&code, unpublished_step),
        url(&other, public),
        url(&code, 999_999),
    ] {
        let (status, body, _) = get_public(&app, &refused).await;
        assert_eq!(status, 404, "{refused}");
        assert!(!String::from_utf8_lossy(&body).contains("internal.pdf"));
    }
    sqlx::query("UPDATE projects SET published = false WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .expect("unpublish");
    assert_eq!(
        get_public(&app, &url(&code, public)).await.0,
        404,
        "an unpublished project's documents are not public"
    );
    sqlx::query("UPDATE projects SET published = true WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .expect("publish");

    // downloads have their own budget per client, apart from the residents' look-ups
    sqlx::query("DELETE FROM resident_lookups")
        .execute(&pool)
        .await
        .expect("clear");
    for n in 0..onemap::disclosure::rate_limit::DOWNLOADS_PER_WINDOW {
        assert_eq!(
            get_public(&app, &url(&code, public)).await.0,
            200,
            "download {n}"
        );
    }
    let (status, _, headers) = get_public(&app, &url(&code, public)).await;
    assert_eq!(status, 429);
    assert!(headers.contains_key("retry-after"));
    let lookups: i64 =
        sqlx::query_scalar("SELECT count(*) FROM resident_lookups WHERE purpose = 'lookup'")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(lookups, 0, "downloads are not counted as look-ups");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_kiosk_reads_a_projects_procedure_and_no_other_project_route(pool: PgPool) {
    demo_city(&pool).await;
    let (_, code) = project_with_steps(&pool).await;
    let mut app = state(&pool).await;
    app.kiosk_token = Some("wall-of-steps".into());
    let (status, login) = post_json(
        &app,
        "/api/login",
        None,
        r#"{"kiosk_token":"wall-of-steps"}"#,
    )
    .await;
    assert_eq!(status, 200, "{login}");
    let kiosk = format!("Bearer {}", login["token"].as_str().expect("token"));
    let auth = [("authorization", kiosk.as_str())];

    let (r, body) = send(
        &app,
        Request::get(format!("/api/projects/{code}/procedure")),
        &auth,
        Body::empty(),
    )
    .await;
    assert_eq!(r.status().as_u16(), 200);
    let doc: Value = serde_json::from_slice(&body).expect("json");
    assert!(doc["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .all(|s| s["responsible"].is_null() && s["note"].is_null()));
    assert!(!String::from_utf8_lossy(&body).contains(NOTE));

    // every other project route there is refuses the kiosk ...
    for refused in [
        "funds",
        "disclosures",
        "approval-chain",
        "compensation-standard",
    ] {
        let uri = format!("/api/projects/{code}/{refused}");
        let (r, _) = send(&app, Request::get(uri.as_str()), &auth, Body::empty()).await;
        assert_eq!(r.status().as_u16(), 403, "{uri}");
    }
    // ... and so will the routes other parts add under it (the step writes, documents)
    for path in [
        "/api/projects".to_owned(),
        format!("/api/projects/{code}"),
        format!("/api/projects/{code}/procedure/steps"),
        format!("/api/projects/{code}/procedure/steps/decision/documents"),
        format!("/api/projects/{code}/procedurex"),
        "/api/projects//procedure".to_owned(),
        format!("/api/projects/{code}/x/procedure"),
    ] {
        assert!(!kiosk_may(&Method::GET, &path), "{path}");
    }
    let (r, _) = send(
        &app,
        Request::post(format!("/api/projects/{code}/allocations")),
        &[
            ("authorization", kiosk.as_str()),
            ("content-type", "application/json"),
        ],
        Body::from("{}"),
    )
    .await;
    assert_eq!(r.status().as_u16(), 403, "a kiosk writes nothing");
    assert!(kiosk_may(
        &Method::GET,
        "/api/projects/430702-2026-0002/procedure"
    ));
    assert!(kiosk_may(
        &Method::HEAD,
        "/api/projects/430702-2026-0002/procedure"
    ));
    assert!(!kiosk_may(
        &Method::PUT,
        "/api/projects/430702-2026-0002/procedure"
    ));
    assert!(!kiosk_may(
        &Method::GET,
        "/api/projects/430702-2026-0002/procedure/"
    ));
    assert!(!kiosk_may(&Method::GET, "/api/projects/procedure"));
}
