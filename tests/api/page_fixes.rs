//! The fixes of the wall, phone, desk and public pages that changed answers of the API: the
//! live feed names the project and the building code, the desk finds a household by ID number
//! in any project of the clerk's region (never outside it), objections carry their reply
//! deadline, the agreement has its 户编码 and grouped amounts under a Chinese file name, the
//! public list says where each project is and the project its outline, tickets avoid look-alikes.
use std::io::Read;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{demo_city, session};
use crate::sse::serve;

async fn get_json(http: &reqwest::Client, url: String, token: Option<&str>) -> (u16, Value) {
    let mut request = http.get(url);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let r = request.send().await.expect("the server answers");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn page_fixes_recent_events_name_the_project_and_code(pool: PgPool) {
    demo_city(&pool).await;
    let (base, _state) = serve(&pool).await;
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let (status, body) = get_json(
        &reqwest::Client::new(),
        format!("{base}/api/events/recent?limit=20"),
        Some(&viewer),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let events = body["events"].as_array().expect("events");
    assert!(!events.is_empty());
    for e in events {
        let project: String = sqlx::query_scalar("SELECT name FROM projects WHERE id = $1")
            .bind(e["project_id"].as_i64().expect("project id"))
            .fetch_one(&pool)
            .await
            .expect("query");
        assert_eq!(e["project_name"], json!(project), "{e}");
        let code = if e["subject"] == "parcel" {
            &e["parcel"]["code"]
        } else {
            &e["building"]["code"]
        };
        assert!(
            code.as_str().is_some_and(|c| !c.is_empty()),
            "no code in {e}"
        );
    }
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn page_fixes_id_search_spans_the_projects_of_the_region_only(pool: PgPool) {
    demo_city(&pool).await;
    // a district with two projects or more: a clerk of it looks a person up without naming the project
    let (district, id_number, project, other_district): (String, String, String, String) = sqlx::query_as(
        "SELECT d.code, h.holder_id_number, p.code,
                (SELECT code FROM regions WHERE level = 'district' AND id <> d.id ORDER BY id LIMIT 1)
           FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
           JOIN regions r ON r.id = p.region_id JOIN regions d ON d.id = r.lineage[2]
          WHERE (SELECT count(*) FROM projects q JOIN regions qr ON qr.id = q.region_id WHERE d.id = ANY (qr.lineage)) > 1
          ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a household in a district of several projects");
    let (base, _state) = serve(&pool).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let outsider = session(&pool, "outsider", "operator", Some(&other_district)).await;
    let http = reqwest::Client::new();
    let url = format!("{base}/api/households?id_number={id_number}");
    let (status, found) = get_json(&http, url.clone(), Some(&clerk)).await;
    assert_eq!(status, 200, "{found}");
    let rows = found["households"].as_array().expect("households");
    assert!(
        rows.iter()
            .any(|h| h["project_code"] == json!(project)
                && h["holder_id_number"] == json!(id_number)),
        "{found}"
    );
    // the ending alone finds them too, in any project of the district
    let ending = &id_number[id_number.len() - 6..];
    let (_, by_ending) = get_json(
        &http,
        format!("{base}/api/households?id_number={ending}"),
        Some(&clerk),
    )
    .await;
    assert!(by_ending["households"]
        .as_array()
        .expect("households")
        .iter()
        .any(|h| h["holder_id_number"] == json!(id_number)));
    let (status, elsewhere) = get_json(&http, url, Some(&outsider)).await;
    assert_eq!(status, 200);
    assert_eq!(
        elsewhere["total"],
        json!(0),
        "a clerk of another district finds nobody: {elsewhere}"
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn page_fixes_objections_have_a_reply_deadline_and_overdue_flag(pool: PgPool) {
    demo_city(&pool).await;
    // one open objection filed 20 days ago: overdue
    let id: i64 = sqlx::query_scalar(
        "UPDATE objections SET created_at = now() - interval '20 days'
          WHERE id = (SELECT min(id) FROM objections WHERE status = 'open') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .expect("an open objection");
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let (status, body) = get_json(
        &reqwest::Client::new(),
        format!("{base}/api/objections"),
        Some(&admin),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["reply_days"],
        json!(onemap::disclosure::objections::REPLY_DAYS)
    );
    for o in body["objections"].as_array().expect("objections") {
        let created =
            chrono::DateTime::parse_from_rfc3339(o["created_at"].as_str().expect("created_at"))
                .expect("a time");
        let filed_on =
            (created.with_timezone(&chrono::Utc) + chrono::Duration::hours(8)).date_naive();
        let due = filed_on + chrono::Duration::days(15);
        assert_eq!(o["due_on"], json!(due.to_string()), "{o}");
        let overdue = o["status"] == "open" && onemap::clock::beijing_today() > due;
        assert_eq!(o["overdue"], json!(overdue), "{o}");
    }
    let old = body["objections"]
        .as_array()
        .expect("objections")
        .iter()
        .find(|o| o["id"] == json!(id))
        .expect("listed");
    assert_eq!(old["overdue"], json!(true), "{old}");
}

fn document_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut text = String::new();
    zip.by_name("word/document.xml")
        .expect("document.xml")
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn page_fixes_agreement_has_household_code_grouped_amounts_and_a_chinese_name(pool: PgPool) {
    demo_city(&pool).await;
    let (household, code): (i64, String) = sqlx::query_as(
        "SELECT h.id, h.code FROM households h JOIN agreements a ON a.household_id = h.id WHERE a.yuan >= 10000 ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a signed household");
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let r = reqwest::Client::new()
        .get(format!("{base}/api/households/{household}/agreement.docx"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(r.status().as_u16(), 200);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    // 补偿协议 in UTF-8, percent-encoded (RFC 6266 / 5987)
    assert!(
        disposition.contains(&format!(
            "filename*=UTF-8''{code}-%E8%A1%A5%E5%81%BF%E5%8D%8F%E8%AE%AE.docx"
        )),
        "{disposition}"
    );
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"{code}-")),
        "{disposition}"
    );
    let document = document_xml(&r.bytes().await.expect("a body"));
    assert!(
        document.contains(&format!("户编码{code}")),
        "the 户编码 is filled in"
    );
    let total = document
        .split("补偿总额")
        .nth(1)
        .and_then(|t| t.split('元').next())
        .expect("a total");
    assert!(
        total.contains(',') && total.ends_with(|c: char| c.is_ascii_digit()),
        "total “{total}” has no thousands separator"
    );
    assert!(!document.contains("{{"));
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn page_fixes_public_projects_say_where_and_show_their_outline(pool: PgPool) {
    demo_city(&pool).await;
    let (base, _state) = serve(&pool).await;
    let http = reqwest::Client::new();
    let (status, list) = get_json(&http, format!("{base}/api/public/projects"), None).await;
    assert_eq!(status, 200);
    let projects = list["projects"].as_array().expect("projects");
    assert!(!projects.is_empty());
    for p in projects {
        for key in ["city", "district", "street"] {
            assert!(
                p[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} missing in {p}"
            );
        }
    }
    let code = projects[0]["code"].as_str().expect("code");
    let (status, one) = get_json(&http, format!("{base}/api/public/projects/{code}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(one["outline"]["type"], "MultiPolygon", "{}", one["outline"]);
    assert!(one["outline"]["coordinates"][0][0]
        .as_array()
        .is_some_and(|ring| ring.len() >= 4));
    // the outline is geometry only: no properties, no names
    assert_eq!(one["outline"].as_object().expect("an object").len(), 2);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn page_fixes_tickets_avoid_look_alikes_and_are_followed_in_any_case(pool: PgPool) {
    demo_city(&pool).await;
    for _ in 0..200 {
        let t = onemap::disclosure::residents::ticket();
        assert_eq!(t.len(), 16);
        assert!(!t.contains(['O', '0', 'I', '1', 'L']), "{t}");
    }
    let demo: Vec<String> = sqlx::query_scalar("SELECT ticket FROM objections")
        .fetch_all(&pool)
        .await
        .expect("query");
    assert!(
        !demo.is_empty() && demo.iter().all(|t| !t.contains(['O', '0', 'I', '1', 'L'])),
        "{demo:?}"
    );
    let (code, name, id_number): (String, String, String) = sqlx::query_as(
        "SELECT h.code, h.holder_name, h.holder_id_number FROM households h JOIN buildings b ON b.id = h.building_id
           JOIN projects p ON p.id = b.project_id WHERE p.published ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a published household");
    let (base, _state) = serve(&pool).await;
    let http = reqwest::Client::new();
    let filed: Value = http
        .post(format!("{base}/api/public/objections"))
        .json(&json!({ "name": name, "id_number": id_number, "household_code": code, "body": "请复核面积" }))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("JSON");
    let ticket = filed["ticket"].as_str().expect("a ticket").to_owned();
    assert!(!ticket.contains(['O', '0', 'I', '1', 'L']), "{ticket}");
    let typed = format!("{} {}", &ticket[..8], &ticket[8..]).to_lowercase();
    let (status, followed) =
        get_json(&http, format!("{base}/api/public/objections/{typed}"), None).await;
    assert_eq!(status, 200, "{followed}");
    assert_eq!(followed["ticket"], json!(ticket));
}
