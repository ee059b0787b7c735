//! Tiles decoded and checked: the right features in the right tile, ids and properties, the
//! same features in MVT and GeoJSON, no personal data, ETag/304, gzip, and clear 4xx errors.
use std::collections::HashSet;
use std::io::Read;

use axum::http::StatusCode;
use sqlx::PgPool;

use crate::helpers::{decode_geojson, decode_mvt, demo_city, get, tile_of};
use onemap::tiles::LAYERS;

/// A building's interior point, and the tile containing it at zoom z.
async fn building_tile(pool: &PgPool, z: u8) -> (i64, (u32, u32)) {
    let (id, lon, lat): (i64, f64, f64) = sqlx::query_as(
        "SELECT id, ST_X(c), ST_Y(c) FROM (SELECT id, ST_PointOnSurface(geom) AS c FROM buildings ORDER BY id LIMIT 1 OFFSET 1234) s",
    )
    .fetch_one(pool)
    .await
    .expect("a building");
    (id, tile_of(lon, lat, z))
}

async fn ids_in_envelope(pool: &PgPool, table: &str, z: u8, (x, y): (u32, u32)) -> HashSet<u64> {
    let sql = format!(
        "SELECT id FROM {table} WHERE ST_Intersects(geom_3857, ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096))"
    );
    let ids: Vec<i64> = sqlx::query_scalar(&sql)
        .bind(i32::from(z))
        .bind(x as i32)
        .bind(y as i32)
        .fetch_all(pool)
        .await
        .expect("ids");
    ids.into_iter().map(|id| id as u64).collect()
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn tiles_carry_the_right_features_with_ids_and_properties(pool: PgPool) {
    demo_city(&pool).await;
    for z in [15u8, 16, 18] {
        let (building, (x, y)) = building_tile(&pool, z).await;
        let (response, bytes) = get(&pool, &format!("/tiles/buildings/{z}/{x}/{y}.mvt"), &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"],
            "application/vnd.mapbox-vector-tile"
        );
        let mvt = decode_mvt(&bytes, "buildings");
        assert!(
            mvt.contains_key(&(building as u64)),
            "z{z}: building {building} in its tile"
        );
        // exactly the buildings whose geometry reaches the buffered tile (none vanish at z15+)
        let expected = ids_in_envelope(&pool, "buildings", z, (x, y)).await;
        assert_eq!(
            mvt.keys().copied().collect::<HashSet<_>>(),
            expected,
            "z{z}: the tile's features"
        );
        let layer = onemap::tiles::layer("buildings").expect("layer");
        for (id, properties) in &mvt {
            for field in layer.fields {
                assert!(
                    properties.contains_key(field.name),
                    "building {id} carries {}",
                    field.name
                );
            }
            let status = properties["status"].as_str().unwrap_or_default();
            assert!(["pending", "surveyed", "signed", "vacated", "demolished"].contains(&status));
        }
        let row: (String, i32) =
            sqlx::query_as("SELECT status::text, households FROM buildings WHERE id = $1")
                .bind(building)
                .fetch_one(&pool)
                .await
                .expect("row");
        assert_eq!(mvt[&(building as u64)]["status"], row.0);
        assert_eq!(mvt[&(building as u64)]["households"], i64::from(row.1));
    }
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn geojson_and_mvt_tiles_carry_the_same_features(pool: PgPool) {
    demo_city(&pool).await;
    let (_, (x16, y16)) = building_tile(&pool, 16).await;
    let cases: Vec<(&str, u8, u32, u32)> = vec![
        ("buildings", 17, x16 * 2, y16 * 2),
        ("parcels", 14, x16 >> 2, y16 >> 2),
        ("projects", 10, x16 >> 6, y16 >> 6),
        ("regions", 8, x16 >> 8, y16 >> 8),
        ("regions", 12, x16 >> 4, y16 >> 4),
    ];
    for (layer, z, x, y) in cases {
        let (_, mvt) = get(&pool, &format!("/tiles/{layer}/{z}/{x}/{y}.mvt"), &[]).await;
        let (response, geojson) =
            get(&pool, &format!("/tiles/{layer}/{z}/{x}/{y}.geojson"), &[]).await;
        assert_eq!(response.headers()["content-type"], "application/geo+json");
        let (mvt, geojson) = (decode_mvt(&mvt, layer), decode_geojson(&geojson));
        assert!(!mvt.is_empty(), "{layer} z{z} has features");
        assert_eq!(
            mvt.keys().collect::<Vec<_>>(),
            geojson.keys().collect::<Vec<_>>(),
            "{layer} z{z}: same ids"
        );
        for (id, properties) in &mvt {
            for (key, value) in properties {
                let other = &geojson[id][key];
                let same = match (value.as_f64(), other.as_f64()) {
                    (Some(a), Some(b)) => (a - b).abs() < 1e-3,
                    _ => value == other,
                };
                assert!(same, "{layer} {id}.{key}: {value} vs {other}");
            }
            assert_eq!(
                properties.len(),
                geojson[id].len(),
                "{layer} {id}: same property count"
            );
        }
    }
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn no_personal_data_in_any_tile(pool: PgPool) {
    demo_city(&pool).await;
    let people: Vec<(String, String)> =
        sqlx::query_as("SELECT holder_name, holder_id_number FROM households")
            .fetch_all(&pool)
            .await
            .expect("people");
    let personal: HashSet<&str> = people
        .iter()
        .flat_map(|(n, i)| [n.as_str(), i.as_str()])
        .collect();
    let (_, (x, y)) = building_tile(&pool, 17).await;
    let mut checked = 0;
    for layer in &LAYERS {
        for z in [layer.minzoom.max(8), 14, 16, 17] {
            if z < layer.minzoom {
                continue;
            }
            let shift = 17 - z;
            for format in ["mvt", "geojson"] {
                if format == "geojson" && z < layer.geojson_minzoom {
                    continue;
                }
                let (_, bytes) = get(
                    &pool,
                    &format!(
                        "/tiles/{}/{z}/{}/{}.{format}",
                        layer.name,
                        x >> shift,
                        y >> shift
                    ),
                    &[],
                )
                .await;
                let features = if format == "mvt" {
                    decode_mvt(&bytes, layer.name)
                } else {
                    decode_geojson(&bytes)
                };
                for properties in features.values() {
                    for (key, value) in properties {
                        assert!(
                            !key.contains("holder") && !key.contains("id_number"),
                            "{key} in {}",
                            layer.name
                        );
                        if let Some(text) = value.as_str() {
                            assert!(
                                !personal.contains(text),
                                "personal data `{text}` in {} tile",
                                layer.name
                            );
                        }
                    }
                    checked += 1;
                }
                // and nothing that looks like an ID number anywhere in the raw bytes
                let raw = String::from_utf8_lossy(&bytes);
                assert!(
                    !people.iter().any(|(_, id)| raw.contains(id.as_str())),
                    "an ID number in {}",
                    layer.name
                );
            }
        }
    }
    assert!(checked > 100, "checked {checked} features");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn tiles_revalidate_with_etags_and_compress(pool: PgPool) {
    demo_city(&pool).await;
    let (_, (x, y)) = building_tile(&pool, 16).await;
    let uri = format!("/tiles/buildings/16/{x}/{y}.mvt");
    let (plain, plain_bytes) = get(&pool, &uri, &[]).await;
    let (zipped, zipped_bytes) = get(&pool, &uri, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    assert!(plain.headers().get("content-encoding").is_none());
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(zipped_bytes.as_slice())
        .read_to_end(&mut unzipped)
        .expect("gunzip");
    assert_eq!(unzipped, plain_bytes);
    assert!(zipped_bytes.len() < plain_bytes.len());
    let etag = plain.headers()["etag"].to_str().expect("etag").to_owned();
    assert_ne!(
        etag,
        zipped.headers()["etag"].to_str().expect("etag"),
        "one tag per representation"
    );
    assert_eq!(plain.headers()["cache-control"], "no-cache");
    let (again, body) = get(&pool, &uri, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    // the same tile twice gives the same bytes: deterministic order
    assert_eq!(get(&pool, &uri, &[]).await.1, plain_bytes);
    // a tile with no data in it (the middle of the Pacific) is an empty 204
    let (empty, body) = get(&pool, "/tiles/buildings/16/0/32768.mvt", &[]).await;
    assert_eq!(empty.status(), StatusCode::NO_CONTENT);
    assert!(body.is_empty());
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn bad_tile_requests_get_4xx_that_name_the_problem(pool: PgPool) {
    let cases = [
        (
            "/tiles/buildings/23/0/0.mvt",
            StatusCode::BAD_REQUEST,
            "zoom 23",
        ),
        (
            "/tiles/buildings/16/65536/0.mvt",
            StatusCode::BAD_REQUEST,
            "x = 65536",
        ),
        (
            "/tiles/buildings/16/0/65536.mvt",
            StatusCode::BAD_REQUEST,
            "y = 65536",
        ),
        (
            "/tiles/buildings/16/-1/0.mvt",
            StatusCode::BAD_REQUEST,
            "x `-1`",
        ),
        (
            "/tiles/buildings/z/0/0.mvt",
            StatusCode::BAD_REQUEST,
            "zoom `z`",
        ),
        (
            "/tiles/buildings/16/0/0",
            StatusCode::BAD_REQUEST,
            "no format",
        ),
        ("/tiles/buildings/16/0/0.png", StatusCode::NOT_FOUND, "png"),
        (
            "/tiles/households/16/0/0.mvt",
            StatusCode::NOT_FOUND,
            "unknown layer `households`",
        ),
        (
            "/tiles/buildings/10/0/0.mvt",
            StatusCode::NOT_FOUND,
            "below zoom 15",
        ),
        (
            "/tiles/buildings/16/0/0.geojson",
            StatusCode::NOT_FOUND,
            "GeoJSON tiles of layer buildings start at zoom 17",
        ),
        (
            "/tiles/households.json",
            StatusCode::NOT_FOUND,
            "unknown layer",
        ),
    ];
    for (uri, status, needle) in cases {
        let (response, body) = get(&pool, uri, &[]).await;
        assert_eq!(response.status(), status, "{uri}");
        let error: serde_json::Value = serde_json::from_slice(&body).expect("JSON error body");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains(needle), "{uri}: {message}");
    }
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn tilejson_describes_every_layer(pool: PgPool) {
    demo_city(&pool).await;
    for layer in &LAYERS {
        let (response, body) = get(&pool, &format!("/tiles/{}.json", layer.name), &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        let doc: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(doc["tilejson"], "3.0.0");
        assert_eq!(
            doc["tiles"][0],
            format!(
                "http://test.local/tiles/{}/{{z}}/{{x}}/{{y}}.mvt",
                layer.name
            )
        );
        assert_eq!(doc["minzoom"], layer.minzoom);
        assert_eq!(doc["vector_layers"][0]["id"], layer.name);
        let fields = doc["vector_layers"][0]["fields"]
            .as_object()
            .expect("fields");
        assert_eq!(fields.len(), layer.fields.len());
        let bounds: Vec<f64> = serde_json::from_value(doc["bounds"].clone()).expect("bounds");
        // within the two demo cities (the regions layer includes their whole outlines)
        assert!(
            bounds[0] > 110.0 && bounds[2] < 122.0 && bounds[1] > 28.0 && bounds[3] < 31.0,
            "{bounds:?}"
        );
        let centre: Vec<f64> = serde_json::from_value(doc["center"].clone()).expect("center");
        assert!(centre[0] >= bounds[0] && centre[0] <= bounds[2]);
    }
}
