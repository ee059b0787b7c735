//! Shared arrangements: a small demo city, the app over a pool, requests and tile decoding.
use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use http_body_util::BodyExt;
use onemap::config::DemoArgs;
use onemap::{app, AppState};
use sqlx::PgPool;
use tower::ServiceExt;

pub const AS_OF: &str = "2026-11-20";
pub const SEED: u64 = 42;

pub fn demo_args(buildings: usize, seed: u64) -> DemoArgs {
    DemoArgs {
        buildings,
        seed,
        as_of: Some(AS_OF.parse().expect("valid date")),
        if_empty: false,
    }
}

/// Loads a small demo city (3,000 buildings) into the test database.
pub async fn demo_city(pool: &PgPool) {
    onemap::demo::run(pool, &demo_args(3_000, SEED))
        .await
        .expect("demo city loads");
}

/// A user of `role` (in region `region` for operators) with an open session; returns its token.
/// Written straight to the tables (SHA-256 of the token, as the service stores it): fast,
/// and the login path itself has its own tests.
pub async fn session(pool: &PgPool, username: &str, role: &str, region: Option<&str>) -> String {
    let token = format!("test-token-{username}");
    sqlx::query(
        "WITH u AS (INSERT INTO users (username, password_hash, role, region_id)
                    VALUES ($1, '!', $2::user_role, (SELECT id FROM regions WHERE code = $3)) RETURNING id)
         INSERT INTO sessions (token_hash, user_id, expires_at) SELECT sha256($4::bytea), id, now() + interval '1 hour' FROM u",
    )
    .bind(username)
    .bind(role)
    .bind(region)
    .bind(token.as_bytes())
    .execute(pool)
    .await
    .expect("test session");
    token
}

/// GET through the whole router as a logged-in viewer.
pub async fn get(pool: &PgPool, uri: &str, headers: &[(&str, &str)]) -> (Response<Body>, Vec<u8>) {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE username = 'reader')")
            .fetch_one(pool)
            .await
            .expect("query");
    if !exists {
        session(pool, "reader", "viewer", None).await;
    }
    let mut all = vec![("authorization", "Bearer test-token-reader")];
    all.extend_from_slice(headers);
    send(&state(pool).await, Request::get(uri), &all, Body::empty()).await
}

/// The app over the test database as it is deployed: the service's pool connects as
/// onemap_app and the residents' as onemap_public (never the superuser the tests set up with).
pub async fn state(pool: &PgPool) -> AppState {
    AppState::new(
        role_pool(pool, "app").await,
        role_pool(pool, "public").await,
    )
    .await
    .expect("state")
}

/// A pool on the test database as `onemap_{role}`, over TCP with the password scripts/test
/// exported (source .local/test.env to run tests by hand).
pub async fn role_pool(pool: &PgPool, role: &str) -> PgPool {
    let url = role_url(pool, role).await;
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(8)
        .connect(&url)
        .await
        .expect("connect as the service's role")
}

/// The URL of the test database as `onemap_{role}` (app or public). A cluster a test made
/// itself has the roles only as migrations left them (NOLOGIN): they are given the password.
pub async fn role_url(pool: &PgPool, role: &str) -> String {
    let var = format!("ONEMAP_{}_PASSWORD", role.to_uppercase());
    let password = std::env::var(&var).unwrap_or_else(|_| {
        panic!("{var} is not set: run scripts/test, or source .local/test.env")
    });
    let name = format!("onemap_{role}");
    let can_login: bool = sqlx::query_scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1")
        .bind(&name)
        .fetch_one(pool)
        .await
        .expect("role");
    if !can_login {
        sqlx::query(&format!("ALTER ROLE {name} LOGIN PASSWORD '{password}'"))
            .execute(pool)
            .await
            .expect("role may log in");
    }
    let admin = pool.connect_options();
    let database = admin
        .get_database()
        .expect("the test pool names its database");
    format!(
        "postgres://{name}:{password}@127.0.0.1:{}/{database}",
        admin.get_port()
    )
}

/// The real `onemap serve` binary over the test database, as deployed (onemap_app and
/// onemap_public), on a free loopback port; killed when the child is dropped. Returns its base URL.
pub async fn serve_binary(pool: &PgPool, extra: &[&str]) -> (String, tokio::process::Child) {
    let url = role_url(pool, "app").await;
    let public_url = role_url(pool, "public").await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("probe")
        .local_addr()
        .expect("port")
        .port();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
        .args([
            "--database-url",
            &url,
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--frontend",
            "/nonexistent",
            "--pool",
            "4",
        ])
        .args(["--public-database-url", &public_url])
        .args(extra)
        .kill_on_drop(true)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start onemap serve");
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if reqwest::get(format!("{base}/healthz"))
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return (base, child);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("onemap serve did not answer /healthz at {base}");
}

/// Sends a request through the router of `state`; returns the response head and body bytes.
pub async fn send(
    state: &AppState,
    request: axum::http::request::Builder,
    headers: &[(&str, &str)],
    body: Body,
) -> (Response<Body>, Vec<u8>) {
    send_to(&app(state.clone()), request, headers, body).await
}

/// Sends a request through `router` (an `app`, built once by callers that send thousands of
/// requests: building the router costs more than many a refusal); returns head and body bytes.
pub async fn send_to(
    router: &Router,
    request: axum::http::request::Builder,
    headers: &[(&str, &str)],
    body: Body,
) -> (Response<Body>, Vec<u8>) {
    let mut request = request.header("host", "test.local");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router
        .clone()
        .oneshot(request.body(body).expect("request builds"))
        .await
        .expect("the router answers");
    let (parts, body) = response.into_parts();
    let bytes = body
        .collect()
        .await
        .expect("body reads")
        .to_bytes()
        .to_vec();
    (Response::from_parts(parts, Body::empty()), bytes)
}

/// POSTs JSON with a bearer token (None: anonymous); returns status and the JSON answer.
pub async fn post_json(
    state: &AppState,
    uri: &str,
    token: Option<&str>,
    body: &str,
) -> (u16, serde_json::Value) {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(b) = &bearer {
        headers.push(("authorization", b.as_str()));
    }
    let (response, bytes) = send(
        state,
        Request::post(uri),
        &headers,
        Body::from(body.to_owned()),
    )
    .await;
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (response.status().as_u16(), json)
}

/// A feature of a decoded tile: id and properties as JSON values, whatever the format.
pub type Features = BTreeMap<u64, serde_json::Map<String, serde_json::Value>>;

pub fn decode_mvt(bytes: &[u8], layer: &str) -> Features {
    if bytes.is_empty() {
        return Features::new();
    }
    let reader = mvt_reader::Reader::new(bytes.to_vec()).expect("valid MVT");
    let names = reader.get_layer_names().expect("layer names");
    assert_eq!(
        names,
        vec![layer.to_owned()],
        "one layer named after the tile layer"
    );
    let extent_ok = reader
        .get_layer_metadata()
        .expect("metadata")
        .iter()
        .all(|l| l.extent == 4096);
    assert!(extent_ok, "extent 4096");
    reader
        .get_features(0)
        .expect("features")
        .into_iter()
        .map(|f| {
            let id = f.id.expect("every feature has an id");
            let properties = f
                .properties
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, mvt_value(v)))
                .collect();
            (id, properties)
        })
        .collect()
}

fn mvt_value(value: mvt_reader::feature::Value) -> serde_json::Value {
    use mvt_reader::feature::Value as V;
    match value {
        V::String(s) => s.into(),
        V::Float(f) => f64::from(f).into(),
        V::Double(f) => f.into(),
        V::Int(i) | V::SInt(i) => i.into(),
        V::UInt(u) => u.into(),
        V::Bool(b) => b.into(),
        V::Null => serde_json::Value::Null,
    }
}

pub fn decode_geojson(bytes: &[u8]) -> Features {
    let collection: serde_json::Value = serde_json::from_slice(bytes).expect("valid JSON");
    assert_eq!(collection["type"], "FeatureCollection");
    collection["features"]
        .as_array()
        .expect("features array")
        .iter()
        .map(|f| {
            assert_eq!(f["type"], "Feature");
            assert!(
                f["geometry"]["coordinates"].is_array(),
                "every feature has a geometry"
            );
            (
                f["id"].as_u64().expect("numeric id"),
                f["properties"].as_object().cloned().unwrap_or_default(),
            )
        })
        .collect()
}

/// The tile (x, y) containing a lon/lat point at zoom z (Web Mercator).
pub fn tile_of(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor();
    let y = ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n).floor();
    (x as u32, y as u32)
}
