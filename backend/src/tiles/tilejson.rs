//! A layer's TileJSON 3.0 document, with `vector_layers` from the catalogue.
use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::PgPool;

use super::Layer;

/// The whole Web Mercator world, for a database without data.
const WORLD: [f64; 4] = [-180.0, -85.051_128_78, 180.0, 85.051_128_78];
/// The deepest zoom a client is centred at.
const CENTRE_MAX_ZOOM: u8 = 16;

#[derive(Serialize)]
pub struct VectorLayer {
    id: &'static str,
    description: &'static str,
    minzoom: u8,
    maxzoom: u8,
    fields: BTreeMap<&'static str, &'static str>,
}

#[derive(Serialize)]
pub struct TileJson {
    tilejson: &'static str,
    name: String,
    description: &'static str,
    version: &'static str,
    scheme: &'static str,
    tiles: [String; 1],
    minzoom: u8,
    maxzoom: u8,
    bounds: [f64; 4],
    /// Longitude, latitude, zoom; none without projects.
    center: Option<(f64, f64, u8)>,
    vector_layers: [VectorLayer; 1],
}

/// `layer`'s TileJSON with tile URLs under `base`. Bounds and centre come from small tables
/// (regions, projects) so this stays cheap at any scale.
pub async fn document(pool: &PgPool, layer: &Layer, base: &str) -> Result<TileJson, sqlx::Error> {
    let bounds = if layer.name == "regions" {
        crate::ogc::extent(pool).await?
    } else {
        let e: (Option<f64>, Option<f64>, Option<f64>, Option<f64>) =
            sqlx::query_as(include_str!("../../sql/tiles/projects_extent.sql"))
                .fetch_one(pool)
                .await?;
        match e {
            (Some(w), Some(s), Some(e), Some(n)) => Some([w, s, e, n]),
            _ => None,
        }
    };
    let centre: Option<(f64, f64)> = sqlx::query_as(include_str!("../../sql/tiles/centre.sql"))
        .fetch_optional(pool)
        .await?;
    let zoom = layer.minzoom.max(layer.maxzoom.min(CENTRE_MAX_ZOOM));
    Ok(TileJson {
        tilejson: "3.0.0",
        name: format!("onemap {}", layer.name),
        description: layer.description,
        version: env!("CARGO_PKG_VERSION"),
        scheme: "xyz",
        tiles: [format!("{base}/tiles/{}/{{z}}/{{x}}/{{y}}.mvt", layer.name)],
        minzoom: layer.minzoom,
        maxzoom: layer.maxzoom,
        bounds: bounds.unwrap_or(WORLD),
        center: centre.map(|(lon, lat)| (lon, lat, zoom)),
        vector_layers: [VectorLayer {
            id: layer.name,
            description: layer.description,
            minzoom: layer.minzoom,
            maxzoom: layer.maxzoom,
            fields: layer
                .fields
                .iter()
                .map(|f| (f.name, f.description))
                .collect(),
        }],
    })
}
