//! GDAL in a box (issue 11): uploads are read by their one named driver, never sniffed; no
//! file makes the server connect anywhere; zips are unpacked by us within limits checked while
//! inflating; vertices and features are counted as they are read; overlays need a writer or
//! planner and a capped upload; ledger imports are audited. Each case was open before.
use std::fmt::Write as _;
use std::io::{Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::Request;
use onemap::AppState;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{demo_city, post_json, send, session, state};

const BOUNDARY: &str = "onemap-gdal-box";

/// The multipart framing around one file in the field `file`.
fn framing(name: &str) -> (Vec<u8>, Vec<u8>) {
    let head = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    (
        head.into_bytes(),
        format!("\r\n--{BOUNDARY}--\r\n").into_bytes(),
    )
}

/// POSTs `body` (a multipart body) with a bearer token; returns the status and the answer as text.
async fn post_body(app: &AppState, uri: &str, token: &str, body: Body) -> (u16, String) {
    let bearer = format!("Bearer {token}");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let headers = [
        ("authorization", bearer.as_str()),
        ("content-type", content_type.as_str()),
        ("x-requested-with", "test"),
    ];
    let (response, bytes) = send(app, Request::post(uri), &headers, body).await;
    (
        response.status().as_u16(),
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// Uploads `bytes` as the file `name`.
async fn upload(app: &AppState, uri: &str, token: &str, name: &str, bytes: &[u8]) -> (u16, String) {
    let (mut body, tail) = framing(name);
    body.extend_from_slice(bytes);
    body.extend_from_slice(&tail);
    post_body(app, uri, token, Body::from(body)).await
}

/// The start of an answer, for assertion messages (a wrong answer may be megabytes of GeoJSON).
fn short(answer: &str) -> String {
    answer.chars().take(400).collect()
}

fn message(answer: &str) -> String {
    serde_json::from_str::<Value>(answer)
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_owned))
        .unwrap_or_else(|| answer.to_owned())
}

/// What a zip member holds: bytes as they are, or `n` zeros deflated as they are written.
enum Content<'a> {
    Stored(&'a [u8]),
    Zeros(u64),
}

/// Writes a zip of `members` to `path` by hand (a member of 1.5 GiB of zeros is deflated as a
/// stream: the test stays small in memory). Names are written as given, `../` included.
fn write_zip(path: &std::path::Path, members: &[(&str, Content<'_>)]) {
    let mut file = std::fs::File::create(path).expect("zip file");
    let mut central = Vec::new();
    for (name, content) in members {
        let offset = u32::try_from(file.stream_position().expect("position")).expect("small zip");
        let header_at = u64::from(offset);
        let (method, crc, compressed, size): (u16, u32, u64, u64);
        let local = |crc: u32, compressed: u64, size: u64, method: u16| {
            let mut h = Vec::new();
            h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&0x0800u16.to_le_bytes()); // names in UTF-8
            h.extend_from_slice(&method.to_le_bytes());
            h.extend_from_slice(&[0, 0, 0x21, 0]); // 1980-01-01 00:00
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&u32::try_from(compressed).expect("< 4 GiB").to_le_bytes());
            h.extend_from_slice(&u32::try_from(size).expect("< 4 GiB").to_le_bytes());
            h.extend_from_slice(&u16::try_from(name.len()).expect("short name").to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(name.as_bytes());
            h
        };
        file.write_all(&local(0, 0, 0, 0)).expect("header");
        let data_at = file.stream_position().expect("position");
        match content {
            Content::Stored(bytes) => {
                let mut c = flate2::Crc::new();
                c.update(bytes);
                file.write_all(bytes).expect("data");
                (method, crc, compressed, size) =
                    (0, c.sum(), bytes.len() as u64, bytes.len() as u64);
            }
            Content::Zeros(n) => {
                let zeros = vec![0u8; 1 << 20];
                let mut c = flate2::Crc::new();
                let mut deflate =
                    flate2::write::DeflateEncoder::new(&mut file, flate2::Compression::best());
                let mut left = *n;
                while left > 0 {
                    let chunk = usize::try_from(left.min(zeros.len() as u64)).expect("chunk");
                    deflate.write_all(&zeros[..chunk]).expect("deflate");
                    c.update(&zeros[..chunk]);
                    left -= chunk as u64;
                }
                deflate.finish().expect("deflate");
                let end = file.stream_position().expect("position");
                (method, crc, compressed, size) = (8, c.sum(), end - data_at, *n);
            }
        }
        let end = file.stream_position().expect("position");
        file.seek(SeekFrom::Start(header_at)).expect("seek");
        file.write_all(&local(crc, compressed, size, method))
            .expect("header");
        file.seek(SeekFrom::Start(end)).expect("seek");
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&local(crc, compressed, size, method)[4..30]);
        central.extend_from_slice(&[0; 10]); // comment length, disk, attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let directory_at = u32::try_from(file.stream_position().expect("position")).expect("small zip");
    file.write_all(&central).expect("directory");
    let mut end = Vec::new();
    end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    end.extend_from_slice(&[0; 4]);
    let count = u16::try_from(members.len()).expect("few members");
    end.extend_from_slice(&count.to_le_bytes());
    end.extend_from_slice(&count.to_le_bytes());
    end.extend_from_slice(&u32::try_from(central.len()).expect("small").to_le_bytes());
    end.extend_from_slice(&directory_at.to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes());
    file.write_all(&end).expect("end of directory");
}

/// Converts `source` into `target` with ogr2ogr (the reference writer of these formats).
fn ogr2ogr(format: &str, target: &std::path::Path, source: &std::path::Path, extra: &[&str]) {
    let out = std::process::Command::new("ogr2ogr")
        .args([
            "-f",
            format,
            target.to_str().expect("utf-8"),
            source.to_str().expect("utf-8"),
        ])
        .args(extra)
        .output()
        .expect("ogr2ogr");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn two_squares() -> Vec<u8> {
    let d = 0.0001;
    let features: Vec<Value> = (0..2)
        .map(|i| {
            let x = 120.58 + f64::from(i) * 3.0 * d;
            json!({ "type": "Feature", "properties": { "编码": format!("P-{i}") },
                    "geometry": { "type": "Polygon", "coordinates": [[[x, 30.0], [x + d, 30.0], [x + d, 30.0 + d], [x, 30.0 + d], [x, 30.0]]] } })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
        .to_string()
        .into_bytes()
}

/// A project to import into, as code.
async fn project(pool: &PgPool) -> String {
    sqlx::query_scalar("SELECT code FROM projects ORDER BY id LIMIT 1")
        .fetch_one(pool)
        .await
        .expect("a project")
}

#[test]
fn gdal_keeps_only_the_drivers_onemap_uses() {
    onemap::import::sandbox::harden();
    let mut drivers = onemap::import::sandbox::registered_drivers();
    drivers.sort();
    let mut kept: Vec<String> = onemap::import::sandbox::KEPT_DRIVERS
        .iter()
        .map(|d| (*d).to_owned())
        .collect();
    kept.sort();
    assert_eq!(drivers, kept, "no VRT, no PostgreSQL, no HTTP, no WFS");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn vrt_reading_the_database_is_refused_wherever_it_hides(pool: PgPool) {
    demo_city(&pool).await;
    let app = state(&pool).await;
    let planner = session(&pool, "pat", "planner", None).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let project = project(&pool).await;
    // the test database, as the attacker's VRT names it: the superuser, with SQL
    let options = pool.connect_options();
    let host = options.get_socket().map_or_else(
        || options.get_host().to_owned(),
        |s| s.display().to_string(),
    );
    let source = format!(
        "PG:host={host} port={} dbname={} user=postgres",
        options.get_port(),
        options.get_database().expect("database")
    );
    let vrt = format!(
        r#"<OGRVRTDataSource><OGRVRTLayer name="plan"><SrcDataSource>{source}</SrcDataSource>
             <SrcSQL>SELECT holder_name, holder_id_number FROM households</SrcSQL>
           </OGRVRTLayer></OGRVRTDataSource>"#
    );
    let secrets: Vec<(String, String)> =
        sqlx::query_as("SELECT holder_name, holder_id_number FROM households")
            .fetch_all(&pool)
            .await
            .expect("households");
    assert!(!secrets.is_empty(), "the demo has households to steal");
    let leaks = |answer: &str| {
        secrets
            .iter()
            .any(|(name, id)| answer.contains(name.as_str()) || answer.contains(id.as_str()))
    };

    let dir = tempfile::tempdir().expect("dir");
    let as_vrt = dir.path().join("as-vrt.zip");
    write_zip(&as_vrt, &[("plan.vrt", Content::Stored(vrt.as_bytes()))]);
    // a zip of one file is that file to /vsizip/: GDAL sniffed the XML and read it as VRT
    let as_shp = dir.path().join("as-shp.zip");
    write_zip(&as_shp, &[("plan.shp", Content::Stored(vrt.as_bytes()))]);
    let uploads = [
        ("plan.geojson", vrt.as_bytes().to_vec(), "GeoJSON"),
        ("plan.zip", std::fs::read(&as_vrt).expect("zip"), "plan.vrt"),
        ("plan.zip", std::fs::read(&as_shp).expect("zip"), "plan.shp"),
    ];
    let import_url = format!("/api/imports?target=buildings&project={project}");
    for (name, bytes, named) in &uploads {
        for (uri, token) in [("/api/overlay", &planner), (import_url.as_str(), &admin)] {
            let (status, answer) = upload(&app, uri, token, name, bytes).await;
            assert!(
                (400..500).contains(&status),
                "{uri} {name} ({named}): {status} {}",
                short(&answer)
            );
            assert!(
                !leaks(&answer),
                "{uri} {name} ({named}) leaked: {}",
                short(&answer)
            );
            let message = message(&answer);
            assert!(
                message.contains(name) && message.contains(named),
                "{uri} {name}: the refusal names the file: {message}"
            );
        }
    }
}

/// A TCP listener that counts the connections made to it.
async fn counting_listener() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = connections.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (port, connections)
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn no_file_makes_the_server_connect_anywhere(pool: PgPool) {
    let app = state(&pool).await;
    let planner = session(&pool, "pat", "planner", None).await;
    let (port, connections) = counting_listener().await;
    let url = format!("http://127.0.0.1:{port}/plan.geojson");

    let vrt = format!(
        r#"<OGRVRTDataSource><OGRVRTLayer name="plan"><SrcDataSource>/vsicurl/{url}</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>"#
    );
    let (status, answer) = upload(
        &app,
        "/api/overlay",
        &planner,
        "plan.geojson",
        vrt.as_bytes(),
    )
    .await;
    assert_eq!(status, 422, "{}", short(&answer));
    assert!(message(&answer).contains("plan.geojson"), "{answer}");

    // GDAL's own GeoJSON driver fetches a "link" CRS: the fetch is refused, the file still read
    let mut linked: Value = serde_json::from_slice(&two_squares()).expect("json");
    linked["crs"] = json!({ "type": "link", "properties": { "href": url, "type": "ogcwkt" } });
    let (status, answer) = upload(
        &app,
        "/api/overlay",
        &planner,
        "linked.geojson",
        linked.to_string().as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{}", short(&answer));

    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "the server connected to the URL a file named"
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_zip_bomb_is_refused_after_reading_little(pool: PgPool) {
    demo_city(&pool).await;
    let app = state(&pool).await;
    let planner = session(&pool, "pat", "planner", None).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let project = project(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    let bomb = dir.path().join("bomb.zip");
    // 1.5 GiB of zeros in one member: past every real cap (the overlay unpacks at most 512 MiB, an import 4 GiB)
    write_zip(
        &bomb,
        &[
            (
                "parcels.shp",
                Content::Stored(&[0, 0, 0x27, 0x0A, 0, 0, 0, 0]),
            ),
            ("parcels.dbf", Content::Zeros(1536 << 20)),
        ],
    );
    let bytes = std::fs::read(&bomb).expect("bomb");
    assert!(bytes.len() < 4 << 20, "a small zip: {} bytes", bytes.len());
    for (uri, token) in [
        ("/api/overlay".to_owned(), &planner),
        (
            format!("/api/imports?target=parcels&project={project}"),
            &admin,
        ),
    ] {
        let started = Instant::now();
        let (status, answer) = upload(&app, &uri, token, "parcels.zip", &bytes).await;
        let took = started.elapsed();
        assert_eq!(status, 413, "{uri}: {}", short(&answer));
        let message = message(&answer);
        assert!(
            message.contains("parcels.dbf") && message.contains("100:1"),
            "{uri}: names the member and the limit: {message}"
        );
        assert!(took < Duration::from_secs(5), "{uri}: refused in {took:?}");
    }
}

/// A GeoJSON of a small square (row 1) and a polygon of `vertices` vertices (row 2).
fn huge_polygon(vertices: usize) -> Vec<u8> {
    let mut ring = String::with_capacity(vertices * 26);
    for i in 0..vertices - 1 {
        let a = std::f64::consts::TAU * i as f64 / (vertices - 1) as f64;
        let _ = write!(
            ring,
            "[{:.7},{:.7}],",
            120.58 + 0.001 * a.cos(),
            30.0 + 0.001 * a.sin()
        );
    }
    ring.push_str("[120.581,30.0]");
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"编码":"small"}},
             "geometry":{{"type":"Polygon","coordinates":[[[120.5,30.0],[120.5001,30.0],[120.5001,30.0001],[120.5,30.0]]]}}}},
           {{"type":"Feature","properties":{{"编码":"huge"}},"geometry":{{"type":"Polygon","coordinates":[[{ring}]]}}}}]}}"#
    )
    .into_bytes()
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_million_vertex_polygon_is_refused_naming_its_row(pool: PgPool) {
    demo_city(&pool).await;
    let app = state(&pool).await;
    let planner = session(&pool, "pat", "planner", None).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let project = project(&pool).await;
    let geojson = huge_polygon(1_000_000);
    let import_url = format!("/api/imports?target=buildings&project={project}");
    for (uri, token) in [("/api/overlay", &planner), (import_url.as_str(), &admin)] {
        let (status, answer) = upload(&app, uri, token, "huge.geojson", &geojson).await;
        assert_eq!(status, 422, "{uri}: {}", short(&answer));
        assert!(
            message(&answer).contains("row 2: 1,000,000 vertices"),
            "{uri}: {}",
            short(&answer)
        );
    }
    // the same polygon in a Shapefile: counted as GDAL hands it over
    let dir = tempfile::tempdir().expect("dir");
    let source = dir.path().join("huge.geojson");
    std::fs::write(&source, &geojson).expect("write");
    let zipped = dir.path().join("huge.shp.zip");
    ogr2ogr(
        "ESRI Shapefile",
        &zipped,
        &source,
        &["-lco", "ENCODING=UTF-8"],
    );
    let shapefile = std::fs::read(&zipped).expect("zip");
    for (uri, token) in [("/api/overlay", &planner), (import_url.as_str(), &admin)] {
        let (status, answer) = upload(&app, uri, token, "huge.shp.zip", &shapefile).await;
        assert_eq!(status, 422, "{uri}: {}", short(&answer));
        let message = message(&answer);
        assert!(
            message.contains("row 2 of `huge.shp`: 1,000,000 vertices"),
            "{uri}: {message}"
        );
    }
    // and in a GeoPackage: counted as GDAL hands the geometry over, before it is copied
    let gpkg = dir.path().join("huge.gpkg");
    ogr2ogr("GPKG", &gpkg, &source, &[]);
    let (status, answer) = upload(
        &app,
        "/api/overlay",
        &planner,
        "huge.gpkg",
        &std::fs::read(&gpkg).expect("gpkg"),
    )
    .await;
    assert_eq!(status, 422, "{}", short(&answer));
    assert!(
        message(&answer).contains("row 2: 1,000,000 vertices"),
        "{}",
        short(&answer)
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn overlays_need_a_writer_or_planner_and_a_capped_upload(pool: PgPool) {
    let mut app = state(&pool).await;
    app.kiosk_token = Some("wall-display".into());
    let viewer = session(&pool, "watcher", "viewer", None).await;
    let (status, login) = post_json(
        &app,
        "/api/login",
        None,
        r#"{"kiosk_token":"wall-display"}"#,
    )
    .await;
    assert_eq!(status, 200, "{login}");
    let kiosk = login["token"].as_str().expect("kiosk token").to_owned();
    for token in [&viewer, &kiosk] {
        let (status, answer) =
            upload(&app, "/api/overlay", token, "plan.geojson", &two_squares()).await;
        assert_eq!(status, 403, "{}", short(&answer));
    }

    let planner = session(&pool, "pat", "planner", None).await;
    let (status, answer) = upload(
        &app,
        "/api/overlay",
        &planner,
        "plan.geojson",
        &two_squares(),
    )
    .await;
    assert_eq!(status, 200, "{}", short(&answer));
    let overlay: Value = serde_json::from_str(&answer).expect("geojson");
    assert_eq!(overlay["features"].as_array().map(Vec::len), Some(2));
    // a zipped Shapefile written by GDAL, in a Gauss-Krüger CRS, unpacked by us
    let dir = tempfile::tempdir().expect("dir");
    let source = dir.path().join("plan.geojson");
    std::fs::write(&source, two_squares()).expect("write");
    let zipped = dir.path().join("plan.shp.zip");
    ogr2ogr(
        "ESRI Shapefile",
        &zipped,
        &source,
        &["-t_srs", "EPSG:4549", "-lco", "ENCODING=UTF-8"],
    );
    let (status, answer) = upload(
        &app,
        "/api/overlay",
        &planner,
        "plan.shp.zip",
        &std::fs::read(&zipped).expect("zip"),
    )
    .await;
    assert_eq!(status, 200, "{}", short(&answer));
    let overlay: Value = serde_json::from_str(&answer).expect("geojson");
    assert_eq!(
        (
            overlay["features"].as_array().map(Vec::len),
            overlay["sourceCrs"].as_str()
        ),
        (Some(2), Some("EPSG:4549"))
    );
    assert_eq!(overlay["features"][1]["properties"]["编码"], "P-1");

    // 64 MiB and one byte, streamed: refused when the cap is passed, not after
    let (head, tail) = framing("big.geojson");
    let mebibyte = Bytes::from(vec![b' '; 1 << 20]);
    let chunks = std::iter::once(Bytes::from(head))
        .chain(std::iter::repeat_n(mebibyte, 64))
        .chain([Bytes::from_static(b" "), Bytes::from(tail)])
        .map(Ok::<_, std::io::Error>);
    let (status, answer) = post_body(
        &app,
        "/api/overlay",
        &planner,
        Body::from_stream(futures_util::stream::iter(chunks)),
    )
    .await;
    assert_eq!(status, 413, "{}", short(&answer));
    assert!(message(&answer).contains("64 MiB"), "{answer}");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn household_ledger_imports_leave_an_audit_line(pool: PgPool) {
    demo_city(&pool).await;
    let app = state(&pool).await;
    let (project, building): (String, String) = sqlx::query_as(
        "SELECT p.code, b.code FROM buildings b JOIN projects p ON p.id = b.project_id \
        ORDER BY b.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a building");
    let id_number = |seq: u32| {
        let body = format!("43070219800101{seq:03}");
        format!("{body}{}", onemap::id_number::check_char(&body))
    };
    let csv = format!(
        "户编码,房屋编码,户主姓名,身份证号,家庭人口,登记面积,安置方式,困难户\n\
         A-1,{building},王一,{},3,80.5,货币补偿,否\n\
         A-2,{building},李二,{},2,60,,\n",
        id_number(1),
        id_number(2)
    );
    let admin = session(&pool, "chief", "admin", None).await;
    let (status, answer) = upload(
        &app,
        &format!("/api/imports?target=households&project={project}"),
        &admin,
        "台账.csv",
        csv.as_bytes(),
    )
    .await;
    assert_eq!(status, 202, "{answer}");
    let id = serde_json::from_str::<Value>(&answer).expect("json")["id"]
        .as_str()
        .expect("job id")
        .to_owned();
    let mut job = Value::Null;
    for _ in 0..100 {
        let (response, bytes) = send(
            &app,
            Request::get(format!("/api/imports/{id}")),
            &[("authorization", &format!("Bearer {admin}"))],
            Body::empty(),
        )
        .await;
        assert_eq!(response.status(), 200);
        job = serde_json::from_slice(&bytes).expect("json");
        if job["state"] == "done" || job["state"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(job["state"], "done", "{job}");
    let (who, subject, detail): (Option<String>, String, Value) = sqlx::query_as(
        "SELECT u.username, a.subject, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.action = 'household_ledger_imported'",
    )
    .fetch_one(&pool)
    .await
    .expect("one audit line");
    assert_eq!(
        (who.as_deref(), subject.as_str()),
        (Some("chief"), format!("project {project}").as_str())
    );
    assert_eq!(
        (detail["file"].as_str(), detail["rows"].as_u64()),
        (Some("台账.csv"), Some(2)),
        "{detail}"
    );

    // the command line's path: no account, the system user named instead
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("again.csv");
    std::fs::write(&path, csv.replace("王一", "王壹")).expect("write");
    let cli = onemap::auth::User {
        id: 0,
        username: "cli".into(),
        role: onemap::auth::Role::Admin,
        region_id: None,
        region_code: None,
        kiosk: false,
    };
    let options = onemap::import::Options {
        target: onemap::import::Target::Households,
        project: project.clone(),
        invalid: onemap::import::Invalid::Repair,
        crs: onemap::import::CrsChoice::FromFile,
        accept_valid: false,
    };
    let report = onemap::import::import(
        &app.pool,
        &cli,
        &path,
        "again.csv",
        &options,
        Arc::default(),
    )
    .await
    .expect("imports");
    assert!(report.written, "{report:?}");
    let by: String = sqlx::query_scalar(
        "SELECT detail->>'by' FROM audit_log WHERE action = 'household_ledger_imported' \
        AND user_id IS NULL",
    )
    .fetch_one(&pool)
    .await
    .expect("the command line's line");
    assert!(by.starts_with("cli (command line"), "{by}");
}
