//! `Query`, `Path` and `Multipart` as axum's, but rejecting in the API's `{error, message}` shape
//! with the parameter named, and refusing control characters (NUL first of all, which PostgreSQL
//! cannot store) in any query or path parameter before a handler sees it.
//!
//! Handlers import these instead of axum's; the patterns stay the same (`Path(id): Path<i64>`).
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::validate;

/// The query string deserialized into `T`; 400 naming the parameter otherwise.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        // every name and value as the deserializer will see them (percent-decoded, `+` a space,
        // invalid UTF-8 replaced): any control character is refused whatever T makes of it
        let axum::extract::Query(pairs) =
            axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
                .map_err(|e| AppError::BadRequest(format!("query: {}", e.body_text())))?;
        for (name, value) in &pairs {
            validate::text("query", name).map_err(AppError::BadRequest)?;
            validate::text(&validate::shown(name), value).map_err(AppError::BadRequest)?;
        }
        match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            // the source is serde's error with the parameter's name first: `limit: invalid digit…`
            Err(e) => Err(AppError::BadRequest(
                std::error::Error::source(&e).map_or_else(|| e.body_text(), ToString::to_string),
            )),
        }
    }
}

/// The path parameters deserialized into `T`; 400 naming the parameter otherwise.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let raw = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::BadRequest(format!("path: {}", e.body_text())))?;
        let names: Vec<String> = raw.iter().map(|(name, _)| name.to_owned()).collect();
        for (name, value) in &raw {
            validate::text(name, value).map_err(AppError::BadRequest)?;
        }
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                Err(AppError::BadRequest(explain(e.into_kind(), &names)))
            }
            Err(e) => Err(AppError::BadRequest(format!("path: {}", e.body_text()))),
        }
    }
}

/// "id: `abc` is not a valid i64", naming the parameter wherever axum's error allows.
fn explain(kind: ErrorKind, names: &[String]) -> String {
    let only = || names.first().map_or("path", String::as_str).to_owned();
    let (name, value, expected) = match kind {
        ErrorKind::ParseErrorAtKey {
            key,
            value,
            expected_type,
        } => (key, value, expected_type),
        ErrorKind::ParseErrorAtIndex {
            index,
            value,
            expected_type,
        } => (
            names.get(index).cloned().unwrap_or_else(only),
            value,
            expected_type,
        ),
        ErrorKind::ParseError {
            value,
            expected_type,
        } => (only(), value, expected_type),
        ErrorKind::InvalidUtf8InPathParam { key } => {
            return format!("{key}: is not valid UTF-8 once percent-decoded")
        }
        ErrorKind::DeserializeError {
            key,
            value,
            message,
        } => return format!("{key}: `{}` {message}", validate::shown(&value)),
        other => return format!("path: {other}"),
    };
    let expected = match expected {
        "i64" | "i32" | "u32" | "u64" | "i16" | "u8" => "an integer in range",
        other => other,
    };
    format!("{name}: `{}` is not {expected}", validate::shown(&value))
}

/// `multipart/form-data` whose refusal (no boundary, not multipart) uses the API's shape.
pub struct Multipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for Multipart {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        axum::extract::Multipart::from_request(request, state)
            .await
            .map(Multipart)
            .map_err(|e| AppError::BadRequest(format!("body: {}", e.body_text())))
    }
}
