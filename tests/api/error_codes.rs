//! Real requests get the stable error codes of docs/errors.md beside their message: a wrong
//! password, an unknown project, a stale version, an oversized upload, an import's bad row and
//! file, and a rule the database refuses by name.
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::funds::payable;
use crate::helpers::{demo_city, session};
use crate::sse::serve;

/// The app served on a port, called with a bearer token ("" for none).
struct Api {
    base: String,
    http: reqwest::Client,
    _state: onemap::AppState,
}

impl Api {
    async fn serve(pool: &PgPool) -> Self {
        let (base, state) = serve(pool).await;
        Api {
            base,
            http: reqwest::Client::new(),
            _state: state,
        }
    }

    async fn answer(request: reqwest::RequestBuilder, token: &str) -> (u16, Value) {
        let request = if token.is_empty() {
            request
        } else {
            request.bearer_auth(token)
        };
        let response = request.send().await.expect("the server answers");
        (
            response.status().as_u16(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        Self::answer(self.http.get(format!("{}{path}", self.base)), token).await
    }

    async fn post(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        Self::answer(
            self.http.post(format!("{}{path}", self.base)).json(body),
            token,
        )
        .await
    }
}

/// The `(status, code, values)` of an error answer.
fn coded(answer: &(u16, Value)) -> (u16, &str, &Value) {
    (
        answer.0,
        answer.1["code"].as_str().unwrap_or("(none)"),
        &answer.1["values"],
    )
}

async fn upload(api: &Api, path: &str, token: &str, bytes: Vec<u8>, name: &str) -> (u16, Value) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let request = api
        .http
        .post(format!("{}{path}", api.base))
        .header("x-requested-with", "onemap")
        .multipart(form);
    Api::answer(request, token).await
}

/// Polls import job `id` until it is done or failed.
async fn finished(api: &Api, id: &str, token: &str) -> Value {
    for _ in 0..200 {
        let (_, job) = api.get(&format!("/api/imports/{id}"), token).await;
        if job["state"] == "done" || job["state"] == "failed" {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("import {id} did not finish");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn error_codes_of_logins_lookups_writes_and_rules(pool: PgPool) {
    demo_city(&pool).await;
    onemap::auth::create_user(
        &pool,
        "wang",
        "correct horse",
        onemap::auth::Role::Viewer,
        None,
    )
    .await
    .expect("user");
    let api = Api::serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;

    let login = api
        .post(
            "/api/login",
            "",
            &json!({ "username": "wang", "password": "wrong horse" }),
        )
        .await;
    assert_eq!(
        coded(&login),
        (401, "wrong_password", &json!({})),
        "{}",
        login.1
    );
    assert_eq!(
        login.1["error"], "unauthorized",
        "the class stays in `error`"
    );

    let missing = api.get("/api/figures/projects/99999", &admin).await;
    assert_eq!(
        coded(&missing),
        (404, "project_not_found", &json!({ "project": 99999 })),
        "{}",
        missing.1
    );
    let region = api.get("/api/figures/regions/000000", &admin).await;
    assert_eq!(coded(&region).1, "region_not_found", "{}", region.1);

    let expired = api.get("/api/figures/projects/1", "no-such-session").await;
    assert_eq!(
        coded(&expired),
        (401, "session_expired", &json!({})),
        "{}",
        expired.1
    );

    let (id, version): (i64, i32) = sqlx::query_as(
        "SELECT h.id, h.version FROM households h WHERE h.status = 'surveyed' ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a surveyed household");
    let stale = json!({ "changes": [{ "subject": "household", "id": id, "to": "signed", "version": version + 5 }] });
    let conflict = api.post("/api/status", &admin, &stale).await;
    assert_eq!(coded(&conflict).0, 409, "{}", conflict.1);
    assert_eq!(coded(&conflict).1, "stale_version", "{}", conflict.1);
    assert_eq!(
        (
            &conflict.1["values"]["version"],
            &conflict.1["values"]["sent"],
            &conflict.1["values"]["subject"]
        ),
        (&json!(version), &json!(version + 5), &json!("household")),
        "the values fill the sentence: {}",
        conflict.1
    );
    assert_eq!(
        conflict.1["current"]["version"], version,
        "the current state is still sent"
    );

    let field = api
        .post(
            "/api/status",
            &admin,
            &json!({ "changes": [{ "subject": "household", "id": id, "to": "signed" }] }),
        )
        .await;
    assert_eq!(coded(&field).0, 422, "{}", field.1);
    assert_eq!(
        coded(&field).1,
        "invalid_field",
        "a message naming its field: {}",
        field.1
    );

    // a rule the database enforces: no payment before signing
    let (project, district, _) = payable(&pool, false).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let unsigned: i64 = sqlx::query_scalar(
        "SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
          WHERE p.code = $1 AND h.status < 'signed' LIMIT 1",
    )
    .bind(&project)
    .fetch_one(&pool)
    .await
    .expect("an unsigned household");
    let early = json!({ "payments": [{ "household_id": unsigned, "yuan": 100.0, "idempotency_key": "codes-key-0001" }] });
    let refused = api
        .post(&format!("/api/projects/{project}/batches"), &clerk, &early)
        .await;
    assert_eq!(
        coded(&refused),
        (422, "payment_needs_signed_agreement", &json!({})),
        "{}",
        refused.1
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn error_codes_of_uploads_and_imports(pool: PgPool) {
    demo_city(&pool).await;
    let api = Api::serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let (project, household, lon, lat): (String, i64, f64, f64) = sqlx::query_as(
        "SELECT p.code, h.id, ST_X(ST_Centroid(p.geom)), ST_Y(ST_Centroid(p.geom))
           FROM projects p JOIN buildings b ON b.project_id = p.id JOIN households h ON h.building_id = b.id
          ORDER BY p.id, h.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a project with a household");

    let big = vec![b'x'; (10 << 20) + 1];
    let path = format!("/api/households/{household}/attachments");
    let too_large = upload(&api, &path, &admin, big, "scan.pdf").await;
    assert_eq!(coded(&too_large).0, 413, "{}", too_large.1);
    assert_eq!(coded(&too_large).1, "upload_too_large", "{}", too_large.1);
    assert_eq!(too_large.1["values"]["file"], "scan.pdf", "{}", too_large.1);

    let imports = format!("/api/imports?target=buildings&project={project}");
    let wrong_type = upload(&api, &imports, &admin, b"hello".to_vec(), "notes.txt").await;
    assert_eq!(
        coded(&wrong_type).1,
        "upload_wrong_type",
        "{}",
        wrong_type.1
    );
    let unknown = upload(
        &api,
        "/api/imports?target=buildings&project=NOPE",
        &admin,
        b"{}".to_vec(),
        "b.geojson",
    )
    .await;
    assert_eq!(
        coded(&unknown),
        (422, "project_not_found", &json!({ "project": "NOPE" })),
        "{}",
        unknown.1
    );

    // a row without a code: the import writes nothing and says which row, by code
    let d = 0.00002;
    let square = json!([[
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d]
    ]]);
    let file = json!({ "type": "FeatureCollection", "features": [
        { "type": "Feature", "properties": { "层数": 3, "建筑面积": 100.0 }, "geometry": { "type": "Polygon", "coordinates": square } }
    ] });
    let started = upload(
        &api,
        &imports,
        &admin,
        file.to_string().into_bytes(),
        "rows.geojson",
    )
    .await;
    assert_eq!(started.0, 202, "{}", started.1);
    let job = finished(&api, started.1["id"].as_str().expect("a job id"), &admin).await;
    let rejected = job["report"]["rejected"].as_array().expect("rejected rows");
    assert!(
        rejected
            .iter()
            .any(|i| i["code"] == "row_no_code" && i["values"]["row"] == 1),
        "{job}"
    );

    // a file GDAL cannot read: the job's error has a code, and no library's words in its values
    let broken = upload(
        &api,
        &imports,
        &admin,
        b"{\"type\": \"FeatureCollection\", \"features\": [".to_vec(),
        "broken.geojson",
    )
    .await;
    let failure = if broken.0 == 202 {
        let job = finished(&api, broken.1["id"].as_str().expect("a job id"), &admin).await;
        job["error"].clone()
    } else {
        broken.1
    };
    assert_eq!(failure["code"], "upload_unreadable", "{failure}");
    assert_eq!(failure["values"], json!({}), "{failure}");
}
