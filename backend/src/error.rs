//! The one error type of the HTTP surface, mapped to JSON responses that name the problem.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

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
    Conflict { message: String, current: serde_json::Value },
    /// The database failed; details go to the log, not to the client.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Attached to 5xx responses so the logging middleware can log the cause once.
#[derive(Clone, Debug)]
pub struct ServerErrorDetail(pub String);

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::Unprocessable(_) => "unprocessable",
            AppError::Conflict { .. } => "conflict",
            AppError::TooLarge(_) => "too_large",
            AppError::TooMany { .. } => "too_many_requests",
            AppError::Database(_) => "internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status.is_server_error() { "internal error".to_string() } else { self.to_string() };
        let mut body = json!({ "error": self.code(), "message": message });
        if let AppError::Conflict { current, .. } = &self {
            body["current"] = current.clone();
        }
        let mut response = (status, Json(body)).into_response();
        if let AppError::TooMany { retry_after, .. } = &self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, (*retry_after).into());
        }
        if status.is_server_error() {
            response.extensions_mut().insert(ServerErrorDetail(self.to_string()));
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;
