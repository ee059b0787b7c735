//! Exports: the progress XLSX reopened (through GDAL's XLSX driver) holds the API's numbers;
//! the ledger masks personal data for viewers; a project's features as GeoJSON.
use gdal::vector::LayerAccess;
use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::{demo_city, get, send, session, state};

/// Every row of the first sheet, as text by header.
pub fn sheet_rows(bytes: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("export.xlsx");
    std::fs::write(&path, bytes).expect("write");
    gdal::config::set_config_option("OGR_XLSX_HEADERS", "FORCE").expect("config");
    gdal::config::set_config_option("OGR_XLSX_FIELD_TYPES", "STRING").expect("config");
    let dataset = gdal::Dataset::open(&path).expect("GDAL opens the XLSX");
    let mut layer = dataset.layer(0).expect("a sheet");
    layer
        .features()
        .map(|f| {
            f.fields()
                .map(|(k, v)| {
                    (
                        k,
                        v.and_then(gdal::vector::FieldValue::into_string)
                            .unwrap_or_default(),
                    )
                })
                .collect()
        })
        .collect()
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn progress_table_holds_the_screen_numbers(pool: PgPool) {
    demo_city(&pool).await;
    let (_, body) = get(&pool, "/api/figures/projects", &[]).await;
    let api: Value = serde_json::from_slice(&body).expect("json");
    let keys: Vec<&str> = api["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let signed_at = keys.iter().position(|k| *k == "signed").expect("signed");
    let (response, bytes) = get(&pool, "/api/exports/projects.xlsx", &[]).await;
    assert_eq!(response.status(), 200);
    let rows = sheet_rows(&bytes);
    let projects = api["projects"].as_array().expect("projects");
    assert_eq!(rows.len(), projects.len());
    for (row, project) in rows.iter().zip(projects) {
        assert_eq!(row["项目编码"], project["code"].as_str().expect("code"));
        let signed: f64 = row["签约户数(户)"]
            .replace(',', "")
            .parse()
            .expect("a number");
        assert!(
            (signed - project["values"][signed_at].as_f64().expect("value")).abs() < 1e-9,
            "{row:?}"
        );
    }
    let (response, bytes) = get(&pool, "/api/exports/regions.xlsx?region=330602", &[]).await;
    assert_eq!(response.status(), 200);
    let regions = sheet_rows(&bytes);
    assert!(
        regions.len() > 1 && regions.iter().all(|r| r["区划代码"].starts_with("330602")),
        "{} rows",
        regions.len()
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn ledger_masks_personal_data_for_viewers(pool: PgPool) {
    demo_city(&pool).await;
    let project: String = sqlx::query_scalar(
        "SELECT p.code FROM projects p JOIN buildings b ON b.project_id = p.id GROUP BY \
        p.code ORDER BY count(*) DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("project");
    let people: Vec<(String, String)> = sqlx::query_as(
        "SELECT h.holder_name, h.holder_id_number FROM households h JOIN buildings b ON \
            b.id = h.building_id JOIN projects p ON p.id = b.project_id WHERE p.code = $1 \
            ORDER BY h.code",
    )
    .bind(&project)
    .fetch_all(&pool)
    .await
    .expect("people");
    let uri = format!("/api/exports/projects/{project}/ledger.xlsx");
    let (_, bytes) = get(&pool, &uri, &[]).await;
    let rows = sheet_rows(&bytes);
    assert_eq!(rows.len(), people.len());
    for (row, (name, id)) in rows.iter().zip(&people) {
        assert_ne!(&row["户主"], name, "a viewer sees no names");
        assert!(
            row["户主"].ends_with("**") && row["身份证号"].contains("**********"),
            "{row:?}"
        );
        assert!(!row["身份证号"].contains(id.as_str()));
    }
    let token = session(&pool, "boss", "admin", None).await;
    let app = state(&pool).await;
    let (_, bytes) = send(
        &app,
        axum::http::Request::get(&uri),
        &[("authorization", &format!("Bearer {token}"))],
        axum::body::Body::empty(),
    )
    .await;
    let rows = sheet_rows(&bytes);
    assert_eq!(
        rows[0]["户主"], people[0].0,
        "an admin sees the ledger whole"
    );

    let (response, body) = get(
        &pool,
        &format!("/api/exports/projects/{project}/buildings.geojson"),
        &[],
    )
    .await;
    assert_eq!(response.status(), 200);
    let features: Value = serde_json::from_slice(&body).expect("geojson");
    let in_db: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM buildings b JOIN projects p ON p.id = b.project_id WHERE p.code = $1",
    )
    .bind(&project)
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(
        features["features"].as_array().map(Vec::len),
        Some(usize::try_from(in_db).expect("count"))
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn geopackage_holds_the_project_layers(pool: PgPool) {
    demo_city(&pool).await;
    let project: String = sqlx::query_scalar(
        "SELECT p.code FROM projects p JOIN buildings b ON b.project_id = p.id GROUP BY \
        p.code ORDER BY count(*) DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("project");
    let (response, bytes) = get(
        &pool,
        &format!("/api/exports/projects/{project}/features.gpkg"),
        &[],
    )
    .await;
    assert_eq!(response.status(), 200);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("project.gpkg");
    std::fs::write(&path, &bytes).expect("write");
    let dataset = gdal::Dataset::open(&path).expect("GDAL opens the GeoPackage");
    for (layer, table) in [("parcels", "parcels"), ("buildings", "buildings")] {
        let mut l = dataset.layer_by_name(layer).expect("layer");
        let in_db: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table} t JOIN projects p ON p.id = t.project_id WHERE p.code = $1"))
            .bind(&project).fetch_one(&pool).await.expect("count");
        assert_eq!(
            i64::try_from(l.feature_count()).expect("count"),
            in_db,
            "{layer}"
        );
        let status = l.defn().field_index("status").expect("a status field");
        let statuses: Vec<String> = l
            .features()
            .filter_map(|f| f.field_as_string(status).ok().flatten())
            .collect();
        assert_eq!(
            i64::try_from(statuses.len()).expect("count"),
            in_db,
            "{layer}: every feature has its status"
        );
    }
}
