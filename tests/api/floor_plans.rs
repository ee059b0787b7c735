//! 套型图 (docs/housing.md): staff of the estate's region set a type's floor plan (JPEG or PNG
//! by content; a PDF or another region's operator is refused and nothing changes, audited when
//! set), and anyone reads it byte for byte, revalidated by its hash.
use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::{demo_city, session};
use crate::ops::PNG;

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn floor_plans_set_by_the_region_and_read_by_anyone(pool: PgPool) {
    demo_city(&pool).await;
    let (estate, unit_type, district, elsewhere): (String, String, String, String) = sqlx::query_as(
        "SELECT e.code, t.code, d.code, (SELECT o.code FROM regions o WHERE o.level = 'district' AND o.id <> d.id ORDER BY o.id LIMIT 1)
           FROM estates e JOIN estate_unit_types t ON t.estate_id = e.id JOIN regions r ON r.id = e.region_id
           JOIN regions d ON d.id = ANY (r.lineage) AND d.level = 'district' ORDER BY e.code, t.code LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("an estate and a type");
    let theirs = session(&pool, "district_clerk", "operator", Some(&district)).await;
    let outsider = session(&pool, "other_clerk", "operator", Some(&elsewhere)).await;
    let (base, _state) = crate::sse::serve(&pool).await;
    let http = reqwest::Client::new();
    let upload = |token: &str, name: &'static str, bytes: Vec<u8>, type_code: &str| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        );
        http.post(format!(
            "{base}/api/housing/estates/{estate}/types/{type_code}/floor-plan"
        ))
        .bearer_auth(token)
        .header("x-requested-with", "onemap")
        .multipart(form)
        .send()
    };
    let public = format!("{base}/api/public/estates/{estate}/types/{unit_type}/floor-plan");
    let stored = |pool: &PgPool| {
        let pool = pool.clone();
        let (estate, unit_type) = (estate.clone(), unit_type.clone());
        async move {
            sqlx::query_scalar::<_, Option<String>>(
                "SELECT t.floor_plan_sha256 FROM estate_unit_types t JOIN estates e ON e.id = t.estate_id WHERE e.code = $1 AND t.code = $2",
            )
            .bind(estate)
            .bind(unit_type)
            .fetch_one(&pool)
            .await
            .expect("type")
        }
    };

    let none = http.get(&public).send().await.expect("public");
    assert_eq!(none.status(), 404, "no floor plan yet");
    let r = upload(&outsider, "plan.png", PNG.to_vec(), &unit_type)
        .await
        .expect("upload");
    assert_eq!(r.status(), 403, "another district's operator");
    let r = upload(
        &theirs,
        "plan.pdf",
        b"%PDF-1.4 not a picture".to_vec(),
        &unit_type,
    )
    .await
    .expect("upload");
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["code"], "upload_wrong_type", "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("plan.pdf"),
        "{body}"
    );
    let r = upload(&theirs, "plan.png", PNG.to_vec(), "NO-SUCH")
        .await
        .expect("upload");
    assert_eq!(r.status(), 404);
    assert_eq!(stored(&pool).await, None, "the refusals changed nothing");

    let r = upload(&theirs, "plan.png", PNG.to_vec(), &unit_type)
        .await
        .expect("upload");
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().await.expect("json");
    assert_eq!(answer["floor_plan"], true, "{answer}");
    let hash = onemap::hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(PNG));
    assert_eq!(stored(&pool).await.as_deref(), Some(hash.as_str()));
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'estate.floor_plan'")
            .fetch_one(&pool)
            .await
            .expect("audit");
    assert_eq!(audited, 1);

    // anyone: the same bytes, its type, not sniffed, revalidated by its hash
    let r = http.get(&public).send().await.expect("public");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let etag = r.headers()["etag"].to_str().expect("etag").to_owned();
    assert_eq!(r.bytes().await.expect("bytes").as_ref(), PNG.as_slice());
    let again = http
        .get(&public)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("public");
    assert_eq!(again.status(), 304);
    // whole images count against the address's downloads a minute (the 304 did not)
    for n in 2..=onemap::disclosure::rate_limit::DOWNLOADS_PER_WINDOW {
        let r = http.get(&public).send().await.expect("public");
        assert_eq!(r.status(), 200, "download {n}");
    }
    let limited = http.get(&public).send().await.expect("public");
    assert_eq!(limited.status(), 429, "one download past the limit");
    assert!(limited.headers().contains_key("retry-after"));
    let grid: Value = http
        .get(format!("{base}/api/public/estates/{estate}"))
        .send()
        .await
        .expect("grid")
        .json()
        .await
        .expect("json");
    let listed = grid["types"]
        .as_array()
        .expect("types")
        .iter()
        .find(|t| t["code"] == unit_type.as_str())
        .cloned();
    assert_eq!(
        listed.map(|t| t["floor_plan"].clone()),
        Some(Value::Bool(true)),
        "{grid}"
    );
}
