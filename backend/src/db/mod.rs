//! Connecting to PostgreSQL and applying the migrations.
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};

/// Migrations embedded at build time from `migrations/`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let options: PgConnectOptions = url.parse()?;
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        // bulk loads, migrations and `verify` run for seconds by design: warn only past that
        .connect_with(
            options
                .application_name("onemap")
                .log_slow_statements(log::LevelFilter::Warn, Duration::from_secs(10)),
        )
        .await
}

pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// Refuses to serve over a connection that could do more than the service needs: a superuser,
/// a role that may create roles or databases, or the owner of the schema's tables.
pub async fn check_service_role(pool: &PgPool) -> anyhow::Result<()> {
    let (user, superuser, create_role, create_db, owns): (String, bool, bool, bool, i64) = sqlx::query_as(
        "SELECT current_user::text, r.rolsuper, r.rolcreaterole, r.rolcreatedb,
                (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user)
           FROM pg_roles r WHERE r.rolname = current_user",
    )
    .fetch_one(pool)
    .await?;
    if superuser || create_role || create_db || owns > 0 {
        anyhow::bail!(
            "the service connects as `{user}`, which {}: connect as onemap_app (least privilege; `onemap migrate` runs as the owner)",
            if superuser { "is a superuser" } else if owns > 0 { "owns the schema's tables" } else { "may create roles or databases" }
        );
    }
    Ok(())
}

/// Refuses a residents' connection that can read holders' names or ID numbers.
pub async fn check_public_role(pool: &PgPool) -> anyhow::Result<()> {
    let (user, can_read): (String, bool) = sqlx::query_as(
        "SELECT current_user::text, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                OR has_column_privilege('households', 'holder_name', 'SELECT')
                OR has_column_privilege('households', 'holder_id_number', 'SELECT')",
    )
    .fetch_one(pool)
    .await?;
    if can_read {
        anyhow::bail!("the residents' connection (`{user}`) can read holders' names or ID numbers: use onemap_public");
    }
    Ok(())
}

/// Refuses to serve a schema older than this binary's migrations.
pub async fn check_migrated(pool: &PgPool) -> anyhow::Result<()> {
    let newest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    let applied: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await
            .unwrap_or(None);
    if applied.unwrap_or(0) < newest {
        anyhow::bail!("the database is at migration {} of {newest}: run `onemap migrate` as the schema's owner first", applied.unwrap_or(0));
    }
    Ok(())
}
