//! OGC API - Features: documents, paging with next links and numberMatched, filters, bbox and
//! CRSs against the database, bad requests, no personal data, and GDAL's OAPIF driver.
use std::collections::HashSet;

use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::{demo_city, get};
use crate::sse::serve;

pub async fn json(pool: &PgPool, uri: &str) -> (u16, Value) {
    let (response, body) = get(pool, uri, &[]).await;
    (
        response.status().as_u16(),
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

pub async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count")
}

/// Follows next links from `first` to the end; returns every feature and the numberMatched of each page.
async fn walk(pool: &PgPool, first: &str) -> (Vec<Value>, Vec<i64>) {
    let (mut features, mut matched) = (Vec::new(), Vec::new());
    let mut uri = first.to_owned();
    loop {
        let (status, page) = json(pool, &uri).await;
        assert_eq!(status, 200, "{uri}: {page}");
        let got = page["features"].as_array().expect("features").clone();
        assert_eq!(
            page["numberReturned"].as_u64(),
            Some(got.len() as u64),
            "numberReturned of {uri}"
        );
        matched.push(page["numberMatched"].as_i64().expect("numberMatched"));
        features.extend(got);
        let next = page["links"]
            .as_array()
            .expect("links")
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| l["href"].as_str().expect("href").to_owned());
        match next {
            Some(href) => href
                .trim_start_matches("http://127.0.0.1")
                .clone_into(&mut uri),
            None => break,
        }
    }
    (features, matched)
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn documents_describe_the_service(pool: PgPool) {
    demo_city(&pool).await;
    let (status, landing) = json(&pool, "/ogc").await;
    assert_eq!(status, 200);
    let rels: HashSet<&str> = landing["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter_map(|l| l["rel"].as_str())
        .collect();
    assert!(
        ["self", "service-desc", "conformance", "data"]
            .iter()
            .all(|r| rels.contains(r)),
        "{rels:?}"
    );
    let (_, conformance) = json(&pool, "/ogc/conformance").await;
    let classes = conformance["conformsTo"].as_array().expect("classes");
    assert!(classes.iter().any(|c| c
        .as_str()
        .is_some_and(|c| c.ends_with("ogcapi-features-2/1.0/conf/crs"))));
    let (_, collections) = json(&pool, "/ogc/collections").await;
    let ids: Vec<&str> = collections["collections"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["regions", "projects", "parcels", "buildings", "estates"]
    );
    let (_, buildings) = json(&pool, "/ogc/collections/buildings").await;
    assert_eq!(buildings["crs"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        buildings["extent"]["spatial"]["bbox"][0]
            .as_array()
            .map(Vec::len),
        Some(4)
    );
    let (status, api) = json(&pool, "/ogc/api").await;
    assert_eq!(status, 200);
    assert!(
        api["paths"]["/collections/buildings/items"]["get"]["parameters"]
            .as_array()
            .expect("parameters")
            .len()
            >= 8
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn paging_reaches_every_feature_once(pool: PgPool) {
    demo_city(&pool).await;
    for (collection, table) in [
        ("buildings", "buildings"),
        ("parcels", "parcels"),
        ("projects", "projects"),
        ("regions", "regions"),
    ] {
        let (features, matched) = walk(
            &pool,
            &format!("/ogc/collections/{collection}/items?limit=700"),
        )
        .await;
        let in_db = count(&pool, &format!("SELECT count(*) FROM {table}")).await;
        let ids: HashSet<i64> = features
            .iter()
            .map(|f| f["id"].as_i64().expect("id"))
            .collect();
        assert_eq!(ids.len() as i64, in_db, "{collection}: every feature once");
        assert_eq!(
            features.len() as i64,
            in_db,
            "{collection}: no feature twice"
        );
        assert!(
            matched.iter().all(|m| *m == in_db),
            "{collection}: numberMatched {matched:?} vs {in_db}"
        );
    }
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn filters_and_bbox_match_the_database(pool: PgPool) {
    demo_city(&pool).await;
    let signed = count(
        &pool,
        "SELECT count(*) FROM buildings WHERE status = 'signed'",
    )
    .await;
    let (features, _) = walk(
        &pool,
        "/ogc/collections/buildings/items?status=signed&limit=1000",
    )
    .await;
    assert!(signed > 0, "the demo city has signed buildings");
    assert_eq!(features.len() as i64, signed);
    assert!(features
        .iter()
        .all(|f| f["properties"]["status"] == "signed"));

    let project: String = sqlx::query_scalar(
        "SELECT p.code FROM projects p JOIN buildings b ON b.project_id = p.id GROUP BY \
        p.code ORDER BY count(*) DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("project");
    let (features, matched) = walk(
        &pool,
        &format!("/ogc/collections/parcels/items?project={project}"),
    )
    .await;
    let in_project = count(&pool, &format!("SELECT count(*) FROM parcels pa JOIN projects p ON p.id = pa.project_id WHERE p.code = '{project}'")).await;
    assert!(in_project > 0, "the project has parcels");
    assert_eq!(
        (features.len() as i64, matched[0]),
        (in_project, in_project)
    );

    let district: String = sqlx::query_scalar(
        "SELECT code FROM regions WHERE level = 'district' ORDER BY code LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("district");
    let (features, _) = walk(
        &pool,
        &format!("/ogc/collections/buildings/items?region={district}&status=surveyed&limit=2000"),
    )
    .await;
    let in_district = count(&pool, &format!(
        "SELECT count(*) FROM buildings b JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id
          WHERE b.status = 'surveyed' AND r.lineage @> ARRAY[(SELECT id FROM regions WHERE code = '{district}')]")).await;
    assert!(in_district > 0, "the district has surveyed buildings");
    assert_eq!(features.len() as i64, in_district);

    // a box around one project's middle, in CRS84 and in CGCS2000's latitude-first order
    let (w, s, e, n): (f64, f64, f64, f64) = sqlx::query_as(
        "SELECT ST_X(c) - 0.002, ST_Y(c) - 0.002, ST_X(c) + 0.002, ST_Y(c) + 0.002 FROM (SELECT ST_PointOnSurface(geom) c FROM projects p WHERE code = $1) s")
        .bind(&project).fetch_one(&pool).await.expect("box");
    let in_box = count(&pool, &format!("SELECT count(*) FROM buildings WHERE ST_Intersects(geom, ST_MakeEnvelope({w}, {s}, {e}, {n}, 4326))")).await;
    assert!(in_box > 0, "the box holds buildings");
    let (lon_first, _) = walk(
        &pool,
        &format!("/ogc/collections/buildings/items?bbox={w},{s},{e},{n}&limit=5000"),
    )
    .await;
    let cgcs2000 = "http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F4490";
    let (lat_first, _) = walk(
        &pool,
        &format!(
            "/ogc/collections/buildings/items?bbox={s},{w},{n},{e}&bbox-crs={cgcs2000}&limit=5000"
        ),
    )
    .await;
    assert_eq!(lon_first.len() as i64, in_box);
    assert_eq!(lat_first.len() as i64, in_box);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn crs_changes_coordinates_and_axis_order(pool: PgPool) {
    demo_city(&pool).await;
    let (x, y, mx, my): (f64, f64, f64, f64) = sqlx::query_as(
        "SELECT ST_X(p), ST_Y(p), ST_X(ST_Transform(p, 3857)), ST_Y(ST_Transform(p, \
            3857)) FROM (SELECT ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1) p FROM \
            buildings WHERE id = 1) s",
    )
    .fetch_one(&pool)
    .await
    .expect("first vertex");
    let first = |f: &Value| {
        (
            f["geometry"]["coordinates"][0][0][0][0]
                .as_f64()
                .expect("x"),
            f["geometry"]["coordinates"][0][0][0][1]
                .as_f64()
                .expect("y"),
        )
    };
    let (response, body) = get(&pool, "/ogc/collections/buildings/items/1", &[]).await;
    assert_eq!(
        response.headers()["content-crs"],
        "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    );
    let (a, b) = first(&serde_json::from_slice(&body).expect("json"));
    assert!(
        (a - x).abs() < 1e-7 && (b - y).abs() < 1e-7,
        "CRS84 is lon, lat"
    );
    let (response, body) = get(
        &pool,
        "/ogc/collections/buildings/items/1?crs=http://www.opengis.net/def/crs/EPSG/0/4490",
        &[],
    )
    .await;
    assert_eq!(
        response.headers()["content-crs"],
        "<http://www.opengis.net/def/crs/EPSG/0/4490>"
    );
    let (a, b) = first(&serde_json::from_slice(&body).expect("json"));
    assert!(
        (a - y).abs() < 1e-7 && (b - x).abs() < 1e-7,
        "EPSG:4490 is lat, lon"
    );
    let (_, body) = get(
        &pool,
        "/ogc/collections/buildings/items?crs=EPSG:3857&limit=1",
        &[],
    )
    .await;
    let page: Value = serde_json::from_slice(&body).expect("json");
    let (a, b) = first(&page["features"][0]);
    assert!(
        (a - mx).abs() < 0.01 && (b - my).abs() < 0.01,
        "EPSG:3857 in metres"
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn bad_requests_name_their_problem(pool: PgPool) {
    demo_city(&pool).await;
    for (uri, status, names) in [
        ("/ogc/collections/buildings/items?limit=0", 400, "limit"),
        ("/ogc/collections/buildings/items?limit=abc", 400, "limit"),
        (
            "/ogc/collections/buildings/items?status=flying",
            400,
            "status",
        ),
        (
            "/ogc/collections/regions/items?status=signed",
            400,
            "status",
        ),
        (
            "/ogc/collections/buildings/items?project=NOPE",
            400,
            "project",
        ),
        (
            "/ogc/collections/buildings/items?region=999999",
            400,
            "region",
        ),
        ("/ogc/collections/buildings/items?bbox=1,2,3", 400, "bbox"),
        ("/ogc/collections/buildings/items?bbox=3,2,1,4", 400, "bbox"),
        ("/ogc/collections/buildings/items?crs=EPSG:4549", 400, "crs"),
        ("/ogc/collections/buildings/items?colour=red", 400, "colour"),
        ("/ogc/collections/households/items", 404, "households"),
        ("/ogc/collections/buildings/items/99999999", 404, "99999999"),
    ] {
        let (got, body) = json(&pool, uri).await;
        assert_eq!(got, status, "{uri}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| m.contains(names)),
            "{uri}: {body}"
        );
    }
    let state = crate::helpers::state(&pool).await;
    let (response, _) = crate::helpers::send(
        &state,
        axum::http::Request::get("/ogc/collections"),
        &[],
        axum::body::Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 401, "no login");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn no_personal_data_in_any_collection(pool: PgPool) {
    demo_city(&pool).await;
    let people: Vec<(String, String)> =
        sqlx::query_as("SELECT holder_name, holder_id_number FROM households")
            .fetch_all(&pool)
            .await
            .expect("people");
    assert!(people.len() > 100, "the demo city has households to leak");
    let mut served = Vec::new();
    for collection in ["regions", "projects", "parcels", "buildings", "estates"] {
        let (features, _) = walk(
            &pool,
            &format!("/ogc/collections/{collection}/items?limit=10000"),
        )
        .await;
        let in_db = count(&pool, &format!("SELECT count(*) FROM {collection}")).await;
        assert_eq!(
            features.len() as i64,
            in_db,
            "{collection}: every feature is checked"
        );
        served.extend(features);
    }
    let served = Value::Array(served);
    let text = served.to_string();
    // one pass over the served text (a substring search per person took minutes): every JSON
    // string is checked for a holder's name, every 18-character run of ID digits for a number
    let names: HashSet<&str> = people.iter().map(|(name, _)| name.as_str()).collect();
    let id_numbers: HashSet<&str> = people.iter().map(|(_, id)| id.as_str()).collect();
    for string in strings_in(&served) {
        assert!(!names.contains(string), "a holder name is served: {string}");
    }
    let bytes = text.as_bytes();
    let id_char = |b: &u8| b.is_ascii_digit() || *b == b'X';
    for run in bytes.split(|b| !id_char(b)).filter(|run| run.len() >= 18) {
        for window in run.windows(18) {
            let window = std::str::from_utf8(window).expect("ascii");
            assert!(!id_numbers.contains(window), "an ID number is served");
        }
    }
}

/// Every string value anywhere in a JSON document.
fn strings_in(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().flat_map(strings_in).collect(),
        Value::Object(fields) => fields.values().flat_map(strings_in).collect(),
        _ => Vec::new(),
    }
}

/// GDAL's OAPIF driver (Debian's gdal-bin), logging in with HTTP Basic as QGIS would, lists
/// the collections and reads every feature of each.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn gdal_reads_every_feature(pool: PgPool) {
    demo_city(&pool).await;
    onemap::auth::create_user(
        &pool,
        "planner",
        "planner-password",
        onemap::auth::Role::Viewer,
        None,
    )
    .await
    .expect("user");
    let (base, _state) = serve(&pool).await;
    let ogrinfo = |args: Vec<String>| async move {
        let output = tokio::process::Command::new("ogrinfo")
            .args([
                "-ro",
                "--config",
                "GDAL_HTTP_USERPWD",
                "planner:planner-password",
            ])
            .args(args)
            .output()
            .await
            .expect("ogrinfo runs (gdal-bin)");
        assert!(
            output.status.success(),
            "ogrinfo: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let listing = ogrinfo(vec![format!("OAPIF:{base}/ogc")]).await;
    for name in ["regions", "projects", "parcels", "buildings"] {
        assert!(listing.contains(&format!(": {name} (")), "{listing}");
    }
    for (layer, table) in [
        ("regions", "regions"),
        ("projects", "projects"),
        ("parcels", "parcels"),
        ("buildings", "buildings"),
    ] {
        let in_db = count(&pool, &format!("SELECT count(*) FROM {table}")).await;
        let summary = ogrinfo(vec![
            "-so".into(),
            format!("OAPIF:{base}/ogc"),
            layer.into(),
        ])
        .await;
        assert!(
            summary.contains(&format!("Feature Count: {in_db}")),
            "{layer}: {summary}"
        );
        let all = ogrinfo(vec![
            "-al".into(),
            "-q".into(),
            format!("OAPIF:{base}/ogc"),
            layer.into(),
        ])
        .await;
        assert_eq!(
            all.matches("OGRFeature(").count() as i64,
            in_db,
            "{layer}: ogrinfo read every feature"
        );
    }
}
