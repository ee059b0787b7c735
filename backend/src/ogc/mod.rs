//! OGC API - Features Part 1 (core, GeoJSON, OpenAPI 3.0) and Part 2 (CRS by reference): the
//! OpenAPI definition in `openapi`, the other documents in `documents`; `items` reads the
//! features.
pub mod collections;
pub mod crs;
pub mod documents;
pub mod items;
mod openapi;

pub use documents::{collection_document, collections_document, conformance, landing};
pub use openapi::openapi;

pub const CONFORMANCE: [&str; 4] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
];

/// Largest page a client may ask for; the default is `DEFAULT_LIMIT`.
pub const MAX_LIMIT: i64 = 10_000;
pub const DEFAULT_LIMIT: i64 = 100;

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
