//! JSON request bodies whose rejections use the API's error shape and say what was wrong, and
//! which refuse control characters in any string before a handler sees the body.
use std::fmt::Write as _;

use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::AppError;
use crate::validate;

pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(request.headers()) {
            return Err(AppError::BadRequest(
                "body: send JSON with `Content-Type: application/json`".into(),
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge(format!("body: {}", e.body_text()))
            } else {
                AppError::BadRequest(format!("body: {}", e.body_text()))
            }
        })?;
        // read once as plain JSON to find a control character wherever it hides (NUL would
        // reach PostgreSQL, which refuses it), then again into T for errors that name the field
        let Json(document) = Json::<Value>::from_bytes(&bytes).map_err(rejection)?;
        if let Some((path, c)) = first_forbidden_char(&document, &mut String::new()) {
            let field = if path.is_empty() {
                "body".to_owned()
            } else {
                path
            };
            return Err(AppError::Unprocessable(format!(
                "{field}: contains the control character U+{:04X}; text may hold no control characters but tab and line breaks",
                u32::from(c)
            )));
        }
        Json::<T>::from_bytes(&bytes)
            .map(|Json(value)| JsonBody(value))
            .map_err(rejection)
    }
}

fn rejection(e: JsonRejection) -> AppError {
    match e {
        JsonRejection::JsonDataError(e) => {
            AppError::Unprocessable(format!("body: {}", e.body_text()))
        }
        e => AppError::BadRequest(format!("body: {}", e.body_text())),
    }
}

/// `application/json` or any `application/*+json`, as axum's own `Json` accepts.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The path (`changes[0].reason`) and character of the first string, key or value, holding a
/// character `validate::forbidden_char` names.
fn first_forbidden_char(value: &Value, path: &mut String) -> Option<(String, char)> {
    match value {
        Value::String(s) => validate::forbidden_char(s).map(|c| (path.clone(), c)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = path.len();
            let _ = write!(path, "[{i}]");
            let found = first_forbidden_char(item, path);
            path.truncate(len);
            found
        }),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&validate::shown(key));
            let found = validate::forbidden_char(key)
                .map(|c| (path.clone(), c))
                .or_else(|| first_forbidden_char(item, path));
            path.truncate(len);
            found
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_with_their_path() {
        let body: Value =
            serde_json::json!({ "changes": [{ "reason": "ok" }, { "reason": "a\u{0}b" }] });
        assert_eq!(
            first_forbidden_char(&body, &mut String::new()),
            Some(("changes[1].reason".into(), '\0'))
        );
        let key: Value = serde_json::json!({ "x\u{1}": 1 });
        assert!(first_forbidden_char(&key, &mut String::new()).is_some());
        let fine: Value = serde_json::json!({ "reason": "第一行\n第二行\t", "n": [1, null, true] });
        assert_eq!(first_forbidden_char(&fine, &mut String::new()), None);
    }

    #[test]
    fn json_content_types() {
        let with = |v: &str| {
            HeaderMap::from_iter([(header::CONTENT_TYPE, v.parse().expect("a header value"))])
        };
        assert!(is_json(&with("application/json; charset=utf-8")));
        assert!(is_json(&with("application/merge-patch+json")));
        assert!(!is_json(&with("text/plain")));
        assert!(!is_json(&HeaderMap::new()));
    }
}
