//! The kept figure lists (backend/src/figures/kept.rs) against a count from scratch: after each
//! of a long random mix of writes (status changes, send-backs, backdated events, cases opened
//! and closed, procedure steps, an import), the all-project gauges and the full roll-up the
//! server answers equal a fresh count byte for byte.
use axum::body::Body;
use axum::http::Request;
use rand::{Rng, SeedableRng};
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{demo_city, post_json, session, state};
use onemap::clock::beijing_today;
use onemap::figures::lists::{fresh_projects, fresh_regions};
use onemap::AppState;

/// A random subject of `table` (seeded by `step`): id, status and version.
async fn pick(pool: &PgPool, table: &str, column: &str, step: usize) -> (i64, String, i32) {
    sqlx::query_as(&format!(
        "SELECT id, {column}::text, version FROM {table} ORDER BY md5(id::text || $1) LIMIT 1"
    ))
    .bind(step.to_string())
    .fetch_one(pool)
    .await
    .unwrap_or_else(|e| panic!("{table}: {e}"))
}

/// One random write through the API (or as the listener would see it: SQL, then a catch-up);
/// returns what it was, for the failure message.
async fn random_write(app: &AppState, admin: &str, rng: &mut impl Rng, step: usize) -> String {
    let pool = &app.pool;
    let scale = ["pending", "surveyed", "signed", "vacated", "demolished"];
    let land = ["pending", "acquired", "cleared", "delivered"];
    let kind = rng.random_range(0..20);
    match kind {
        0..10 => {
            let (subject, table, column, steps): (&str, &str, &str, &[&str]) = match kind {
                0..6 => ("household", "households", "status", &scale),
                6..9 => ("building", "buildings", "status", &scale),
                _ => ("parcel", "parcels", "land_status", &land),
            };
            let (id, status, version) = pick(pool, table, column, step).await;
            let at = steps.iter().position(|s| *s == status).unwrap_or(0);
            let to = steps[(at + 1).min(steps.len() - 1)];
            let body = json!({"changes": [{"subject": subject, "id": id, "to": to, "version": version, "reason": "检验"}]});
            let (code, answer) =
                post_json(app, "/api/status", Some(admin), &body.to_string()).await;
            assert!(
                matches!(code, 200 | 409 | 422),
                "{subject} {id}: {code} {answer}"
            );
            format!("{subject} {id} → {to}: {code}")
        }
        10..12 => {
            let event: Option<i64> = sqlx::query_scalar(
                "SELECT max(id) FROM status_events WHERE household_id IS NOT NULL",
            )
            .fetch_one(pool)
            .await
            .unwrap_or(None);
            let Some(event) = event else {
                return "no event to send back".into();
            };
            let body = json!({"event_id": event, "reason": "录错了"});
            let (code, answer) =
                post_json(app, "/api/status/send-back", Some(admin), &body.to_string()).await;
            assert!(
                matches!(code, 200 | 409 | 422),
                "send back {event}: {code} {answer}"
            );
            format!("send back {event}: {code}")
        }
        12..14 => backdated(app, step).await,
        14..16 => {
            let (id, ..) = pick(pool, "households", "status", step).await;
            let code: String = sqlx::query_scalar("SELECT code FROM households WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await
                .expect("code");
            let body = json!({"household": code, "category": "area"});
            let (status, answer) =
                post_json(app, "/api/cases", Some(admin), &body.to_string()).await;
            assert!(
                matches!(status, 201 | 409),
                "open a case on {code}: {status} {answer}"
            );
            format!("case on {code}: {status}")
        }
        16..18 => {
            let open: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM cases WHERE state = 'open' ORDER BY md5(id::text || $1) LIMIT 1",
            )
            .bind(step.to_string())
            .fetch_optional(pool)
            .await
            .expect("open case");
            let Some(case) = open else {
                return "no open case".into();
            };
            let (status, answer) = post_json(
                app,
                &format!("/api/cases/{case}/close"),
                Some(admin),
                r#"{"outcome":"withdrawn"}"#,
            )
            .await;
            assert_eq!(status, 200, "close case {case}: {answer}");
            format!("close case {case}")
        }
        18 => step_done(app, step).await,
        _ => import(app, step).await,
    }
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn kept_figure_lists_equal_a_fresh_count_after_every_write(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "admin", "admin", None).await;
    let viewer = format!("Bearer {}", session(&pool, "viewer", "viewer", None).await);
    let app = state(&pool).await;
    let router = onemap::app(app.clone());
    let read = |uri: &'static str| {
        let (router, viewer) = (router.clone(), viewer.clone());
        async move {
            let (response, body) = crate::helpers::send_to(
                &router,
                Request::get(uri),
                &[("authorization", &viewer)],
                Body::empty(),
            )
            .await;
            assert_eq!(response.status(), 200, "{uri}");
            body
        }
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(19);
    for step in 0..120 {
        let what = random_write(&app, &admin, &mut rng, step).await;
        let today = beijing_today();
        let kept = (
            read("/api/figures/projects").await,
            read("/api/figures/regions").await,
        );
        let fresh = (
            fresh_projects(&app.pool, today)
                .await
                .expect("fresh projects"),
            fresh_regions(&app.pool, today)
                .await
                .expect("fresh regions"),
        );
        assert!(
            kept.0 == fresh.0.as_ref(),
            "step {step} ({what}): the kept project list differs from a fresh count"
        );
        assert!(
            kept.1 == fresh.1.as_ref(),
            "step {step} ({what}): the kept roll-up differs from a fresh count"
        );
    }
    // a region's gauges come from the kept roll-up: they equal a count over its projects
    // (areas summed in another order: to the hundredth)
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM regions WHERE level IN ('city', 'district') ORDER BY code",
    )
    .fetch_all(&pool)
    .await
    .expect("regions");
    assert!(!codes.is_empty());
    for code in codes {
        let (response, kept) = crate::helpers::send_to(
            &router,
            Request::get(format!("/api/figures/regions/{code}")),
            &[("authorization", &viewer)],
            Body::empty(),
        )
        .await;
        assert_eq!(response.status(), 200, "{code}");
        let kept: serde_json::Value = serde_json::from_slice(&kept).expect("JSON");
        let fresh = onemap::figures::scope::region_figures(&app.pool, &code, None)
            .await
            .expect("fresh region");
        let fresh = serde_json::to_value(&fresh).expect("JSON");
        assert_eq!(kept["scope"], fresh["scope"], "{code}");
        assert_eq!(
            kept["projects_by_stage"], fresh["projects_by_stage"],
            "{code}"
        );
        assert_eq!(
            kept["households_by_stage"], fresh["households_by_stage"],
            "{code}"
        );
        for (k, f) in kept["figures"]
            .as_array()
            .expect("figures")
            .iter()
            .zip(fresh["figures"].as_array().expect("figures"))
        {
            let close = match (k["value"].as_f64(), f["value"].as_f64()) {
                (Some(a), Some(b)) => (a - b).abs() <= 0.01,
                _ => k["value"] == f["value"],
            };
            assert!(
                close && k["key"] == f["key"],
                "{code}: kept {k} against a count {f}"
            );
        }
    }
    let metrics = onemap::metrics::METRICS.render("");
    let deltas = metrics
        .lines()
        .find_map(|l| l.strip_prefix("onemap_figure_deltas_total "))
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    assert!(
        deltas > 50,
        "events were taken in as deltas: {deltas}\n{metrics}"
    );
    assert!(
        metrics.contains("onemap_figure_rebuilds_total{reason=\"without_event\"}"),
        "imports are counted as rebuilds"
    );
}

/// A household's next status recorded three days late (as paper records are), seen as the listener sees it.
async fn backdated(app: &AppState, step: usize) -> String {
    let pool = &app.pool;
    let scale = ["pending", "surveyed", "signed", "vacated", "demolished"];
    let (id, status, _) = pick(pool, "households", "status", step).await;
    let Some(at) = scale
        .iter()
        .position(|s| *s == status)
        .filter(|a| a + 1 < scale.len())
    else {
        return format!("household {id} at the end");
    };
    let refused = sqlx::query(
            "INSERT INTO status_events (household_id, from_status, to_status, actor, at)
             VALUES ($1, $2::progress_status, $3::progress_status, 'tester', now() - interval '3 days')",
        )
        .bind(id)
        .bind(scale[at])
        .bind(scale[at + 1])
        .execute(pool)
        .await;
    if let Err(e) = refused {
        return format!("household {id} backdated: refused by the rules ({e})");
    }
    app.hub.catch_up(pool).await.expect("catch up");
    format!("household {id} backdated → {}", scale[at + 1])
}

/// A project's next procedure step done, as the ledger writes it, seen as the listener sees it.
async fn step_done(app: &AppState, step: usize) -> String {
    let pool = &app.pool;
    let project: i64 =
        sqlx::query_scalar("SELECT id FROM projects ORDER BY md5(id::text || $1) LIMIT 1")
            .bind(step.to_string())
            .fetch_one(pool)
            .await
            .expect("project");
    sqlx::query(
            "WITH next AS (
                 SELECT ps.project_id, ps.key FROM project_steps ps
                   JOIN project_procedures pp ON pp.project_id = ps.project_id
                   JOIN procedure_template_steps ts ON ts.template_id = pp.template_id AND ts.key = ps.key
                  WHERE ps.project_id = $1 AND ps.state <> 'done' AND NOT ts.is_window ORDER BY ts.seq LIMIT 1
             ), s AS (
                 UPDATE project_steps ps SET state = 'done', actual_start = coalesce(ps.actual_start, current_date),
                        actual_end = current_date, version = ps.version + 1
                   FROM next WHERE ps.project_id = next.project_id AND ps.key = next.key
              RETURNING ps.project_id, ps.key, ps.actual_start, ps.actual_end)
             INSERT INTO step_events (project_id, key, from_state, to_state, actual_start, actual_end)
             SELECT project_id, key, 'not_started', 'done', actual_start, actual_end FROM s",
        )
        .bind(project)
        .execute(pool)
        .await
        .expect("a step done");
    app.hub.catch_up(pool).await.expect("catch up");
    format!("project {project}: next step done")
}

/// An import: a household added to a building without an event, then the import's notice.
async fn import(app: &AppState, step: usize) -> String {
    let pool = &app.pool;
    let (building, ..) = pick(pool, "buildings", "status", step).await;
    sqlx::query(
            "INSERT INTO households (code, building_id, holder_name, holder_id_number, members, recorded_area, resettlement)
             VALUES ('IMP-' || $2, $1, '导入', '430702198001010000', 2, 90, 'monetary')",
        )
        .bind(building)
        .bind(step.to_string())
        .execute(pool)
        .await
        .expect("imported household");
    app.hub.imported([-2.0e7, -2.0e7, 2.0e7, 2.0e7]);
    format!("import into building {building}")
}
