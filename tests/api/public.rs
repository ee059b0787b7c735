//! Public disclosure: published projects only, masked lists equal to the tables, no personal
//! data in any public answer, tile or viewer's export, the resident's own record (rate-limited)
//! and objections from filing to answer.
use std::collections::HashSet;
use std::io::Read;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{demo_city, session, tile_of};
use crate::sse::serve;

/// Every string inside a JSON value.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out);
        }),
        _ => {}
    }
}

/// Runs of 18 ID-number characters: every one must be masked, so none may appear.
fn unmasked_id_numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut run = String::new();
    for c in chars.iter().chain(std::iter::once(&' ')) {
        if c.is_ascii_digit() || *c == 'X' {
            run.push(*c);
        } else {
            if run.len() >= 17 {
                found.push(run.clone());
            }
            run.clear();
        }
    }
    found
}

struct Personal {
    names: HashSet<String>,
    numbers: HashSet<String>,
}

impl Personal {
    async fn load(pool: &PgPool) -> Self {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT holder_name, holder_id_number FROM households")
                .fetch_all(pool)
                .await
                .expect("query");
        Self {
            names: rows.iter().map(|r| r.0.clone()).collect(),
            numbers: rows.into_iter().map(|r| r.1).collect(),
        }
    }

    /// The ID numbers held that appear anywhere in `text`. A held number is made of ID-number
    /// characters, so it lies inside a run of them: each run's windows of a held number's length
    /// are looked up, one scan of the answer instead of one per number (thousands per answer).
    fn id_numbers_in<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let id_char = |b: u8| b.is_ascii_digit() || b == b'X' || b == b'x';
        let lengths: HashSet<usize> = self.numbers.iter().map(String::len).collect();
        assert!(
            self.numbers.iter().all(|n| n.bytes().all(id_char)),
            "every held ID number is digits and X"
        );
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let mut start = 0;
        while start < bytes.len() {
            if !id_char(bytes[start]) {
                start += 1;
                continue;
            }
            let end = start + bytes[start..].iter().take_while(|&&b| id_char(b)).count();
            for &len in &lengths {
                // ASCII run: every window is a whole &str
                found.extend(
                    (start..=end.saturating_sub(len))
                        .filter(|&i| i + len <= end)
                        .map(|i| &text[i..i + len]),
                );
            }
            start = end;
        }
        found.retain(|w| self.numbers.contains(*w));
        found
    }

    /// Fails if any whole name is a value, or any ID number appears anywhere, in `text`.
    fn assert_absent(&self, what: &str, text: &str, values: &[String]) {
        assert!(
            unmasked_id_numbers(text).is_empty(),
            "{what}: an ID number {:?}",
            unmasked_id_numbers(text)
        );
        let held = self.id_numbers_in(text);
        assert!(held.is_empty(), "{what}: ID numbers {held:?}");
        for v in values {
            assert!(!self.names.contains(v.trim()), "{what}: the name {v}");
        }
    }
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn lists_are_masked_match_the_tables_and_only_published(pool: PgPool) {
    demo_city(&pool).await;
    let (base, _state) = serve(&pool).await;
    let http = reqwest::Client::new();
    let get = |path: String| {
        let request = http.get(format!("{base}{path}"));
        async move {
            let r = request.send().await.expect("the server answers");
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let unpublished: String =
        sqlx::query_scalar("SELECT code FROM projects WHERE NOT published ORDER BY id LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("query");
    assert_eq!(
        get(format!("/api/public/projects/{unpublished}")).await.0,
        404
    );
    assert_eq!(
        get(format!("/api/public/projects/{unpublished}/lists/signed"))
            .await
            .0,
        404
    );
    let (code, projects) = get("/api/public/projects".into()).await;
    assert_eq!(code, 200);
    let published: i64 = sqlx::query_scalar("SELECT count(*) FROM projects WHERE published")
        .fetch_one(&pool)
        .await
        .expect("query");
    // the landing is paged (tests/api/public_landing.rs): `all` counts every published project
    assert_eq!(projects["all"], json!(published));
    assert_eq!(
        projects["projects"].as_array().expect("an array").len() as i64,
        published.min(24)
    );
    assert!(projects["projects"]
        .as_array()
        .expect("an array")
        .iter()
        .all(|p| p["code"] != json!(unpublished)));

    let project = projects["projects"][0]["code"]
        .as_str()
        .expect("a string")
        .to_owned();
    let (_, page) = get(format!("/api/public/projects/{project}")).await;
    let kinds: HashSet<&str> = page["documents"]
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| d["kind"].as_str().expect("a string"))
        .collect();
    assert_eq!(
        kinds,
        HashSet::from(["overview", "policy", "compensation_plan", "announcement"])
    );
    let expected = [
        ("survey", "SELECT count(*) FROM households h JOIN buildings b ON b.id = h.building_id JOIN \
            projects p ON p.id = b.project_id WHERE p.code = $1 AND h.status >= 'surveyed'"),
        ("signed", "SELECT count(*) FROM agreements a JOIN projects p ON p.id = a.project_id WHERE p.code = $1"),
        ("paid", "SELECT count(*) FROM agreements a JOIN projects p ON p.id = a.project_id WHERE p.code = $1 AND a.paid_yuan > 0"),
        ("progress", "SELECT count(*) FROM buildings b JOIN projects p ON p.id = b.project_id WHERE p.code = $1"),
    ];
    for (list, sql) in expected {
        let count: i64 = sqlx::query_scalar(sql)
            .bind(&project)
            .fetch_one(&pool)
            .await
            .expect("query");
        let (code, answer) = get(format!(
            "/api/public/projects/{project}/lists/{list}?limit=5"
        ))
        .await;
        assert_eq!(code, 200);
        assert_eq!(answer["total"], json!(count), "{list}");
        for row in answer["rows"].as_array().expect("an array") {
            if let Some(holder) = row.get("holder") {
                assert!(
                    holder.as_str().expect("a string").ends_with("**")
                        && holder.as_str().expect("a string").chars().count() == 3,
                    "{row}"
                );
                let id = row["id_number"].as_str().expect("a string");
                assert_eq!(&id[4..14], "**********", "{row}");
            }
        }
    }
    // the paid list equals what the agreements say was paid
    let (_, paid) = get(format!(
        "/api/public/projects/{project}/lists/paid?limit=200"
    ))
    .await;
    let sum: f64 = paid["rows"]
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| r["paid_yuan"].as_f64().expect("a number"))
        .sum();
    let expected: f64 = sqlx::query_scalar(
        "SELECT coalesce(sum(paid_yuan), 0)::float8 FROM (SELECT a.paid_yuan FROM agreements a JOIN households h ON h.id = a.household_id
           JOIN projects p ON p.id = a.project_id WHERE p.code = $1 AND a.paid_yuan > 0 ORDER BY h.code LIMIT 200) x",
    )
    .bind(&project).fetch_one(&pool).await.expect("query");
    assert!((sum - expected).abs() < 0.01);
    assert_eq!(
        get(format!("/api/public/projects/{project}/lists/everyone"))
            .await
            .0,
        404
    );
    assert_eq!(
        get(format!(
            "/api/public/projects/{project}/lists/survey?limit=100000"
        ))
        .await
        .0,
        400
    );
}

fn unzip_all(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).expect("a part");
        let _ = part.read_to_string(&mut text);
    }
    text
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn no_personal_data_in_any_public_answer_tile_or_viewers_export(pool: PgPool) {
    demo_city(&pool).await;
    let personal = Personal::load(&pool).await;
    let (base, _state) = serve(&pool).await;
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let http = reqwest::Client::new();
    let checked = std::cell::Cell::new(0);
    let check_json = |what: &str, body: &Value| {
        let mut values = Vec::new();
        strings(body, &mut values);
        personal.assert_absent(what, &body.to_string(), &values);
        checked.set(checked.get() + 1);
    };
    let projects: Value = http
        .get(format!("{base}/api/public/projects"))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer");
    check_json("projects", &projects);
    for p in projects["projects"].as_array().expect("an array") {
        let code = p["code"].as_str().expect("a string");
        let page: Value = http
            .get(format!("{base}/api/public/projects/{code}"))
            .send()
            .await
            .expect("the server answers")
            .json()
            .await
            .expect("a JSON answer");
        check_json(code, &page);
        for list in ["survey", "signed", "paid", "incentives", "progress"] {
            let mut offset = 0;
            loop {
                let answer: Value = http
                    .get(format!(
                        "{base}/api/public/projects/{code}/lists/{list}?limit=200&offset={offset}"
                    ))
                    .send()
                    .await
                    .expect("the server answers")
                    .json()
                    .await
                    .expect("a JSON answer");
                check_json(&format!("{code} {list} @{offset}"), &answer);
                offset += 200;
                if offset >= answer["total"].as_i64().expect("an integer") {
                    break;
                }
            }
        }
    }
    // guessing objection tickets finds nothing
    for ticket in ["0000000000000000", "AAAAAAAAAAAAAAAA", "../../etc/passwd"] {
        let r = http
            .get(format!("{base}/api/public/objections/{ticket}"))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(r.status().as_u16(), 404);
    }
    // tiles (every layer, around every published project) and OGC collections as the wall's viewer
    let centres: Vec<(f64, f64)> =
        sqlx::query_as("SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM projects")
            .fetch_all(&pool)
            .await
            .expect("query");
    for (lon, lat) in centres {
        for (layer, z) in [
            ("regions", 12),
            ("projects", 12),
            ("parcels", 15),
            ("buildings", 16),
        ] {
            let (x, y) = tile_of(lon, lat, z);
            for format in ["mvt", "geojson"] {
                let r = http
                    .get(format!("{base}/tiles/{layer}/{z}/{x}/{y}.{format}"))
                    .bearer_auth(&viewer)
                    .send()
                    .await
                    .expect("the server answers");
                if r.status().as_u16() != 200 {
                    continue;
                }
                let bytes = r.bytes().await.expect("a body");
                let text = String::from_utf8_lossy(&bytes).to_string();
                let values: Vec<String> = if format == "mvt" {
                    crate::helpers::decode_mvt(&bytes, layer)
                        .values()
                        .flat_map(|p| p.values().filter_map(|v| v.as_str().map(str::to_owned)))
                        .collect()
                } else {
                    let mut v = Vec::new();
                    strings(
                        &serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                        &mut v,
                    );
                    v
                };
                personal.assert_absent(
                    &format!("tile {layer} {z}/{x}/{y}.{format}"),
                    &text,
                    &values,
                );
                checked.set(checked.get() + 1);
            }
        }
    }
    for collection in ["regions", "projects", "parcels", "buildings", "estates"] {
        let body: Value = http
            .get(format!(
                "{base}/ogc/collections/{collection}/items?limit=10000"
            ))
            .bearer_auth(&viewer)
            .send()
            .await
            .expect("the server answers")
            .json()
            .await
            .expect("a JSON answer");
        check_json(collection, &body);
    }
    // a viewer's exports
    let project: String = sqlx::query_scalar("SELECT code FROM projects ORDER BY id LIMIT 1")
        .fetch_one(&pool)
        .await
        .expect("query");
    let r = http
        .get(format!(
            "{base}/api/exports/projects/{project}/compensation.xlsx"
        ))
        .bearer_auth(&viewer)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(
        r.status().as_u16(),
        403,
        "the detail table is a household file"
    );
    for file in ["ledger.xlsx"] {
        let r = http
            .get(format!("{base}/api/exports/projects/{project}/{file}"))
            .bearer_auth(&viewer)
            .send()
            .await
            .expect("the server answers");
        assert_eq!(r.status().as_u16(), 200);
        let text = unzip_all(&r.bytes().await.expect("a body"));
        let values: Vec<String> = text.split(['<', '>']).map(str::to_owned).collect();
        personal.assert_absent(file, &text, &values);
    }
    assert!(checked.get() > 50, "only {} answers checked", checked.get());
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_resident_sees_only_their_own_record_and_is_rate_limited(pool: PgPool) {
    demo_city(&pool).await;
    let (household, name, id_number): (i64, String, String) = sqlx::query_as(
        "SELECT h.id, h.holder_name, h.holder_id_number FROM households h JOIN buildings b ON b.id = h.building_id
           JOIN projects p ON p.id = b.project_id JOIN agreements a ON a.household_id = h.id
          WHERE p.published AND NOT EXISTS (SELECT 1 FROM swap_settlements s WHERE s.household_id = h.id) ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool).await.expect("query");
    let theirs: Vec<String> = sqlx::query_scalar(
        "SELECT h.code FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
          WHERE p.published AND h.holder_name = $1 AND h.holder_id_number = $2 ORDER BY h.code",
    )
    .bind(&name).bind(&id_number).fetch_all(&pool).await.expect("query");
    let (base, _state) = serve(&pool).await;
    let http = reqwest::Client::new();
    let lookup = |body: Value| {
        let request = http.post(format!("{base}/api/public/lookup")).json(&body);
        async move {
            let r = request.send().await.expect("the server answers");
            let retry = r
                .headers()
                .get("retry-after")
                .map(|h| h.to_str().expect("ASCII header").to_owned());
            (
                r.status().as_u16(),
                retry,
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (code, _, mine) = lookup(json!({ "name": name, "id_number": id_number })).await;
    assert_eq!(code, 200, "{mine}");
    let codes: Vec<String> = mine["households"]
        .as_array()
        .expect("an array")
        .iter()
        .map(|h| h["code"].as_str().expect("a string").to_owned())
        .collect();
    assert_eq!(codes, theirs, "their own households, and nothing else");
    let record = &mine["households"][0];
    let agreed: f64 =
        sqlx::query_scalar("SELECT yuan::float8 FROM agreements WHERE household_id = $1")
            .bind(household)
            .fetch_one(&pool)
            .await
            .expect("query");
    assert_eq!(record["agreement"]["yuan"], json!(agreed));
    assert_eq!(
        record["compensation"]["lines"]
            .as_array()
            .expect("an array")
            .len(),
        4,
        "house, relocation, transition and incentive (a household with no 选房 swap money)"
    );
    assert!(
        record["compensation"].get("override").is_none(),
        "who authorised an override stays internal"
    );

    let other_name: String =
        sqlx::query_scalar("SELECT holder_name FROM households WHERE holder_name <> $1 LIMIT 1")
            .bind(&name)
            .fetch_one(&pool)
            .await
            .expect("query");
    let (code, _, wrong) = lookup(json!({ "name": other_name, "id_number": id_number })).await;
    assert_eq!(code, 404, "a right number with a wrong name finds nothing");
    assert!(!wrong.to_string().contains(&name));
    let mut broken = id_number.clone();
    broken.replace_range(17..18, if id_number.ends_with('0') { "1" } else { "0" });
    let (code, _, refused) = lookup(json!({ "name": name, "id_number": broken })).await;
    assert_eq!(code, 422);
    assert!(refused["message"]
        .as_str()
        .expect("a string")
        .starts_with("id_number"));
    // five a minute per address: the sixth waits, however right it is
    let (code, _, _) = lookup(json!({ "name": name, "id_number": id_number })).await;
    assert_eq!(code, 200);
    let (code, _, _) = lookup(json!({ "name": name, "id_number": id_number })).await;
    assert_eq!(code, 200);
    let (code, retry, limited) = lookup(json!({ "name": name, "id_number": id_number })).await;
    assert_eq!(code, 429, "{limited}");
    assert!(retry.expect("Retry-After").parse::<u64>().expect("seconds") >= 1);
    // a second instance behind the same load balancer counts the same window
    let (second, _state) = serve(&pool).await;
    let r = http
        .post(format!("{second}/api/public/lookup"))
        .json(&json!({ "name": name, "id_number": id_number }))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(
        r.status().as_u16(),
        429,
        "the window is shared through the database"
    );
    let counted: i64 =
        sqlx::query_scalar("SELECT count(*) FROM resident_lookups WHERE client = '127.0.0.1'")
            .fetch_one(&pool)
            .await
            .expect("query");
    assert_eq!(counted, 5);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn an_objection_is_filed_followed_and_answered_in_region(pool: PgPool) {
    demo_city(&pool).await;
    let (household, code, name, id_number, district, other): (i64, String, String, String, String, String) = sqlx::query_as(
        "SELECT h.id, h.code, h.holder_name, h.holder_id_number, (SELECT code FROM regions WHERE id = r.lineage[2]),
                (SELECT code FROM regions WHERE level = 'district' AND id <> r.lineage[2] ORDER BY id LIMIT 1)
           FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
           JOIN regions r ON r.id = p.region_id WHERE p.published ORDER BY h.id DESC LIMIT 1",
    )
    .fetch_one(&pool).await.expect("query");
    let (base, _state) = serve(&pool).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let outsider = session(&pool, "outsider", "operator", Some(&other)).await;
    let http = reqwest::Client::new();
    let file = |body: Value| {
        let request = http
            .post(format!("{base}/api/public/objections"))
            .json(&body);
        async move {
            let r = request.send().await.expect("the server answers");
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (status, filed) = file(json!({ "name": name, "id_number": id_number, "household_code": code, "body": "对登记面积有异议" })).await;
    assert_eq!(status, 201, "{filed}");
    let ticket = filed["ticket"].as_str().expect("a string").to_owned();
    assert_eq!(ticket.len(), 16);
    let (status, _) = file(
        json!({ "name": name, "id_number": id_number, "household_code": code, "body": "   " }),
    )
    .await;
    assert_eq!(status, 422);
    let unpublished: (String, String, String) = sqlx::query_as(
        "SELECT h.code, h.holder_name, h.holder_id_number FROM households h JOIN buildings b ON b.id = h.building_id
           JOIN projects p ON p.id = b.project_id WHERE NOT p.published LIMIT 1",
    )
    .fetch_one(&pool).await.expect("query");
    let (status, _) = file(json!({ "name": unpublished.1, "id_number": unpublished.2, "household_code": unpublished.0, "body": "x" })).await;
    assert_eq!(
        status, 404,
        "households of unpublished projects are not reachable from the public page"
    );

    let followed: Value = http
        .get(format!("{base}/api/public/objections/{ticket}"))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer");
    assert_eq!(followed["status"], "open");
    let list: Value = http
        .get(format!("{base}/api/objections?status=open"))
        .bearer_auth(&clerk)
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer");
    let mine = list["objections"]
        .as_array()
        .expect("an array")
        .iter()
        .find(|o| o["ticket"] == json!(ticket))
        .expect("the clerk sees it")
        .clone();
    assert_eq!(mine["household_id"], json!(household));
    let elsewhere: Value = http
        .get(format!("{base}/api/objections"))
        .bearer_auth(&outsider)
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer");
    assert!(elsewhere["objections"]
        .as_array()
        .expect("an array")
        .iter()
        .all(|o| o["ticket"] != json!(ticket)));
    let answer = |token: &String| {
        http.post(format!("{base}/api/objections/{}/answer", mine["id"]))
            .bearer_auth(token)
            .json(&json!({ "answer": "已安排复测，结果将另行告知。" }))
            .send()
    };
    assert_eq!(
        answer(&outsider)
            .await
            .expect("the server answers")
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        answer(&clerk)
            .await
            .expect("the server answers")
            .status()
            .as_u16(),
        200
    );
    let followed: Value = http
        .get(format!(
            "{base}/api/public/objections/{}",
            ticket.to_lowercase()
        ))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer");
    assert_eq!(followed["status"], "answered");
    assert_eq!(followed["answer"], "已安排复测，结果将另行告知。");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action IN ('objection_filed', 'objection_answered')",
    )
    .fetch_one(&pool)
    .await
    .expect("query");
    assert_eq!(audited, 2);
}
