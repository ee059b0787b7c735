//! `/metrics`: the service's measurements in the Prometheus text format, on a separate address
//! (`--metrics-addr`, the only route there) or on the main one behind `--metrics-token`.
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::metrics::{gauge, head, METRICS};
use crate::state::AppState;

/// The text format's media type, version 0.0.4.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The measurements with the gauges read now: pools, tile cache, live feed, imports.
pub async fn render(state: &AppState) -> String {
    use std::fmt::Write as _;
    let mut g = String::new();
    head(
        &mut g,
        "onemap_db_pool_connections",
        "gauge",
        "Database connections by pool and state.",
    );
    let pools = [
        ("service", &state.pool),
        ("live", &state.live_pool),
        ("tiles", &state.tile_pool),
        ("public", &state.public_pool),
    ];
    for (name, pool) in pools {
        let (size, idle) = (pool.size(), pool.num_idle() as u32);
        let _ = writeln!(
            g,
            "onemap_db_pool_connections{{pool=\"{name}\",state=\"in_use\"}} {}",
            size.saturating_sub(idle)
        );
        let _ = writeln!(
            g,
            "onemap_db_pool_connections{{pool=\"{name}\",state=\"idle\"}} {idle}"
        );
    }
    head(
        &mut g,
        "onemap_db_pool_max_connections",
        "gauge",
        "The bound of each database pool.",
    );
    for (name, pool) in pools {
        let _ = writeln!(
            g,
            "onemap_db_pool_max_connections{{pool=\"{name}\"}} {}",
            pool.options().get_max_connections()
        );
    }
    let (tiles, bytes, limit) = state.tile_cache.usage();
    gauge(
        &mut g,
        "onemap_tile_cache_tiles",
        "Tiles in the cache.",
        tiles,
    );
    gauge(
        &mut g,
        "onemap_tile_cache_bytes",
        "Bytes the cached tiles hold (plain and gzipped).",
        bytes,
    );
    gauge(
        &mut g,
        "onemap_tile_cache_limit_bytes",
        "The cache's memory bound.",
        limit,
    );
    state.tile_gate.render(&mut g);
    let (events, seconds) = super::health::feed_lag(state).await.unwrap_or((-1, -1.0));
    gauge(
        &mut g,
        "onemap_feed_lag_events",
        "Events in the tables this instance has not yet broadcast (-1: database down).",
        events,
    );
    gauge(
        &mut g,
        "onemap_feed_lag_seconds",
        "How long the live feed has been behind the tables (0: caught up).",
        seconds,
    );
    let listening = state
        .hub
        .listening
        .load(std::sync::atomic::Ordering::Acquire);
    gauge(
        &mut g,
        "onemap_feed_listening",
        "1 while the live feed's LISTEN connection is up.",
        u8::from(listening),
    );
    let (running, finished) = state.imports.counts();
    head(
        &mut g,
        "onemap_import_jobs",
        "gauge",
        "Imports started through the pages, kept by this instance, by state.",
    );
    let _ = writeln!(g, "onemap_import_jobs{{state=\"running\"}} {running}\nonemap_import_jobs{{state=\"finished\"}} {finished}");
    head(&mut g, "onemap_build_info", "gauge", "The running version.");
    let _ = writeln!(
        g,
        "onemap_build_info{{version=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION")
    );
    METRICS.render(&g)
}

fn text(body: String) -> Response {
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response()
}

/// On the main address: only with the configured token (404 when none is: nothing to find).
async fn behind_token(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = &state.site.metrics_token else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !given.is_some_and(|g| super::auth::constant_time_eq(g.as_bytes(), token.as_bytes())) {
        return (StatusCode::UNAUTHORIZED, "a metrics token is needed").into_response();
    }
    text(render(&state).await)
}

async fn open(State(state): State<AppState>) -> Response {
    text(render(&state).await)
}

/// The main address's route.
pub(super) fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/metrics", axum::routing::get(behind_token))
}

/// The metrics address's whole service: `/metrics` alone, no token (the address is the guard).
pub fn metrics_app(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(open))
        .with_state(state)
}
