//! Adding an estate (安置小区) and replacing its outline (docs/housing.md): the region's staff
//! only, every field checked by name (code, name, region, the outline's shape, size and place),
//! nothing written on a refusal, audited, and the new estate in the public list and the OGC
//! collection at once.
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{demo_city, post_json, send, session, state};

/// A square of `half` degrees around (lon, lat), as a GeoJSON Polygon.
fn square(lon: f64, lat: f64, half: f64) -> Value {
    json!({ "type": "Polygon", "coordinates": [[[lon - half, lat - half], [lon + half, lat - half],
        [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]]] })
}

async fn estates(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM estates")
        .fetch_one(pool)
        .await
        .expect("count")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn estates_are_added_and_redrawn_by_their_region_with_every_field_checked(pool: PgPool) {
    demo_city(&pool).await;
    let (district, lon, lat, other, far_lon, far_lat): (String, f64, f64, String, f64, f64) = sqlx::query_as(
        "SELECT d.code, ST_X(p), ST_Y(p), o.code, ST_X(q), ST_Y(q)
           FROM regions d, ST_PointOnSurface(d.geom) p, regions o, ST_PointOnSurface(o.geom) q
          WHERE d.level = 'district' AND o.level = 'district' AND o.id <> d.id AND NOT ST_Intersects(o.geom, d.geom)
          ORDER BY d.id, o.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("two districts apart");
    let admin = session(&pool, "estate_admin", "admin", None).await;
    let outsider = session(&pool, "estate_outsider", "operator", Some(&other)).await;
    let theirs = session(&pool, "estate_clerk", "operator", Some(&district)).await;
    let app = state(&pool).await;
    let body = |code: &str, outline: Value| {
        json!({ "code": code, "name": "安置新苑", "region": district, "address": "新苑路 1 号",
                "delivery_planned": "2027-06-30", "outline": outline })
        .to_string()
    };
    let before = estates(&pool).await;
    let refused = [
        (
            body("AZ new!", square(lon, lat, 0.002)),
            Some(&admin),
            422,
            "code:",
        ),
        (
            body("AZ-NEW-1", square(lon, lat, 0.002)).replace(&district, "no-such-region"),
            Some(&admin),
            422,
            "region:",
        ),
        (
            body("AZ-NEW-1", square(lon, lat, 0.01)),
            Some(&admin),
            422,
            "is not an estate",
        ),
        (
            body(
                "AZ-NEW-1",
                json!({ "type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.002, lat + 0.002],
            [lon + 0.002, lat], [lon, lat + 0.002], [lon, lat]]] }),
            ),
            Some(&admin),
            422,
            "crosses itself near",
        ),
        (
            body("AZ-NEW-1", square(far_lon, far_lat, 0.002)),
            Some(&admin),
            422,
            "outside region",
        ),
        (
            body("AZ-NEW-1", square(lon, lat, 0.002)),
            Some(&outsider),
            403,
            "only admins and the operators",
        ),
        (body("AZ-NEW-1", square(lon, lat, 0.002)), None, 401, ""),
    ];
    for (sent, token, status, words) in refused {
        let (code, answer) = post_json(
            &app,
            "/api/housing/estates",
            token.map(String::as_str),
            &sent,
        )
        .await;
        assert_eq!(code, status, "{answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{words}: {message}");
    }
    assert_eq!(estates(&pool).await, before, "the refusals wrote nothing");

    let (code, made) = post_json(
        &app,
        "/api/housing/estates",
        Some(&theirs),
        &body("AZ-NEW-1", square(lon, lat, 0.002)),
    )
    .await;
    assert_eq!(code, 201, "{made}");
    let area = made["area_m2"].as_f64().expect("area");
    assert!(
        (120_000.0..220_000.0).contains(&area),
        "a 0.004° square is about 0.17 km²: {area}"
    );
    let (code, again) = post_json(
        &app,
        "/api/housing/estates",
        Some(&admin),
        &body("AZ-NEW-1", square(lon, lat, 0.002)),
    )
    .await;
    assert_eq!(code, 409, "{again}");
    assert!(again["message"]
        .as_str()
        .unwrap_or_default()
        .contains("AZ-NEW-1"));

    // anyone sees it at once: the public list and the OGC collection
    let (response, bytes) = send(
        &app,
        Request::get("/api/public/estates"),
        &[],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let list: Value = serde_json::from_slice(&bytes).expect("json");
    let listed = list
        .as_array()
        .expect("a list")
        .iter()
        .find(|e| e["code"] == "AZ-NEW-1")
        .cloned()
        .expect("listed");
    assert_eq!(
        (listed["region_code"].as_str(), listed["units"].as_i64()),
        (Some(district.as_str()), Some(0))
    );
    let bearer = format!("Bearer {admin}");
    let (response, bytes) = send(
        &app,
        Request::get("/ogc/collections/estates/items?limit=1000"),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let items: Value = serde_json::from_slice(&bytes).expect("json");
    assert!(items["features"]
        .as_array()
        .expect("features")
        .iter()
        .any(|f| f["properties"]["code"] == "AZ-NEW-1"));

    // redrawn larger by the region's operator; another district's is refused
    let redraw = |token: &str, outline: Value| {
        let bearer = format!("Bearer {token}");
        let app = app.clone();
        async move {
            let (response, bytes) = send(
                &app,
                Request::put("/api/housing/estates/AZ-NEW-1/outline"),
                &[
                    ("authorization", &bearer),
                    ("content-type", "application/json"),
                ],
                Body::from(json!({ "outline": outline }).to_string()),
            )
            .await;
            (
                response.status().as_u16(),
                serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
            )
        }
    };
    assert_eq!(redraw(&outsider, square(lon, lat, 0.003)).await.0, 403);
    let (code, redrawn) = redraw(&theirs, square(lon, lat, 0.003)).await;
    assert_eq!(code, 200, "{redrawn}");
    assert!(redrawn["area_m2"].as_f64().expect("area") > area * 2.0);
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE subject = 'estate AZ-NEW-1' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .expect("audit");
    assert_eq!(audited, ["estate.create", "estate.outline"]);
}
