//! `/ogc/...`: OGC API - Features for QGIS, GDAL and any client of the standard.
use std::collections::HashMap;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;

use super::base_url;
use super::extract::{Path, Query};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::ogc::collections::{collection, Collection};
use crate::ogc::crs::Crs;
use crate::ogc::documents::{feature_array, Conformance, FeatureCollection, Link};
use crate::ogc::html::{self, Format};
use crate::ogc::items::{self, Filters};
use crate::ogc::{self as documents, DEFAULT_LIMIT, MAX_LIMIT};
use crate::state::AppState;

type Params = Query<HashMap<String, String>>;

/// Any parameter a document does not take is a 400 (the standard asks for it); `f` and the
/// `Accept` header choose JSON or HTML.
fn format(
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    allowed: &[&str],
) -> AppResult<Format> {
    if let Some(name) = params
        .keys()
        .find(|name| name.as_str() != "f" && !allowed.contains(&name.as_str()))
    {
        return Err(AppError::BadRequest(format!(
            "{name}: unknown parameter here; known: {}",
            allowed.join(", ")
        )));
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    html::negotiate(params.get("f").map(String::as_str), accept).map_err(AppError::BadRequest)
}

/// JSON documents only (conformance, the API definition, queryables): `f=html` is a 400.
fn only_json(params: &HashMap<String, String>) -> AppResult<()> {
    match format(&HeaderMap::new(), params, &[])? {
        Format::Json => Ok(()),
        Format::Html => Err(AppError::BadRequest("f: only json here".into())),
    }
}

/// `document` as JSON, or as an HTML page of its links with `body` under them.
fn respond<T: serde::Serialize>(
    format: Format,
    document: &T,
    title: &str,
    links: &[Link],
    body: impl FnOnce() -> String,
) -> Response {
    match format {
        Format::Json => Json(document).into_response(),
        Format::Html => Html(html::page(title, links, &body())).into_response(),
    }
}

pub async fn landing(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
    Query(params): Params,
) -> AppResult<Response> {
    let f = format(&headers, &params, &[])?;
    let document = documents::landing(&base_url(&state, &headers));
    Ok(respond(
        f,
        &document,
        document.title,
        &document.links,
        String::new,
    ))
}

pub async fn conformance(
    _user: CurrentUser,
    Query(params): Params,
) -> AppResult<Json<Conformance>> {
    only_json(&params)?;
    Ok(Json(documents::conformance()))
}

pub async fn openapi(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
    Query(params): Params,
) -> AppResult<Response> {
    only_json(&params)?;
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
) -> AppResult<Response> {
    let f = format(&headers, &params, &[])?;
    let document = documents::collections_document(
        &base_url(&state, &headers),
        &documents::extents(&state.pool).await?,
    );
    Ok(respond(
        f,
        &document,
        "collections",
        &document.links,
        || {
            document
                .collections
                .iter()
                .flat_map(|c| {
                    [
                        format!("<h2>{}</h2>", html::escape(c.title)),
                        html::links_list(&c.links),
                    ]
                })
                .collect()
        },
    ))
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
) -> AppResult<Response> {
    let f = format(&headers, &params, &[])?;
    let c = find(&id)?;
    let extent = documents::extents(&state.pool).await?.get(c.id).copied();
    let document = documents::collection_document(&base_url(&state, &headers), c, extent);
    Ok(respond(f, &document, c.title, &document.links, || {
        let extent = extent.map_or_else(
            || "none (no features)".into(),
            |[w, s, e, n]| format!("west {w}, south {s}, east {e}, north {n} (CRS84)"),
        );
        format!(
            "<p>{}</p><p>extent: {extent}</p>",
            html::escape(c.description)
        )
    }))
}

/// `/ogc/collections/{id}/queryables`: what `items` may be filtered on.
pub async fn queryables(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Params,
) -> AppResult<Response> {
    only_json(&params)?;
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

/// The filters of an items request: the queryables' parameters and a CQL2 text `filter`.
fn filters(params: &HashMap<String, String>, bbox: Option<([f64; 4], Crs)>) -> AppResult<Filters> {
    let filter = match params.get("filter") {
        None if params.contains_key("filter-lang") => {
            return Err(AppError::BadRequest(
                "filter-lang: given without a filter".into(),
            ))
        }
        None => None,
        Some(text) => {
            match params.get("filter-lang").map(String::as_str) {
                None | Some("cql2-text" | "cql-text") => {}
                Some(other) => {
                    return Err(AppError::BadRequest(format!(
                        "filter-lang: `{other}` is not read; cql2-text"
                    )))
                }
            }
            Some(crate::ogc::cql2::parse(text).map_err(AppError::BadRequest)?)
        }
    };
    Ok(Filters {
        bbox,
        status: params.get("status").cloned(),
        stage: params.get("stage").cloned(),
        project: params.get("project").cloned(),
        region: params.get("region").cloned(),
        code: params.get("code").cloned(),
        filter,
    })
}

const ITEMS_PARAMS: [&str; 12] = [
    "bbox",
    "bbox-crs",
    "crs",
    "limit",
    "cursor",
    "status",
    "stage",
    "project",
    "region",
    "code",
    "filter",
    "filter-lang",
];

pub async fn items(
    State(state): State<AppState>,
    _user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Params,
) -> AppResult<Response> {
    let c = find(&id)?;
    let f = format(&headers, &params, &ITEMS_PARAMS)?;
    let crs = params
        .get("crs")
        .map_or(Ok(Crs::Crs84), |v| Crs::parse("crs", v))?;
    let limit = params
        .get("limit")
        .map_or(Ok(DEFAULT_LIMIT), |v| number::<i64>("limit", v))?;
    if limit < 1 {
        return Err(AppError::BadRequest(format!(
            "limit: at least 1, got {limit}"
        )));
    }
    // the standard: a limit above the maximum is no error, the maximum is used
    let limit = limit.min(MAX_LIMIT);
    let cursor = params
        .get("cursor")
        .map(|v| number::<i64>("cursor", v))
        .transpose()?;
    let filters = filters(&params, bbox_param(&params)?)?;
    let page = items::page(&state.pool, c, &filters, crs, limit, cursor).await?;

    let base = base_url(&state, &headers);
    // this request's parameters with the page's limit, `cursor` and `f`
    let href = |cursor: Option<i64>, f: &str| {
        let mut query: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "cursor" | "limit" | "f"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        query.sort();
        query.push(("limit".into(), limit.to_string()));
        if let Some(cursor) = cursor {
            query.push(("cursor".into(), cursor.to_string()));
        }
        if f == "html" {
            query.push(("f".into(), "html".into()));
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
    let (here, there) = match f {
        Format::Json => (("json", "application/geo+json"), ("html", "text/html")),
        Format::Html => (("html", "text/html"), ("json", "application/geo+json")),
    };
    let mut links = vec![
        Link::new(href(cursor, here.0), "self", here.1, "this page"),
        Link::new(
            href(cursor, there.0),
            "alternate",
            there.1,
            &format!("this page as {}", there.0),
        ),
        Link::new(
            format!("{base}/ogc/collections/{}", c.id),
            "collection",
            "application/json",
            c.title,
        ),
    ];
    if let Some(next) = page.next_cursor {
        links.push(Link::new(
            href(Some(next), here.0),
            "next",
            here.1,
            "next page",
        ));
    }
    let features = feature_array(&page.features)
        .map_err(|e| AppError::Internal(format!("ogc: PostGIS made invalid GeoJSON: {e}")))?;
    if f == Format::Html {
        let list: Vec<serde_json::Value> = serde_json::from_str(features.get())
            .map_err(|e| AppError::Internal(format!("ogc: PostGIS made invalid GeoJSON: {e}")))?;
        let body = format!(
            "<p>{} of {} features</p>{}",
            page.returned,
            page.matched,
            html::features_table(&list)
        );
        return Ok(Html(html::page(c.title, &links, &body)).into_response());
    }
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
    headers: HeaderMap,
    Path((id, feature)): Path<(String, String)>,
    Query(params): Params,
) -> AppResult<Response> {
    let c = find(&id)?;
    let f = format(&headers, &params, &["crs"])?;
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
    if f == Format::Html {
        let feature: serde_json::Value = serde_json::from_str(&body)
            .map_err(|e| AppError::Internal(format!("ogc: PostGIS made invalid GeoJSON: {e}")))?;
        let base = base_url(&state, &headers);
        let links = [Link::new(
            format!("{base}/ogc/collections/{}/items/{feature_id}", c.id),
            "alternate",
            "application/geo+json",
            "as GeoJSON",
        )];
        let title = format!("{} {feature_id}", c.title);
        return Ok(Html(html::page(
            &title,
            &links,
            &html::features_table(&[feature]),
        ))
        .into_response());
    }
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
        // the OpenAPI path `/` under the server URL `…/ogc`
        .route("/ogc/", get(landing))
        .route("/ogc/conformance", get(conformance))
        .route("/ogc/api", get(openapi))
        .route("/ogc/collections", get(collections))
        .route("/ogc/collections/{id}", get(describe))
        .route("/ogc/collections/{id}/queryables", get(queryables))
        .route("/ogc/collections/{id}/items", get(items))
        .route("/ogc/collections/{id}/items/{feature}", get(item))
}
