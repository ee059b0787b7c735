//! After a bulk load (the demo city, an import): the tables it filled vacuumed, frozen and
//! analysed, so the first reads on them do not set hint bits on every page nor plan without
//! statistics (issue 19's slow first minutes). VACUUM runs outside any transaction and only on
//! tables the connected role owns: the migrating role (the demo, `onemap import`) settles them,
//! the service role (imports from the page) leaves them to autovacuum and says so.
use std::time::Instant;

use sqlx::PgPool;

/// What a settling did: the tables vacuumed, those left (not the role's), and the time taken.
#[derive(Debug, Default)]
pub struct Settled {
    pub vacuumed: Vec<String>,
    pub not_owned: Vec<String>,
    pub seconds: f64,
}

/// `VACUUM (FREEZE, ANALYZE)` of `tables` (None: every table of the schema) that this role owns.
pub async fn settle(pool: &PgPool, tables: Option<&[&str]>) -> Result<Settled, sqlx::Error> {
    let started = Instant::now();
    let names: Option<Vec<String>> = tables.map(|t| t.iter().map(|n| (*n).to_owned()).collect());
    let rows: Vec<(String, bool)> = sqlx::query_as(
        "SELECT c.relname::text, pg_has_role(current_user, c.relowner, 'USAGE')
           FROM pg_class c
          WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'm')
            AND ($1::text[] IS NULL OR c.relname = ANY ($1::text[]))
          ORDER BY c.relname",
    )
    .bind(names)
    .fetch_all(pool)
    .await?;
    let mut settled = Settled::default();
    for (name, owned) in rows {
        if owned {
            settled.vacuumed.push(name);
        } else {
            settled.not_owned.push(name);
        }
    }
    if !settled.vacuumed.is_empty() {
        let list: Vec<String> = settled
            .vacuumed
            .iter()
            .map(|n| format!("\"{}\"", n.replace('"', "\"\"")))
            .collect();
        sqlx::raw_sql(&format!("VACUUM (FREEZE, ANALYZE) {}", list.join(", ")))
            .execute(pool)
            .await?;
    }
    settled.seconds = started.elapsed().as_secs_f64();
    if settled.not_owned.is_empty() {
        tracing::info!(
            "settled {} tables (vacuumed, frozen, analysed) in {:.1}s",
            settled.vacuumed.len(),
            settled.seconds
        );
    } else {
        tracing::info!(
            "settled {} tables in {:.1}s; {} are not this role's to vacuum ({}): autovacuum will, or run \
             VACUUM (FREEZE, ANALYZE) as their owner (docs/operations.md)",
            settled.vacuumed.len(),
            settled.seconds,
            settled.not_owned.len(),
            settled.not_owned.join(", ")
        );
    }
    Ok(settled)
}

/// `CHECKPOINT` when this role may (a superuser or a member of `pg_checkpoint`): after the demo's
/// bulk load, so the gigabytes it dirtied reach the disk now and not by a checkpoint spread over
/// the service's first minutes, whose writeback stalled every WAL flush for a second. Returns
/// whether it ran.
pub async fn checkpoint(pool: &PgPool) -> Result<bool, sqlx::Error> {
    let may: bool = sqlx::query_scalar(
        "SELECT rolsuper OR pg_has_role(current_user, 'pg_checkpoint', 'MEMBER') FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(pool)
    .await?;
    if may {
        sqlx::raw_sql("CHECKPOINT").execute(pool).await?;
    } else {
        tracing::info!(
            "not checkpointed after the load: this role is not a member of pg_checkpoint"
        );
    }
    Ok(may)
}
