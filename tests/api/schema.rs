//! The schema's own rules: append-only events, transitions, least-advanced building status,
//! cross-row rules, and trigger-maintained figures equal to a recount.
use sqlx::PgPool;

/// Inserts a household event; returns the constraint that refused it, if any.
async fn household_event(
    pool: &PgPool,
    code: &str,
    from: &str,
    to: &str,
    reason: Option<&str>,
) -> Result<(), String> {
    sqlx::query(
        "INSERT INTO status_events (household_id, from_status, to_status, actor, reason)
         SELECT id, $2, $3, 'tester', $4 FROM households WHERE code = $1",
    )
    .bind(code)
    .bind(from)
    .bind(to)
    .bind(reason)
    .execute(pool)
    .await
    .map(|_| ())
    .map_err(|e| constraint_of(&e))
}

fn constraint_of(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(db) => db
            .constraint()
            .map_or_else(|| db.message().to_owned(), str::to_owned),
        other => other.to_string(),
    }
}

async fn scalar_text(pool: &PgPool, sql: &str) -> String {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("query runs")
}

async fn event_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM status_events")
        .fetch_one(pool)
        .await
        .expect("count")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn migrations_create_postgis_and_the_domain(pool: PgPool) {
    let version = scalar_text(&pool, "SELECT postgis_lib_version()").await;
    assert!(
        version.starts_with('3'),
        "PostGIS 3 expected, got {version}"
    );
    for table in [
        "regions",
        "projects",
        "parcels",
        "buildings",
        "households",
        "status_events",
        "project_figures",
        "region_figures",
    ] {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
            .bind(table)
            .fetch_one(&pool)
            .await
            .expect("query");
        assert!(exists, "table {table} exists");
    }
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building", "open_gates"))
)]
async fn status_events_are_append_only(pool: PgPool) {
    household_event(&pool, "T-1-B1-H01", "pending", "surveyed", None)
        .await
        .expect("a forward step is accepted");
    for statement in [
        "UPDATE status_events SET reason = 'rewritten'",
        "DELETE FROM status_events",
        // CASCADE: the 疑难个案 links reference the events, and a plain TRUNCATE would be refused
        // for that before the append-only rule is asked
        "TRUNCATE status_events CASCADE",
    ] {
        let error = sqlx::query(statement)
            .execute(&pool)
            .await
            .expect_err("history cannot change");
        assert!(
            constraint_of(&error).contains("append"),
            "{statement}: {error}"
        );
    }
    assert_eq!(event_count(&pool).await, 1);
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building", "open_gates"))
)]
async fn status_changes_only_through_events(pool: PgPool) {
    let error = sqlx::query("UPDATE households SET status = 'signed'")
        .execute(&pool)
        .await
        .expect_err("refused");
    assert_eq!(constraint_of(&error), "status_change_through_event");
    let error = sqlx::query("UPDATE parcels SET land_status = 'acquired'")
        .execute(&pool)
        .await
        .expect_err("refused");
    assert_eq!(constraint_of(&error), "status_change_through_event");
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building", "open_gates"))
)]
async fn illegal_transitions_are_refused_and_write_nothing(pool: PgPool) {
    let cases = [
        ("pending", "signed", None, "status_event_one_step_or_reason"),
        ("surveyed", "signed", None, "status_event_from_current"),
        ("pending", "sold", None, "status_event_known_status"),
        (
            "pending",
            "pending",
            Some("no-op"),
            "status_event_changes_status",
        ),
        ("pending", "acquired", None, "status_event_known_status"),
    ];
    for (from, to, reason, constraint) in cases {
        let refused = household_event(&pool, "T-1-B1-H01", from, to, reason)
            .await
            .expect_err("refused");
        assert_eq!(refused, constraint, "{from} -> {to}");
    }
    assert_eq!(event_count(&pool).await, 0);
    assert_eq!(
        scalar_text(
            &pool,
            "SELECT status::text FROM households WHERE code = 'T-1-B1-H01'"
        )
        .await,
        "pending"
    );
    // a skip with a reason (an admin's correction) is allowed, and audited like any event
    household_event(
        &pool,
        "T-1-B1-H01",
        "pending",
        "signed",
        Some("补录：纸质协议已签"),
    )
    .await
    .expect("skip with reason");
    assert_eq!(
        scalar_text(
            &pool,
            "SELECT status::text FROM households WHERE code = 'T-1-B1-H01'"
        )
        .await,
        "signed"
    );
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building", "open_gates"))
)]
async fn building_takes_its_least_advanced_household_and_demolishes_only_when_all_vacated(
    pool: PgPool,
) {
    let building = || {
        scalar_text(
            &pool,
            "SELECT status::text FROM buildings WHERE code = 'T-1-B1'",
        )
    };
    for step in [
        ("pending", "surveyed"),
        ("surveyed", "signed"),
        ("signed", "vacated"),
    ] {
        household_event(&pool, "T-1-B1-H01", step.0, step.1, None)
            .await
            .expect("forward");
    }
    assert_eq!(
        building().await,
        "pending",
        "two households are still pending"
    );
    let refused = household_event(&pool, "T-1-B1-H01", "vacated", "demolished", None)
        .await
        .expect_err("others not vacated");
    assert_eq!(refused, "building_demolished_after_all_vacated");
    let error = sqlx::query(
        "INSERT INTO status_events (parcel_id, from_status, to_status, actor) SELECT id, 'pending', 'acquired', 't' FROM parcels WHERE code = 'T-1-P1'",
    )
    .execute(&pool)
    .await
    .expect_err("the parcel's building is not signed");
    assert_eq!(constraint_of(&error), "parcel_status_follows_buildings");
    for code in ["T-1-B1-H02", "T-1-B1-H03"] {
        for step in [
            ("pending", "surveyed"),
            ("surveyed", "signed"),
            ("signed", "vacated"),
        ] {
            household_event(&pool, code, step.0, step.1, None)
                .await
                .expect("forward");
        }
    }
    assert_eq!(building().await, "vacated");
    for code in ["T-1-B1-H01", "T-1-B1-H02", "T-1-B1-H03"] {
        household_event(&pool, code, "vacated", "demolished", None)
            .await
            .expect("all vacated now");
    }
    assert_eq!(building().await, "demolished");
}

#[sqlx::test(
    migrator = "onemap::db::MIGRATOR",
    fixtures(path = "../fixtures", scripts("one_building", "open_gates"))
)]
async fn maintained_figures_equal_a_recount(pool: PgPool) {
    for step in [
        ("pending", "surveyed"),
        ("surveyed", "signed"),
        ("signed", "vacated"),
    ] {
        household_event(&pool, "T-1-B1-H01", step.0, step.1, None)
            .await
            .expect("forward");
    }
    household_event(&pool, "T-1-B1-H02", "pending", "surveyed", None)
        .await
        .expect("forward");
    household_event(
        &pool,
        "T-1-B1-H01",
        "vacated",
        "surveyed",
        Some("退回：协议无效"),
    )
    .await
    .expect("sent back with reason");
    sqlx::query("INSERT INTO status_events (parcel_id, from_status, to_status, actor) SELECT id, 'pending', 'acquired', 't' FROM parcels WHERE code = 'T-1-P2'")
        .execute(&pool)
        .await
        .expect("an empty parcel can be acquired");
    let snapshot = "SELECT string_agg(t::text, ';' ORDER BY t::text) FROM (
        SELECT f::text AS t FROM project_figures f UNION ALL SELECT f::text FROM region_figures f) s";
    let maintained = scalar_text(&pool, snapshot).await;
    sqlx::query("SELECT recount_figures()")
        .execute(&pool)
        .await
        .expect("recount");
    assert_eq!(maintained, scalar_text(&pool, snapshot).await);
    let signed: i32 = sqlx::query_scalar("SELECT signed FROM region_figures f JOIN regions r ON r.id = f.region_id WHERE r.code = '430700'")
        .fetch_one(&pool)
        .await
        .expect("city figures");
    assert_eq!(signed, 0, "the only signing was sent back");
}
