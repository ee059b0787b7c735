//! The tile pool: tiles read on connections of their own, each tile statement planned once
//! (a generic plan), carrying the same features as tiles read with a plan per tile.
use axum::body::Body;
use axum::http::Request;
use onemap::tiles::{TileGate, TileGateLimits};
use sqlx::PgPool;

use crate::helpers::{decode_mvt, demo_city, role_url, send, session, state, tile_of};

/// The tiles of every layer around one building (and its work group's tile), as paths.
async fn tiles_around_a_building(pool: &PgPool) -> Vec<(String, &'static str)> {
    let (lon, lat, group): (f64, f64, i32) = sqlx::query_as(
        "SELECT ST_X(c), ST_Y(c), g.id FROM (SELECT ST_PointOnSurface(b.geom) AS c, b.group_id
           FROM buildings b WHERE b.group_id IS NOT NULL ORDER BY b.id LIMIT 1) s
           JOIN work_groups g ON g.id = s.group_id",
    )
    .fetch_one(pool)
    .await
    .expect("a building held by a work group");
    let mut paths = Vec::new();
    for (layer, z) in [
        ("regions", 10u8),
        ("projects", 12),
        ("parcels", 16),
        ("buildings", 16),
        ("buildings", 18),
    ] {
        let (x, y) = tile_of(lon, lat, z);
        paths.push((format!("/tiles/{layer}/{z}/{x}/{y}.mvt"), layer));
    }
    let (x, y) = tile_of(lon, lat, 16);
    paths.push((
        format!("/tiles/buildings/16/{x}/{y}.mvt?group={group}"),
        "buildings",
    ));
    paths
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn tiles_on_the_tile_pool_are_planned_once_and_carry_the_same_features(pool: PgPool) {
    demo_city(&pool).await;
    let token = session(&pool, "planner", "viewer", None).await;
    let bearer = format!("Bearer {token}");
    // one state reads tiles on the service's pool (a plan per tile), the other on a tile pool of
    // one connection, so every tile statement it runs is on the session looked at below
    let shared = state(&pool).await;
    let mut split = state(&pool).await;
    split.tile_pool = onemap::db::tile_pool::connect(&role_url(&pool, "app").await, 1)
        .await
        .expect("tile pool");
    let paths = tiles_around_a_building(&pool).await;
    for _ in 0..2 {
        for (path, layer) in &paths {
            let mut features = Vec::new();
            for app in [&shared, &split] {
                app.tile_cache.evict(layer, [-1e9, -1e9, 1e9, 1e9]);
                let (response, bytes) = send(
                    app,
                    Request::get(path),
                    &[("authorization", &bearer)],
                    Body::empty(),
                )
                .await;
                assert_eq!(response.status(), 200, "{path}");
                features.push(decode_mvt(&bytes, layer));
            }
            assert!(!features[0].is_empty(), "{path}: features");
            assert_eq!(
                features[0], features[1],
                "{path}: the same features and properties"
            );
        }
    }
    let mut conn = split
        .tile_pool
        .acquire()
        .await
        .expect("the tile connection");
    let mode: String = sqlx::query_scalar("SHOW plan_cache_mode")
        .fetch_one(&mut *conn)
        .await
        .expect("setting");
    assert_eq!(mode, "force_generic_plan");
    // every tile statement ran on it with its one plan: twice each, none planned for a tile
    let (statements, generic, custom): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(generic_plans), 0)::int8, coalesce(sum(custom_plans), 0)::int8
           FROM pg_prepared_statements
          WHERE statement LIKE '%ST_AsMVT(%' AND statement NOT LIKE '%pg_prepared_statements%'",
    )
    .fetch_one(&mut *conn)
    .await
    .expect("prepared statements");
    assert_eq!(statements, 5, "one statement per layer and the group's");
    assert_eq!((generic, custom), (2 * paths.len() as i64, 0));
    // the service's pool keeps a plan per execution for its own reads
    let mode: String = sqlx::query_scalar("SHOW plan_cache_mode")
        .fetch_one(&shared.pool)
        .await
        .expect("setting");
    assert_eq!(mode, "auto");

    // a work group's tile is never kept, so it waits for a turn like a cache miss: none free, 503
    let gate = std::sync::Arc::new(TileGate::new(TileGateLimits {
        running: 1,
        waiting: 0,
        ..TileGateLimits::default()
    }));
    split.tile_gate = gate.clone();
    let _held = gate.enter().await.expect("the one turn");
    let (group_tile, _) = paths.last().expect("the group's tile");
    let (response, _) = send(
        &split,
        Request::get(group_tile),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 503, "{group_tile}");
}
