//! The one error type of the HTTP surface, mapped to JSON responses that name the problem.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request names something that does not exist: a layer, a format, a zoom outside a layer's range.
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed; the message says which part and why.
    #[error("{0}")]
    BadRequest(String),
    /// No valid session: the caller must log in.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller is logged in but may not do this (role or region).
    #[error("{0}")]
    Forbidden(String),
    /// The request is well-formed but its content is not acceptable; the message names the field.
    #[error("{0}")]
    Unprocessable(String),
    /// The upload is larger than the limit the message names.
    #[error("{0}")]
    TooLarge(String),
    /// Too many requests from this client; retry after so many seconds.
    #[error("{message}")]
    TooMany { message: String, retry_after: u64 },
    /// The subject changed since the caller read it; `current` is its state now.
    #[error("{message}")]
    Conflict {
        message: String,
        current: serde_json::Value,
    },
    /// The database failed; details go to the log, not to the client.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The server failed at something that was not the client's doing (GDAL or the XLSX
    /// writer on data the service made, a worker thread that died); the text goes to the log.
    #[error("internal error: {0}")]
    Internal(String),
    /// The service cannot do this now, for a reason the operator can fix or the client can
    /// wait out (a missing report font, every report slot busy); the message says which.
    #[error("{0}")]
    Unavailable(String),
}

/// The body of every error answer: a code from `code_of`, a message for people, and for a
/// conflict the subject's state now.
#[derive(Debug, serde::Serialize)]
pub struct ErrorBody<'a> {
    pub error: &'static str,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<&'a serde_json::Value>,
}

/// Attached to 5xx responses so the logging middleware can log the cause once.
#[derive(Clone, Debug)]
pub struct ServerErrorDetail(pub String);

impl AppError {
    /// The HTTP status this error is answered with.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn code(&self) -> &'static str {
        code_of(self.status())
    }

    /// A worker thread that panicked or was cancelled: the server's fault, never the request's.
    #[must_use]
    #[allow(clippy::needless_pass_by_value)] // shaped for map_err
    pub fn thread(what: &str, error: tokio::task::JoinError) -> Self {
        AppError::Internal(format!("{what}: {error}"))
    }
}

/// PostgreSQL's data exceptions (SQLSTATE class 22) that mean "this input value cannot be
/// stored or compared", with what to tell the client. The validators in `crate::validate` should
/// refuse such values first; these keep a missed one a 422 instead of a 500.
const DATA_EXCEPTIONS: [(&str, &str); 8] = [
    ("22001", "a text is too long for its field"),
    ("22003", "a number is out of range"),
    ("22007", "a date or time is malformed"),
    ("22008", "a date or time is out of range"),
    ("22021", "a text holds a NUL or an invalid byte"),
    ("22P02", "a value is malformed"),
    ("22P05", "a text holds a character that cannot be stored"),
    ("22025", "a text holds an invalid escape"),
];

/// The client's share of a database error caused by a value it sent, if that is what it is.
fn data_exception(error: &sqlx::Error) -> Option<String> {
    let db = error.as_database_error()?;
    let code = db.code()?;
    let (_, meaning) = DATA_EXCEPTIONS.iter().find(|(c, _)| *c == code)?;
    // worth a warning: a validator is missing in front of this query
    tracing::warn!(
        "a data exception reached the database ({code}: {}); answered 422",
        db.message()
    );
    Some(format!("{meaning}: {}", db.message()))
}

impl AppError {
    /// What the client may read of this error: a server fault's cause stays in the log. (Used
    /// where no response carries the error, such as a background import's status.)
    #[must_use]
    pub fn client_message(&self) -> String {
        if let AppError::Database(error) = self {
            if let Some(message) = data_exception(error) {
                return message;
            }
        }
        if self.status().is_server_error() && !matches!(self, AppError::Unavailable(_)) {
            "internal error".to_owned()
        } else {
            self.to_string()
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Database(error) = &self {
            if let Some(message) = data_exception(error) {
                return AppError::Unprocessable(message).into_response();
            }
        }
        let status = self.status();
        let message = self.client_message();
        let body = ErrorBody {
            error: self.code(),
            message: &message,
            current: match &self {
                AppError::Conflict { current, .. } => Some(current),
                _ => None,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let AppError::TooMany { retry_after, .. } = &self {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, (*retry_after).into());
        }
        if status.is_server_error() {
            response
                .extensions_mut()
                .insert(ServerErrorDetail(self.to_string()));
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The `error` code of an answer's status: one table for AppError's answers and for those
/// it did not make (axum's own 404, 405, 413, 415 …).
fn code_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::CONFLICT => "conflict",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "unprocessable",
        StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    }
}

/// Middleware: gives every 4xx/5xx answer that is not JSON yet (axum's 404 and 405, a plain-text
/// rejection of an extractor, a body-limit refusal) the `{error, message}` shape; the text it
/// had becomes the message. Headers such as `Allow` and `Retry-After` stay.
pub async fn error_bodies_as_json(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.starts_with("application/json") || v.starts_with("application/problem+json")
        });
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let message = if status.is_server_error() || text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        text
    };
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts.headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    let body = ErrorBody {
        error: code_of(status),
        message: &message,
        current: None,
    };
    let body = serde_json::to_string(&body).expect("an error body serialises");
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// The answer to a handler that panicked (for tower-http's `CatchPanicLayer::custom`): a JSON
/// 500 instead of a dropped connection; the panic's text goes to the log.
#[allow(clippy::needless_pass_by_value)] // the signature CatchPanicLayer calls
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let text = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    let body = ErrorBody {
        error: "internal",
        message: "internal error",
        current: None,
    };
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response();
    response
        .extensions_mut()
        .insert(ServerErrorDetail(format!("handler panicked: {text}")));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{header, Request};
    use axum::routing::get;
    use serde_json::json;
    use tower::ServiceExt;

    async fn answer(uri: &str, method: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let router = axum::Router::new()
            .route("/fine", get(|| async { "fine" }))
            .route(
                "/plain",
                get(|| async { (StatusCode::BAD_REQUEST, "plain words") }),
            )
            .route("/typed", get(|| async { AppError::Forbidden("no".into()) }))
            .layer(axum::middleware::from_fn(error_bodies_as_json));
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .body(Body::empty())
            .expect("a request");
        let response = router.oneshot(request).await.expect("an answer");
        let (parts, body) = response.into_parts();
        (
            parts.status,
            parts.headers,
            axum::body::to_bytes(body, 1 << 16)
                .await
                .expect("a body")
                .to_vec(),
        )
    }

    fn detail_of(response: &Response) -> String {
        response
            .extensions()
            .get::<ServerErrorDetail>()
            .map(|d| d.0.clone())
            .unwrap_or_default()
    }

    fn json_of(body: &[u8]) -> serde_json::Value {
        serde_json::from_slice(body).expect("a JSON body")
    }

    #[tokio::test]
    async fn plain_errors_get_the_json_shape_and_keep_their_headers() {
        let (status, _, body) = answer("/nowhere", "GET").await;
        assert_eq!(
            (status, json_of(&body)["error"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
        let (status, headers, body) = answer("/fine", "DELETE").await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(json_of(&body)["error"], "method_not_allowed");
        assert!(
            headers.contains_key(header::ALLOW),
            "405 keeps its Allow header"
        );
        let (status, _, body) = answer("/plain", "GET").await;
        assert_eq!(
            (status, json_of(&body)["message"].as_str()),
            (StatusCode::BAD_REQUEST, Some("plain words"))
        );
        let (_, _, body) = answer("/typed", "GET").await;
        assert_eq!(
            json_of(&body),
            json!({ "error": "forbidden", "message": "no" }),
            "JSON errors pass untouched"
        );
        let (status, _, body) = answer("/fine", "GET").await;
        assert_eq!(
            (status, body.as_slice()),
            (StatusCode::OK, b"fine".as_slice()),
            "successes pass untouched"
        );
    }

    #[tokio::test]
    async fn a_server_fault_is_a_generic_500_with_its_detail_for_the_log() {
        let response = AppError::Internal("GDAL could not write".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let detail = detail_of(&response);
        assert!(detail.contains("GDAL could not write"), "{detail}");
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("a body");
        assert_eq!(
            json_of(&body),
            json!({ "error": "internal", "message": "internal error" }),
            "the client learns nothing of the server's insides"
        );
    }

    #[tokio::test]
    async fn a_conflict_carries_its_current_state_even_when_null() {
        let conflict = AppError::Conflict {
            message: "moved on".into(),
            current: serde_json::Value::Null,
        };
        let body = axum::body::to_bytes(conflict.into_response().into_body(), 1 << 16)
            .await
            .expect("a body");
        assert_eq!(
            json_of(&body),
            json!({ "error": "conflict", "message": "moved on", "current": null })
        );
    }

    #[test]
    fn a_panic_is_a_json_500_with_its_text_for_the_log() {
        let response = panic_response(Box::new("chrono overflowed"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let detail = detail_of(&response);
        assert!(detail.contains("chrono overflowed"), "{detail}");
    }
}
