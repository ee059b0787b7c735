//! OGC API for real clients (issue 17, defects 3, 4 and 6's extents): GDAL's OAPIF driver sends
//! `-where` to the server as CQL2 and pages in thousands; the OpenAPI paths resolve from the
//! landing page; CQL2 filters, bbox in CGCS2000, per-collection extents, HTML pages and the
//! queryables against the database; QGIS (qgis_process) reads the service when it is installed.
use gdal::vector::LayerAccess;
use serde_json::Value;
use sqlx::PgPool;

use crate::bad_input::encode as query;
use crate::helpers::{demo_city, get};
use crate::ogc::{count, json};
use crate::sse::serve;

async fn planner(pool: &PgPool) {
    onemap::auth::create_user(
        pool,
        "planner",
        "planner-password",
        onemap::auth::Role::Viewer,
        None,
    )
    .await
    .expect("user");
}

/// Runs ogr2ogr from the service's `layer` to GeoJSON with GDAL's HTTP log; returns the
/// features written and every URL GDAL fetched.
async fn ogr2ogr(base: &str, layer: &str, args: &[&str]) -> (Vec<Value>, Vec<String>) {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("out.geojson");
    let output = tokio::process::Command::new("ogr2ogr")
        .env("CPL_DEBUG", "ON")
        .args([
            "--config",
            "GDAL_HTTP_USERPWD",
            "planner:planner-password",
            "-f",
            "GeoJSON",
        ])
        .arg(&out)
        .arg(format!("OAPIF:{base}/ogc"))
        .arg(layer)
        .args(args)
        .output()
        .await
        .expect("ogr2ogr runs (gdal-bin)");
    let log = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "ogr2ogr: {log}");
    let written: Value =
        serde_json::from_slice(&std::fs::read(&out).expect("output")).expect("GeoJSON");
    let fetched = log
        .lines()
        .filter_map(|l| {
            l.strip_prefix("HTTP: Fetch(")
                .map(|u| u.trim_end_matches(')').to_owned())
        })
        .collect();
    (
        written["features"].as_array().cloned().unwrap_or_default(),
        fetched,
    )
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn gdal_filters_on_the_server_and_pages_in_thousands(pool: PgPool) {
    demo_city(&pool).await;
    planner(&pool).await;
    let (base, _state) = serve(&pool).await;

    // defect 4: the paths GDAL and QGIS look up are relative to the landing page, and resolve
    let (_, api) = json(&pool, "/ogc/api").await;
    let server = api["servers"][0]["url"].as_str().expect("a server URL");
    assert!(server.ends_with("/ogc"), "{server}");
    let items = &api["paths"]["/collections/buildings/items"]["get"];
    let limit = &api["components"]["parameters"]["limit"]["schema"];
    assert_eq!(
        (limit["default"].as_i64(), limit["maximum"].as_i64()),
        (Some(1000), Some(10_000))
    );
    let names: Vec<&str> = items["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for name in [
        "status",
        "project",
        "code",
        "region",
        "filter",
        "filter-lang",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let path = server.trim_start_matches("http://test.local");
    for template in api["paths"].as_object().expect("paths").keys() {
        let uri = format!("{path}{}", template.replace("{featureId}", "1"));
        let (response, body) = get(&pool, &uri, &[]).await;
        assert_eq!(
            response.status(),
            200,
            "{uri}: {}",
            String::from_utf8_lossy(&body)
        );
    }

    let signed = count(
        &pool,
        "SELECT count(*) FROM buildings WHERE status = 'signed'",
    )
    .await;
    let all = count(&pool, "SELECT count(*) FROM buildings").await;
    assert!(
        signed > 0 && signed < all / 2,
        "a filter that matters: {signed} of {all}"
    );
    let started = std::time::Instant::now();
    let (features, fetched) = ogr2ogr(&base, "buildings", &["-where", "status = 'signed'"]).await;
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(features.len() as i64, signed);
    assert!(features
        .iter()
        .all(|f| f["properties"]["status"] == "signed"));
    let pages: Vec<&String> = fetched
        .iter()
        .filter(|u| u.contains("/items?") && u.contains("cursor="))
        .collect();
    assert!(
        fetched
            .iter()
            .filter(|u| u.contains("/items?") && u.contains("cursor="))
            .all(|u| u.contains("filter=")),
        "every page asks the server to filter: {fetched:#?}"
    );
    assert!(
        fetched.iter().any(|u| u.contains("filter=status")),
        "{fetched:#?}"
    );
    // GDAL 3.6 pages by 10 unless told: the filtered pages are the signed ones only
    assert!(
        pages.len() as i64 <= signed / 10 + 1,
        "{} pages for {signed}",
        pages.len()
    );
    eprintln!(
        "figure: ogr2ogr -where \"status = 'signed'\": {} requests, {seconds:.2} s, {signed} of {all} buildings",
        fetched.len()
    );

    // a part GDAL cannot send (floors is no queryable) stays on the client, the rest goes
    let both = count(
        &pool,
        "SELECT count(*) FROM buildings WHERE status = 'signed' AND floors >= 3",
    )
    .await;
    let (features, fetched) = ogr2ogr(
        &base,
        "buildings",
        &["-where", "status = 'signed' AND floors >= 3"],
    )
    .await;
    assert_eq!(features.len() as i64, both);
    assert!(
        fetched.iter().any(|u| u.contains("filter=status")),
        "{fetched:#?}"
    );

    // pages of 1,000: 3,000 buildings in 3 full pages and an empty last one at most
    let started = std::time::Instant::now();
    let (features, fetched) = ogr2ogr(&base, "buildings", &["-oo", "PAGE_SIZE=1000"]).await;
    assert_eq!(features.len() as i64, all);
    let pages = fetched.iter().filter(|u| u.contains("/items?")).count() as i64;
    assert!(
        pages <= all / 1000 + 3,
        "{pages} requests for {all} features"
    );
    assert!(fetched
        .iter()
        .filter(|u| u.contains("/items?"))
        .all(|u| u.contains("limit=1000")));
    eprintln!(
        "figure: ogr2ogr PAGE_SIZE=1000: {} requests, {:.2} s, {all} buildings",
        fetched.len(),
        started.elapsed().as_secs_f64()
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn filters_bbox_extents_and_html_match_the_database(pool: PgPool) {
    demo_city(&pool).await;
    let (project, district): (String, String) = sqlx::query_as(
        "SELECT p.code, d.code FROM projects p JOIN regions r ON r.id = p.region_id \
           JOIN regions d ON d.id = ANY(r.lineage) AND d.level = 'district' ORDER BY p.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a project");
    let in_district = format!(
        "JOIN projects p ON p.id = t.project_id JOIN regions r ON r.id = p.region_id \
         WHERE r.lineage @> ARRAY[(SELECT id FROM regions WHERE code = '{district}')]"
    );
    for (collection, filter, sql) in [
        ("buildings", "status IN ('signed','vacated')".to_owned(), "SELECT count(*) FROM buildings WHERE status IN ('signed','vacated')".to_owned()),
        ("buildings", "status >= 'signed'".into(), "SELECT count(*) FROM buildings WHERE status IN ('signed','vacated','demolished')".into()),
        (
            "buildings",
            format!("NOT (status = 'pending') AND project = '{project}'"),
            format!("SELECT count(*) FROM buildings b JOIN projects p ON p.id = b.project_id WHERE b.status <> 'pending' AND p.code = '{project}'"),
        ),
        ("buildings", format!("code LIKE '{project}-B%'"), format!("SELECT count(*) FROM buildings WHERE code LIKE '{project}-B%'")),
        ("buildings", format!("region = '{district}'"), format!("SELECT count(*) FROM buildings t {in_district}")),
        ("parcels", format!("region <> '{district}' OR status = 'delivered'"), format!(
            "SELECT count(*) FROM parcels t JOIN projects p ON p.id = t.project_id JOIN regions r ON r.id = p.region_id \
              WHERE NOT r.lineage @> ARRAY[(SELECT id FROM regions WHERE code = '{district}')] OR t.land_status = 'delivered'")),
        ("projects", "stage = 'signing' OR stage > 'relocation'".into(), "SELECT count(*) FROM projects WHERE stage IN ('signing','handover','closed')".into()),
        ("regions", format!("code = '{district}' AND code IS NOT NULL"), "SELECT 1::bigint".into()),
    ] {
        let uri = format!("/ogc/collections/{collection}/items?limit=10000&filter-lang=cql2-text&filter={}", query(&filter));
        let (status, page) = json(&pool, &uri).await;
        assert_eq!(status, 200, "{filter}: {page}");
        let expected = count(&pool, &sql).await;
        assert_eq!(page["numberMatched"].as_i64(), Some(expected), "{filter}");
        assert_eq!(page["numberReturned"].as_i64(), Some(expected), "{filter}");
    }
    for (collection, filter, names) in [
        ("buildings", "floors > 3", "`floors` is not a queryable"),
        ("buildings", "status = 'flying'", "status `flying`"),
        ("buildings", "region > '4307'", "region takes"),
        (
            "regions",
            "status = 'signed'",
            "`status` is not a queryable",
        ),
        ("buildings", "status = 'signed' AND", "at character 22"),
        (
            "buildings",
            "S_INTERSECTS(geometry, POINT(111 29))",
            "use bbox",
        ),
    ] {
        let uri = format!(
            "/ogc/collections/{collection}/items?filter={}",
            query(filter)
        );
        let (status, answer) = json(&pool, &uri).await;
        assert_eq!(status, 400, "{filter}: {answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("filter: ") && message.contains(names),
            "{filter}: {message}"
        );
    }
    let (status, answer) = json(
        &pool,
        "/ogc/collections/buildings/items?filter=code%3D%27x%27&filter-lang=cql2-json",
    )
    .await;
    assert!(
        status == 400
            && answer["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("filter-lang")),
        "{answer}"
    );

    // defect 3: CGCS2000 boxes, latitude first, in every spelling clients use; a box in
    // longitude-first order is a 400 that says so; a box to the poles is the whole map
    let (w, s, e, n): (f64, f64, f64, f64) = sqlx::query_as(&format!(
        "SELECT ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g) FROM (SELECT ST_Envelope(geom) g FROM projects WHERE code = '{project}') s"
    ))
    .fetch_one(&pool)
    .await
    .expect("the project's box");
    let crs84 = json(
        &pool,
        &format!("/ogc/collections/buildings/items?bbox={w},{s},{e},{n}&limit=1"),
    )
    .await
    .1;
    let matched = crs84["numberMatched"].as_i64().expect("matched");
    assert!(matched > 0);
    for crs in [
        "EPSG:4490",
        "urn:ogc:def:crs:EPSG::4490",
        "https://www.opengis.net/def/crs/EPSG/0/4490",
    ] {
        let uri = format!(
            "/ogc/collections/buildings/items?bbox={s},{w},{n},{e}&bbox-crs={}&limit=1",
            query(crs)
        );
        let (status, page) = json(&pool, &uri).await;
        assert_eq!(
            (status, page["numberMatched"].as_i64()),
            (200, Some(matched)),
            "{crs}: {page}"
        );
    }
    let (status, answer) = json(
        &pool,
        &format!("/ogc/collections/buildings/items?bbox={w},{s},{e},{n}&bbox-crs=EPSG:4490"),
    )
    .await;
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(
        status == 400 && message.starts_with("bbox:") && message.contains("latitude first"),
        "{answer}"
    );
    let (status, page) = json(
        &pool,
        "/ogc/collections/buildings/items?bbox=-90,-180,90,180&bbox-crs=EPSG:4490&limit=1",
    )
    .await;
    let all = count(&pool, "SELECT count(*) FROM buildings").await;
    assert_eq!(
        (status, page["numberMatched"].as_i64()),
        (200, Some(all)),
        "{page}"
    );

    // a limit above the maximum is read as the maximum, not refused (OGC API Features 1.0)
    let (status, page) = json(&pool, "/ogc/collections/buildings/items?limit=50000").await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page["links"][0]["href"]
            .as_str()
            .is_some_and(|h| h.contains("limit=10000")),
        "{page}"
    );

    // each collection its own extent, holding every feature of it
    let (_, collections) = json(&pool, "/ogc/collections").await;
    let mut boxes = Vec::new();
    for c in collections["collections"].as_array().expect("collections") {
        let id = c["id"].as_str().expect("id");
        let b: Vec<f64> = c["extent"]["spatial"]["bbox"][0]
            .as_array()
            .expect("bbox")
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        let (x0, y0, x1, y1): (f64, f64, f64, f64) = sqlx::query_as(&format!(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry e FROM {id}) s"
        ))
        .fetch_one(&pool)
        .await
        .expect("extent");
        assert!(
            b[0] <= x0 && b[1] <= y0 && b[2] >= x1 && b[3] >= y1,
            "{id}: {b:?} holds {x0} {y0} {x1} {y1}"
        );
        assert!(
            b[0] > x0 - 0.5 && b[3] < y1 + 0.5,
            "{id}: {b:?} is near its features"
        );
        boxes.push(b);
        let links = c["links"].as_array().expect("links");
        assert!(links
            .iter()
            .any(|l| l["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/queryables"));
    }
    assert_ne!(
        boxes[0], boxes[3],
        "buildings do not advertise the regions' extent"
    );

    // queryables (Part 3) name what the filter takes
    let (_, q) = json(&pool, "/ogc/collections/buildings/queryables").await;
    for name in ["code", "project", "region", "status"] {
        assert!(q["properties"][name].is_object(), "{name}: {q}");
    }

    // f=html and a browser's Accept get a page; f=json JSON; anything else a 400
    for (uri, accept) in [
        (
            "/ogc/collections/buildings/items?f=html&limit=5",
            "application/json",
        ),
        (
            "/ogc/collections/buildings/items?limit=5",
            "text/html,application/xhtml+xml,*/*;q=0.8",
        ),
    ] {
        let (response, body) = get(&pool, uri, &[("accept", accept)]).await;
        let page = String::from_utf8_lossy(&body);
        assert_eq!(response.status(), 200, "{uri}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap_or("")
                .starts_with("text/html"),
            "{uri}"
        );
        assert!(page.contains("<table>") && page.contains("<td>"), "{page}");
        assert!(
            page.contains("rel=\"next\"") || page.contains("(next,"),
            "{page}"
        );
    }
    for uri in [
        "/ogc?f=html",
        "/ogc/collections?f=html",
        "/ogc/collections/parcels?f=html",
        "/ogc/collections/buildings/items/1?f=html",
    ] {
        let (response, _) = get(&pool, uri, &[]).await;
        assert_eq!(response.status(), 200, "{uri}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap_or("")
                .starts_with("text/html"),
            "{uri}"
        );
    }
    let (response, _) = get(
        &pool,
        "/ogc/collections/buildings/items?f=json&limit=1",
        &[("accept", "text/html")],
    )
    .await;
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("application/geo+json"));
    let (status, answer) = json(&pool, "/ogc/collections/buildings/items?f=xml").await;
    assert!(
        status == 400
            && answer["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("f:")),
        "{answer}"
    );
}

/// The service on loopback, with every request's path and query kept in order.
async fn serve_logged(pool: &PgPool) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = log.clone();
    let app = onemap::app(crate::helpers::state(pool).await)
        .layer(tower::util::MapRequestLayer::new(
            move |request: axum::http::Request<axum::body::Body>| {
                kept.lock().expect("log").push(request.uri().to_string());
                request
            },
        ))
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (base, log)
}

/// QGIS (Debian's qgis 3.22, `qgis_process`) saves the buildings layer of the service: every
/// building, in pages of the size the API advertises. Ignored by default (CI installs no QGIS):
/// `apt-get install qgis`, then `cargo test --test api qgis -- --ignored`.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
#[ignore = "needs Debian's qgis (qgis_process)"]
async fn qgis_saves_a_layer_of_the_service(pool: PgPool) {
    demo_city(&pool).await;
    planner(&pool).await;
    let (base, log) = serve_logged(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("buildings.gpkg");
    // Debian's wrapper passes an option qgis_process refuses (`--noversioncheck`): the binary itself
    let program = if std::path::Path::new("/usr/bin/qgis_process.bin").exists() {
        "qgis_process.bin"
    } else {
        "qgis_process"
    };
    let source = format!(
        "OAPIF://url='{base}/ogc' typename='buildings' username='planner' password='planner-password'"
    );
    let started = std::time::Instant::now();
    let output = tokio::process::Command::new(program)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("XDG_RUNTIME_DIR", dir.path())
        .args(["run", "native:savefeatures"])
        .arg(format!("--INPUT={source}"))
        .arg(format!("--OUTPUT={}", out.display()))
        .output()
        .await
        .expect("qgis_process runs (apt-get install qgis)");
    assert!(
        output.status.success(),
        "qgis_process: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let saved = gdal::Dataset::open(&out).expect("a GeoPackage");
    let layer = saved.layer(0).expect("a layer");
    let all = count(&pool, "SELECT count(*) FROM buildings").await;
    assert_eq!(i64::try_from(layer.feature_count()).expect("a count"), all);
    let requests = log.lock().expect("log").clone();
    let pages: Vec<&String> = requests
        .iter()
        .filter(|u| u.contains("/buildings/items"))
        .collect();
    // a few probes of 10 for the schema, then the data in pages of the advertised default
    let full: Vec<&&String> = pages.iter().filter(|u| u.contains("limit=1000")).collect();
    assert!(
        !full.is_empty() && full.len() as i64 <= all / 1000 + 1,
        "QGIS pages in thousands: {pages:#?}"
    );
    eprintln!(
        "figure: qgis_process savefeatures buildings: {} requests ({} pages), {:.1} s, {all} buildings; {pages:?}",
        requests.len(),
        pages.len(),
        started.elapsed().as_secs_f64()
    );
}
