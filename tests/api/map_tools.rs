//! The cockpit map's tools: the search box (projects, buildings, regions; households only for
//! staff in scope) and a drawn boundary's counts, equal to direct SQL, and its XLSX.
use axum::body::Body;
use axum::http::Request;
use onemap::AppState;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::exports::sheet_rows;
use crate::helpers::{demo_city, post_json, send, session, state};

async fn get_as(state: &AppState, token: &str, uri: &str) -> (u16, Value) {
    let bearer = format!("Bearer {token}");
    let (response, bytes) = send(
        state,
        Request::get(uri),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    (
        response.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn search_uri(q: &str) -> String {
    let q: String = q
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("/api/search?q={q}")
}

fn kinds(answer: &Value, kind: &str) -> Vec<Value> {
    answer["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter(|h| h["kind"] == kind)
        .cloned()
        .collect()
}

async fn kiosk(state: &mut AppState) -> String {
    state.kiosk_token = Some("wall-display".into());
    let (status, login) = post_json(
        state,
        "/api/login",
        None,
        r#"{"kiosk_token":"wall-display"}"#,
    )
    .await;
    assert_eq!(status, 200, "{login}");
    login["token"].as_str().expect("kiosk token").to_owned()
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn search_finds_projects_buildings_and_households_only_in_scope(pool: PgPool) {
    demo_city(&pool).await;
    let mut app = state(&pool).await;
    let (project_code, project_name): (String, String) =
        sqlx::query_as("SELECT code, name FROM projects ORDER BY id LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("a project");
    let building: String =
        sqlx::query_scalar("SELECT code FROM buildings ORDER BY id DESC LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("a building");
    let (household, name, id_number, district, other): (i64, String, String, String, String) = sqlx::query_as(
        "SELECT h.id, h.holder_name, h.holder_id_number, (SELECT code FROM regions WHERE id = r.lineage[2]),
                (SELECT code FROM regions WHERE level = 'district' AND id <> r.lineage[2] ORDER BY id LIMIT 1)
           FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
           JOIN regions r ON r.id = p.region_id ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a household");
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let outsider = session(&pool, "outsider", "operator", Some(&other)).await;

    let (status, answer) = get_as(&app, &viewer, &search_uri(&project_name)).await;
    assert_eq!(status, 200, "{answer}");
    let first = &answer["hits"][0];
    assert_eq!(
        (first["kind"].as_str(), first["code"].as_str()),
        (Some("project"), Some(project_code.as_str())),
        "{answer}"
    );
    assert_eq!(
        first["bbox"].as_array().map(Vec::len),
        Some(4),
        "a box to fly to: {first}"
    );
    assert!(kinds(&answer, "household").is_empty());

    // a whole building code ranks first, before the codes it begins
    let (_, answer) = get_as(&app, &viewer, &search_uri(&building)).await;
    assert_eq!(
        (
            answer["hits"][0]["kind"].as_str(),
            answer["hits"][0]["code"].as_str()
        ),
        (Some("building"), Some(building.as_str())),
        "{answer}"
    );
    assert_eq!(answer["hits"][0]["rank"], 0);
    let (_, answer) = get_as(&app, &viewer, &search_uri(&project_code)).await;
    assert_eq!(
        answer["hits"][0]["code"], project_code,
        "the exact project code first: {answer}"
    );
    assert!(
        !kinds(&answer, "building").is_empty(),
        "and its buildings after: {answer}"
    );

    // households: the region's operator by name and by ID-number ending; nobody else
    let ending = &id_number[id_number.len() - 6..];
    for q in [name.as_str(), ending] {
        let (status, answer) = get_as(&app, &clerk, &search_uri(q)).await;
        assert_eq!(status, 200, "{answer}");
        assert!(
            kinds(&answer, "household")
                .iter()
                .any(|h| h["id"] == household),
            "{q}: {answer}"
        );
        let (_, answer) = get_as(&app, &outsider, &search_uri(q)).await;
        assert!(
            kinds(&answer, "household")
                .iter()
                .all(|h| h["id"] != household),
            "outside the region: {answer}"
        );
        let (_, answer) = get_as(&app, &viewer, &search_uri(q)).await;
        assert!(kinds(&answer, "household").is_empty(), "a viewer: {answer}");
        assert_eq!(answer["households"], false);
    }
    let wall = kiosk(&mut app).await;
    let (status, _) = get_as(&app, &wall, &search_uri(&name)).await;
    assert_eq!(status, 403, "the wall's kiosk session searches nothing");
    let (status, _) = send(&app, Request::get(search_uri(&name)), &[], Body::empty()).await;
    assert_eq!(status.status().as_u16(), 401, "nor does anyone logged out");

    // limits, named
    for (uri, field) in [
        ("/api/search?q=", "q:"),
        (&search_uri(&"1".repeat(41)) as &str, "at most 40"),
        ("/api/search?q=a&limit=31", "limit:"),
        ("/api/search?q=a&limit=0", "limit:"),
    ] {
        let (status, answer) = get_as(&app, &viewer, uri).await;
        assert_eq!(status, 400, "{uri}: {answer}");
        assert!(
            answer["message"].as_str().unwrap_or("").contains(field),
            "{uri}: {answer}"
        );
    }
    let (_, answer) = get_as(&app, &viewer, "/api/search?q=%25&limit=3").await;
    assert!(
        answer["hits"].as_array().expect("hits").len() <= 3,
        "% is literal and the page bounded: {answer}"
    );
}

/// A box around the middle of the first project with buildings, as a GeoJSON Polygon.
async fn middle_box(pool: &PgPool) -> Value {
    let (w, s, e, n): (f64, f64, f64, f64) = sqlx::query_as(
        "SELECT ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g) FROM (SELECT ST_Extent(b.geom)::geometry AS g FROM buildings b
           WHERE b.project_id = (SELECT project_id FROM buildings ORDER BY id LIMIT 1)) x",
    )
    .fetch_one(pool)
    .await
    .expect("a project's extent");
    let (dx, dy) = ((e - w) / 4.0, (n - s) / 4.0);
    let (w, s, e, n) = (w + dx, s + dy, e - dx, n - dy);
    json!({"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]})
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_boundary_counts_what_sql_counts_and_its_workbook_lists_them(pool: PgPool) {
    demo_city(&pool).await;
    let app = state(&pool).await;
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let polygon = middle_box(&pool).await;
    let (status, answer) =
        post_json(&app, "/api/within", Some(&viewer), &polygon.to_string()).await;
    assert_eq!(status, 200, "{answer}");

    let inside = "FROM buildings b WHERE ST_Intersects(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), ST_PointOnSurface(b.geom))";
    let (buildings, households, signed): (i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT count(*), coalesce(sum(households), 0)::bigint, count(*) FILTER (WHERE status = 'signed') {inside}"
    ))
    .bind(polygon.to_string())
    .fetch_one(&pool)
    .await
    .expect("direct count");
    let parcels: i64 = sqlx::query_scalar("SELECT count(*) FROM parcels WHERE ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))")
        .bind(polygon.to_string())
        .fetch_one(&pool)
        .await
        .expect("parcels");
    assert!(buildings > 5, "the box holds buildings: {buildings}");
    assert_eq!(answer["buildings"]["total"], buildings, "{answer}");
    assert_eq!(
        answer["buildings"]["by_status"]["signed"], signed,
        "{answer}"
    );
    let by_status: i64 = answer["buildings"]["by_status"]
        .as_object()
        .expect("statuses")
        .values()
        .map(|v| v.as_i64().unwrap_or(0))
        .sum();
    assert_eq!(by_status, buildings);
    assert_eq!(answer["households"]["total"], households, "{answer}");
    assert_eq!(answer["parcels"]["total"], parcels, "{answer}");
    assert!(answer["area_m2"].as_f64().unwrap_or(0.0) > 0.0);
    assert_eq!(
        answer["list"].as_array().map(Vec::len),
        Some(usize::try_from(buildings.min(200)).expect("small"))
    );
    assert!(
        !answer.to_string().contains("holder"),
        "no personal data: {answer}"
    );

    let bearer = format!("Bearer {viewer}");
    let (response, bytes) = send(
        &app,
        Request::post("/api/within.xlsx"),
        &[
            ("authorization", &bearer),
            ("content-type", "application/json"),
        ],
        Body::from(polygon.to_string()),
    )
    .await;
    assert_eq!(
        response.status().as_u16(),
        200,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let rows = sheet_rows(&bytes);
    assert_eq!(rows.len() as i64, buildings, "one row per building inside");
    assert_eq!(
        rows.iter()
            .filter(|r| r.get("状态").map(String::as_str) == Some("signed"))
            .count() as i64,
        signed
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn bad_boundaries_are_refused_naming_the_problem(pool: PgPool) {
    let mut app = state(&pool).await;
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let many: Vec<[f64; 2]> = (0..=600)
        .map(|i| {
            let a = f64::from(i) / 600.0 * std::f64::consts::TAU;
            [120.0 + 0.01 * a.cos(), 30.0 + 0.01 * a.sin()]
        })
        .collect();
    let cases = [
        (
            json!({"type": "Polygon", "coordinates": [[[120, 30], [120.01, 30], [120.01, 30.01], [120, 30.01]]]}),
            "not closed",
        ),
        (
            json!({"type": "Polygon", "coordinates": [[[120, 30], [120.01, 30.01], [120.01, 30], [120, 30.01], [120, 30]]]}),
            "crosses itself near",
        ),
        (
            json!({"type": "Polygon", "coordinates": [[[120, 30], [121, 30], [121, 31], [120, 31], [120, 30]]]}),
            "km²; at most 50",
        ),
        (
            json!({"type": "Polygon", "coordinates": [many]}),
            "601 vertices; at most 500",
        ),
        (
            json!({"type": "LineString", "coordinates": [[120, 30], [121, 31]]}),
            "type `LineString`",
        ),
        (
            json!({"type": "Polygon", "coordinates": [[[120, 30], [190, 30], [120, 31], [120, 30]]]}),
            "point 2",
        ),
    ];
    for (polygon, problem) in &cases {
        for uri in ["/api/within", "/api/within.xlsx"] {
            let (status, answer) = post_json(&app, uri, Some(&viewer), &polygon.to_string()).await;
            assert_eq!(status, 422, "{uri} {polygon}: {answer}");
            let message = answer["message"].as_str().unwrap_or("");
            assert!(
                message.starts_with("polygon:") && message.contains(problem),
                "{problem}: {answer}"
            );
        }
    }
    let wall = kiosk(&mut app).await;
    let (status, _) = post_json(&app, "/api/within", Some(&wall), &cases[0].0.to_string()).await;
    assert_eq!(status, 403, "not for the wall's kiosk session");
}
