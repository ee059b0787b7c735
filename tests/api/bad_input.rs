//! Bad input is answered with a 4xx JSON error naming the field, and writes nothing (issue 11,
//! finding 6 and the one error shape): each finding replayed, then hostile values swept over
//! every query, path and JSON field of the router.
mod findings;
mod hostile;
mod sweep;

use axum::body::Body;
use axum::http::request::Builder;
use axum::Router;
use onemap::{app, AppState};
use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::send_to;

/// One request through the router as served: status and body, or Err when the handler panicked
/// (a dropped connection for a real client).
pub async fn call(
    state: &AppState,
    request: Builder,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Result<(u16, Vec<u8>), String> {
    call_router(&app(state.clone()), request, token, content_type, body).await
}

/// `call` through a router built once (`app(state)`): the sweeps send thousands of requests.
pub async fn call_router(
    router: &Router,
    request: Builder,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Result<(u16, Vec<u8>), String> {
    let router = router.clone();
    let bearer = token.map(|t| format!("Bearer {t}"));
    let content_type = content_type.map(str::to_owned);
    let answer = tokio::spawn(async move {
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(b) = &bearer {
            headers.push(("authorization", b));
        }
        if let Some(c) = &content_type {
            headers.push(("content-type", c));
        }
        let (response, bytes) = send_to(&router, request, &headers, Body::from(body)).await;
        (response.status().as_u16(), bytes)
    })
    .await;
    answer.map_err(|e| format!("the handler panicked: {e}"))
}

/// Why an answer breaks the rule, if it does: a 5xx, or an error not shaped `{error, message}`.
pub fn broken(status: u16, body: &[u8]) -> Option<String> {
    let text = || {
        String::from_utf8_lossy(body)
            .chars()
            .take(300)
            .collect::<String>()
    };
    if status >= 500 {
        return Some(format!("answered {status}: {}", text()));
    }
    if status >= 400 {
        let shaped = serde_json::from_slice::<Value>(body).is_ok_and(|v| {
            v["error"].is_string() && v["code"].is_string() && v["message"].is_string()
        });
        if !shaped {
            return Some(format!(
                "answered {status} without the JSON error shape: {:?}",
                text()
            ));
        }
    }
    None
}

/// Asserts a refusal: a 4xx in the API's shape whose message names `field`; returns the message.
pub fn assert_refused(what: &str, answer: Result<(u16, Vec<u8>), String>, field: &str) -> String {
    let (status, body) = answer.unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        (400..500).contains(&status),
        "{what}: answered {status}: {}",
        String::from_utf8_lossy(&body)
    );
    if let Some(problem) = broken(status, &body) {
        panic!("{what}: {problem}");
    }
    let message = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_owned))
        .unwrap_or_default();
    assert!(
        message.contains(field),
        "{what}: the message does not name `{field}`: {message}"
    );
    message
}

/// Everything a write through the API may change, in one string, cheap enough to take after
/// each of thousands of requests: the last id of the append-only tables (a refused write rolls
/// back, so its ids are never seen), a hash of the rows of the small mutable ones, and the sum
/// of the row versions every status write bumps. Agreements follow overrides and payments.
pub async fn fingerprint(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "SELECT concat_ws(' ',
             (SELECT max(id) FROM audit_log), (SELECT max(id) FROM status_events), (SELECT max(id) FROM users),
             (SELECT count(*) FROM sessions), (SELECT max(id) FROM fund_allocations), (SELECT max(id) FROM payments),
             (SELECT max(id) FROM disclosures), (SELECT max(id) FROM attachments),
             (SELECT sum(hashtext(t::text)) FROM objections t), (SELECT sum(hashtext(t::text)) FROM payment_batches t),
             (SELECT sum(hashtext(t::text)) FROM compensation_standards t), (SELECT sum(hashtext(t::text)) FROM compensation_rates t),
             (SELECT sum(hashtext(t::text)) FROM compensation_incentives t), (SELECT sum(hashtext(t::text)) FROM compensation_overrides t),
             (SELECT sum(version) FROM households), (SELECT sum(version) FROM buildings), (SELECT sum(version) FROM parcels))",
    )
    .fetch_one(pool)
    .await
    .expect("the fingerprint query")
}

/// Percent-encodes every byte but RFC 3986's unreserved characters.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
