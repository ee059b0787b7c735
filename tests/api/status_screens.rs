//! The reads behind the status screens: the building document names each household's last
//! event (who, from, to), a household's building answers the same, and find-by-code keeps an
//! operator inside their region.
use axum::body::Body;
use axum::http::Request;
use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::{demo_city, post_json, send, session, state};

async fn json(pool: &PgPool, uri: &str, token: &str) -> (u16, Value) {
    let bearer = format!("Bearer {token}");
    let (response, body) = send(
        &state(pool).await,
        Request::get(uri),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    (
        response.status().as_u16(),
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

/// Household `id` of a building document.
fn household_in(doc: &Value, id: i64) -> Value {
    doc["households"]
        .as_array()
        .and_then(|hs| hs.iter().find(|h| h["id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("household {id} is not in {doc}"))
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn status_screens_read_last_events_and_find_by_code_in_scope(pool: PgPool) {
    demo_city(&pool).await;
    let (household, building, code, district, other): (i64, i64, String, String, String) = sqlx::query_as(
        "SELECT h.id, b.id, h.code, d.code, (SELECT code FROM regions WHERE level = 'district' AND code <> d.code LIMIT 1)
           FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
           JOIN regions r ON r.id = p.region_id JOIN regions d ON d.id = ANY (r.lineage) AND d.level = 'district'
          WHERE h.status = 'pending' ORDER BY h.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a pending household");
    let admin = session(&pool, "screens-admin", "admin", None).await;
    let (status, doc) = json(&pool, &format!("/api/buildings/{building}"), &admin).await;
    assert_eq!(status, 200, "{doc}");
    let h = household_in(&doc, household);
    assert_eq!(h["code"], code.as_str());
    let version = h["version"].as_i64().expect("a version");

    let change = format!(
        r#"{{"changes":[{{"subject":"household","id":{household},"to":"surveyed","version":{version}}}]}}"#
    );
    let (written, body) =
        post_json(&state(&pool).await, "/api/status", Some(&admin), &change).await;
    assert_eq!(written, 200, "{body}");

    let (status, doc) = json(
        &pool,
        &format!("/api/status/households/{household}"),
        &admin,
    )
    .await;
    assert_eq!(status, 200, "{doc}");
    let h = household_in(&doc, household);
    assert_eq!(h["status"], "surveyed");
    assert_eq!(h["last_event"]["actor"], "screens-admin");
    assert_eq!(
        (
            h["last_event"]["from"].as_str(),
            h["last_event"]["to"].as_str()
        ),
        (Some("pending"), Some("surveyed"))
    );
    let (missing, _) = json(&pool, "/api/status/households/999999999", &admin).await;
    assert_eq!(missing, 404);

    // The household's own code finds its building, first; an operator elsewhere finds nothing.
    let (status, found) = json(&pool, &format!("/api/status/find?code={code}"), &admin).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["buildings"][0]["id"], building);
    assert_eq!(found["buildings"][0]["household_code"], code.as_str());
    let inside = session(&pool, "screens-inside", "operator", Some(&district)).await;
    let (_, found) = json(&pool, &format!("/api/status/find?code={code}"), &inside).await;
    assert_eq!(found["buildings"][0]["id"], building);
    let outside = session(&pool, "screens-outside", "operator", Some(&other)).await;
    let (_, found) = json(&pool, &format!("/api/status/find?code={code}"), &outside).await;
    assert_eq!(found["buildings"], serde_json::json!([]));
    let (short, body) = json(&pool, "/api/status/find?code=B", &admin).await;
    assert_eq!(short, 400, "{body}");
}
