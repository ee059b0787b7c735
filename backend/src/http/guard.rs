//! Every response's security headers, and the CSRF gate in front of state-changing routes:
//! a cookie alone never changes anything.
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;

/// The header a page's multipart uploads carry; a plain HTML form cannot set it.
pub const REQUESTED_WITH: &str = "x-requested-with";

/// Refuses a write that a page on another origin (or another port of this host) could have
/// made the browser send: a JSON body or a multipart body with `X-Requested-With`, and an
/// `Origin`, when given, equal to this service's own.
pub async fn csrf(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // Only credentials a browser attaches by itself can be abused this way: the session cookie
    // and remembered HTTP Basic. A bearer token is sent only by code that holds it, and a
    // request with no credentials has nothing to borrow (the public routes take JSON bodies).
    let headers = request.headers();
    let ambient = headers.contains_key(header::COOKIE)
        || headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("Basic "));
    if !ambient
        || matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS
        )
    {
        return next.run(request).await;
    }
    match check_write(&state, request.headers()) {
        Ok(()) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}

fn check_write(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let essence = content_type.split(';').next().unwrap_or("").trim();
    match essence {
        "application/json" => {}
        "multipart/form-data" if headers.contains_key(REQUESTED_WITH) => {}
        "multipart/form-data" => {
            return Err(AppError::Forbidden(format!(
                "{REQUESTED_WITH}: uploads must carry this header (a form on another site cannot)"
            ))
            .coded(crate::error::Code::CsrfHeaderMissing, serde_json::json!({})));
        }
        "" => return Err(AppError::BadRequest(
            "content-type: a write needs application/json (send `{}` when there is nothing to say)"
                .into(),
        )),
        other => {
            return Err(AppError::BadRequest(format!(
                "content-type: `{other}` is not accepted; send application/json"
            )))
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !same_origin(state, headers, origin) {
            return Err(AppError::Forbidden(format!(
                "origin: `{origin}` is not this service's origin"
            ))
            .coded(crate::error::Code::OriginMismatch, serde_json::json!({})));
        }
    }
    Ok(())
}

/// Whether `origin` (scheme://host[:port]) is the configured public URL or the Host the client used.
fn same_origin(state: &AppState, headers: &HeaderMap, origin: &str) -> bool {
    if let Some(public) = &state.public_url {
        if origin.eq_ignore_ascii_case(public.trim_end_matches('/')) {
            return true;
        }
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let without_scheme = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    !host.is_empty() && without_scheme.is_some_and(|o| o.eq_ignore_ascii_case(host))
}

/// Security headers for every answer: a CSP with no inline script, no framing (but for the wall
/// where configured), no referrer (a kiosk link carries its token), nosniff, and `no-store` on
/// the API, whose answers may hold personal data.
pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let wall = path == "/wall" || path.starts_with("/wall/");
    let personal = path.starts_with("/api/") || path.starts_with("/ogc") || path == "/events";
    let mut response = next.run(request).await;
    // the wall may be framed by the origins the operator named; everything else by nobody
    let framed = wall && !state.wall_frame_ancestors.is_empty();
    let [everywhere, on_the_wall] = state.csp.get_or_init(|| {
        [
            csp(&state.csp_sources, "'none'"),
            csp(&state.csp_sources, &state.wall_frame_ancestors.join(" ")),
        ]
    });
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        if framed { on_the_wall } else { everywhere }.clone(),
    );
    if !framed {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if personal && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The Content-Security-Policy with the operator's extra sources and who may frame the page:
/// made once per process (state.csp), not on every answer.
fn csp(sources: &[String], ancestors: &str) -> HeaderValue {
    let extra = sources.join(" ");
    let policy = format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: {extra}; \
         font-src 'self' data:; connect-src 'self' {extra}; worker-src 'self' blob:; child-src 'self' blob:; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
    );
    // the sources are checked origins (config::is_origin): the policy is a valid header value
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}
