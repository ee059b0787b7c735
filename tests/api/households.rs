//! One file per household over HTTP: attachments stored once and only when valid, who may
//! read them, search, the audited override and the generated agreement and detail table.
use std::io::Read;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{demo_city, session};
use crate::sse::serve;

/// A signed and paid household, its project and district, and another district.
pub async fn paid_household(pool: &PgPool) -> (i64, String, String, String) {
    sqlx::query_as(
        "SELECT h.id, p.code, (SELECT code FROM regions WHERE id = r.lineage[2]),
                (SELECT code FROM regions WHERE level = 'district' AND id <> r.lineage[2] ORDER BY id LIMIT 1)
           FROM agreements a JOIN households h ON h.id = a.household_id JOIN projects p ON p.id = a.project_id
           JOIN regions r ON r.id = p.region_id
          WHERE a.paid_yuan > 0 ORDER BY h.id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("a paid household")
}

pub fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[
        0u8, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77,
        0x53, 0xDE,
    ]);
    bytes
}

fn form(kind: &str, bytes: Vec<u8>, name: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("kind", kind.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        )
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn attachments_are_checked_stored_once_and_read_only_in_region(pool: PgPool) {
    demo_city(&pool).await;
    let (household, _project, district, other) = paid_household(&pool).await;
    let (base, state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let outsider = session(&pool, "outsider", "operator", Some(&other)).await;
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let http = reqwest::Client::new();
    let url = format!("{base}/api/households/{household}/attachments");

    let r = http
        .post(&url)
        .bearer_auth(&clerk)
        .multipart(form("id_card", png(), "身份证 正面.png"))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(r.status().as_u16(), 201);
    let first: Value = r.json().await.expect("a JSON answer");
    let r = http
        .post(&url)
        .bearer_auth(&admin)
        .multipart(form("agreement", png(), "again.png"))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(r.status().as_u16(), 201);
    assert_eq!(state.files.count(), 1, "the same content is stored once");

    // refusals: each names the problem, and nothing more is stored
    let oversize = {
        let mut b = png();
        b.resize(10 * 1024 * 1024 + 1, 0);
        b
    };
    let refusals = [
        (
            form("id_card", b"just text".to_vec(), "notes.txt"),
            422,
            "not a PDF, JPEG or PNG",
        ),
        (
            form("id_card", png(), "scan.pdf"),
            422,
            "does not end in .png",
        ),
        (
            form("id_card", png(), "../../etc/passwd.png"),
            422,
            "is a path",
        ),
        (form("id_card", png(), "..\\boot.png"), 422, "is a path"),
        (form("passport", png(), "p.png"), 422, "kind: `passport`"),
        (
            form("id_card", oversize, "big.png"),
            413,
            "larger than 10 MiB",
        ),
    ];
    for (body, status, message) in refusals {
        let r = http
            .post(&url)
            .bearer_auth(&admin)
            .multipart(body)
            .send()
            .await
            .expect("the server answers");
        assert_eq!(r.status().as_u16(), status, "{message}");
        let answer: Value = r.json().await.expect("a JSON answer");
        assert!(
            answer["message"]
                .as_str()
                .expect("a string")
                .contains(message),
            "{answer}"
        );
    }
    for (token, status) in [(&outsider, 403), (&viewer, 403)] {
        let r = http
            .post(&url)
            .bearer_auth(token)
            .multipart(form("id_card", png(), "x.png"))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(r.status().as_u16(), status);
    }
    assert_eq!(state.files.count(), 1, "refused uploads store nothing");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM attachments")
        .fetch_one(&pool)
        .await
        .expect("query");
    assert_eq!(rows, 2);
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'attachment_uploaded'")
            .fetch_one(&pool)
            .await
            .expect("query");
    assert_eq!(audited, 2);

    // download: the same bytes, for those who may; others get nothing of it
    let download = format!("{base}/api/attachments/{}", first["id"]);
    let r = http
        .get(&download)
        .bearer_auth(&admin)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .expect("ASCII header")
        .contains("filename*=UTF-8''%E8%BA%AB"));
    assert_eq!(r.bytes().await.expect("a body").to_vec(), png());
    for (token, status) in [(&outsider, 403), (&viewer, 403)] {
        let r = http
            .get(&download)
            .bearer_auth(token)
            .send()
            .await
            .expect("the server answers");
        assert_eq!(r.status().as_u16(), status, "another region's file");
        assert!(!r.text().await.expect("a body").contains("PNG"));
    }
    assert_eq!(
        http.get(&download)
            .send()
            .await
            .expect("the server answers")
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        http.get(format!("{base}/api/attachments/999999"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("the server answers")
            .status()
            .as_u16(),
        404
    );
    for token in [&outsider, &viewer] {
        let r = http
            .get(format!("{base}/api/households/{household}"))
            .bearer_auth(token)
            .send()
            .await
            .expect("the server answers");
        assert_eq!(r.status().as_u16(), 403, "another region's household file");
    }
    let file: Value = http
        .get(format!("{base}/api/households/{household}"))
        .bearer_auth(&clerk)
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer");
    assert_eq!(file["attachments"].as_array().expect("an array").len(), 2);
    assert_eq!(file["attachments"][0]["uploaded_by"], "clerk");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn search_finds_by_name_number_status_and_stays_in_region(pool: PgPool) {
    demo_city(&pool).await;
    let (household, project, district, other) = paid_household(&pool).await;
    let (name, id_number, status): (String, String, String) = sqlx::query_as(
        "SELECT holder_name, holder_id_number, status::text FROM households WHERE id = $1",
    )
    .bind(household)
    .fetch_one(&pool)
    .await
    .expect("query");
    let (base, _state) = serve(&pool).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let outsider = session(&pool, "outsider", "operator", Some(&other)).await;
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let http = reqwest::Client::new();
    let search = |token: &String, query: &str| {
        let request = http
            .get(format!("{base}/api/households?{query}"))
            .bearer_auth(token);
        async move {
            let r = request.send().await.expect("the server answers");
            (
                r.status().as_u16(),
                r.json::<Value>().await.expect("a JSON answer"),
            )
        }
    };

    let surname: String = name.chars().skip(1).collect();
    let (code, found) = search(
        &clerk,
        &format!("project={project}&name={}&limit=500", urlencode(&surname)),
    )
    .await;
    assert_eq!(code, 200);
    let expected: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
          WHERE p.code = $1 AND strpos(h.holder_name, $2) > 0",
    )
    .bind(&project).bind(&surname).fetch_one(&pool).await.expect("query");
    assert_eq!(found["total"], json!(expected));
    assert!(found["households"]
        .as_array()
        .expect("an array")
        .iter()
        .all(|h| h["holder_name"]
            .as_str()
            .expect("a string")
            .contains(&surname)));

    let (_, by_number) = search(&clerk, &format!("id_number={}", &id_number[14..])).await;
    assert!(by_number["households"]
        .as_array()
        .expect("an array")
        .iter()
        .any(|h| h["id"] == json!(household)));
    assert!(by_number["households"]
        .as_array()
        .expect("an array")
        .iter()
        .all(|h| h["holder_id_number"]
            .as_str()
            .expect("a string")
            .ends_with(&id_number[14..])));
    let (_, whole) = search(&clerk, &format!("id_number={id_number}&status={status}")).await;
    assert!(whole["households"]
        .as_array()
        .expect("an array")
        .iter()
        .all(|h| h["holder_id_number"] == json!(id_number) && h["status"] == json!(status)));
    assert!(whole["total"].as_i64().expect("an integer") >= 1);
    let (_, difficult) = search(
        &clerk,
        &format!("project={project}&difficult=true&limit=500"),
    )
    .await;
    assert!(difficult["households"]
        .as_array()
        .expect("an array")
        .iter()
        .all(|h| h["difficult"] == json!(true)));

    let (_, elsewhere) = search(&outsider, &format!("project={project}")).await;
    assert_eq!(
        elsewhere["total"],
        json!(0),
        "another region's households are not found"
    );
    assert_eq!(search(&viewer, "name=王").await.0, 403);
    assert_eq!(search(&clerk, "status=gone").await.0, 400);
    assert_eq!(search(&clerk, "id_number=12").await.0, 400);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn override_needs_an_admin_and_a_reason_and_is_audited(pool: PgPool) {
    demo_city(&pool).await;
    let (paid, _project, district, _) = paid_household(&pool).await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let http = reqwest::Client::new();
    // a signed household with nothing committed yet
    let (open, agreed): (i64, f64) = sqlx::query_as("SELECT household_id, yuan::float8 FROM agreements WHERE committed_yuan = 0 ORDER BY household_id LIMIT 1")
        .fetch_one(&pool).await.expect("query");
    let post = |id: i64, token: &String, body: Value| {
        let request = http
            .post(format!("{base}/api/households/{id}/compensation-override"))
            .bearer_auth(token)
            .json(&body);
        async move {
            let r = request.send().await.expect("the server answers");
            (
                r.status().as_u16(),
                r.json::<Value>().await.expect("a JSON answer"),
            )
        }
    };
    assert_eq!(
        post(open, &clerk, json!({ "yuan": 1.0, "reason": "x" }))
            .await
            .0,
        403
    );
    let (code, refused) = post(
        open,
        &admin,
        json!({ "yuan": agreed + 50_000.0, "reason": "  " }),
    )
    .await;
    assert_eq!(code, 422);
    assert!(refused["message"]
        .as_str()
        .expect("a string")
        .starts_with("reason"));

    let (code, file) = post(
        open,
        &admin,
        json!({ "yuan": agreed + 50_000.0, "reason": "一事一议：房屋结构特殊，经评估复核" }),
    )
    .await;
    assert_eq!(code, 200, "{file}");
    assert_eq!(
        file["compensation"]["total_yuan"],
        json!(((agreed + 50_000.0) * 100.0).round() / 100.0)
    );
    assert_eq!(file["compensation"]["override"]["by"], "chief");
    assert_eq!(
        file["agreement"]["yuan"], file["compensation"]["total_yuan"],
        "the agreed sum follows an override after signing"
    );
    let audit: Value = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'compensation_override' AND subject = $1",
    )
    .bind(format!("household {open}"))
    .fetch_one(&pool)
    .await
    .expect("query");
    assert_eq!(audit["reason"], "一事一议：房屋结构特殊，经评估复核");

    // a paid household's agreed sum cannot fall below what was paid
    let (code, refused) = post(paid, &admin, json!({ "yuan": 1.0, "reason": "试图压低" })).await;
    assert_eq!(code, 422, "{refused}");
    assert!(refused["message"]
        .as_str()
        .expect("a string")
        .contains("agreement_not_overpaid"));
    let overrides: i64 =
        sqlx::query_scalar("SELECT count(*) FROM compensation_overrides WHERE household_id = $1")
            .bind(paid)
            .fetch_one(&pool)
            .await
            .expect("query");
    assert_eq!(overrides, 0, "the refused override left nothing");
    // removing the override restores the computed sum
    let (code, file) = post(
        open,
        &admin,
        json!({ "yuan": null, "reason": "复核后撤销" }),
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(file["agreement"]["yuan"], json!(agreed));
}

pub(crate) fn unzip(bytes: &[u8], part: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut text = String::new();
    archive
        .by_name(part)
        .expect("the part")
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn agreement_document_and_detail_table_are_filled_in(pool: PgPool) {
    demo_city(&pool).await;
    let (household, project, _, _) = paid_household(&pool).await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let http = reqwest::Client::new();
    let (name, id_number, total): (String, String, f64) = sqlx::query_as(
        "SELECT h.holder_name, h.holder_id_number, a.yuan::float8 FROM households h JOIN agreements a ON a.household_id = h.id WHERE h.id = $1",
    )
    .bind(household).fetch_one(&pool).await.expect("query");

    let r = http
        .get(format!("{base}/api/households/{household}/agreement.docx"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(r.status().as_u16(), 200);
    let document = unzip(&r.bytes().await.expect("a body"), "word/document.xml");
    for expected in [
        name.as_str(),
        id_number.as_str(),
        &onemap::households::agreement_doc::money(total),
        "征收补偿协议",
        "大写：",
        "元",
    ] {
        assert!(
            document.contains(expected),
            "the agreement lacks {expected}"
        );
    }
    assert!(!document.contains("{{"), "every placeholder is filled");
    assert_eq!(
        http.get(format!("{base}/api/households/{household}/agreement.docx"))
            .bearer_auth(&viewer)
            .send()
            .await
            .expect("the server answers")
            .status()
            .as_u16(),
        403
    );

    // a template with an unknown placeholder is refused by name
    let mut standard: Value = http
        .get(format!(
            "{base}/api/projects/{project}/compensation-standard"
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer");
    let mut body = standard["standard"].take();
    body["agreement_template"] = json!("协议 {{holder_nmae}}");
    let r = http
        .put(format!(
            "{base}/api/projects/{project}/compensation-standard"
        ))
        .bearer_auth(&admin)
        .json(&body)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.expect("a body").contains("holder_nmae"));

    // the detail table: for those who may see household files, whole
    let r = http
        .get(format!(
            "{base}/api/exports/projects/{project}/compensation.xlsx"
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(r.status().as_u16(), 200);
    let strings = unzip(&r.bytes().await.expect("a body"), "xl/sharedStrings.xml");
    assert!(
        strings.contains(&format!(">{name}<"))
            && strings.contains(&id_number)
            && strings.contains("补偿合计")
    );
    let r = http
        .get(format!(
            "{base}/api/exports/projects/{project}/compensation.xlsx"
        ))
        .bearer_auth(&viewer)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(r.status().as_u16(), 403);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_new_standard_computes_the_unsigned_and_keeps_the_signed(pool: PgPool) {
    demo_city(&pool).await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let http = reqwest::Client::new();
    let (project, unsigned, area, signed, agreed): (String, i64, f64, i64, f64) = sqlx::query_as(
        "SELECT p.code, u.id, u.recorded_area::float8, s.household_id, s.yuan::float8 FROM projects p
           JOIN LATERAL (SELECT h.id, h.recorded_area FROM households h JOIN buildings b ON b.id = h.building_id
                          WHERE b.project_id = p.id AND h.status < 'signed' AND b.use = 'residential' AND b.legality = 'legal' LIMIT 1) u ON true
           JOIN LATERAL (SELECT household_id, yuan FROM agreements a WHERE a.project_id = p.id LIMIT 1) s ON true
          ORDER BY p.id LIMIT 1",
    )
    .fetch_one(&pool).await.expect("query");
    let standard = json!({
        "rates": [{ "use": "residential", "legality": "legal", "yuan_per_m2": 10000 }],
        "relocation_yuan": 5000, "transition_yuan_per_m2_month": 10, "transition_months": 6,
        "incentives": [], "agreement_template": null,
    });
    let put = |body: Value| {
        let request = http
            .put(format!(
                "{base}/api/projects/{project}/compensation-standard"
            ))
            .bearer_auth(&admin)
            .json(&body);
        async move {
            let r = request.send().await.expect("the server answers");
            (
                r.status().as_u16(),
                r.json::<Value>().await.expect("a JSON answer"),
            )
        }
    };
    let mut bad = standard.clone();
    bad["rates"][0]["use"] = json!("palace");
    let (code, refused) = put(bad).await;
    assert_eq!(code, 422);
    assert!(refused["message"]
        .as_str()
        .expect("a string")
        .starts_with("rates[0].use"));
    let (code, _) = put(standard).await;
    assert_eq!(code, 200);
    let file: Value = http
        .get(format!("{base}/api/households/{unsigned}"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer");
    let expected =
        (area * 10000.0 * 100.0).round() / 100.0 + 5000.0 + (area * 60.0 * 100.0).round() / 100.0;
    assert!(
        (file["compensation"]["total_yuan"]
            .as_f64()
            .expect("a number")
            - expected)
            .abs()
            < 0.011,
        "{} vs {expected}",
        file["compensation"]
    );
    let still: f64 =
        sqlx::query_scalar("SELECT yuan::float8 FROM agreements WHERE household_id = $1")
            .bind(signed)
            .fetch_one(&pool)
            .await
            .expect("query");
    assert!(
        (still - agreed).abs() < 0.005,
        "an agreement keeps the sum it was signed at"
    );
}

/// POSTs a JSON body with a token; status and JSON answer.
async fn post(http: &reqwest::Client, url: String, token: &str, body: &Value) -> (u16, Value) {
    let r = http
        .post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the server answers");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_send_back_voids_the_agreement_and_signing_again_makes_it_anew(pool: PgPool) {
    demo_city(&pool).await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let clerk = session(&pool, "clerk", "admin", None).await;
    let http = reqwest::Client::new();
    // two households that are signed (not further) with nothing committed, in one project
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT h.id, p.code, (SELECT max(e.id) FROM status_events e WHERE e.household_id = h.id AND e.to_status = 'signed')
           FROM households h JOIN agreements a ON a.household_id = h.id JOIN projects p ON p.id = a.project_id
          WHERE h.status = 'signed' AND a.committed_yuan = 0 AND a.yuan > 0
            AND a.project_id = (SELECT a2.project_id FROM agreements a2 JOIN households h2 ON h2.id = a2.household_id
                                 WHERE h2.status = 'signed' AND a2.committed_yuan = 0 AND a2.yuan > 0
                                 GROUP BY a2.project_id HAVING count(*) >= 2 ORDER BY a2.project_id LIMIT 1)
          ORDER BY h.id LIMIT 2",
    )
    .fetch_all(&pool).await.expect("query");
    let (voided, project, event) = rows[0].clone();
    let (kept, _, kept_event) = rows[1].clone();

    let (code, answer) = post(
        &http,
        format!("{base}/api/status/send-back"),
        &admin,
        &json!({ "event_id": event, "reason": "协议签订程序有误" }),
    )
    .await;
    assert_eq!(code, 200, "{answer}");
    let file: Value = http
        .get(format!("{base}/api/households/{voided}"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer");
    assert!(
        !file["agreement"]["voided_at"].is_null(),
        "the agreement is void"
    );
    assert_eq!(file["compensation"]["projected"], json!(true));
    let payment = |id: i64, key: &str| json!({ "payments": [{ "household_id": id, "yuan": 100.0, "idempotency_key": key }] });
    let (code, refused) = post(
        &http,
        format!("{base}/api/projects/{project}/batches"),
        &clerk,
        &payment(voided, "void-key-0001"),
    )
    .await;
    assert_eq!(code, 422);
    assert!(
        refused["message"]
            .as_str()
            .expect("a string")
            .contains("payment_needs_signed_agreement"),
        "{refused}"
    );

    // signing again makes the agreement anew, payable
    let version: i32 = sqlx::query_scalar("SELECT version FROM households WHERE id = $1")
        .bind(voided)
        .fetch_one(&pool)
        .await
        .expect("query");
    let (code, answer) = post(&http, format!("{base}/api/status"), &admin,
        &json!({ "changes": [{ "subject": "household", "id": voided, "to": "signed", "version": version }] })).await;
    assert_eq!(code, 200, "{answer}");
    let (voided_at, signed_today): (Option<chrono::DateTime<chrono::Utc>>, bool) = sqlx::query_as(
        "SELECT voided_at, signed_at > now() - interval '1 minute' FROM agreements WHERE \
            household_id = $1",
    )
    .bind(voided)
    .fetch_one(&pool)
    .await
    .expect("query");
    assert!(voided_at.is_none() && signed_today, "signed again today");
    assert_eq!(
        post(
            &http,
            format!("{base}/api/projects/{project}/batches"),
            &clerk,
            &payment(voided, "void-key-0002")
        )
        .await
        .0,
        201
    );

    // with money committed, the signing cannot be sent back
    assert_eq!(
        post(
            &http,
            format!("{base}/api/projects/{project}/batches"),
            &clerk,
            &payment(kept, "void-key-0003")
        )
        .await
        .0,
        201
    );
    let (code, refused) = post(
        &http,
        format!("{base}/api/status/send-back"),
        &admin,
        &json!({ "event_id": kept_event, "reason": "x" }),
    )
    .await;
    assert_eq!(code, 409, "{refused}");
    assert!(refused["message"]
        .as_str()
        .expect("a string")
        .contains("send its batches back"));
    let status: String = sqlx::query_scalar("SELECT status::text FROM households WHERE id = $1")
        .bind(kept)
        .fetch_one(&pool)
        .await
        .expect("query");
    assert_eq!(status, "signed");
    let differences: i64 = sqlx::query_scalar("SELECT count(*) FROM fund_differences()")
        .fetch_one(&pool)
        .await
        .expect("query");
    assert_eq!(differences, 0);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn an_agreement_signed_without_a_standard_is_made_again_with_one(pool: PgPool) {
    demo_city(&pool).await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let http = reqwest::Client::new();
    let (household, project, version): (i64, String, i32) = sqlx::query_as(
        "SELECT h.id, p.code, h.version FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
          WHERE h.status = 'surveyed' AND b.use = 'residential' AND b.legality = 'legal' ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool).await.expect("query");
    let empty = json!({ "rates": [], "relocation_yuan": 0, "transition_yuan_per_m2_month": 0,
                        "transition_months": 0, "incentives": [], "agreement_template": null });
    let put = |body: Value| {
        http.put(format!(
            "{base}/api/projects/{project}/compensation-standard"
        ))
        .bearer_auth(&admin)
        .json(&body)
        .send()
    };
    assert_eq!(
        put(empty)
            .await
            .expect("the server answers")
            .status()
            .as_u16(),
        200
    );
    let (code, answer) = post(&http, format!("{base}/api/status"), &admin,
        &json!({ "changes": [{ "subject": "household", "id": household, "to": "signed", "version": version }] })).await;
    assert_eq!(code, 200, "{answer}");
    let agreed: f64 =
        sqlx::query_scalar("SELECT yuan::float8 FROM agreements WHERE household_id = $1")
            .bind(household)
            .fetch_one(&pool)
            .await
            .expect("query");
    assert!(agreed.abs() < 0.005, "signed with no standard: {agreed}");
    let funds: Value = http
        .get(format!("{base}/api/projects/{project}/funds"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer");
    assert!(
        funds["warnings"]
            .as_array()
            .expect("an array")
            .iter()
            .any(|w| w["code"] == "agreement_zero"
                && w["level"] == "alarm"
                && w["message"]["key"] == "funds.warning.agreement_zero"
                && w["message"]["values"]["households"].is_string()),
        "{}",
        funds["warnings"]
    );

    let standard = json!({ "rates": [{ "use": "residential", "legality": "legal", "yuan_per_m2": 9000 }], "relocation_yuan": 3000,
                           "transition_yuan_per_m2_month": 0, "transition_months": 0, "incentives": [], "agreement_template": null });
    assert_eq!(
        put(standard)
            .await
            .expect("the server answers")
            .status()
            .as_u16(),
        200
    );
    let (agreed, area): (f64, f64) = sqlx::query_as(
        "SELECT a.yuan::float8, h.recorded_area::float8 FROM agreements a JOIN households h ON h.id = a.household_id WHERE a.household_id = $1")
        .bind(household).fetch_one(&pool).await.expect("query");
    assert!(
        (agreed - ((area * 9000.0 * 100.0).round() / 100.0 + 3000.0)).abs() < 0.011,
        "made again with the standard: {agreed}"
    );
}
