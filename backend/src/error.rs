//! The one error type of the HTTP surface, mapped to JSON responses that name the problem.
pub mod codes;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

pub use codes::Code;

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
    /// The service is saturated with this kind of work (tiles: tiles::gate); 503 with
    /// `Retry-After`, so a client backs off instead of queueing more.
    #[error("{message}")]
    Busy { message: String, retry_after: u64 },
    /// Any of the above with the specific code (and its values) the pages word for people;
    /// built with `AppError::coded`.
    #[error("{}", .0.error)]
    Coded(Box<Coded>),
}

#[derive(Debug)]
pub struct Coded {
    pub code: Code,
    pub values: Value,
    pub error: AppError,
}

/// The body of every error answer: the status's class code (`error`), the stable specific code
/// (`code`, docs/errors.md) with the values its sentence names, a message in English for API
/// users, and for a conflict the subject's state now.
#[derive(Debug, serde::Serialize)]
pub struct ErrorBody<'a> {
    pub error: &'static str,
    pub code: &'static str,
    pub values: &'a Value,
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
            AppError::Unavailable(_) | AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Coded(c) => c.error.status(),
        }
    }

    /// This error answered with `code` and the `values` of its sentence's slots (an object).
    #[must_use]
    pub fn coded(self, code: Code, values: Value) -> Self {
        let error = match self {
            AppError::Coded(c) => c.error,
            e => e,
        };
        AppError::Coded(Box::new(Coded {
            code,
            values,
            error,
        }))
    }

    /// An error of `code`'s status with `message`, answered with `code` and `values` (a 429
    /// waits `values.retry_after` seconds).
    #[must_use]
    pub fn new(code: Code, message: String, values: Value) -> Self {
        let error = match code.status() {
            StatusCode::NOT_FOUND => AppError::NotFound(message),
            StatusCode::UNAUTHORIZED => AppError::Unauthorized(message),
            StatusCode::FORBIDDEN => AppError::Forbidden(message),
            StatusCode::UNPROCESSABLE_ENTITY => AppError::Unprocessable(message),
            StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge(message),
            StatusCode::CONFLICT => AppError::Conflict {
                message,
                current: Value::Null,
            },
            StatusCode::TOO_MANY_REQUESTS => AppError::TooMany {
                message,
                retry_after: values["retry_after"].as_u64().unwrap_or(1),
            },
            StatusCode::SERVICE_UNAVAILABLE => AppError::Unavailable(message),
            s if s.is_server_error() => AppError::Internal(message),
            _ => AppError::BadRequest(message),
        };
        error.coded(code, values)
    }

    /// The specific code of this answer and its values: the one a call site named, else one
    /// read from the kind of error (a message `field: …` names its field), else the class's.
    #[must_use]
    pub fn code(&self) -> (Code, Value) {
        match self {
            AppError::Coded(c) => (c.code, c.values.clone()),
            AppError::TooMany { retry_after, .. } => {
                (Code::TooManyRequests, json!({ "retry_after": retry_after }))
            }
            AppError::BadRequest(m) | AppError::Unprocessable(m) => {
                match (named_row(m), named_field(m)) {
                    (Some(row), _) => (Code::ImportRow, json!({ "row": row })),
                    (None, Some(field)) => (Code::InvalidField, json!({ "field": field })),
                    (None, None) => (Code::of_status(self.status()), json!({})),
                }
            }
            _ => (Code::of_status(self.status()), json!({})),
        }
    }

    /// The inner error of a coded one (itself otherwise): for code that rewrites messages.
    #[must_use]
    pub fn uncoded(&self) -> &AppError {
        match self {
            AppError::Coded(c) => &c.error,
            e => e,
        }
    }

    /// A worker thread that panicked or was cancelled: the server's fault, never the request's.
    #[must_use]
    #[allow(clippy::needless_pass_by_value)] // shaped for map_err
    pub fn thread(what: &str, error: tokio::task::JoinError) -> Self {
        AppError::Internal(format!("{what}: {error}"))
    }
}

/// The field a message `field: what is wrong` names: an identifier, perhaps with indexes and
/// dots (`payments[2].yuan`); None for a message of another shape.
fn named_field(message: &str) -> Option<&str> {
    let (field, _) = message.split_once(": ")?;
    let starts_well = field.starts_with(|c: char| c.is_ascii_alphabetic());
    let identifier = field
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-.[]".contains(c));
    (starts_well && identifier && field.len() <= 60).then_some(field)
}

/// The row a message `row 12: …` or `row 12 of `file`: …` is about.
fn named_row(message: &str) -> Option<u64> {
    let rest = message.strip_prefix("row ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = &rest[digits.len()..];
    (after.starts_with(':') || after.starts_with(" of ")).then(|| digits.parse().ok())?
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

/// What a client learns of an error where no response carries it (a background import's
/// status): its code, the values of its sentence and the message.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ClientError {
    pub code: Code,
    pub values: Value,
    pub message: String,
}

impl AppError {
    /// The error as a client may read it: a server fault's cause stays in the log.
    #[must_use]
    pub fn for_client(&self) -> ClientError {
        let (code, values) = self.code();
        ClientError {
            code,
            values,
            message: self.client_message(),
        }
    }

    /// What the client may read of this error: a server fault's cause stays in the log. (Used
    /// where no response carries the error, such as a background import's status.)
    #[must_use]
    pub fn client_message(&self) -> String {
        if let AppError::Database(error) = self.uncoded() {
            if let Some(message) = data_exception(error) {
                return message;
            }
        }
        if self.status().is_server_error()
            && !matches!(
                self.uncoded(),
                AppError::Unavailable(_) | AppError::Busy { .. }
            )
        {
            "internal error".to_owned()
        } else {
            self.to_string()
        }
    }
}

/// Whether the database refused a write because its project is archived (rule
/// `project_archived`, backend/sql/schema/projects_refuse_archived.sql): from any call site, a 409.
fn refused_as_archived(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|db| db.constraint() == Some("project_archived"))
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Database(error) = self.uncoded() {
            if let Some(message) = data_exception(error) {
                return AppError::new(Code::InvalidValue, message, json!({})).into_response();
            }
            if refused_as_archived(error) {
                // the trigger names the project in DETAIL, as every raised rule does
                let values = crate::refusals::raised_values(error);
                let message = format!(
                    "project {} is archived: its data is read-only",
                    values["project"].as_str().unwrap_or_default()
                );
                return AppError::new(Code::ProjectArchived, message, values).into_response();
            }
        }
        let status = self.status();
        let message = self.client_message();
        let (code, values) = self.code();
        let body = ErrorBody {
            error: Code::of_status(status).as_str(),
            code: code.as_str(),
            values: &values,
            message: &message,
            current: match self.uncoded() {
                AppError::Conflict { current, .. } => Some(current),
                _ => None,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let AppError::TooMany { retry_after, .. } | AppError::Busy { retry_after, .. } =
            self.uncoded()
        {
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
    let code = Code::of_status(status).as_str();
    let body = ErrorBody {
        error: code,
        code,
        values: &json!({}),
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
        code: "internal",
        values: &json!({}),
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
            json!({ "error": "forbidden", "code": "forbidden", "values": {}, "message": "no" }),
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
            json!({ "error": "internal", "code": "internal", "values": {}, "message": "internal error" }),
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
            json!({ "error": "conflict", "code": "conflict", "values": {}, "message": "moved on", "current": null })
        );
    }

    #[tokio::test]
    async fn a_coded_error_keeps_its_status_and_a_field_message_names_its_field() {
        let locked = AppError::TooMany {
            message: "locked".into(),
            retry_after: 90,
        }
        .coded(Code::LockedOut, json!({ "retry_after": 90, "minutes": 2 }));
        let response = locked.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(
            response.headers().contains_key(header::RETRY_AFTER),
            "Retry-After stays"
        );
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("a body");
        assert_eq!(
            json_of(&body),
            json!({ "error": "too_many_requests", "code": "locked_out", "values": { "retry_after": 90, "minutes": 2 }, "message": "locked" })
        );
        let field = AppError::Unprocessable("payments[2].yuan: is not a number".into());
        assert_eq!(
            field.code(),
            (Code::InvalidField, json!({ "field": "payments[2].yuan" }))
        );
        let sentence =
            AppError::Unprocessable("send either username and password, or kiosk_token".into());
        assert_eq!(
            sentence.code().0,
            Code::Unprocessable,
            "a sentence is not a field"
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
