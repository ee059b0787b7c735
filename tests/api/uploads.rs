//! Imports and overlays over HTTP against a served instance: the background job and its
//! report, who may import, the announcement that evicts tiles and kept figures, and an
//! overlay read and returned without anything stored.
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{demo_city, session, tile_of};
use crate::sse::serve;

fn geojson_file(lon: f64, lat: f64) -> Vec<u8> {
    let d = 0.00002;
    let features: Vec<Value> = (0..2)
        .map(|i| {
            let x = lon + f64::from(i) * 3.0 * d;
            json!({ "type": "Feature", "properties": { "编码": format!("WEB-{i}"), "层数": 3, "建筑面积": 100.0 },
                    "geometry": { "type": "Polygon", "coordinates": [[
                        [x - d, lat - d], [x + d, lat - d], [x + d, lat + d], [x - d, lat + d], [x - d, lat - d]]] } })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
        .to_string()
        .into_bytes()
}

fn form(bytes: Vec<u8>, name: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    )
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn web_import_runs_in_the_background_and_evicts(pool: PgPool) {
    demo_city(&pool).await;
    let (project, project_id, lon, lat, district): (String, i64, f64, f64, String) = sqlx::query_as(
        "SELECT p.code, p.id, ST_X(c), ST_Y(c), (SELECT code FROM regions WHERE id = r.lineage[2])
           FROM parcels pa JOIN projects p ON p.id = pa.project_id JOIN regions r ON r.id = p.region_id,
                LATERAL (SELECT ST_PointOnSurface(ST_Buffer(pa.geom::geography, -15)::geometry) c) s
          WHERE NOT ST_IsEmpty(ST_Buffer(pa.geom::geography, -15)::geometry) ORDER BY pa.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a parcel with room");
    let other_district: String = sqlx::query_scalar(
        "SELECT code FROM regions WHERE level = 'district' AND code <> $1 LIMIT 1",
    )
    .bind(&district)
    .fetch_one(&pool)
    .await
    .expect("district");
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let outsider = session(&pool, "outsider", "operator", Some(&other_district)).await;
    let http = reqwest::Client::new();
    let import_url = format!("{base}/api/imports?target=buildings&project={project}");

    for (token, status) in [(&viewer, 403), (&outsider, 403)] {
        let r = http
            .post(&import_url)
            .bearer_auth(token)
            .multipart(form(geojson_file(lon, lat), "b.geojson"))
            .send()
            .await
            .expect("post");
        assert_eq!(r.status().as_u16(), status);
    }
    let r = http
        .post(format!("{base}/api/imports?target=buildings&project=NOPE"))
        .bearer_auth(&admin)
        .multipart(form(geojson_file(lon, lat), "b.geojson"))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 422);
    let r = http
        .post(&import_url)
        .bearer_auth(&admin)
        .multipart(form(b"hello".to_vec(), "notes.txt"))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 422, "a .txt is no survey file");

    // a tile and the project's figures, kept by the instance before the import
    let (x, y) = tile_of(lon, lat, 16);
    let tile_url = format!("{base}/tiles/buildings/16/{x}/{y}.mvt");
    let before = http
        .get(&tile_url)
        .bearer_auth(&admin)
        .send()
        .await
        .expect("tile");
    let etag_before = before.headers()["etag"].to_str().expect("etag").to_owned();
    let figures_url = format!("{base}/api/figures/projects/{project_id}");
    let area = |v: &Value| {
        v["figures"]
            .as_array()
            .and_then(|f| f.iter().find(|g| g["key"] == "floor_area"))
            .and_then(|g| g["value"].as_f64())
            .expect("floor area")
    };
    let floor_before = area(
        &http
            .get(&figures_url)
            .bearer_auth(&admin)
            .send()
            .await
            .expect("figures")
            .json()
            .await
            .expect("json"),
    );

    let started: Value = http
        .post(&import_url)
        .bearer_auth(&admin)
        .multipart(form(geojson_file(lon, lat), "b.geojson"))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    let id = started["id"].as_str().expect("job id").to_owned();
    let mut job = Value::Null;
    for _ in 0..100 {
        job = http
            .get(format!("{base}/api/imports/{id}"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("job")
            .json()
            .await
            .expect("json");
        if job["state"] == "done" || job["state"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["report"]["inserted"], 2, "{job}");
    let other = http
        .get(format!("{base}/api/imports/{id}"))
        .bearer_auth(&viewer)
        .send()
        .await
        .expect("job");
    assert_eq!(
        other.status().as_u16(),
        404,
        "another user's job is not shown"
    );

    // the announcement reaches the listener: new tile bytes, new figures
    let mut etag_after = etag_before.clone();
    for _ in 0..50 {
        let r = http
            .get(&tile_url)
            .bearer_auth(&admin)
            .send()
            .await
            .expect("tile");
        etag_after = r.headers()["etag"].to_str().expect("etag").to_owned();
        if etag_after != etag_before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_ne!(etag_after, etag_before, "the cached tile was evicted");
    let floor_after = area(
        &http
            .get(&figures_url)
            .bearer_auth(&admin)
            .send()
            .await
            .expect("figures")
            .json()
            .await
            .expect("json"),
    );
    assert!(
        (floor_after - floor_before - 200.0).abs() < 1e-6,
        "{floor_before} → {floor_after}"
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn overlay_is_read_and_not_stored(pool: PgPool) {
    demo_city(&pool).await;
    let (base, _state) = serve(&pool).await;
    let token = session(&pool, "planner", "planner", None).await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM buildings")
        .fetch_one(&pool)
        .await
        .expect("count");
    let dir = tempfile::tempdir().expect("dir");
    let source = dir.path().join("mine.geojson");
    std::fs::write(&source, geojson_file(120.58, 30.0)).expect("write");
    let zipped = dir.path().join("mine.shp.zip");
    let out = tokio::process::Command::new("ogr2ogr")
        .args([
            "-f",
            "ESRI Shapefile",
            zipped.to_str().expect("utf-8"),
            source.to_str().expect("utf-8"),
            "-t_srs",
            "EPSG:4549",
        ])
        .output()
        .await
        .expect("ogr2ogr");
    assert!(out.status.success());
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{base}/api/overlay"))
        .bearer_auth(&token)
        .multipart(form(std::fs::read(&zipped).expect("zip"), "mine.shp.zip"))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 200);
    let overlay: Value = r.json().await.expect("json");
    assert_eq!(overlay["features"].as_array().map(Vec::len), Some(2));
    assert_eq!(overlay["sourceCrs"], "EPSG:4549");
    let x = overlay["features"][0]["geometry"]["coordinates"][0][0][0]
        .as_f64()
        .expect("lon");
    assert!((x - (120.58 - 0.00002)).abs() < 1e-6, "back in WGS84: {x}");
    // a CAD drawing has no CRS: it is given with the upload
    let dxf = dir.path().join("mine.dxf");
    let out = tokio::process::Command::new("ogr2ogr")
        .args([
            "-f",
            "DXF",
            dxf.to_str().expect("utf-8"),
            source.to_str().expect("utf-8"),
            "-t_srs",
            "EPSG:4549",
        ])
        .output()
        .await
        .expect("ogr2ogr");
    assert!(out.status.success());
    let r = http
        .post(format!("{base}/api/overlay?crs=EPSG:4549"))
        .bearer_auth(&token)
        .multipart(form(std::fs::read(&dxf).expect("dxf"), "mine.dxf"))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 200);
    let overlay: Value = r.json().await.expect("json");
    assert_eq!(overlay["features"].as_array().map(Vec::len), Some(2));
    let x = overlay["features"][0]["geometry"]["coordinates"][0][0][0]
        .as_f64()
        .expect("lon");
    assert!(
        (x - (120.58 - 0.00002)).abs() < 1e-6,
        "DXF back in WGS84: {x}"
    );
    let r = http
        .post(format!("{base}/api/overlay"))
        .bearer_auth(&token)
        .multipart(form(std::fs::read(&dxf).expect("dxf"), "mine.dxf"))
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.status().as_u16(),
        422,
        "metric coordinates without a CRS are refused"
    );
    let message: Value = r.json().await.expect("json");
    assert!(
        message["message"]
            .as_str()
            .is_some_and(|m| m.contains("Gauss-Kruger")),
        "{message}"
    );
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM buildings")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(before, after, "nothing stored");
    let r = http
        .post(format!("{base}/api/overlay"))
        .bearer_auth(&token)
        .multipart(form(b"%PDF".to_vec(), "plan.pdf"))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 422);
    let r = reqwest::Client::new()
        .post(format!("{base}/api/overlay"))
        .multipart(form(geojson_file(120.0, 30.0), "a.geojson"))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 401);
}
