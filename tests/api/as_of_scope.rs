//! One time for the whole screen, and scope everywhere: `as_of` on children, rankings, alerts,
//! trend, exports and tiles (a status written today is absent from yesterday's answers but
//! present live), and `region` keeping rankings and alerts inside a subtree.
use axum::body::Body;
use chrono::Duration;
use onemap::clock::beijing_today;
use serde_json::Value;
use sqlx::PgPool;

use crate::figures::json_of;
use crate::helpers::{decode_mvt, demo_city, get, send, session, state, tile_of};

/// A surveyed household alone in its building: (household, building, project, street code,
/// the street's parent code, lon, lat of the building).
struct Subject {
    household: i64,
    building: i64,
    project: i64,
    street: String,
    district: String,
    lon: f64,
    lat: f64,
}

async fn lone_surveyed_household(pool: &PgPool) -> Subject {
    let row: (i64, i64, i64, String, String, f64, f64) = sqlx::query_as(
        "SELECT h.id, b.id, b.project_id, s.code, d.code, ST_X(ST_PointOnSurface(b.geom)), ST_Y(ST_PointOnSurface(b.geom))
           FROM households h JOIN buildings b ON b.id = h.building_id AND b.households = 1
           JOIN projects p ON p.id = b.project_id JOIN regions r ON r.id = p.region_id
           JOIN regions s ON s.id = ANY (r.lineage) AND s.level = 'street'
           JOIN regions d ON d.id = s.parent_id
          WHERE h.status = 'surveyed' ORDER BY h.id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("a lone surveyed household");
    Subject {
        household: row.0,
        building: row.1,
        project: row.2,
        street: row.3,
        district: row.4,
        lon: row.5,
        lat: row.6,
    }
}

/// Signs the household now (Beijing today), as a status write does.
async fn sign_now(pool: &PgPool, household: i64) {
    sqlx::query(
        "INSERT INTO status_events (household_id, from_status, to_status, actor) VALUES ($1, 'surveyed', 'signed', 'tester')",
    )
    .bind(household)
    .execute(pool)
    .await
    .expect("sign");
}

fn signed_of(children: &Value, list: &str, key: &str, wanted: &Value) -> i64 {
    children[list]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| &r[key] == wanted))
        .and_then(|r| r["signed"].as_i64())
        .unwrap_or_else(|| panic!("{key} {wanted} in {list}"))
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_status_written_today_is_absent_from_yesterday(pool: PgPool) {
    demo_city(&pool).await;
    let s = lone_surveyed_household(&pool).await;
    sign_now(&pool, s.household).await;
    let yesterday = beijing_today() - Duration::days(1);

    // tiles: one state, so the live and the history cache sit side by side
    let app = state(&pool).await;
    session(&pool, "reader", "viewer", None).await;
    let auth = [("authorization", "Bearer test-token-reader")];
    let (x, y) = tile_of(s.lon, s.lat, 16);
    let status_in = |bytes: &[u8]| {
        decode_mvt(bytes, "buildings")
            .get(&(s.building as u64))
            .and_then(|f| f.get("status").cloned())
            .expect("the building is in its tile")
    };
    for round in 0..2 {
        let live = send(
            &app,
            axum::http::Request::get(format!("/tiles/buildings/16/{x}/{y}.mvt")),
            &auth,
            Body::default(),
        )
        .await;
        let past = send(
            &app,
            axum::http::Request::get(format!("/tiles/buildings/16/{x}/{y}.mvt?as_of={yesterday}")),
            &auth,
            Body::default(),
        )
        .await;
        assert_eq!(live.0.status(), 200, "round {round}");
        assert_eq!(status_in(&live.1), "signed", "live, round {round}");
        assert_eq!(
            status_in(&past.1),
            "surveyed",
            "as of yesterday, round {round} (cached apart)"
        );
        assert_ne!(live.0.headers()["etag"], past.0.headers()["etag"]);
    }
    // today's end is the live state
    let today = send(
        &app,
        axum::http::Request::get(format!(
            "/tiles/buildings/16/{x}/{y}.mvt?as_of={}",
            beijing_today()
        )),
        &auth,
        Body::default(),
    )
    .await;
    assert_eq!(status_in(&today.1), "signed");

    // children: the street's signed count, live and yesterday
    let live = json_of(&pool, &format!("/api/regions/{}/children", s.district)).await;
    let past = json_of(
        &pool,
        &format!("/api/regions/{}/children?as_of={yesterday}", s.district),
    )
    .await;
    assert_eq!(past["as_of"], Value::from(yesterday.to_string()));
    let street = Value::from(s.street.clone());
    assert_eq!(
        signed_of(&live, "children", "code", &street),
        signed_of(&past, "children", "code", &street) + 1
    );
    let project = Value::from(s.project);
    assert_eq!(
        signed_of(&live, "projects", "id", &project),
        signed_of(&past, "projects", "id", &project) + 1
    );

    // rankings: today's gain is there live, not as of yesterday
    let today = beijing_today();
    let gain = |r: &Value| {
        r["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|row| row["id"] == project))
            .and_then(|row| row["gain_signed"].as_i64())
            .expect("the project is ranked")
    };
    let live = json_of(&pool, &format!("/api/rankings?level=project&from={today}")).await;
    assert_eq!(gain(&live), 1);
    let past = json_of(
        &pool,
        &format!("/api/rankings?level=project&as_of={yesterday}"),
    )
    .await;
    assert_eq!(past["to"], Value::from(yesterday.to_string()));
    assert_eq!(past["as_of"], Value::from(yesterday.to_string()));
    let past_today = json_of(
        &pool,
        &format!("/api/rankings?level=project&as_of={yesterday}&from={yesterday}"),
    )
    .await;
    assert_eq!(gain(&past_today), 0);

    // trend ends at the day
    let trend = json_of(
        &pool,
        &format!("/api/trend?project={}&days=3&as_of={yesterday}", s.project),
    )
    .await;
    let days = trend["days"].as_array().expect("days");
    assert_eq!(
        days.last().map(|d| d["date"].clone()),
        Some(Value::from(yesterday.to_string()))
    );
    let live_trend = json_of(&pool, &format!("/api/trend?project={}&days=1", s.project)).await;
    assert_eq!(live_trend["days"][0]["signed"], 1);

    // exports: as of yesterday named so, and served
    let (response, _) = get(
        &pool,
        &format!(
            "/api/exports/regions.xlsx?as_of={yesterday}&region={}",
            s.district
        ),
        &[],
    )
    .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .contains(&yesterday.to_string()));
    let (response, _) = get(
        &pool,
        &format!(
            "/api/exports/projects.xlsx?as_of={yesterday}&region={}",
            s.district
        ),
        &[],
    )
    .await;
    assert_eq!(response.status(), 200);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn region_scoped_rankings_rank_only_the_subtree(pool: PgPool) {
    demo_city(&pool).await;
    let week = "from=2026-11-09&to=2026-11-15";
    let city = json_of(&pool, &format!("/api/rankings?level=street&{week}")).await;
    let district = "430702";
    let scoped = json_of(
        &pool,
        &format!("/api/rankings?level=street&{week}&region={district}"),
    )
    .await;
    assert_eq!(scoped["region"]["code"], district);
    let rows = scoped["rows"].as_array().expect("rows");
    assert!(!rows.is_empty() && rows.len() < city["rows"].as_array().map_or(0, Vec::len));
    for row in rows {
        let code = row["code"].as_str().expect("street code");
        assert!(code.starts_with(district), "{code} is inside {district}");
        // the city-wide rank is the one the city ranking gives the same street
        let in_city = city["rows"]
            .as_array()
            .and_then(|all| all.iter().find(|r| r["code"] == code))
            .expect("ranked city-wide");
        assert_eq!(row["city_rank"], in_city["rank"], "{code}");
        assert_eq!(
            row["city_previous_rank"], in_city["previous_rank"],
            "{code}"
        );
        // no previous rank is not "unchanged": null, and new when it gains now
        if row["previous_rank"].is_null() {
            assert_eq!(
                row["new"],
                row["gain_signed"].as_i64().is_some_and(|g| g > 0)
            );
        } else {
            assert_eq!(row["new"], false);
        }
    }
    // ranks 1..n within the subtree (ties share, competition ranking)
    let gains: Vec<i64> = rows
        .iter()
        .map(|r| r["gain_signed"].as_i64().expect("gain"))
        .collect();
    for (i, row) in rows.iter().enumerate() {
        let better = gains.iter().filter(|g| **g > gains[i]).count() as i64;
        assert_eq!(row["rank"], better + 1);
    }
    assert_eq!(rows[0]["rank"], 1);
    // a project ranking scoped the same way holds only its projects
    let projects = json_of(
        &pool,
        &format!("/api/rankings?level=project&{week}&region={district}"),
    )
    .await;
    let inside: Vec<i64> = sqlx::query_scalar(
        "SELECT p.id FROM projects p JOIN regions r ON r.id = p.region_id WHERE (SELECT id FROM regions WHERE code = $1) = ANY (r.lineage)",
    )
    .bind(district)
    .fetch_all(&pool)
    .await
    .expect("projects");
    let ranked: Vec<i64> = projects["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    assert_eq!(ranked.len(), inside.len());
    assert!(ranked.iter().all(|id| inside.contains(id)));
    let (response, _) = get(&pool, "/api/rankings?region=999999", &[]).await;
    assert_eq!(response.status(), 404);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn alerts_keep_to_the_region_and_the_day(pool: PgPool) {
    demo_city(&pool).await;
    let city = json_of(&pool, "/api/alerts?stalled_days=3").await;
    let district = "430702";
    let scoped = json_of(
        &pool,
        &format!("/api/alerts?stalled_days=3&region={district}"),
    )
    .await;
    let inside: Vec<String> = sqlx::query_scalar(
        "SELECT r.code FROM regions r WHERE (SELECT id FROM regions WHERE code = $1) = ANY (r.lineage)",
    )
    .bind(district)
    .fetch_all(&pool)
    .await
    .expect("regions");
    let all = city["alerts"].as_array().expect("alerts");
    let kept = scoped["alerts"].as_array().expect("alerts");
    assert!(!kept.is_empty(), "the district has alerts");
    assert!(kept
        .iter()
        .all(|a| inside.iter().any(|c| a["region_code"] == c.as_str())));
    let expected = all
        .iter()
        .filter(|a| inside.iter().any(|c| a["region_code"] == c.as_str()))
        .count();
    assert_eq!(
        kept.len(),
        expected,
        "every alert of the district, and only those"
    );
    assert!(kept.len() < all.len());
    // as of a past day: progress alerts recomputed then, no funds warnings (today's ledger only)
    let past = json_of(&pool, "/api/alerts?stalled_days=3&as_of=2026-06-01").await;
    assert_eq!(past["funds_included"], false);
    assert!(past["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .all(|a| a["kind"] != "funds"));
    assert_ne!(past["alerts"], city["alerts"]);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_bad_as_of_is_refused_naming_it(pool: PgPool) {
    demo_city(&pool).await;
    let tomorrow = beijing_today() + Duration::days(1);
    for uri in [
        "/api/regions/430702/children",
        "/api/rankings",
        "/api/alerts",
        "/api/trend?region=430702",
        "/api/exports/projects.xlsx",
        "/api/exports/regions.xlsx",
        "/tiles/buildings/16/53500/27300.mvt",
        "/api/figures/regions/430702",
    ] {
        let join = if uri.contains('?') { '&' } else { '?' };
        for bad in [
            "2026-13-01".to_owned(),
            tomorrow.to_string(),
            "1999-01-01".to_owned(),
            "yesterday".to_owned(),
        ] {
            let (response, body) = get(&pool, &format!("{uri}{join}as_of={bad}"), &[]).await;
            let text = String::from_utf8_lossy(&body);
            assert_eq!(response.status(), 400, "{uri} as_of={bad}: {text}");
            assert!(
                text.contains("as_of"),
                "{uri} as_of={bad} names the field: {text}"
            );
        }
    }
    let (response, body) = get(&pool, "/api/rankings?as_of=2026-11-10&to=2026-11-12", &[]).await;
    assert_eq!(response.status(), 400, "{}", String::from_utf8_lossy(&body));
    // a layer without history (the estates) says so
    let (response, body) = get(
        &pool,
        "/tiles/estates/12/3340/1700.mvt?as_of=2026-11-10",
        &[],
    )
    .await;
    assert_eq!(response.status(), 400);
    assert!(String::from_utf8_lossy(&body).contains("as_of"));
}
