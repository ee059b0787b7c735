//! `/ogc/...`: OGC API - Features for QGIS, GDAL and any client of the standard.
use std::collections::HashMap;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::base_url;
use super::extract::{Path, Query};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::ogc::collections::{collection, Collection};
use crate::ogc::crs::Crs;
use crate::ogc::documents::{
    feature_array, CollectionDocument, Collections, Conformance, FeatureCollection, Landing, Link,
};
use crate::ogc::items::{self, Filters};
use crate::ogc::{self as documents, DEFAULT_LIMIT, MAX_LIMIT};
use crate::state::AppState;

type Params = Query<HashMap<String, String>>;

/// Only `f=json` is served; any other parameter a document does not take is a 400 (the standard asks for it).
fn only_format(params: &HashMap<String, String>, allowed: &[&str]) -> AppResult<()> {
    for (name, value) in params {
        if name == "f" {
            if !matches!(
                value.as_str(),
                "json" | "geojson" | "application/json" | "application/geo+json"
            ) {
                return Err(AppError::BadRequest(format!(
                    "f: `{value}` is not served; only json"
                )));
            }
        } else if !allowed.contains(&name.as_str()) {
            return Err(AppError::BadRequest(format!(
                "{name}: unknown parameter here; known: {}",
                allowed.join(", ")
            )));
        }
    }
    Ok(())
}

pub async fn landing(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
    Query(params): Params,
) -> AppResult<Json<Landing>> {
    only_format(&params, &[])?;
    Ok(Json(documents::landing(&base_url(&state, &headers))))
}

pub async fn conformance(
    _user: CurrentUser,
    Query(params): Params,
) -> AppResult<Json<Conformance>> {
    only_format(&params, &[])?;
    Ok(Json(documents::conformance()))
}

pub async fn openapi(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
    Query(params): Params,
) -> AppResult<Response> {
    only_format(&params, &[])?;
    let body = documents::openapi(&base_url(&state, &headers));
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/vnd.oai.openapi+json;version=3.0",
        )],
        Json(body),
    )
        .into_response())
}

pub async fn collections(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
    Query(params): Params,
) -> AppResult<Json<Collections>> {
    only_format(&params, &[])?;
    Ok(Json(documents::collections_document(
        &base_url(&state, &headers),
        documents::extent(&state.pool).await?,
    )))
}

fn find(id: &str) -> AppResult<&'static Collection> {
    collection(id).ok_or_else(|| {
        AppError::NotFound(format!(
            "collection `{id}` does not exist: regions, projects, parcels or buildings"
        ))
    })
}

pub async fn describe(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Params,
) -> AppResult<Json<CollectionDocument>> {
    only_format(&params, &[])?;
    let c = find(&id)?;
    Ok(Json(documents::collection_document(
        &base_url(&state, &headers),
        c,
        documents::extent(&state.pool).await?,
    )))
}

/// `/ogc/collections/{id}/queryables`: what `items` may be filtered on.
pub async fn queryables(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Params,
) -> AppResult<Response> {
    only_format(&params, &[])?;
    let c = find(&id)?;
    let href = format!(
        "{}/ogc/collections/{}/queryables",
        base_url(&state, &headers),
        c.id
    );
    let body = crate::ogc::collections::queryables(c, &href).to_string();
    Ok(([(header::CONTENT_TYPE, "application/schema+json")], body).into_response())
}

fn geojson(body: String, crs: Crs) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "application/geo+json")], body).into_response();
    let value =
        HeaderValue::from_str(&format!("<{}>", crs.uri())).expect("a CRS URI is a valid header");
    response.headers_mut().insert("content-crs", value);
    response
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> AppResult<T> {
    value
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest(format!("{name}: `{value}` is not a number")))
}

/// `bbox` (with `bbox-crs`, CRS84 by default) as west, south, east, north in lon/lat order.
fn bbox_param(params: &HashMap<String, String>) -> AppResult<Option<([f64; 4], Crs)>> {
    let bbox_crs = params
        .get("bbox-crs")
        .map_or(Ok(Crs::Crs84), |v| Crs::parse("bbox-crs", v))?;
    match params.get("bbox") {
        Some(v) => {
            // `inf` and `NaN` parse as f64: only finite numbers make a box
            let numbers = v
                .split(',')
                .map(|n| crate::validate::finite_number("bbox", n).map_err(AppError::BadRequest))
                .collect::<AppResult<Vec<f64>>>()?;
            Ok(Some((bbox_crs.bbox_in_lon_lat_order(&numbers)?, bbox_crs)))
        }
        None if params.contains_key("bbox-crs") => Err(AppError::BadRequest(
            "bbox-crs: given without a bbox".into(),
        )),
        None => Ok(None),
    }
}

pub async fn items(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Params,
) -> AppResult<Response> {
    let c = find(&id)?;
    only_format(
        &params,
        &[
            "bbox", "bbox-crs", "crs", "limit", "cursor", "status", "stage", "project", "region",
        ],
    )?;
    let crs = params
        .get("crs")
        .map_or(Ok(Crs::Crs84), |v| Crs::parse("crs", v))?;
    let bbox = bbox_param(&params)?;
    let limit = params
        .get("limit")
        .map_or(Ok(DEFAULT_LIMIT), |v| number::<i64>("limit", v))?;
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "limit: between 1 and {MAX_LIMIT}, got {limit}"
        )));
    }
    let cursor = params
        .get("cursor")
        .map(|v| number::<i64>("cursor", v))
        .transpose()?;
    let filters = Filters {
        bbox,
        status: params.get("status").cloned(),
        stage: params.get("stage").cloned(),
        project: params.get("project").cloned(),
        region: params.get("region").cloned(),
    };
    let page = items::page(&state.pool, c, &filters, crs, limit, cursor).await?;

    let base = base_url(&state, &headers);
    let href = |cursor: Option<i64>| {
        let mut query: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| k.as_str() != "cursor" && k.as_str() != "limit")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        query.sort();
        query.push(("limit".into(), limit.to_string()));
        if let Some(cursor) = cursor {
            query.push(("cursor".into(), cursor.to_string()));
        }
        let encoded: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        format!(
            "{base}/ogc/collections/{}/items?{}",
            c.id,
            encoded.join("&")
        )
    };
    let mut links = vec![
        Link::new(href(cursor), "self", "application/geo+json", "this page"),
        Link::new(
            format!("{base}/ogc/collections/{}", c.id),
            "collection",
            "application/json",
            c.title,
        ),
    ];
    if let Some(next) = page.next_cursor {
        links.push(Link::new(
            href(Some(next)),
            "next",
            "application/geo+json",
            "next page",
        ));
    }
    let features = feature_array(&page.features)
        .map_err(|e| AppError::Internal(format!("ogc: PostGIS made invalid GeoJSON: {e}")))?;
    let body = serde_json::to_string(&FeatureCollection {
        kind: "FeatureCollection",
        number_matched: page.matched,
        number_returned: page.returned,
        time_stamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        links,
        features: &features,
    })
    .map_err(|e| AppError::Internal(format!("ogc: cannot serialise a page: {e}")))?;
    Ok(geojson(body, crs))
}

pub async fn item(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path((id, feature)): Path<(String, String)>,
    Query(params): Params,
) -> AppResult<Response> {
    let c = find(&id)?;
    only_format(&params, &["crs"])?;
    let crs = params
        .get("crs")
        .map_or(Ok(Crs::Crs84), |v| Crs::parse("crs", v))?;
    let feature_id: i64 = feature.parse().map_err(|_| {
        AppError::NotFound(format!(
            "feature `{feature}` does not exist: ids are integers"
        ))
    })?;
    let body = items::item(&state.pool, c, feature_id, crs)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{} has no feature {feature_id}", c.id)))?;
    Ok(geojson(body, crs))
}

/// Percent-encodes a query component (RFC 3986 unreserved characters pass).
fn encode(s: &str) -> String {
    use std::fmt::Write;
    s.bytes()
        .fold(String::with_capacity(s.len()), |mut out, b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "%{b:02X}");
            }
            out
        })
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/ogc", get(landing))
        .route("/ogc/conformance", get(conformance))
        .route("/ogc/api", get(openapi))
        .route("/ogc/collections", get(collections))
        .route("/ogc/collections/{id}", get(describe))
        .route("/ogc/collections/{id}/queryables", get(queryables))
        .route("/ogc/collections/{id}/items", get(items))
        .route("/ogc/collections/{id}/items/{feature}", get(item))
}
