//! The demo city: real districts of 常德市武陵区 and 绍兴市越城区, derived streets and
//! communities, and generated projects, parcels, buildings, households and their history.
mod city;
mod frame;
mod history;
mod layout;
mod load;
mod people;
mod plan;
mod reference;
mod regions;
mod sites;

use std::time::Instant;

use anyhow::bail;
use sqlx::PgPool;

use crate::config::DemoArgs;

pub use city::Counts;

/// Generates and loads the demo city into an empty database, in one transaction.
pub async fn run(pool: &PgPool, args: &DemoArgs) -> anyhow::Result<Option<Counts>> {
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM projects")
        .fetch_one(pool)
        .await?;
    if existing > 0 {
        if args.if_empty {
            tracing::info!("database already has {existing} projects: demo not loaded");
            return Ok(None);
        }
        bail!(
            "database already has {existing} projects: the demo loads only into an empty database"
        );
    }
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let latest = reference_moment(as_of, chrono::Utc::now().timestamp());
    let started = Instant::now();
    let districts = reference::districts()?;
    let mut tx = pool.begin().await?;
    let district_ids = regions::load(&mut tx, &districts, args.seed).await?;
    let regions_done = started.elapsed();
    let (target, seed) = (args.buildings, args.seed);
    let tables = tokio::task::spawn_blocking(move || {
        city::generate(&districts, &district_ids, target, seed, as_of, latest)
    })
    .await??;
    let counts = tables.counts;
    let events = tables.events.len();
    let generated = started.elapsed();
    load::bulk(&mut tx, tables, as_of).await?;
    tx.commit().await?;
    // a city loaded as of a past day has cases overdue since then: they move up now, as the
    // service's first tick would, so its first minute is not spent on them (79,446 at a million
    // buildings as of a fortnight ago)
    let escalated = crate::cases::escalation::run_once(pool).await?;
    let loaded = started.elapsed();
    // every table is new: vacuumed, frozen and analysed now, not by the first readers
    let settled = crate::db::settle::settle(pool, None).await?;
    crate::db::settle::checkpoint(pool).await?;
    tracing::info!(
        "demo city loaded: {} projects, {} parcels, {} buildings, {} households, {events} status events as of {as_of}, {escalated} overdue cases escalated \
         (regions {:.1}s, generate {:.1}s, load {:.1}s, vacuum freeze analyse {:.1}s, total {:.1}s)",
        counts.projects, counts.parcels, counts.buildings, counts.households,
        regions_done.as_secs_f64(), generated.saturating_sub(regions_done).as_secs_f64(),
        loaded.saturating_sub(generated).as_secs_f64(), settled.seconds, started.elapsed().as_secs_f64()
    );
    Ok(Some(counts))
}

/// The moment the history runs up to (Unix seconds): the end of the `as_of` day (Beijing
/// time), or now if that is earlier, so that no event the demo writes lies in the future.
#[must_use]
pub fn reference_moment(as_of: chrono::NaiveDate, now: i64) -> i64 {
    let next_day = as_of.succ_opt().unwrap_or(as_of);
    let end_of_day = next_day
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp()
        - 8 * 3600
        - 1;
    end_of_day.min(now)
}
