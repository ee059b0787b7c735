//! A project's features for download: one layer as GeoJSON (parcel and building ids would
//! collide in one collection) or both as a GeoPackage, a layer each.
use sqlx::PgPool;

use crate::error::{AppError, AppResult};
use crate::ogc::collections::collection;
use crate::ogc::crs::Crs;
use crate::ogc::documents::{feature_array, NamedFeatureCollection};
use crate::ogc::items::{page, Filters};

/// The layers a project's features export as.
pub const LAYERS: [&str; 2] = ["parcels", "buildings"];

/// Project `code`'s `layer` as a GeoJSON FeatureCollection named `name`, in CRS84.
pub async fn geojson(pool: &PgPool, code: &str, layer: &str, name: &str) -> AppResult<Vec<u8>> {
    let c = collection(layer).expect("a known collection");
    let filters = Filters {
        project: Some(code.to_owned()),
        ..Filters::default()
    };
    let features = page(pool, c, &filters, Crs::Crs84, i64::MAX, None)
        .await?
        .features;
    let features = feature_array(&features)
        .map_err(|e| AppError::Internal(format!("export: PostGIS made invalid GeoJSON: {e}")))?;
    serde_json::to_vec(&NamedFeatureCollection {
        kind: "FeatureCollection",
        name,
        features: &features,
    })
    .map_err(|e| AppError::Internal(format!("export: cannot serialise the features: {e}")))
}

/// Project `code`'s parcels and buildings as a GeoPackage, a layer each.
pub async fn geopackage(pool: &PgPool, code: &str) -> AppResult<Vec<u8>> {
    let mut layers = Vec::new();
    for layer in LAYERS {
        let c = collection(layer).expect("a known collection");
        let sql = format!(
            "SELECT {}, ST_AsBinary(t.geom) FROM {} WHERE p.code = $1 ORDER BY t.id",
            c.properties, c.from
        );
        let rows: Vec<(serde_json::Value, Vec<u8>)> =
            sqlx::query_as(&sql).bind(code).fetch_all(pool).await?;
        layers.push((
            c,
            rows.into_iter()
                .map(|(properties, wkb)| crate::geopackage::Row { properties, wkb })
                .collect(),
        ));
    }
    let name = code.to_owned();
    tokio::task::spawn_blocking(move || crate::geopackage::write(&name, &layers))
        .await
        .map_err(|e| AppError::thread("export", e))?
}
