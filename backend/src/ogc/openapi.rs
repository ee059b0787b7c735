//! The OpenAPI 3.0 definition of the OGC API paths. Paths are relative to the server URL, the
//! landing page (`…/ogc`), as GDAL and QGIS resolve them; they read the page size (`limit`'s
//! default and maximum) and the filter languages (`filter-lang`) from the items paths.
use serde_json::{json, Value};

use super::collections::{queryables_of, Collection, Queryable, COLLECTIONS};
use super::crs::{Crs, ALL};
use super::{DEFAULT_LIMIT, MAX_LIMIT};

/// The OpenAPI 3.0 definition of every path; `base` is the service's origin (without `/ogc`).
#[must_use]
pub fn openapi(base: &str) -> Value {
    let mut paths = serde_json::Map::new();
    for (path, summary, operation) in [
        ("/", "landing page", "getLandingPage"),
        ("/conformance", "conformance classes", "getConformance"),
        ("/collections", "the collections", "getCollections"),
    ] {
        paths.insert(path.into(), get(summary, operation, json_response(summary)));
    }
    paths.insert(
        "/api".into(),
        get(
            "this API definition",
            "getAPI",
            json!({ "200": { "description": "this document",
            "content": { "application/vnd.oai.openapi+json;version=3.0": {} } } }),
        ),
    );
    for c in &COLLECTIONS {
        paths.extend(collection_paths(c));
    }
    json!({
        "openapi": "3.0.3",
        "info": { "title": "onemap OGC API - Features", "version": env!("CARGO_PKG_VERSION") },
        "servers": [{ "url": format!("{base}/ogc") }],
        // GDAL and QGIS size their pages from this parameter's default and maximum
        "components": { "parameters": { "limit": param("limit", "features per page; more than the maximum is read as the maximum",
                            json!({ "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT })) },
                        "securitySchemes": { "basic": { "type": "http", "scheme": "basic" },
                                             "bearer": { "type": "http", "scheme": "bearer" } } },
        "security": [{ "basic": [] }, { "bearer": [] }],
        "paths": paths,
    })
}

/// `f`: the representation (JSON, or HTML for a browser).
fn format_param() -> Value {
    param(
        "f",
        "json (the default) or html",
        json!({ "type": "string", "enum": ["json", "html"] }),
    )
}

/// The query parameters of a collection's queryables: the same names as the properties, so
/// GDAL sends its `-where` to the server.
fn queryable_params(c: &Collection) -> Vec<Value> {
    queryables_of(c)
        .into_iter()
        .map(|(name, q)| match q {
            Queryable::Code => param(name, "a feature code", json!({ "type": "string" })),
            Queryable::Project => param(name, "a project code", json!({ "type": "string" })),
            Queryable::Region => param(
                name,
                "a region code: features in it and below",
                json!({ "type": "string" }),
            ),
            Queryable::Ordered(_, values) => {
                param(name, name, json!({ "type": "string", "enum": values }))
            }
        })
        .collect()
}

/// A collection's paths: its description, its queryables, its pages of features, one feature.
fn collection_paths(c: &Collection) -> [(String, Value); 4] {
    let crs = json!({ "type": "string", "format": "uri", "enum": ALL.map(Crs::uri) });
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
        param("bbox-crs", "CRS of bbox", crs.clone()),
        param("crs", "CRS of the answer", crs.clone()),
        json!({ "$ref": "#/components/parameters/limit" }),
        param(
            "cursor",
            "where the page starts: take it from the next link",
            json!({ "type": "integer" }),
        ),
    ];
    parameters.extend(queryable_params(c));
    parameters.push(param(
        "filter",
        "a CQL2 text filter on the queryables, e.g. status IN ('signed','vacated') AND region = '110105'",
        json!({ "type": "string" }),
    ));
    // `cql-text` is the name GDAL's OAPIF driver looks for before it sends a filter
    parameters.push(param(
        "filter-lang",
        "cql2-text (cql-text is read the same)",
        json!({ "type": "string", "enum": ["cql2-text", "cql-text"], "default": "cql2-text" }),
    ));
    parameters.push(format_param());
    let feature_schema = json!({ "type": "object", "properties": {
        "type": { "type": "string" }, "id": { "type": "integer" }, "geometry": { "type": "object" },
        "properties": { "type": "object", "properties": properties } } });
    [
        (
            format!("/collections/{}", c.id),
            get(
                c.title,
                &format!("describe_{}", c.id),
                json_response("the collection"),
            ),
        ),
        (
            format!("/collections/{}/queryables", c.id),
            get(
                &format!("queryables of {}", c.id),
                &format!("queryables_{}", c.id),
                json!({ "200": { "description": "the queryables as JSON Schema", "content": { "application/schema+json": {} } } }),
            ),
        ),
        (
            format!("/collections/{}/items", c.id),
            json!({ "get": { "summary": format!("{} features", c.title), "operationId": format!("get_{}", c.id),
                "parameters": parameters,
                "responses": { "200": { "description": "a page of features",
                    "content": { "application/geo+json": { "schema": { "type": "object", "properties": {
                    "type": { "type": "string" }, "numberMatched": { "type": "integer" }, "numberReturned": { "type": "integer" },
                    "features": { "type": "array", "items": feature_schema } } } }, "text/html": {} } },
                    "400": { "description": "a parameter or the filter is wrong; the message names it" } } } }),
        ),
        (
            format!("/collections/{}/items/{{featureId}}", c.id),
            json!({ "get": { "summary": format!("one of {}", c.title), "operationId": format!("get_{}_item", c.id),
                "parameters": [{ "name": "featureId", "in": "path", "required": true, "schema": { "type": "integer" } },
                               param("crs", "CRS of the answer", crs), format_param()],
                "responses": { "200": { "description": "the feature", "content": { "application/geo+json": {}, "text/html": {} } },
                               "404": { "description": "no such feature" } } } }),
        ),
    ]
}

/// A query parameter, as OGC API - Features writes them (form style, not exploded).
fn param(name: &str, description: &str, schema: Value) -> Value {
    let mut param = json!({ "name": name, "in": "query", "required": false, "description": description,
                            "style": "form", "explode": false });
    param["schema"] = schema;
    param
}

fn json_response(description: &str) -> Value {
    json!({ "200": { "description": description, "content": { "application/json": {} } } })
}

fn get(summary: &str, operation: &str, responses: Value) -> Value {
    let mut get = json!({ "summary": summary, "operationId": operation });
    get["responses"] = responses;
    json!({ "get": get })
}
