//! The OpenAPI 3.0 definition of the OGC API paths (QGIS reads its page-size maximum here).
use serde_json::{json, Value};

use super::collections::{Collection, COLLECTIONS};
use super::crs::{Crs, ALL};
use super::{DEFAULT_LIMIT, MAX_LIMIT};

/// The OpenAPI 3.0 definition of every path.
#[must_use]
pub fn openapi(base: &str) -> Value {
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/ogc".into(),
        get(
            "landing page",
            "getLandingPage",
            json_response("the landing page"),
        ),
    );
    paths.insert(
        "/ogc/conformance".into(),
        get(
            "conformance classes",
            "getConformance",
            json_response("conformance classes"),
        ),
    );
    paths.insert(
        "/ogc/collections".into(),
        get(
            "collections",
            "getCollections",
            json_response("the collections"),
        ),
    );
    for c in &COLLECTIONS {
        paths.extend(collection_paths(c));
    }
    json!({
        "openapi": "3.0.3",
        "info": { "title": "onemap OGC API - Features", "version": env!("CARGO_PKG_VERSION") },
        "servers": [{ "url": base }],
        // QGIS sizes its pages from this parameter's maximum
        "components": { "parameters": { "limit": param("limit", "features per page",
                            json!({ "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT })) },
                        "securitySchemes": { "basic": { "type": "http", "scheme": "basic" },
                                             "bearer": { "type": "http", "scheme": "bearer" } } },
        "security": [{ "basic": [] }, { "bearer": [] }],
        "paths": paths,
    })
}

/// A collection's three paths: its description, its pages of features, one feature.
fn collection_paths(c: &Collection) -> [(String, Value); 3] {
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
    if c.stage.is_some() {
        parameters.push(param(
            "stage",
            "procedure stage",
            json!({ "type": "string", "enum": super::collections::STAGES }),
        ));
    }
    let feature_schema = json!({ "type": "object", "properties": {
        "type": { "type": "string" }, "id": { "type": "integer" }, "geometry": { "type": "object" },
        "properties": { "type": "object", "properties": properties } } });
    [
        (
            format!("/ogc/collections/{}", c.id),
            get(
                c.title,
                &format!("describe_{}", c.id),
                json_response("the collection"),
            ),
        ),
        (
            format!("/ogc/collections/{}/items", c.id),
            json!({ "get": { "summary": format!("{} features", c.title), "operationId": format!("get_{}", c.id),
                "parameters": parameters,
                "responses": { "200": { "description": "a page of features",
                    "content": { "application/geo+json": { "schema": { "type": "object", "properties": {
                    "type": { "type": "string" }, "numberMatched": { "type": "integer" }, "numberReturned": { "type": "integer" },
                    "features": { "type": "array", "items": feature_schema } } } } } } } } }),
        ),
        (
            format!("/ogc/collections/{}/items/{{featureId}}", c.id),
            json!({ "get": { "summary": format!("one of {}", c.title), "operationId": format!("get_{}_item", c.id),
                "parameters": [{ "name": "featureId", "in": "path", "required": true, "schema": { "type": "integer" } },
                               param("crs", "CRS of the answer", crs)],
                "responses": { "200": { "description": "the feature", "content": { "application/geo+json": {} } },
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
