//! Issue 17's import defects, each with a file made here, and what came with them: partial
//! imports on request (`accept_valid`, the rejected rows as a file) and the plausibility
//! checks (areas, overlaps, duplicates, swapped axes, feet). One small project (fixture
//! one_building.sql: T-1, parcels T-1-P1 and T-1-P2, building T-1-B1), no demo city.
use std::path::Path;

use onemap::import::{CrsChoice, Invalid, Options, Report, Target};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::import::{count, import_as_admin, ogr2ogr, square, write_geojson};

async fn fixture(pool: &PgPool) {
    sqlx::raw_sql(include_str!("../fixtures/one_building.sql"))
        .execute(pool)
        .await
        .expect("fixture");
}

/// A second project, T-2, whose parcel T-2-P1 lies inside T-1's outline (where T-1 has none).
async fn neighbour(pool: &PgPool) {
    sqlx::raw_sql(
        "INSERT INTO projects (code, name, kind, region_id, start_date, target_date, budget_yuan, geom)
            SELECT 'T-2', '相邻项目', 'house_expropriation', region_id, start_date, target_date, 1,
                   ST_Multi(ST_MakeEnvelope(111.6155, 28.915, 111.6195, 28.919, 4326)) FROM projects WHERE code = 'T-1';
         INSERT INTO parcels (code, project_id, land_use, geom)
            SELECT 'T-2-P1', id, 'residential', ST_Multi(ST_MakeEnvelope(111.616, 28.9155, 111.619, 28.9185, 4326))
              FROM projects WHERE code = 'T-2';
         SELECT recount_figures();",
    )
    .execute(pool)
    .await
    .expect("neighbour");
}

fn polygon(ring: &[[f64; 2]]) -> Value {
    json!({ "type": "Polygon", "coordinates": [ring] })
}

fn envelope(w: f64, s: f64, e: f64, n: f64) -> Value {
    polygon(&[[w, s], [e, s], [e, n], [w, n], [w, s]])
}

fn feature(properties: Value, geometry: Value) -> Value {
    let mut f = json!({ "type": "Feature" });
    f["properties"] = properties;
    f["geometry"] = geometry;
    f
}

async fn run_with(
    pool: &PgPool,
    project: &str,
    path: &Path,
    target: Target,
    invalid: Invalid,
    crs: CrsChoice,
    accept_valid: bool,
) -> Result<Report, onemap::AppError> {
    let options = Options {
        target,
        project: project.into(),
        invalid,
        crs,
        accept_valid,
    };
    import_as_admin(pool, path, &options).await
}

async fn run(pool: &PgPool, path: &Path, target: Target) -> Report {
    run_with(
        pool,
        "T-1",
        path,
        target,
        Invalid::Repair,
        CrsChoice::FromFile,
        false,
    )
    .await
    .expect("read")
}

/// The codes of the report's issues of `row`, in the report's order.
fn codes(issues: &[onemap::import::Issue], row: usize) -> Vec<&'static str> {
    issues
        .iter()
        .filter(|i| i.row == row)
        .map(|i| i.code.as_str())
        .collect()
}

/// Defect 1: a geometry-only re-import (the docs say only new features need floors, floor
/// area and 地类) crashed on NOT NULL; a Shapefile's 建筑面积 (cut to 10 bytes) was not found.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn fix1_geometry_only_reimports_and_cut_shapefile_names(pool: PgPool) {
    fixture(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    let moved = write_geojson(
        dir.path(),
        "moved.geojson",
        &[feature(
            json!({ "编码": "T-1-B1" }),
            polygon(&square(111.612, 28.912, 30.0)),
        )],
    );
    let report = run(&pool, &moved, Target::Buildings).await;
    assert!(report.written && report.updated == 1, "{report:?}");
    let kept: (i16, f64) =
        sqlx::query_as("SELECT floors, floor_area::float8 FROM buildings WHERE code = 'T-1-B1'")
            .fetch_one(&pool)
            .await
            .expect("B1");
    assert_eq!(kept, (6, 1800.0), "the attributes the file left out stay");

    let parcel = write_geojson(
        dir.path(),
        "parcel.geojson",
        &[feature(
            json!({ "编码": "T-1-P1" }),
            envelope(111.611, 28.911, 111.6141, 28.914),
        )],
    );
    let report = run(&pool, &parcel, Target::Parcels).await;
    assert!(report.written && report.updated == 1, "{report:?}");

    // a Shapefile with Chinese field names: 建筑面积 and 用地性质 arrive cut at 10 bytes
    let source = write_geojson(
        dir.path(),
        "new.geojson",
        &[
            feature(
                json!({ "编码": "N-1", "层数": 2, "建筑面积": 120.5 }),
                polygon(&square(111.6125, 28.9133, 5.0)),
            ),
            feature(
                json!({ "编码": "N-2", "层数": 3, "建筑面积": 200 }),
                polygon(&square(111.6132, 28.9133, 5.0)),
            ),
        ],
    );
    let zipped = dir.path().join("new.shp.zip");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-lco",
        "ENCODING=UTF-8",
        zipped.to_str().expect("utf-8"),
        source.to_str().expect("utf-8"),
    ])
    .await;
    let report = run(&pool, &zipped, Target::Buildings).await;
    assert!(report.written && report.inserted == 2, "{report:?}");
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM buildings WHERE code = 'N-1' AND floor_area = 120.5"
        )
        .await,
        1
    );
}

/// Defect 2: a district outline (400+ km²) became a parcel of a 1 km² project.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn fix2_a_district_outline_is_no_parcel(pool: PgPool) {
    fixture(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    let district = write_geojson(
        dir.path(),
        "district.geojson",
        &[feature(
            json!({ "编码": "T-1-P9", "地类": "耕地" }),
            envelope(111.60, 28.90, 111.80, 29.10),
        )],
    );
    let report = run(&pool, &district, Target::Parcels).await;
    assert!(!report.written, "{report:?}");
    assert_eq!(
        codes(&report.rejected, 1),
        ["row_larger_than_project"],
        "{report:?}"
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM parcels WHERE code = 'T-1-P9'").await,
        0
    );
}

/// Defect 5: a collapsed ring was "repaired" and then "area 0": nothing is left of it.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn fix5_a_collapsed_ring_has_nothing_left(pool: PgPool) {
    fixture(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    let flat = polygon(&[
        [111.612, 28.912],
        [111.6121, 28.912],
        [111.6122, 28.912],
        [111.612, 28.912],
    ]);
    let file = write_geojson(
        dir.path(),
        "flat.geojson",
        &[feature(
            json!({ "编码": "F-1", "层数": 1, "建筑面积": 10 }),
            flat,
        )],
    );
    let report = run(&pool, &file, Target::Buildings).await;
    assert!(!report.written, "{report:?}");
    assert_eq!(
        codes(&report.rejected, 1),
        ["row_nothing_left"],
        "{report:?}"
    );
    assert!(report.repaired.is_empty(), "not also repaired: {report:?}");
}

/// Defect 6: an undefined GeoPackage SRS, 层数 3.5, sub-nanometre "updates", the empty state.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn fix6_undefined_srs_half_floors_tiny_updates_and_state(pool: PgPool) {
    fixture(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    let props = |code: &str| json!({ "编码": code, "层数": 2, "建筑面积": 150 });
    let source = write_geojson(
        dir.path(),
        "b.geojson",
        &[
            feature(props("U-1"), polygon(&square(111.6125, 28.9133, 5.0))),
            feature(props("U-2"), polygon(&square(111.6132, 28.9133, 5.0))),
            feature(props("U-3"), polygon(&square(111.6125, 28.9126, 5.0))),
        ],
    );
    let src = source.to_str().expect("utf-8");
    // Gauss-Krüger metres (central meridian 111°E) in a GeoPackage whose SRS is "undefined":
    // no CRS, so a zone hint (it was taken as a CRS and landed thousands of km away)
    let csv = dir.path().join("gk.csv");
    ogr2ogr(&[
        "-f",
        "CSV",
        "-lco",
        "GEOMETRY=AS_WKT",
        "-t_srs",
        "EPSG:4546",
        csv.to_str().expect("utf-8"),
        src,
    ])
    .await;
    let undefined = dir.path().join("undefined.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-nlt",
        "POLYGON",
        undefined.to_str().expect("utf-8"),
        csv.to_str().expect("utf-8"),
    ])
    .await;
    let error = run_with(
        &pool,
        "T-1",
        &undefined,
        Target::Buildings,
        Invalid::Repair,
        CrsChoice::FromFile,
        false,
    )
    .await
    .expect_err("no CRS in the file");
    assert!(error.to_string().contains("EPSG:4546"), "{error}");
    // longitude/latitude in an undefined SRS: read as they are
    let lonlat_csv = dir.path().join("ll.csv");
    ogr2ogr(&[
        "-f",
        "CSV",
        "-lco",
        "GEOMETRY=AS_WKT",
        lonlat_csv.to_str().expect("utf-8"),
        src,
    ])
    .await;
    let lonlat = dir.path().join("lonlat.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-nlt",
        "POLYGON",
        lonlat.to_str().expect("utf-8"),
        lonlat_csv.to_str().expect("utf-8"),
    ])
    .await;
    let report = run(&pool, &lonlat, Target::Buildings).await;
    assert!(report.written && report.inserted == 3, "{report:?}");
    assert!(report.crs.contains("no CRS"), "{}", report.crs);

    // the same buildings again through Gauss-Krüger: differences in the last digits are no update
    let gk = dir.path().join("gk.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-t_srs",
        "EPSG:4546",
        gk.to_str().expect("utf-8"),
        src,
    ])
    .await;
    let report = run(&pool, &gk, Target::Buildings).await;
    assert!(report.written, "{report:?}");
    assert_eq!((report.updated, report.unchanged), (0, 3), "{report:?}");

    // 层数 3.5: one rejection naming the field, not also "no code" and "needs floors"
    let half = write_geojson(
        dir.path(),
        "half.geojson",
        &[feature(
            json!({ "编码": "H-1", "层数": 3.5, "建筑面积": 90 }),
            polygon(&square(111.6132, 28.9126, 5.0)),
        )],
    );
    let report = run(&pool, &half, Target::Buildings).await;
    assert_eq!(
        codes(&report.rejected, 1),
        ["row_field_invalid"],
        "{report:?}"
    );
    assert_eq!(report.rejected[0].id.as_deref(), Some("H-1"));

    // a job is `reading` from the moment it exists, never ""
    let job = onemap::import::jobs::Job::new(1, Target::Buildings, "b.geojson".into());
    assert_eq!(job.status("imp-1".into()).state, "reading");
}

/// Defect 6: the command line's report on stdout, its log elsewhere and without colour codes.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn fix6_the_cli_report_is_clean_on_stdout(pool: PgPool) {
    fixture(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = write_geojson(
        dir.path(),
        "b.geojson",
        &[feature(
            json!({ "编码": "C-1", "层数": 1, "建筑面积": 50 }),
            polygon(&square(111.6125, 28.9133, 4.0)),
        )],
    );
    // the test database as the superuser, the way the tests reach the cluster (DATABASE_URL)
    let master = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let (head, query) = master.split_once('?').unwrap_or((&master, ""));
    let database = pool
        .connect_options()
        .get_database()
        .expect("database")
        .to_owned();
    let url = format!(
        "{}/{database}?{query}",
        head.rsplit_once('/').expect("a path").0
    );
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
        .args([
            "--database-url",
            &url,
            "import",
            "--target",
            "buildings",
            "--project",
            "T-1",
        ])
        .arg(&file)
        .env("RUST_LOG", "debug")
        .output()
        .await
        .expect("onemap import");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("b.geojson: 1 features read"), "{stdout}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains("DEBUG"),
        "no log on stdout: {stdout}"
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains('\u{1b}'),
        "no colour into a pipe"
    );
}

/// Ten parcels of about 1,000 m² in T-1's free north-west corner, west of T-2.
fn ordinary_parcels() -> Vec<Value> {
    (0..10)
        .map(|i| {
            let (x, y) = (
                111.6100 + f64::from(i % 5) * 0.0004,
                28.9150 + f64::from(i / 5) * 0.0004,
            );
            feature(
                json!({ "编码": format!("OK-{i}"), "地类": "耕地" }),
                envelope(x, y, x + 0.0003, y + 0.0003),
            )
        })
        .collect()
}

/// The plausibility checks, each a warning or a rejection by rule, and `accept_valid`
/// writing the rows that pass.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn plausibility_checks_warn_or_reject_by_rule(pool: PgPool) {
    fixture(&pool).await;
    neighbour(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    let parcel = |code: &str, g: Value| feature(json!({ "编码": code, "地类": "耕地" }), g);
    let mut rows = ordinary_parcels();
    rows.extend([
        // 11: inside T-2's parcel: rejected
        parcel("IN-T2", envelope(111.6165, 28.916, 111.6175, 28.917)),
        // 12: 5 % in T-2's parcel: a warning
        parcel("EDGE-T2", envelope(111.6140, 28.9160, 111.6161, 28.9170)),
        // 13: row 1's outline again
        parcel("COPY-0", envelope(111.6100, 28.9150, 111.6103, 28.9153)),
        // 14: latitude first
        parcel("SWAP", envelope(28.9180, 111.6100, 28.9183, 111.6103)),
        // 15: a 16 m² parcel among 1,000 m² ones: a warning
        parcel("TINY", polygon(&square(111.6130, 28.9185, 2.0))),
    ]);
    let file = write_geojson(dir.path(), "parcels.geojson", &rows);
    let all_or_nothing = run(&pool, &file, Target::Parcels).await;
    assert!(!all_or_nothing.written, "the default stays all or nothing");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM parcels WHERE code LIKE 'OK-%'").await,
        0
    );

    let report = run_with(
        &pool,
        "T-1",
        &file,
        Target::Parcels,
        Invalid::Repair,
        CrsChoice::FromFile,
        true,
    )
    .await
    .expect("read");
    assert!(report.written && report.accept_valid, "{report:?}");
    assert_eq!(
        codes(&report.rejected, 11),
        ["row_overlaps_other_project"],
        "{report:?}"
    );
    assert_eq!(
        codes(&report.warnings, 12),
        ["row_overlaps_other_project"],
        "{report:?}"
    );
    assert_eq!(
        codes(&report.rejected, 13),
        ["row_duplicate_geometry"],
        "{report:?}"
    );
    assert_eq!(
        codes(&report.rejected, 14),
        ["row_axes_swapped"],
        "{report:?}"
    );
    assert_eq!(
        codes(&report.warnings, 15),
        ["row_area_unlike_file"],
        "{report:?}"
    );
    assert_eq!(report.rejected.len(), 3, "{report:?}");
    // written: the ten, EDGE-T2 and TINY; left out: the three rejected rows, as a file
    assert_eq!(report.inserted, 12, "{report:?}");
    let rejected: Vec<usize> = report.rejected_rows.iter().map(|r| r.row).collect();
    assert_eq!(rejected, [11, 13, 14]);
    let back: Value =
        serde_json::from_slice(&onemap::import::rejected::geojson(&report.rejected_rows))
            .expect("json");
    assert_eq!(back["features"][0]["properties"]["编码"], "IN-T2");
    assert!(back["features"][0]["properties"]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("T-2")));

    // buildings: across their parcel's edge, and a floor area in square feet: warnings
    let buildings = write_geojson(
        dir.path(),
        "buildings.geojson",
        &[
            feature(
                json!({ "编码": "EDGE-B", "层数": 1, "建筑面积": 500 }),
                envelope(111.6132, 28.9120, 111.6144, 28.9125),
            ),
            feature(
                json!({ "编码": "FEET-B", "层数": 2, "建筑面积": 9300 }),
                envelope(111.6112, 28.9130, 111.6114, 28.9132),
            ),
        ],
    );
    let report = run(&pool, &buildings, Target::Buildings).await;
    assert!(report.written, "{report:?}");
    assert_eq!(
        codes(&report.warnings, 1),
        ["row_crosses_parcel"],
        "{report:?}"
    );
    assert_eq!(
        codes(&report.warnings, 2),
        ["row_floor_area_square_feet"],
        "{report:?}"
    );

    // Gauss-Krüger feet read as metres land thousands of km away, where metres would not
    let feet: String = sqlx::query_scalar(
        "SELECT ST_AsGeoJSON(ST_Scale(ST_Transform(ST_MakeEnvelope(111.612, 28.913, 111.6123, 28.9133, 4326), 4546), 1 / 0.3048, 1 / 0.3048))",
    )
    .fetch_one(&pool)
    .await
    .expect("feet");
    let feet_file = dir.path().join("feet.geojson");
    std::fs::write(
        &feet_file,
        json!({ "type": "FeatureCollection", "crs": { "type": "name", "properties": { "name": "urn:ogc:def:crs:EPSG::4546" } },
                "features": [feature(json!({ "编码": "FT-1", "地类": "耕地" }), serde_json::from_str(&feet).expect("geometry"))] })
        .to_string(),
    )
    .expect("write");
    let report = run(&pool, &feet_file, Target::Parcels).await;
    assert_eq!(codes(&report.rejected, 1), ["row_units_feet"], "{report:?}");
}

/// `accept_valid=true` over HTTP: the rows that pass are written, the rejected ones come back
/// as GeoJSON and XLSX with their reason, and the corrected GeoJSON imports.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn accept_valid_over_http_returns_the_rejected_rows(pool: PgPool) {
    fixture(&pool).await;
    let (base, _state) = crate::sse::serve(&pool).await;
    let admin = crate::helpers::session(&pool, "chief", "admin", None).await;
    let mut rows: Vec<Value> = (0..5)
        .map(|i| {
            let x = 111.6116 + f64::from(i) * 0.0004;
            feature(
                json!({ "编码": format!("W-{i}"), "层数": 2, "建筑面积": 150 }),
                polygon(&square(x, 28.9132, 5.0)),
            )
        })
        .collect();
    rows.push(feature(
        json!({ "编码": "W-half", "层数": 3.5, "建筑面积": 150 }),
        polygon(&square(111.6120, 28.9120, 5.0)),
    ));
    rows.push(feature(
        json!({ "编码": "W-sliver", "层数": 1, "建筑面积": 1 }),
        polygon(&square(111.6124, 28.9120, 0.3)),
    ));
    let body = json!({ "type": "FeatureCollection", "features": rows })
        .to_string()
        .into_bytes();
    let http = reqwest::Client::new();
    let job = |accept: bool, bytes: Vec<u8>, name: &'static str| {
        let (http, base, admin) = (http.clone(), base.clone(), admin.clone());
        async move {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
            let started: Value = http
                .post(format!(
                    "{base}/api/imports?target=buildings&project=T-1&accept_valid={accept}"
                ))
                .bearer_auth(&admin)
                .multipart(form)
                .send()
                .await
                .expect("post")
                .json()
                .await
                .expect("json");
            let id = started["id"].as_str().expect("id").to_owned();
            for _ in 0..200 {
                let status: Value = http
                    .get(format!("{base}/api/imports/{id}"))
                    .bearer_auth(&admin)
                    .send()
                    .await
                    .expect("poll")
                    .json()
                    .await
                    .expect("json");
                assert_ne!(status["state"], "", "never an empty state");
                if status["state"] == "done" || status["state"] == "failed" {
                    return (id, status);
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!("import {id} did not finish");
        }
    };
    let (_, strict) = job(false, body.clone(), "survey.geojson").await;
    assert_eq!(strict["state"], "failed", "{strict}");
    let (id, status) = job(true, body, "survey.geojson").await;
    assert_eq!(status["state"], "done", "{status}");
    assert_eq!(status["report"]["inserted"], 5, "{status}");
    assert_eq!(status["report"]["accept_valid"], true);
    assert_eq!(status["report"]["left_out"], 2);
    let download = |file: &str| {
        http.get(format!("{base}/api/imports/{id}/{file}"))
            .bearer_auth(&admin)
            .send()
    };
    let geojson = download("rejected.geojson").await.expect("geojson");
    assert_eq!(geojson.status(), 200);
    assert!(geojson.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .contains("survey.rejected.geojson"));
    let mut back: Value = geojson.json().await.expect("json");
    let features = back["features"].as_array_mut().expect("features");
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["properties"]["row"], 6);
    assert!(
        features[0]["properties"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("3.5")),
        "{back}"
    );
    let xlsx = download("rejected.xlsx")
        .await
        .expect("xlsx")
        .bytes()
        .await
        .expect("bytes");
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(xlsx.to_vec())).expect("an XLSX is a zip");
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").expect("strings"),
        &mut strings,
    )
    .expect("read");
    assert!(
        strings.contains("原因") && strings.contains("W-sliver"),
        "{strings}"
    );

    // the surveyor corrects both rows and imports the file again
    let features = back["features"].as_array_mut().expect("features");
    features[0]["properties"]["层数"] = json!("3");
    features[1]["geometry"] = polygon(&square(111.6124, 28.9120, 4.0));
    let (_, again) = job(
        false,
        back.to_string().into_bytes(),
        "survey.rejected.geojson",
    )
    .await;
    assert_eq!(
        (
            again["state"].as_str(),
            again["report"]["inserted"].as_u64()
        ),
        (Some("done"), Some(2)),
        "{again}"
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM buildings WHERE code LIKE 'W-%'"
        )
        .await,
        7
    );
}
