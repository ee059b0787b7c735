//! `/tiles/{layer}/{z}/{x}/{y}.mvt|.geojson`: tiles with ETag/304 and gzip.
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use std::sync::Arc;

use serde::Deserialize;

use super::extract::{Path, Query};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tiles::{
    accepts_gzip, etag_matches, layer, CachedTile, TileCoord, TileFormat, TileKey, LAYERS,
};

/// Status changes live, so clients may keep a tile but must revalidate it (a cheap 304).
const CACHE_CONTROL: &str = "no-cache";
/// A past day never changes: clients may keep its tiles for a day without asking.
const HISTORY_CACHE_CONTROL: &str = "private, max-age=86400";

#[derive(Deserialize)]
pub struct TileQuery {
    as_of: Option<String>,
    /// One work group's buildings only (`buildings` layer); such tiles are not cached.
    group: Option<i32>,
}

pub async fn tile(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path((layer_name, z, x, y_file)): Path<(String, String, String, String)>,
    Query(q): Query<TileQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let layer = layer(&layer_name).ok_or_else(|| unknown_layer(&layer_name))?;
    // a signing rush comes first: a map loading as fast as it can slows down a little (tiles::gate)
    state.tile_gate.yield_to_writes().await;
    // today's end is the live state: as_of today reads the live tiles and their cache. The
    // history's first day is checked only on a cache miss: a kept tile's day passed it before.
    let as_of = crate::history::past_only(crate::clock::past_day("as_of", q.as_of.as_deref())?);
    if as_of.is_some() && layer.history_sql.is_none() {
        return Err(AppError::BadRequest(format!(
            "as_of: layer {} has no history tiles (buildings, parcels, projects and regions have)",
            layer.name
        )));
    }
    if q.group.is_some() && !crate::tiles::has_groups(layer) {
        return Err(AppError::BadRequest(format!(
            "group: layer {} is not filtered by work group (buildings is)",
            layer.name
        )));
    }
    let (coord, format) = TileCoord::parse(&z, &x, &y_file)?;
    if coord.z < layer.minzoom {
        return Err(AppError::NotFound(format!(
            "layer {} has no tiles below zoom {} (asked for zoom {})",
            layer.name, layer.minzoom, coord.z
        )));
    }
    if format == TileFormat::GeoJson && coord.z < layer.geojson_minzoom {
        return Err(AppError::NotFound(format!(
            "GeoJSON tiles of layer {} start at zoom {} (MVT at {}); asked for zoom {}",
            layer.name, layer.geojson_minzoom, layer.minzoom, coord.z
        )));
    }
    let key = TileKey {
        layer: layer.name,
        z: coord.z,
        x: coord.x,
        y: coord.y,
        mvt: format == TileFormat::Mvt,
    };
    let kept_history = as_of.filter(|_| layer.past_is_final());
    let cached = match (as_of, q.group) {
        (_, Some(_)) => None,
        (None, None) => state.tile_cache.get(&key),
        (Some(_), None) => kept_history.and_then(|day| state.history_tiles.get(day, &key)),
    };
    let tile = if let Some(group) = q.group {
        group_tile(&state, layer, coord, format, q.as_of.as_deref(), group).await?
    } else if let Some(tile) = cached {
        tile
    } else {
        read_and_keep(&state, layer, coord, format, key, as_of, q.as_of.as_deref()).await?
    };
    let header_str = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .unwrap_or_default()
    };
    let gzipped = !tile.plain.is_empty() && accepts_gzip(header_str(header::ACCEPT_ENCODING));
    let etag = if gzipped { &tile.etag_gzip } else { &tile.etag };

    let content_type = match format {
        TileFormat::Mvt => "application/vnd.mapbox-vector-tile",
        TileFormat::GeoJson => "application/geo+json",
    };
    let builder = Response::builder()
        .header(header::ETAG, etag.clone())
        .header(
            header::CACHE_CONTROL,
            if kept_history.is_some() {
                HISTORY_CACHE_CONTROL
            } else {
                CACHE_CONTROL
            },
        )
        .header(header::VARY, "Accept-Encoding")
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    let response = if etag_matches(header_str(header::IF_NONE_MATCH), etag) {
        builder.status(StatusCode::NOT_MODIFIED).body(Body::empty())
    } else if tile.plain.is_empty() {
        // An empty MVT is a valid, featureless tile: 204 tells clients so without a body.
        builder.status(StatusCode::NO_CONTENT).body(Body::empty())
    } else if gzipped {
        builder
            .header(header::CONTENT_TYPE, content_type)
            .header(header::CONTENT_ENCODING, "gzip")
            .body(Body::from(tile.gzipped()))
    } else {
        builder
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(tile.plain.clone()))
    };
    Ok(response.expect("static headers are valid"))
}

/// One work group's tile: drawn for one page at a time, so read each time and never kept.
async fn group_tile(
    state: &AppState,
    layer: &'static crate::tiles::Layer,
    coord: TileCoord,
    format: TileFormat,
    as_of_text: Option<&str>,
    group: i32,
) -> AppResult<Arc<CachedTile>> {
    let as_of = crate::history::past_only(crate::history::as_of(&state.pool, as_of_text).await?);
    // never kept, so each one is a query: it waits its turn like a cache miss
    let _turn = state.tile_gate.enter().await?;
    Ok(Arc::new(CachedTile::new(
        state
            .tiles
            .fetch_of_group(&state.tile_pool, layer, coord, format, as_of, Some(group))
            .await?,
    )))
}

pub(super) fn unknown_layer(name: &str) -> AppError {
    let known: Vec<_> = LAYERS.iter().map(|l| l.name).collect();
    AppError::NotFound(format!(
        "unknown layer `{name}`: layers are {}",
        known.join(", ")
    ))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/tiles/{file}", get(super::tilejson::tilejson))
        .route("/tiles/{layer}/{z}/{x}/{y}", get(tile))
}

/// A tile the caches do not hold: read from the database and kept (a past day's apart).
async fn read_and_keep(
    state: &AppState,
    layer: &'static crate::tiles::Layer,
    coord: TileCoord,
    format: TileFormat,
    key: TileKey,
    as_of: Option<chrono::NaiveDate>,
    as_of_text: Option<&str>,
) -> AppResult<Arc<CachedTile>> {
    if as_of.is_some() {
        crate::history::as_of(&state.pool, as_of_text).await?;
    }
    // a storm of misses waits its turn here, not on the connections writes need (tiles::gate)
    let _turn = state.tile_gate.enter().await?;
    let epoch = state.tile_cache.epoch();
    let tile = Arc::new(CachedTile::new(
        state
            .tiles
            .fetch(&state.tile_pool, layer, coord, format, as_of)
            .await?,
    ));
    match as_of {
        None => state
            .tile_cache
            .insert_unless_evicted(key, tile.clone(), epoch),
        Some(day) if layer.past_is_final() => {
            state.history_tiles.insert(day, key, tile.clone());
        }
        Some(_) => {}
    }
    Ok(tile)
}
