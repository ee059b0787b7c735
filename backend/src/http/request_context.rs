//! Around every request: its id (a proxy's well-formed `X-Request-Id`, else a new one) on a log
//! span, so every line logged while answering names it; the client behind a trusted proxy; its
//! latency in `/metrics` under the matched route template (never the raw path, which would
//! grow without bound); one access line (tiles: their span at debug, and their line unless an
//! error); the id in `X-Request-Id` and in every JSON error body.
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::metrics::METRICS;
use crate::state::AppState;

/// Largest error body the id is written into; larger ones (none are) pass unchanged.
const MAX_ERROR_BODY: usize = 1 << 20;

pub async fn request_context(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| well_formed(v))
        .map_or_else(new_id, str::to_owned);
    if let Some(peer) = crate::client::connected_peer(request.extensions()) {
        let forwarded = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        let client = crate::ops::proxy::client(peer, forwarded, &state.site.trusted_proxies);
        request
            .extensions_mut()
            .insert(crate::client::ClientAddr(client));
    }
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().clone();
    // tiles: the span too is at debug (recording its fields costs as much as the line)
    let tile = route.starts_with("/tiles/");
    let span = if tile {
        tracing::debug_span!("request", request_id = %id, method = %method, route = %route)
    } else {
        tracing::info_span!("request", request_id = %id, method = %method, route = %route)
    };
    let started = Instant::now();
    let response = next.run(request).instrument(span.clone()).await;
    let took = started.elapsed();
    let status = response.status().as_u16();
    METRICS.observe_request(&route, method.as_str(), status, took);
    let ms = took.as_secs_f64() * 1e3;
    // a map asks for tiles by the hundred, and the line cost a sixth of a kept tile's answer:
    // tiles answered without error are logged at debug (docs/operations.md, Logs)
    if status < 400 && tile {
        span.in_scope(|| tracing::debug!(status, ms, "answered"));
    } else {
        span.in_scope(|| tracing::info!(status, ms, "answered"));
    }
    with_id(response, &id).await
}

/// An id a proxy may hand on: short, and only characters that cannot break a log line.
fn well_formed(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn new_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// The response with its request's id in `X-Request-Id` and, for an error, in the JSON body.
async fn with_id(response: Response, id: &str) -> Response {
    let (mut parts, body) = response.into_parts();
    if let Ok(value) = HeaderValue::from_str(id) {
        parts.headers.insert("x-request-id", value);
    }
    let json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(parts.status.is_client_error() || parts.status.is_server_error()) || !json {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(mut object)) => {
            object.insert("request_id".into(), id.into());
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from(serde_json::Value::Object(object).to_string())
        }
        _ => Body::from(bytes),
    };
    Response::from_parts(parts, body)
}
