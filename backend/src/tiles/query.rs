//! The one query path of every tile: a layer's feature SQL wrapped into an MVT or a GeoJSON
//! encoder. Both encoders read the same `kept` rows, so the two formats carry the same
//! features; identifiers in the SQL come only from the fixed layer catalogue.
use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::PgPool;

use super::coords::{TileCoord, TileFormat};
use super::layers::{Layer, LAYERS};

/// MVT extent and buffer in tile units (DESIGN.md: extent 4096, buffer 64).
const EXTENT: u32 = 4096;
const BUFFER: u32 = 64;

/// A layer's composed SQL per (layer, is-MVT, as of a past day, of one work group only).
pub struct TileQueries {
    sql: HashMap<(&'static str, bool, bool, bool), String>,
}

/// Whether a layer's features carry `group_id`, and so may be filtered by work group.
#[must_use]
pub fn has_groups(layer: &Layer) -> bool {
    layer.fields.iter().any(|f| f.name == "group_id")
}

/// The features of one work group: the group is the parameter after the layer's own.
fn of_group(sql: &str, history: bool) -> String {
    format!(
        "SELECT * FROM (\n{}\n) unfiltered WHERE unfiltered.group_id = ${}",
        sql.trim_end().trim_end_matches(';'),
        if history { 5 } else { 4 }
    )
}

impl TileQueries {
    #[must_use]
    pub fn compose() -> Self {
        let mut sql = HashMap::new();
        for layer in &LAYERS {
            let mut variants = vec![(false, layer.sql)];
            variants.extend(layer.history_sql.map(|h| (true, h)));
            for (history, features) in variants {
                sql.insert((layer.name, true, history, false), mvt_sql(layer, features));
                sql.insert(
                    (layer.name, false, history, false),
                    geojson_sql(layer, features),
                );
                if has_groups(layer) {
                    let group = of_group(features, history);
                    sql.insert((layer.name, true, history, true), mvt_sql(layer, &group));
                    sql.insert(
                        (layer.name, false, history, true),
                        geojson_sql(layer, &group),
                    );
                }
            }
        }
        Self { sql }
    }

    /// The SQL run for one layer and format, live or as of a past day (exposed for
    /// benchmarks and EXPLAIN); None for a layer without history tiles.
    #[must_use]
    pub fn sql(&self, layer: &Layer, format: TileFormat, history: bool) -> Option<&str> {
        self.sql
            .get(&(layer.name, format == TileFormat::Mvt, history, false))
            .map(String::as_str)
    }

    /// Encoded tile bytes (uncompressed), live or as they stood at the end of `as_of`; empty
    /// when no feature falls in the tile. The caller checks `history_sql` before asking for
    /// a past day.
    pub async fn fetch(
        &self,
        pool: &PgPool,
        layer: &Layer,
        tile: TileCoord,
        format: TileFormat,
        as_of: Option<NaiveDate>,
    ) -> Result<Vec<u8>, sqlx::Error> {
        self.fetch_of_group(pool, layer, tile, format, as_of, None)
            .await
    }

    /// `fetch`, of work group `group` only when given (layers with `has_groups`; empty else).
    pub async fn fetch_of_group(
        &self,
        pool: &PgPool,
        layer: &Layer,
        tile: TileCoord,
        format: TileFormat,
        as_of: Option<NaiveDate>,
        group: Option<i32>,
    ) -> Result<Vec<u8>, sqlx::Error> {
        let key = (
            layer.name,
            format == TileFormat::Mvt,
            as_of.is_some(),
            group.is_some(),
        );
        let Some(sql) = self.sql.get(&key) else {
            return Ok(Vec::new());
        };
        // Prepared and cached per connection by sqlx: planning is half the cost of a tile.
        let mut query = sqlx::query_scalar::<_, Option<Vec<u8>>>(sql)
            .bind(i32::from(tile.z))
            .bind(tile.x as i32)
            .bind(tile.y as i32);
        if let Some(day) = as_of {
            query = query.bind(day);
        }
        if let Some(group) = group {
            query = query.bind(group);
        }
        Ok(query.fetch_one(pool).await?.unwrap_or_default())
    }
}

/// Shared head: the tile envelope, the layer's features, their MVT geometry. Features whose
/// geometry vanishes at this zoom (ST_AsMVTGeom returns NULL) are dropped for both formats
/// (ST_AsMVT skips a NULL geometry itself, so the MVT query needs no filter, which would make
/// PostgreSQL compute every geometry twice). `tile` is inlined (NOT MATERIALIZED): the envelopes are then
/// constants of the plan, and a dense tile's features are read by a bitmap scan of the GiST
/// index in heap order instead of one heap visit per index entry (with the filter gone, a
/// third of the time of a dense z16 buildings tile at a million buildings).
fn kept_features(sql: &str) -> String {
    format!(
        "WITH tile AS NOT MATERIALIZED (
    SELECT ST_TileEnvelope($1, $2, $3) AS envelope,
           ST_TileEnvelope($1, $2, $3, margin => {BUFFER}.0 / {EXTENT}) AS search
), features AS (
{sql}
), kept AS (
    SELECT features.*, ST_AsMVTGeom(features.geom_3857, tile.envelope, {EXTENT}, {BUFFER}, true) AS mvt_geom
      FROM features, tile
)",
        sql = sql.trim_end().trim_end_matches(';'),
    )
}

fn field_list(layer: &Layer) -> String {
    layer
        .fields
        .iter()
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Features in the order the index scan finds them, not sorted by id: the same data read by
/// the same plan gives the same bytes (and ETag), and the sort of 1,300 encoded features was
/// a twelfth of a dense z16 tile (0.5 of 6.2 ms, issue 19). A tile read once by another plan
/// shape may order differently: its clients then download it once more, nothing else.
fn mvt_sql(layer: &Layer, features: &str) -> String {
    format!(
        "{head}
SELECT ST_AsMVT(t, '{name}', {EXTENT}, 'mvt_geom', 'id')
  FROM (SELECT id, {fields}, mvt_geom FROM kept) t",
        head = kept_features(features),
        name = layer.name,
        fields = field_list(layer),
    )
}

fn geojson_sql(layer: &Layer, features: &str) -> String {
    let properties = layer
        .fields
        .iter()
        .map(|f| format!("'{0}', {0}", f.name))
        .collect::<Vec<_>>()
        .join(", ");
    // RFC 7946: WGS84 lon/lat, clipped to the same buffered envelope. Decimals follow the MVT
    // grid (1e-6 degree is about 0.1 m, finer than a z16 tile unit), 7 beyond z16. Built as
    // text because json_build_object pads every key with spaces (a fifth of a dense tile).
    format!(
        "{head}
SELECT convert_to('{{\"type\":\"FeatureCollection\",\"features\":[' || coalesce(string_agg(
    '{{\"type\":\"Feature\",\"id\":' || id
    || ',\"properties\":' || json_strip_nulls(json_build_object({properties}))::text
    || ',\"geometry\":' || ST_AsGeoJSON(ST_Transform(ST_ClipByBox2D(geom_3857, (SELECT search FROM tile)), 4326),
                                        CASE WHEN $1 <= 16 THEN 6 ELSE 7 END) || '}}',
    ',' ORDER BY id), '') || ']}}', 'UTF8')
  FROM kept WHERE mvt_geom IS NOT NULL",
        head = kept_features(features),
    )
}
