//! Bulk-loads generated rows in one transaction, the way PostgreSQL's "Populating a Database"
//! advises: secondary indexes and foreign keys are dropped and rebuilt around COPY (one sort
//! and one anti-join instead of millions of per-row checks), and row triggers are paused
//! because their effects are loaded directly and then recounted from scratch.
use std::fmt::Write;

use sqlx::{Postgres, Transaction};

use super::city::{timestamp, Tables};
use super::history::{HOUSEHOLD_STATUSES, LAND_STATUSES};

// (the assignment history too: groups.sql fills it, and its trigger would look up each row's
// events while their indexes are down; recount_group_figures() counts them all at the end)
const BULK_TABLES: [&str; 5] = [
    "parcels",
    "buildings",
    "households",
    "status_events",
    "work_group_assignments",
];
const CHUNK: usize = 4 << 20;

/// The tables the generator writes as text, with their COPY columns, in the order keys need.
const PROJECTS: &str = "projects (id, code, name, kind, region_id, start_date, target_date, \
                        budget_yuan, published, geom)";
const PARCELS: &str = "parcels (id, code, project_id, land_use, land_status, geom)";
const BUILDINGS: &str = "buildings (id, code, project_id, parcel_id, use, legality, floors, \
                         floor_area, status, households, geom)";
const HOUSEHOLDS: &str = "households (id, code, building_id, holder_name, holder_id_number, \
                          members, recorded_area, status, status_at, resettlement, difficult)";

pub async fn bulk(
    tx: &mut Transaction<'_, Postgres>,
    mut tables: Tables,
    as_of: chrono::NaiveDate,
) -> anyhow::Result<()> {
    sqlx::query("SET LOCAL synchronous_commit = off")
        .execute(&mut **tx)
        .await?;
    let rebuild = drop_secondary(tx).await?;
    for table in BULK_TABLES {
        sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER USER"))
            .execute(&mut **tx)
            .await?;
    }
    for (columns, rows) in [
        (PROJECTS, &tables.projects),
        (PARCELS, &tables.parcels),
        (BUILDINGS, &tables.buildings),
        (HOUSEHOLDS, &tables.households),
    ] {
        copy(tx, columns, rows).await?;
    }
    tables.projects = String::new();
    tables.households = String::new();
    tables.buildings = String::new();

    // Event ids follow time, as they do when events are written live: the feed replays by id.
    tables
        .events
        .sort_unstable_by_key(|e| (e.at, e.parcel, e.subject, e.to));
    let mut text = String::with_capacity(CHUNK + 256);
    let mut copy_in = tx
        .copy_in_raw("COPY status_events (id, household_id, parcel_id, from_status, to_status, actor, at) FROM STDIN")
        .await?;
    for (i, e) in tables.events.iter().enumerate() {
        let scale: &[&str] = if e.parcel {
            &LAND_STATUSES
        } else {
            &HOUSEHOLD_STATUSES
        };
        let (household, parcel) = if e.parcel {
            ("\\N".to_owned(), e.subject.to_string())
        } else {
            (e.subject.to_string(), "\\N".to_owned())
        };
        let _ = writeln!(
            text,
            "{}\t{household}\t{parcel}\t{}\t{}\t{}\t{}",
            i + 1,
            scale[e.from as usize],
            scale[e.to as usize],
            tables.actors[e.actor as usize],
            timestamp(e.at)
        );
        if text.len() >= CHUNK {
            copy_in.send(text.as_bytes()).await?;
            text.clear();
        }
    }
    copy_in.send(text.as_bytes()).await?;
    copy_in.finish().await?;

    // the groups before the indexes come back: two whole-table updates run faster without them
    sqlx::raw_sql(include_str!("../../sql/demo/groups.sql"))
        .execute(&mut **tx)
        .await?;
    for statement in rebuild {
        sqlx::query(&statement).execute(&mut **tx).await?;
    }
    for table in BULK_TABLES {
        // the steps below plan their joins on these tables: statistics of the rows just
        // copied, not of the empty tables (a nested seq scan per row at a million buildings)
        sqlx::raw_sql(&format!(
            "ALTER TABLE {table} ENABLE TRIGGER USER; ANALYZE {table}"
        ))
        .execute(&mut **tx)
        .await?;
    }
    // Projects belong to the community their interior point falls in.
    sqlx::query(
        "UPDATE projects p SET region_id = coalesce(
             (SELECT c.id FROM regions c
               WHERE c.level = 'community' AND ST_Intersects(c.geom, ST_PointOnSurface(p.geom))
               ORDER BY c.id LIMIT 1), p.region_id)",
    )
    .execute(&mut **tx)
    .await?;
    // COPY wrote the identity values itself: move each sequence past them.
    for table in [
        "projects",
        "parcels",
        "buildings",
        "households",
        "status_events",
    ] {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
        ))
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("SELECT recount_figures()")
        .execute(&mut **tx)
        .await?;
    sqlx::query("SELECT recount_daily_figures()")
        .execute(&mut **tx)
        .await?;
    // the groups' kept figures, in bulk from the history groups.sql wrote
    sqlx::query("SELECT recount_group_figures()")
        .execute(&mut **tx)
        .await?;
    derive_from_history(tx, as_of).await
}

/// The procedure, money and disclosure, which follow from the status history just loaded.
async fn derive_from_history(
    tx: &mut Transaction<'_, Postgres>,
    as_of: chrono::NaiveDate,
) -> anyhow::Result<()> {
    sqlx::query("SELECT set_config('onemap.as_of', $1, true)")
        .bind(as_of.to_string())
        .execute(&mut **tx)
        .await?;
    // the groups' people are operators of their project's region, now final
    sqlx::raw_sql(include_str!("../../sql/demo/group_people.sql"))
        .execute(&mut **tx)
        .await?;
    // the procedure first: the money is allocated before each project's signing gate
    sqlx::raw_sql(include_str!("../../sql/demo/procedure.sql"))
        .execute(&mut **tx)
        .await?;
    // the 疑难个案 follow the difficult flags and the signings just loaded
    sqlx::raw_sql(include_str!("../../sql/demo/cases.sql"))
        .execute(&mut **tx)
        .await?;
    sqlx::raw_sql(include_str!("../../sql/demo/funds.sql"))
        .execute(&mut **tx)
        .await?;
    sqlx::raw_sql(include_str!("../../sql/demo/petitions.sql"))
        .execute(&mut **tx)
        .await?;
    // the resettlement estates, their units held by the swap households that signed
    let started = std::time::Instant::now();
    sqlx::raw_sql(include_str!("../../sql/demo/estates.sql"))
        .execute(&mut **tx)
        .await?;
    tracing::info!(
        "demo estates loaded in {:.2}s",
        started.elapsed().as_secs_f64()
    );
    // 选房: past days and one upcoming, on the estates the projects draw on (the inventory's
    // estates.sql must run before this; without estates it does nothing)
    sqlx::raw_sql(include_str!("../../sql/demo/selections.sql"))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn copy(tx: &mut Transaction<'_, Postgres>, target: &str, text: &str) -> anyhow::Result<()> {
    let mut copy_in = tx.copy_in_raw(&format!("COPY {target} FROM STDIN")).await?;
    for chunk in text.as_bytes().chunks(CHUNK) {
        copy_in.send(chunk).await?;
    }
    copy_in.finish().await?;
    Ok(())
}

/// Drops the non-unique indexes and the foreign keys of the bulk tables; returns the
/// statements that recreate them, indexes first.
async fn drop_secondary(tx: &mut Transaction<'_, Postgres>) -> anyhow::Result<Vec<String>> {
    let tables: Vec<String> = BULK_TABLES.iter().map(|t| (*t).to_owned()).collect();
    let foreign_keys: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
           FROM pg_constraint c
          WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY($1)",
    )
    .bind(&tables)
    .fetch_all(&mut **tx)
    .await?;
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
           FROM pg_index i
          WHERE NOT i.indisunique AND i.indrelid::regclass::text = ANY($1)",
    )
    .bind(&tables)
    .fetch_all(&mut **tx)
    .await?;
    let mut rebuild = Vec::new();
    for (table, name, _) in &foreign_keys {
        sqlx::query(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))
            .execute(&mut **tx)
            .await?;
    }
    for (name, definition) in &indexes {
        sqlx::query(&format!("DROP INDEX {name}"))
            .execute(&mut **tx)
            .await?;
        rebuild.push(definition.clone());
    }
    for (table, name, definition) in foreign_keys {
        rebuild.push(format!(
            "ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
        ));
    }
    Ok(rebuild)
}
