//! Resettlement housing (安置房源): the public estates and their 楼盘表 carry no personal data of
//! any household of the demo, the OGC collection and the tiles `estates` match the table, unit
//! status changes go through one path (the desk's API and plain SQL alike write the event with
//! its actor and reach the feed), a stale change is refused with the unit's state now, and the
//! figures count what the units say.
use std::collections::HashSet;

use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::{decode_geojson, demo_city, get, post_json, session, state, tile_of};

/// Every string inside a JSON value (keys too).
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out);
        }),
        _ => {}
    }
}

/// GET as a viewer (helpers::get), the answer as JSON.
async fn json(pool: &PgPool, uri: &str) -> (u16, Value) {
    let (response, bytes) = get(pool, uri, &[]).await;
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn housing_public_ogc_tiles_and_status_changes(pool: PgPool) {
    demo_city(&pool).await;
    let estates: i64 = sqlx::query_scalar("SELECT count(*) FROM estates")
        .fetch_one(&pool)
        .await
        .expect("estates");
    assert!(estates >= 2, "the demo has estates near its districts");
    let held: i64 =
        sqlx::query_scalar("SELECT count(*) FROM estate_units WHERE household_id IS NOT NULL")
            .fetch_one(&pool)
            .await
            .expect("held");
    assert!(held > 100, "the swap households that signed hold units");
    // every held unit's household swapped its house for a flat, in a project drawing on the estate
    let stray: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM estate_units u JOIN households h ON h.id = u.household_id JOIN buildings b ON b.id = h.building_id
          WHERE h.resettlement IS DISTINCT FROM 'property_swap' OR h.status < 'signed'
             OR NOT EXISTS (SELECT 1 FROM project_estates pe WHERE pe.project_id = b.project_id AND pe.estate_id = u.estate_id)",
    )
    .fetch_one(&pool)
    .await
    .expect("stray");
    assert_eq!(stray, 0);

    // public answers: no name, ID number or household code of any household of the demo
    let people: Vec<(String, String, String)> =
        sqlx::query_as("SELECT holder_name, holder_id_number, code FROM households")
            .fetch_all(&pool)
            .await
            .expect("people");
    let personal: HashSet<&str> = people
        .iter()
        .flat_map(|(n, i, c)| [n.as_str(), i.as_str(), c.as_str()])
        .collect();
    let app = state(&pool).await;
    let send_public = |uri: String| {
        let app = app.clone();
        async move {
            let (response, bytes) = crate::helpers::send(
                &app,
                axum::http::Request::get(uri.as_str()),
                &[],
                axum::body::Body::empty(),
            )
            .await;
            assert_eq!(response.status(), 200, "{uri} answers without login");
            serde_json::from_slice::<Value>(&bytes).expect("json")
        }
    };
    let list = send_public("/api/public/estates".into()).await;
    assert_eq!(list.as_array().map(Vec::len), Some(estates as usize));
    let mut answers = vec![list.clone()];
    for e in list.as_array().expect("list") {
        let code = e["code"].as_str().expect("code");
        let grid = send_public(format!("/api/public/estates/{code}")).await;
        assert!(
            grid.get("holders").is_none(),
            "the public grid has no holders"
        );
        let units: usize = grid["buildings"]
            .as_array()
            .expect("buildings")
            .iter()
            .map(|b| b["units"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(
            Some(units as u64),
            e["units"].as_u64(),
            "{code}: the grid has every unit"
        );
        answers.push(grid);
    }
    let mut texts = Vec::new();
    for a in &answers {
        strings(a, &mut texts);
    }
    let leaks: Vec<&String> = texts
        .iter()
        .filter(|t| personal.contains(t.as_str()))
        .collect();
    assert!(
        leaks.is_empty(),
        "personal data in public housing answers: {leaks:?}"
    );
    for key in ["household", "holder", "name_masked", "id_number"] {
        assert!(
            !texts.iter().any(|t| t == key),
            "a public answer has a `{key}` field"
        );
    }
    // the residents' role cannot read who holds a unit at all
    let public_pool = crate::helpers::role_pool(&pool, "public").await;
    let refused = sqlx::query("SELECT household_id FROM estate_units LIMIT 1")
        .fetch_all(&public_pool)
        .await;
    assert!(
        refused.is_err(),
        "onemap_public reads estate_units.household_id"
    );

    // staff who may see household files get each held unit's household (code, masked name)
    let admin = session(&pool, "housing-admin", "admin", None).await;
    let bearer = format!("Bearer {admin}");
    let first = list[0]["code"].as_str().expect("code").to_owned();
    let (response, bytes) = crate::helpers::send(
        &app,
        axum::http::Request::get(format!("/api/housing/estates/{first}").as_str()),
        &[("authorization", &bearer)],
        axum::body::Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let staff: Value = serde_json::from_slice(&bytes).expect("json");
    let holders = staff["holders"].as_object().expect("holders");
    let (unit_id, holder) = holders.iter().next().expect("a held unit");
    let (name, code): (String, String) = sqlx::query_as(
        "SELECT h.holder_name, h.code FROM estate_units u JOIN households h ON h.id = u.household_id WHERE u.id = $1",
    )
    .bind(unit_id.parse::<i32>().expect("id"))
    .fetch_one(&pool)
    .await
    .expect("holder");
    assert_eq!(holder["household"], code.as_str());
    assert_eq!(
        holder["name"],
        format!("{}**", name.chars().next().expect("a name")).as_str()
    );
    // a viewer reads the statuses only
    let (_, viewer) = json(&pool, &format!("/api/housing/estates/{first}")).await;
    assert!(viewer.get("holders").is_none());

    // the OGC collection `estates` holds every estate, counts by status, no household
    let (status, items) = json(&pool, "/ogc/collections/estates/items?limit=100").await;
    assert_eq!(status, 200);
    let features = items["features"].as_array().expect("features");
    assert_eq!(features.len() as i64, estates);
    let f = &features[0];
    let units = f["properties"]["units"].as_i64().expect("units");
    let by_status: i64 = [
        "available",
        "reserved",
        "selected",
        "contracted",
        "delivered",
    ]
    .iter()
    .map(|s| f["properties"][s].as_i64().expect("count"))
    .sum();
    assert_eq!(units, by_status);

    // the `estates` tile over the first estate's centre carries it with its counts
    let (lon, lat) = (
        list[0]["centre"][0].as_f64().expect("lon"),
        list[0]["centre"][1].as_f64().expect("lat"),
    );
    let (x, y) = tile_of(lon, lat, 14);
    let (response, bytes) = get(&pool, &format!("/tiles/estates/14/{x}/{y}.geojson"), &[]).await;
    assert_eq!(response.status(), 200);
    let tile = decode_geojson(&bytes);
    let feature = tile
        .values()
        .find(|p| p["code"] == first.as_str())
        .expect("the estate is in its tile");
    assert_eq!(feature["units"], list[0]["units"]);

    // a change at the desk: the event names the actor; a stale second change gets 409 and the state now
    let unit: i32 = sqlx::query_scalar(
        "SELECT u.id FROM estate_units u JOIN estates e ON e.id = u.estate_id WHERE e.code = $1 AND u.status = 'available' ORDER BY u.id LIMIT 1",
    )
    .bind(&first)
    .fetch_one(&pool)
    .await
    .expect("an available unit");
    let uri = format!("/api/housing/units/{unit}/status");
    let (status, body) = post_json(
        &app,
        &uri,
        Some(&admin),
        r#"{"to": "reserved", "expected": "available"}"#,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "reserved");
    let (status, body) = post_json(
        &app,
        &uri,
        Some(&admin),
        r#"{"to": "reserved", "expected": "available"}"#,
    )
    .await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = post_json(
        &app,
        &uri,
        Some(&admin),
        r#"{"to": "selected", "household": "NO-SUCH"}"#,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("household:")),
        "{body}"
    );
    let (to, actor): (String, Option<String>) = sqlx::query_as(
        "SELECT e.to_status::text, u.username FROM unit_status_events e LEFT JOIN users u ON u.id = e.actor_id
          WHERE e.unit_id = $1 ORDER BY e.id DESC LIMIT 1",
    )
    .bind(unit)
    .fetch_one(&pool)
    .await
    .expect("event");
    assert_eq!(
        (to.as_str(), actor.as_deref()),
        ("reserved", Some("housing-admin"))
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'unit.status' AND subject = $1",
    )
    .bind(format!("unit {unit}"))
    .fetch_one(&pool)
    .await
    .expect("audit");
    assert_eq!(audited, 1);

    // the selection day writes plain SQL: the same trigger records it, and the feed reads it
    let before: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM unit_status_events")
        .fetch_one(&pool)
        .await
        .expect("max");
    sqlx::query("UPDATE estate_units SET status = 'available' WHERE id = $1")
        .bind(unit)
        .execute(&pool)
        .await
        .expect("plain update");
    let events = onemap::live::events_after(&app.pool, onemap::live::EventKind::Unit, before)
        .await
        .expect("feed");
    assert_eq!(events.len(), 1);
    let payload: Value = serde_json::from_str(events[0].payload_for(true)).expect("payload");
    assert_eq!(
        (payload["unit_id"].as_i64(), payload["to"].as_str()),
        (Some(i64::from(unit)), Some("available"))
    );
    assert_eq!(payload["estate_code"], first.as_str());
    // a held unit's event names the household to staff only (a release: the household it had)
    let held_unit: i32 = unit_id.parse().expect("id");
    sqlx::query("UPDATE estate_units SET status = 'available', household_id = NULL WHERE id = $1")
        .bind(held_unit)
        .execute(&pool)
        .await
        .expect("release");
    let events = onemap::live::events_after(&app.pool, onemap::live::EventKind::Unit, before + 1)
        .await
        .expect("feed");
    assert_eq!(events.len(), 1);
    let staff: Value = serde_json::from_str(events[0].payload_for(true)).expect("payload");
    let screen: Value = serde_json::from_str(events[0].payload_for(false)).expect("payload");
    assert_eq!(staff["household"]["code"], code.as_str());
    assert!(
        screen.get("household").is_none(),
        "walls and the public page get no household"
    );

    inventory_import(&pool, &admin, &first).await;

    // the figures add up to the units
    let (status, figures) = json(&pool, "/api/figures/housing").await;
    assert_eq!(status, 200);
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM estate_units")
        .fetch_one(&pool)
        .await
        .expect("units");
    assert_eq!(figures["totals"]["units"].as_i64(), Some(total));
    let types: i64 = figures["types"]
        .as_array()
        .expect("types")
        .iter()
        .map(|t| t["units"].as_i64().expect("units"))
        .sum();
    assert_eq!(types, total);
}

/// A workbook of three units of a new building 99栋: row 2 good, row 3 on floor 0, row 4
/// with a market price below the 安置价.
fn inventory_file() -> Vec<u8> {
    use onemap::xlsx::{workbook, Cell};
    let headers: Vec<String> = [
        "栋",
        "单元",
        "层",
        "室",
        "套型",
        "建筑面积",
        "安置价",
        "市场价",
        "朝向",
        "状态",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    let row = |floor: f64, room: &str, market: f64| {
        vec![
            Cell::Text("99栋".into()),
            Cell::Count(1.0),
            Cell::Count(floor),
            Cell::Text(room.into()),
            Cell::Text("A".into()),
            Cell::Number(60.5),
            Cell::Number(3800.0),
            Cell::Number(market),
            Cell::Text("南北".into()),
            Cell::Text("可选".into()),
        ]
    };
    workbook(
        "房源",
        &headers,
        &[
            row(3.0, "0301", 8400.0),
            row(0.0, "0001", 8400.0),
            row(4.0, "0401", 100.0),
        ],
    )
    .expect("workbook")
}

/// The inventory import: a file with a good row and two bad ones writes nothing and names each
/// bad row's column; with accept_valid the good row is written (a new building), audited.
async fn inventory_import(pool: &PgPool, admin: &str, estate: &str) {
    let (base, _state) = crate::sse::serve(pool).await;
    let http = reqwest::Client::new();
    let template = http
        .get(format!("{base}/api/housing/inventory-template.xlsx"))
        .bearer_auth(admin)
        .send()
        .await
        .expect("template");
    assert_eq!(template.status(), 200);
    assert!(
        template.bytes().await.expect("bytes").starts_with(b"PK"),
        "an XLSX"
    );
    let bytes = inventory_file();
    let send = |accept: bool| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name("房源表.xlsx"),
        );
        http.post(format!(
            "{base}/api/housing/estates/{estate}/inventory?accept_valid={accept}"
        ))
        .bearer_auth(admin)
        .header("x-requested-with", "onemap")
        .multipart(form)
        .send()
    };
    let report: Value = send(false)
        .await
        .expect("import")
        .json()
        .await
        .expect("json");
    assert_eq!(report["written"], false, "{report}");
    let rejected: Vec<(u64, String)> = report["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|i| {
            (
                i["row"].as_u64().expect("row"),
                i["values"]["field"].as_str().expect("field").to_owned(),
            )
        })
        .collect();
    assert_eq!(rejected, [(3, "层".to_owned()), (4, "市场价".to_owned())]);
    let buildings = |pool: &PgPool| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM estate_buildings b JOIN estates e ON e.id = b.estate_id WHERE e.code = $1 AND b.code = '99栋'",
            )
            .bind(estate)
            .fetch_one(&pool)
            .await
            .expect("count")
        }
    };
    assert_eq!(buildings(pool).await, 0, "nothing written on an error");
    let report: Value = send(true)
        .await
        .expect("import")
        .json()
        .await
        .expect("json");
    assert_eq!(
        (report["written"].as_bool(), report["inserted"].as_u64()),
        (Some(true), Some(1)),
        "{report}"
    );
    assert_eq!(buildings(pool).await, 1);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'estate.inventory_imported'",
    )
    .fetch_one(pool)
    .await
    .expect("audit");
    assert_eq!(audited, 1);
}
