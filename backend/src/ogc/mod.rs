//! OGC API - Features Part 1 (core, GeoJSON, OpenAPI 3.0) and Part 2 (CRS by reference): the
//! OpenAPI definition in `openapi`, the other documents in `documents`; `items` reads the
//! features.
pub mod collections;
pub mod cql2;
pub mod crs;
pub mod documents;
mod filter;
pub mod html;
pub mod items;
mod openapi;

pub use documents::{collection_document, collections_document, conformance, landing};
pub use openapi::openapi;

/// Not `…/conf/html`: the API definition, conformance and queryables are JSON only, though the
/// landing page, collections and features have HTML pages.
pub const CONFORMANCE: [&str; 10] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
];

/// Largest page a client gets (a larger `limit` is read as this); the default is `DEFAULT_LIMIT`.
/// Both are in the OpenAPI document, where GDAL and QGIS size their pages.
pub const MAX_LIMIT: i64 = 10_000;
pub const DEFAULT_LIMIT: i64 = 1_000;

/// The data's extent in CRS84 (west, south, east, north), if there is any data.
pub async fn extent(pool: &sqlx::PgPool) -> Result<Option<[f64; 4]>, sqlx::Error> {
    let e: (Option<f64>, Option<f64>, Option<f64>, Option<f64>) =
        sqlx::query_as(include_str!("../../sql/ogc/extent.sql"))
            .fetch_one(pool)
            .await?;
    Ok(match e {
        (Some(w), Some(s), Some(e), Some(n)) => Some([w, s, e, n]),
        _ => None,
    })
}

/// Each collection's extent in CRS84 (west, south, east, north), by collection id; an empty
/// collection has none.
pub async fn extents(
    pool: &sqlx::PgPool,
) -> Result<std::collections::HashMap<String, [f64; 4]>, sqlx::Error> {
    type Row = (String, Option<f64>, Option<f64>, Option<f64>, Option<f64>);
    let rows: Vec<Row> = sqlx::query_as(include_str!("../../sql/ogc/extents.sql"))
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, w, s, e, n)| Some((id, [w?, s?, e?, n?])))
        .collect())
}
