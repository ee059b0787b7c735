//! Connecting to PostgreSQL and applying the migrations, then the schema's functions,
//! triggers and views (`schema.rs`).
pub mod durable;
pub mod schema;
pub mod settle;
pub mod tile_pool;
pub mod warm;

use std::borrow::Cow;
use std::sync::LazyLock;
use std::time::Duration;

use sqlx::migrate::{MigrateError, Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};

/// The migrations embedded at build time from `migrations/` (their `-- schema:` lines
/// expanded), then the schema step: one last migration made of every file of
/// `backend/sql/schema/`, which `migrate` applies again every time. Tests name it in
/// `#[sqlx::test(migrator = "onemap::db::MIGRATOR")]`.
pub static MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| {
    let embedded = sqlx::migrate!("./migrations");
    let mut migrations: Vec<Migration> = embedded
        .iter()
        .map(|m| Migration {
            sql: Cow::Owned(schema::expand(&m.sql)),
            ..m.clone()
        })
        .collect();
    migrations.push(Migration::new(
        SCHEMA_STEP,
        Cow::Borrowed("schema objects (backend/sql/schema)"),
        MigrationType::Simple,
        Cow::Owned(schema::all()),
        false,
    ));
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
});

/// The schema step's version: after every migration there will ever be.
pub const SCHEMA_STEP: i64 = i64::MAX;

/// SHA-384 checksums of the migrations as commit 7266296 had them, before their functions,
/// triggers and views moved to `backend/sql/schema/` (what the tables and data steps do is
/// unchanged). A database migrated with them takes the current checksums.
const EARLIER_CHECKSUMS: &[(i64, &str)] = &[
    (2, "9aa89c663195bc99967277bb947573180d26cc6a04cf27d8e6834c26aa7c5f7ef7e783934846ead79a5c7e93e09038f4"),
    (3, "5ee9b43d3f335a7393a8f5f0161bf4e7347fc47a192f183d9c920e27f71095137bbed94f71b8a7c030e82822649af81a"),
    (4, "e2dc494aa3c024291a4a27ccb74c21c7f8abf301ffe3cb8946bbce220917787fcae59c7e98250d2e66e6c9d9e533ecaa"),
    (5, "05243b7bb79ee316463a44860ae518f018682ff52440f0c94a3efaa8e587111774a21810407a86c80b1d0e5c2e9fe1d3"),
    (6, "54e919656065f0dc4b9d16e73792c1902bc28cd4314e2fb629aa8f902c79c75bf8d7bf4553e0dc1ab763f79805a6552a"),
    (7, "26cc1be60a15d7029fb27a592854e7bf3928de39eb2ef017ded3fe6ec5d629b855f47b133ac0caa842bc66705390513c"),
    (8, "a826689ed059639b72ea63d702db9bdd358157b9c5c80865f5ff414e4bf2c84215bfc0b069316f74af7b4df1cf327c2c"),
    (9, "461a0ff25325fa39dcc0ee28ea86fbcf92b61c6619338206789c42d4875dbde3777fa40492b4660e9bc67e7041aa9206"),
    (11, "3cb3f21e2ef23e641f6615382f3c8bdf9f04686b8cf52b11a77142fd643e028d7b0688184ed01e8ea84b39c27de25677"),
    (13, "4091d426539b6f8aea708d0c559889cd7feae312d0053ba7d94af1ca55eff7be40fcb0fa52119ac4f903d23cb763aa56"),
    (14, "a3bbd7da6519f9adaa23005ac854912f4d5d85f8cb82e3a5ca13315176357075c98e06bb9ab56e58fda2410598b0f5c5"),
];

pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    pool_options(max_connections)
        .connect_with(connect_options(url)?)
        .await
}

/// A pool connection idle longer than this is pinged before it is handed out.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

/// A pool of at most `max_connections`, each waited for at most 10 s. A connection idle for
/// `IDLE_BEFORE_PING` is pinged before use (one gone with a restarted PostgreSQL is replaced);
/// one in steady use is not: sqlx's default pings before every use, a round trip per tile,
/// write and read (issue 19: a cold tile's server time against Martin's).
pub(crate) fn pool_options(max_connections: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= IDLE_BEFORE_PING {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
}

/// The connection's options: named onemap; bulk loads, migrations and `verify` run for seconds
/// by design, so statements are logged as slow only past that.
pub(crate) fn connect_options(url: &str) -> Result<PgConnectOptions, sqlx::Error> {
    let options: PgConnectOptions = url.parse()?;
    Ok(options
        .application_name("onemap")
        .log_slow_statements(log::LevelFilter::Warn, Duration::from_secs(10)))
}

/// Applies the migrations not yet applied, then the schema step again (its row is deleted
/// first: the repeatable migration). Rows with a checksum of `EARLIER_CHECKSUMS` are brought
/// to the current one; any other difference is refused as before.
pub async fn migrate(pool: &PgPool) -> Result<(), MigrateError> {
    let mut tx = pool.begin().await?;
    let migrated: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(&mut *tx)
        .await?;
    if migrated {
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
            .bind(SCHEMA_STEP)
            .execute(&mut *tx)
            .await?;
        for (version, earlier) in EARLIER_CHECKSUMS {
            let current = MIGRATOR
                .iter()
                .find(|m| m.version == *version)
                .expect("a migration of EARLIER_CHECKSUMS");
            sqlx::query(
                "UPDATE _sqlx_migrations SET checksum = $1
                  WHERE version = $2 AND checksum = decode($3, 'hex')",
            )
            .bind(&*current.checksum)
            .bind(version)
            .bind(earlier)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    MIGRATOR.run(pool).await?;
    for name in schema::outside_files(pool).await? {
        tracing::warn!(
            "{name} is in the database but in no file of backend/sql/schema/: drop it in a migration, or give it its file"
        );
    }
    Ok(())
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

/// Refuses to serve a database that lacks a migration of this binary, or whose functions,
/// triggers and views are not this binary's schema files.
pub async fn check_migrated(pool: &PgPool) -> anyhow::Result<()> {
    let applied: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success")
            .fetch_all(pool)
            .await
            .unwrap_or_default();
    let missing: Vec<i64> = MIGRATOR
        .iter()
        .filter(|m| {
            !applied.iter().any(|(version, checksum)| {
                *version == m.version && (m.version != SCHEMA_STEP || *checksum == *m.checksum)
            })
        })
        .map(|m| m.version)
        .collect();
    match missing.first() {
        None => Ok(()),
        Some(&SCHEMA_STEP) => anyhow::bail!(
            "the database's functions, triggers and views are not this build's (backend/sql/schema): run `onemap migrate` as the schema's owner first"
        ),
        Some(first) => anyhow::bail!(
            "the database lacks migration {first} (and {} more): run `onemap migrate` as the schema's owner first",
            missing.len() - 1
        ),
    }
}
