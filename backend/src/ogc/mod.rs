//! OGC API - Features Part 1 (core, GeoJSON, OpenAPI 3.0) and Part 2 (CRS by reference): the
//! OpenAPI definition here, the other documents in `documents`; `items` reads the features.
pub mod collections;
pub mod crs;
pub mod documents;
pub mod items;

pub use documents::{collection_document, collections_document, conformance, landing};

use serde_json::{json, Value};

use collections::COLLECTIONS;
use crs::{Crs, ALL};

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

/// The OpenAPI 3.0 definition of every path above.
#[must_use]
pub fn openapi(base: &str) -> Value {
    let crs_enum: Vec<&str> = ALL.map(Crs::uri).to_vec();
    let param = |name: &str, description: &str, schema: Value| json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema, "style": "form", "explode": false });
    let json_response = |description: &str| json!({ "200": { "description": description, "content": { "application/json": {} } } });
    let mut paths = serde_json::Map::new();
    paths.insert("/ogc".into(), json!({ "get": { "summary": "landing page", "operationId": "getLandingPage", "responses": json_response("the landing page") } }));
    paths.insert("/ogc/conformance".into(), json!({ "get": { "summary": "conformance classes", "operationId": "getConformance", "responses": json_response("conformance classes") } }));
    paths.insert("/ogc/collections".into(), json!({ "get": { "summary": "collections", "operationId": "getCollections", "responses": json_response("the collections") } }));
    for c in &COLLECTIONS {
        let properties: serde_json::Map<String, Value> = c
            .schema
            .iter()
            .map(|(name, kind, description)| {
                (
                    (*name).to_owned(),
                    json!({ "type": kind, "description": description }),
                )
            })
            .collect();
        let mut parameters = vec![
            param(
                "bbox",
                "west,south,east,north in bbox-crs axis order",
                json!({ "type": "array", "minItems": 4, "maxItems": 6, "items": { "type": "number" } }),
            ),
            param(
                "bbox-crs",
                "CRS of bbox",
                json!({ "type": "string", "format": "uri", "enum": crs_enum }),
            ),
            param(
                "crs",
                "CRS of the answer",
                json!({ "type": "string", "format": "uri", "enum": crs_enum }),
            ),
            json!({ "$ref": "#/components/parameters/limit" }),
            param(
                "cursor",
                "where the page starts: take it from the next link",
                json!({ "type": "integer" }),
            ),
            param(
                "region",
                "a region code: features in it and below",
                json!({ "type": "string" }),
            ),
        ];
        if c.by_project {
            parameters.push(param(
                "project",
                "a project code",
                json!({ "type": "string" }),
            ));
        }
        if let Some((_, statuses)) = c.status {
            parameters.push(param(
                "status",
                "status",
                json!({ "type": "string", "enum": statuses }),
            ));
        }
        let feature_schema = json!({ "type": "object", "properties": { "type": { "type": "string" }, "id": { "type": "integer" }, "geometry": { "type": "object" }, "properties": { "type": "object", "properties": properties } } });
        paths.insert(format!("/ogc/collections/{}", c.id), json!({ "get": { "summary": c.title, "operationId": format!("describe_{}", c.id), "responses": json_response("the collection") } }));
        paths.insert(
            format!("/ogc/collections/{}/items", c.id),
            json!({ "get": { "summary": format!("{} features", c.title), "operationId": format!("get_{}", c.id), "parameters": parameters,
                "responses": { "200": { "description": "a page of features", "content": { "application/geo+json": { "schema": { "type": "object", "properties": {
                    "type": { "type": "string" }, "numberMatched": { "type": "integer" }, "numberReturned": { "type": "integer" },
                    "features": { "type": "array", "items": feature_schema } } } } } } } } }),
        );
        paths.insert(
            format!("/ogc/collections/{}/items/{{featureId}}", c.id),
            json!({ "get": { "summary": format!("one of {}", c.title), "operationId": format!("get_{}_item", c.id),
                "parameters": [{ "name": "featureId", "in": "path", "required": true, "schema": { "type": "integer" } },
                               param("crs", "CRS of the answer", json!({ "type": "string", "format": "uri", "enum": crs_enum }))],
                "responses": { "200": { "description": "the feature", "content": { "application/geo+json": {} } }, "404": { "description": "no such feature" } } } }),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": { "title": "onemap OGC API - Features", "version": env!("CARGO_PKG_VERSION") },
        "servers": [{ "url": base }],
        // QGIS sizes its pages from this parameter's maximum
        "components": { "parameters": { "limit": param("limit", "features per page", json!({ "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT })) },
                        "securitySchemes": { "basic": { "type": "http", "scheme": "basic" }, "bearer": { "type": "http", "scheme": "bearer" } } },
        "security": [{ "basic": [] }, { "bearer": [] }],
        "paths": paths,
    })
}
