//! Imports through GDAL into PostGIS: Gauss-Krüger and GCJ-02 round trips, messy geometry
//! repaired or rejected with rows named and nothing half-written, re-imports by code.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use onemap::auth::{Role, User};
use onemap::import::{import, CrsChoice, Invalid, Options, Progress, Report, Target};
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::demo_city;

fn admin() -> User {
    User {
        id: 0,
        username: "test".into(),
        role: Role::Admin,
        region_id: None,
        region_code: None,
        kiosk: false,
    }
}

/// A project with parcels, and a point well inside one of its parcels.
async fn site(pool: &PgPool) -> (String, f64, f64) {
    sqlx::query_as(
        "SELECT p.code, ST_X(c), ST_Y(c) FROM parcels pa JOIN projects p ON p.id = pa.project_id,
                LATERAL (SELECT ST_PointOnSurface(ST_Buffer(pa.geom::geography, -15)::geometry) c) s
          WHERE NOT ST_IsEmpty(ST_Buffer(pa.geom::geography, -15)::geometry) ORDER BY pa.id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("a parcel with room")
}

/// A square of `half` metres around (lon, lat), as a closed GeoJSON ring.
pub(crate) fn square(lon: f64, lat: f64, half: f64) -> Vec<[f64; 2]> {
    let (dx, dy) = (
        half / (111_320.0 * lat.to_radians().cos()),
        half / 110_540.0,
    );
    vec![
        [lon - dx, lat - dy],
        [lon + dx, lat - dy],
        [lon + dx, lat + dy],
        [lon - dx, lat + dy],
        [lon - dx, lat - dy],
    ]
}

fn feature(code: Option<&str>, geometry: &serde_json::Value) -> serde_json::Value {
    let mut properties = json!({ "层数": 2, "建筑面积": 120.5, "用途": "住宅" });
    if let Some(code) = code {
        properties["编码"] = json!(code);
    }
    json!({ "type": "Feature", "properties": properties, "geometry": geometry })
}

pub(crate) fn write_geojson(dir: &Path, name: &str, features: &[serde_json::Value]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        json!({ "type": "FeatureCollection", "features": features }).to_string(),
    )
    .expect("write");
    path
}

async fn run(
    pool: &PgPool,
    path: &Path,
    project: &str,
    invalid: Invalid,
    crs: CrsChoice,
) -> Result<Report, onemap::AppError> {
    let options = Options {
        target: Target::Buildings,
        project: project.into(),
        invalid,
        crs,
        accept_valid: false,
    };
    import_as_admin(pool, path, &options).await
}

/// Imports the file at `path` (under its own name) as an admin.
pub(crate) async fn import_as_admin(
    pool: &PgPool,
    path: &Path,
    options: &Options,
) -> Result<Report, onemap::AppError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name")
        .to_owned();
    import(
        pool,
        &admin(),
        path,
        &name,
        options,
        Arc::new(Progress::default()),
    )
    .await
}

pub(crate) async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count")
}

pub(crate) async fn ogr2ogr(args: &[&str]) {
    let out = tokio::process::Command::new("ogr2ogr")
        .args(args)
        .output()
        .await
        .expect("ogr2ogr (gdal-bin)");
    assert!(
        out.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The largest distance in metres between each imported building and the WGS84 truth.
async fn worst_offset(pool: &PgPool, truth: &[(String, Vec<[f64; 2]>)]) -> f64 {
    let mut worst: f64 = 0.0;
    for (code, ring) in truth {
        let wkt = format!(
            "POLYGON(({}))",
            ring.iter()
                .map(|[x, y]| format!("{x} {y}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let d: f64 = sqlx::query_scalar(
            "SELECT ST_HausdorffDistance(ST_Transform(b.geom, 3857), ST_Transform(ST_GeomFromText($2, 4326), 3857)) * cos(radians(ST_Y(ST_Centroid(b.geom))))
               FROM buildings b WHERE b.code = $1",
        )
        .bind(code)
        .bind(wkt)
        .fetch_one(pool)
        .await
        .expect("imported");
        worst = worst.max(d);
    }
    worst
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn gauss_kruger_files_land_within_a_decimetre(pool: PgPool) {
    demo_city(&pool).await;
    let (project, lon, lat) = site(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    let truth: Vec<(String, Vec<[f64; 2]>)> = (0..4)
        .map(|i| {
            (
                format!("GK-{i}"),
                square(lon + f64::from(i) * 0.00004, lat, 1.5),
            )
        })
        .collect();
    let source = write_geojson(
        dir.path(),
        "truth.geojson",
        &truth
            .iter()
            .map(|(c, r)| feature(Some(c), &json!({ "type": "Polygon", "coordinates": [r] })))
            .collect::<Vec<_>>(),
    );
    // the zone by central meridian (EPSG:4534-4554) and the zone-numbered one (4513-4533)
    let zone = onemap::import::zones::zone_of_longitude(lon);
    let by_meridian = onemap::import::zones::central_meridian_epsg(zone).expect("zone");
    let numbered = onemap::import::zones::zone_numbered_epsg(zone).expect("zone");
    // a .shp.zip is a zipped Shapefile GDAL writes itself
    let zipped = dir.path().join("buildings.shp.zip");
    let zipped_str = zipped.to_str().expect("utf-8").to_owned();
    let source_str = source.to_str().expect("utf-8");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        zipped_str.as_str(),
        source_str,
        "-t_srs",
        &format!("EPSG:{by_meridian}"),
        "-sql",
        "SELECT \"编码\" AS BM, \"层数\" AS CS, \"建筑面积\" AS JZMJ FROM truth",
    ])
    .await;
    let gpkg = dir.path().join("gk.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        gpkg.to_str().expect("utf-8"),
        source_str,
        "-t_srs",
        &format!("EPSG:{numbered}"),
    ])
    .await;

    let before = count(&pool, "SELECT count(*) FROM buildings").await;
    let report = run(
        &pool,
        &zipped,
        &project,
        Invalid::Repair,
        CrsChoice::FromFile,
    )
    .await
    .expect("imports");
    assert!(report.written, "{report:?}");
    assert_eq!(
        (report.inserted, report.crs.as_str()),
        (4, format!("EPSG:{by_meridian}").as_str())
    );
    let offset = worst_offset(&pool, &truth).await;
    assert!(
        offset < 0.1,
        "zipped Shapefile in EPSG:{by_meridian}: {offset} m off"
    );

    // the same buildings from a GeoPackage in the zone-numbered CRS: an update, not duplicates
    let report = run(&pool, &gpkg, &project, Invalid::Repair, CrsChoice::FromFile)
        .await
        .expect("imports");
    assert!(report.written && report.inserted == 0, "{report:?}");
    assert_eq!(report.updated + report.unchanged, 4);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM buildings").await,
        before + 4,
        "no duplicates"
    );
    let offset = worst_offset(&pool, &truth).await;
    assert!(
        offset < 0.1,
        "GeoPackage in EPSG:{numbered}: {offset} m off"
    );
    assert!(
        onemap::figures::verify(&pool)
            .await
            .expect("verify")
            .is_empty(),
        "figures match a recount after imports"
    );

    // no CRS at all: refused, with the zone suggested
    let bare = dir.path().join("bare");
    std::fs::create_dir(&bare).expect("dir");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        bare.join("b.shp").to_str().expect("utf-8"),
        zipped_str.as_str(),
    ])
    .await;
    std::fs::remove_file(bare.join("b.prj")).expect("drop the .prj");
    let error = run(
        &pool,
        &bare.join("b.shp"),
        &project,
        Invalid::Repair,
        CrsChoice::FromFile,
    )
    .await
    .expect_err("no CRS");
    assert!(
        error.to_string().contains(&format!("EPSG:{by_meridian}")),
        "{error}"
    );
    // the same file with the CRS given is accepted
    let report = run(
        &pool,
        &bare.join("b.shp"),
        &project,
        Invalid::Repair,
        CrsChoice::Epsg(by_meridian),
    )
    .await
    .expect("imports");
    assert!(report.written, "{report:?}");
    // a wrong zone puts the buildings far away: rejected, nothing written
    let wrong = by_meridian + 1;
    let report = run(
        &pool,
        &bare.join("b.shp"),
        &project,
        Invalid::Repair,
        CrsChoice::Epsg(wrong),
    )
    .await
    .expect("reads");
    assert!(!report.written && report.rejected.len() == 4, "{report:?}");
    assert!(
        report.rejected[0].problem.contains("is the CRS right?"),
        "{report:?}"
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn gcj02_lands_within_a_metre(pool: PgPool) {
    demo_city(&pool).await;
    let (project, lon, lat) = site(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    let truth = vec![("GCJ-1".to_owned(), square(lon, lat, 2.0))];
    let shifted: Vec<[f64; 2]> = truth[0]
        .1
        .iter()
        .map(|[x, y]| {
            let (a, b) = onemap::import::gcj02::from_wgs84(*x, *y);
            [a, b]
        })
        .collect();
    let path = write_geojson(
        dir.path(),
        "gcj.geojson",
        &[feature(
            Some("GCJ-1"),
            &json!({ "type": "Polygon", "coordinates": [shifted] }),
        )],
    );
    let report = run(&pool, &path, &project, Invalid::Repair, CrsChoice::Gcj02)
        .await
        .expect("imports");
    assert!(report.written, "{report:?}");
    let offset = worst_offset(&pool, &truth).await;
    assert!(offset < 1.0, "GCJ-02: {offset} m off");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn messy_geometry_is_repaired_or_rejected_by_row(pool: PgPool) {
    demo_city(&pool).await;
    let (project, lon, lat) = site(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    let d = 0.00003;
    let ring = square(lon, lat, 2.0);
    let hole = square(lon, lat, 0.5);
    let bow_tie = vec![
        [lon - d, lat - d],
        [lon + d, lat + d],
        [lon + d, lat - d],
        [lon - d, lat + d],
        [lon - d, lat - d],
    ];
    let mut spike = square(lon + 2.0 * d, lat, 1.5);
    spike.insert(2, [lon + 4.0 * d, lat]);
    spike.insert(3, spike[1]);
    let mut unclosed = square(lon - 2.0 * d, lat, 1.5);
    unclosed.pop();
    let repairable = vec![
        feature(
            Some("M-1"),
            &json!({ "type": "Polygon", "coordinates": [bow_tie] }),
        ),
        feature(
            Some("M-2"),
            &json!({ "type": "Polygon", "coordinates": [ring, hole] }),
        ),
        feature(
            Some("M-3"),
            &json!({ "type": "MultiPolygon", "coordinates": [[square(lon, lat + d, 1.0)], [square(lon, lat - d, 1.0)]] }),
        ),
        feature(
            Some("M-4"),
            &json!({ "type": "Polygon", "coordinates": [unclosed] }),
        ),
        feature(
            Some("M-5"),
            &json!({ "type": "Polygon", "coordinates": [spike] }),
        ),
    ];
    let path = write_geojson(dir.path(), "messy.geojson", &repairable);
    let before = count(&pool, "SELECT count(*) FROM buildings").await;

    // rejecting invalid geometry: the bow-tie and the spike are refused and nothing is written
    let report = run(&pool, &path, &project, Invalid::Reject, CrsChoice::FromFile)
        .await
        .expect("reads");
    assert!(!report.written, "{report:?}");
    let rejected: Vec<(usize, Option<&str>)> = report
        .rejected
        .iter()
        .map(|i| (i.row, i.id.as_deref()))
        .collect();
    assert!(
        rejected.contains(&(1, Some("M-1"))) && rejected.contains(&(5, Some("M-5"))),
        "{report:?}"
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM buildings").await, before);

    // repairing: every one written, each repair reported with its row and code; hole and parts kept
    let report = run(&pool, &path, &project, Invalid::Repair, CrsChoice::FromFile)
        .await
        .expect("imports");
    assert!(report.written && report.inserted == 5, "{report:?}");
    let repaired: Vec<(usize, &str)> = report
        .repaired
        .iter()
        .map(|i| (i.row, i.problem.as_str()))
        .collect();
    assert!(
        repaired
            .iter()
            .any(|(r, p)| *r == 1 && p.contains("Self-intersection")),
        "{repaired:?}"
    );
    assert!(
        repaired
            .iter()
            .any(|(r, p)| *r == 4 && p.contains("unclosed ring")),
        "{repaired:?}"
    );
    assert!(repaired.iter().any(|(r, _)| *r == 5), "{repaired:?}");
    assert_eq!(count(&pool, "SELECT ST_NumInteriorRings(ST_GeometryN(geom, 1))::bigint FROM buildings WHERE code = 'M-2'").await, 1, "hole kept");
    assert_eq!(
        count(
            &pool,
            "SELECT ST_NumGeometries(geom)::bigint FROM buildings WHERE code = 'M-3'"
        )
        .await,
        2,
        "parts kept"
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM buildings WHERE code LIKE 'M-%' AND NOT ST_IsValid(geom)"
        )
        .await,
        0
    );

    // what cannot be repaired: a sliver, a duplicate code, no geometry, a point, no code, a bad
    // value; the whole file is refused with each row named, and the earlier import stands
    let mut bad = repairable;
    bad.push(feature(Some("M-6"), &json!({ "type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + 1e-9], [lon, lat]]] })));
    bad.push(feature(
        Some("M-1"),
        &json!({ "type": "Polygon", "coordinates": [square(lon, lat, 1.0)] }),
    ));
    bad.push(feature(Some("M-8"), &serde_json::Value::Null));
    bad.push(feature(
        Some("M-9"),
        &json!({ "type": "Point", "coordinates": [lon, lat] }),
    ));
    bad.push(feature(
        None,
        &json!({ "type": "Polygon", "coordinates": [square(lon, lat, 1.0)] }),
    ));
    let mut wrong_floors = feature(
        Some("M-11"),
        &json!({ "type": "Polygon", "coordinates": [square(lon, lat, 1.0)] }),
    );
    wrong_floors["properties"]["层数"] = json!("三");
    bad.push(wrong_floors);
    let path = write_geojson(dir.path(), "bad.geojson", &bad);
    let m1_before: String =
        sqlx::query_scalar("SELECT ST_AsText(geom) FROM buildings WHERE code = 'M-1'")
            .fetch_one(&pool)
            .await
            .expect("M-1");
    let report = run(&pool, &path, &project, Invalid::Repair, CrsChoice::FromFile)
        .await
        .expect("reads");
    assert!(!report.written, "{report:?}");
    let has = |row: usize, words: &str| {
        report
            .rejected
            .iter()
            .any(|i| i.row == row && i.problem.contains(words))
    };
    assert!(has(6, "sliver"), "{report:?}");
    assert!(
        has(7, "also in rows 1") && has(1, "also in rows 7"),
        "{report:?}"
    );
    assert!(
        has(8, "no geometry") && has(9, "a point, not a polygon") && has(10, "no code"),
        "{report:?}"
    );
    assert!(has(11, "层数: `三`"), "{report:?}");
    let m1_after: String =
        sqlx::query_scalar("SELECT ST_AsText(geom) FROM buildings WHERE code = 'M-1'")
            .fetch_one(&pool)
            .await
            .expect("M-1");
    assert_eq!(m1_before, m1_after, "nothing half-written");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM buildings").await,
        before + 5
    );
}
