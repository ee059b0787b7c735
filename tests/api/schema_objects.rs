//! One home per database object: the schema after `migrate` is the one recorded in
//! `backend/sql/schema.dump.sql`; every function, trigger and view is defined by a file of
//! `backend/sql/schema/`; and a database migrated before those files existed migrates to the
//! same schema. `scripts/schema-dump` records the dump again (this test, in writing mode).
use std::path::PathBuf;
use std::process::Command;

use sqlx::PgPool;

const RECORDED: &str = "backend/sql/schema.dump.sql";
/// The last commit whose migrations defined the functions themselves.
const BEFORE_SCHEMA_FILES: &str = "7266296";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// DATABASE_URL (the superuser that sqlx::test connects as) pointed at `database`.
fn url_of(database: &str) -> String {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL names the test cluster");
    let (base, query) = url.split_once('?').unwrap_or((&url, ""));
    let server = &base[..base.rfind('/').expect("DATABASE_URL names a database")];
    if query.is_empty() {
        format!("{server}/{database}")
    } else {
        format!("{server}/{database}?{query}")
    }
}

/// pg_dump of the server's major version: ONEMAP_PG_DUMP, else the distribution's, else PATH's.
async fn pg_dump_bin(pool: &PgPool) -> PathBuf {
    if let Some(bin) = std::env::var_os("ONEMAP_PG_DUMP") {
        return bin.into();
    }
    let major: i32 =
        sqlx::query_scalar("SELECT current_setting('server_version_num')::int / 10000")
            .fetch_one(pool)
            .await
            .expect("server version");
    let bin = PathBuf::from(format!("/usr/lib/postgresql/{major}/bin/pg_dump"));
    if bin.exists() {
        bin
    } else {
        "pg_dump".into()
    }
}

/// The normalised `pg_dump --schema-only` of the pool's database: no comments, SET lines,
/// version or \restrict headers, owners, the migrating role's name, or runs of blank lines;
/// what stays is stable across machines with the same PostgreSQL and PostGIS majors.
async fn schema_dump(pool: &PgPool) -> String {
    let database: String = sqlx::query_scalar("SELECT current_database()::text")
        .fetch_one(pool)
        .await
        .expect("database name");
    let out = Command::new(pg_dump_bin(pool).await)
        .args(["--schema-only", "--no-owner", "--dbname"])
        .arg(url_of(&database))
        .output()
        .expect("pg_dump runs (ONEMAP_PG_DUMP names it when it is not found)");
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    normalise(&String::from_utf8(out.stdout).expect("UTF-8 dump"))
}

fn normalise(dump: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in dump.lines() {
        if [
            "--",
            "SET ",
            "SELECT pg_catalog.set_config",
            "\\restrict",
            "\\unrestrict",
        ]
        .iter()
        .any(|p| line.starts_with(p))
        {
            continue;
        }
        if line.trim().is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        // default privileges name the role that migrated: the test cluster's superuser
        let line = match line.strip_prefix("ALTER DEFAULT PRIVILEGES FOR ROLE ") {
            Some(rest) => format!(
                "ALTER DEFAULT PRIVILEGES FOR ROLE <migrator> {}",
                rest.split_once(' ').map_or("", |(_, tail)| tail)
            ),
            None => line.to_owned(),
        };
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `diff -u` of the recorded dump and `actual` (written under target/ for a closer look).
fn diff_with_recorded(actual: &str, name: &str) -> String {
    let path = root().join("target").join(name);
    std::fs::write(&path, actual).expect("write the dump under target/");
    let out = Command::new("diff")
        .arg("-u")
        .arg(root().join(RECORDED))
        .arg(&path)
        .output()
        .expect("diff runs");
    let diff = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = diff.lines().take(200).collect();
    format!("{}\n(whole dump: {})", lines.join("\n"), path.display())
}

fn recorded() -> String {
    std::fs::read_to_string(root().join(RECORDED)).unwrap_or_default()
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn schema_after_migrate_is_the_recorded_dump(pool: PgPool) {
    // `migrate` also re-applies the schema files over an up-to-date database: still the same
    onemap::db::migrate(&pool).await.expect("migrate again");
    let actual = schema_dump(&pool).await;
    if std::env::var("ONEMAP_SCHEMA_DUMP").as_deref() == Ok("write") {
        std::fs::write(root().join(RECORDED), &actual).expect("write the recorded dump");
        return;
    }
    assert!(
        actual == recorded(),
        "the schema after migrate differs from {RECORDED} (- recorded, + now). If the change is \
         meant, record it with scripts/schema-dump and commit the dump with it:\n{}",
        diff_with_recorded(&actual, "schema.dump.actual.sql")
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn every_function_trigger_and_view_is_a_schema_file(pool: PgPool) {
    let outside = onemap::db::schema::outside_files(&pool)
        .await
        .expect("catalog query");
    assert!(
        outside.is_empty(),
        "defined outside backend/sql/schema/ (move them there, one per file): {outside:?}"
    );
    // and every name the files define exists: the parser of defined_names() reads them right
    let in_database: Vec<String> =
        sqlx::query_scalar(include_str!("../../backend/sql/db/objects.sql"))
            .fetch_all(&pool)
            .await
            .expect("catalog query");
    let missing: Vec<String> = onemap::db::schema::defined_names()
        .into_iter()
        .filter(|n| !in_database.contains(n))
        .collect();
    assert!(
        missing.is_empty(),
        "schema files that made nothing: {missing:?}"
    );
}

/// Migrates the pool's empty database as the earlier binary did: the migrations as commit
/// 7266296 shipped them (before the schema files), up to version `last`.
async fn migrate_as_before(pool: &PgPool, last: i64) {
    let earlier = earlier_migrations(last);
    sqlx::migrate::Migrator::new(earlier.path())
        .await
        .expect("the earlier migrations")
        .run(pool)
        .await
        .expect("the earlier chain migrates an empty database");
}

/// The migrations deployed databases ran before the schema files, kept byte for byte in
/// `tests/fixtures/migrations-7266296.zip` (their checksums are what such databases record),
/// unpacked into a directory sqlx reads: those up to version `last`.
fn earlier_migrations(last: i64) -> tempfile::TempDir {
    let archive = root().join(format!(
        "tests/fixtures/migrations-{BEFORE_SCHEMA_FILES}.zip"
    ));
    let file = std::fs::File::open(&archive).expect("the earlier migrations' archive");
    let mut zip = zip::ZipArchive::new(file).expect("a zip archive");
    let dir = tempfile::tempdir().expect("temporary directory");
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).expect("an entry");
        let name = entry.name().to_owned();
        let version: i64 = name[..4].parse().expect("NNNN_ names");
        if version <= last {
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut content).expect("inflate");
            std::fs::write(dir.path().join(&name), content).expect("write a migration");
        }
    }
    dir
}

#[sqlx::test(migrations = false)]
async fn a_database_migrated_before_the_schema_files_migrates_to_the_same_schema(pool: PgPool) {
    migrate_as_before(&pool, i64::MAX).await;
    // as the earlier binary left it: the service refuses it until it is migrated
    assert!(onemap::db::check_migrated(&pool).await.is_err());

    onemap::db::migrate(&pool)
        .await
        .expect("migrate accepts the earlier checksums");
    onemap::db::check_migrated(&pool)
        .await
        .expect("current after migrate");
    let checksums: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&pool)
            .await
            .expect("applied migrations");
    let expected: Vec<(i64, Vec<u8>)> = onemap::db::MIGRATOR
        .iter()
        .map(|m| (m.version, m.checksum.to_vec()))
        .collect();
    assert_eq!(checksums, expected, "every row holds the current checksum");

    let actual = schema_dump(&pool).await;
    assert!(
        actual == recorded(),
        "a database migrated by the earlier chain, then by this one, differs from {RECORDED} \
         (- fresh, + upgraded):\n{}",
        diff_with_recorded(&actual, "schema.dump.upgraded.sql")
    );
}

/// A database the earlier binary took to 0005, with a household signed: the backfills of
/// 0006 (daily figures) and 0011 (agreements) run on it with the functions their `-- schema:`
/// lines bring, and the result is the recorded schema with figures equal to their recount.
#[sqlx::test(migrations = false)]
async fn backfills_of_later_migrations_run_on_a_database_left_at_0005(pool: PgPool) {
    migrate_as_before(&pool, 5).await;
    sqlx::raw_sql(include_str!("../fixtures/one_building.sql"))
        .execute(&pool)
        .await
        .expect("the fixture loads at 0005");
    sqlx::raw_sql(
        "INSERT INTO status_events (household_id, from_status, to_status, actor)
         SELECT id, f, t, 'tester' FROM households, (VALUES ('pending', 'surveyed'), ('surveyed', 'signed')) s (f, t)
          WHERE code = 'T-1-B1-H01'",
    )
    .execute(&pool)
    .await
    .expect("a household signs at 0005");

    onemap::db::migrate(&pool).await.expect("migrate from 0005");

    let count = |sql: &'static str| async {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&pool)
            .await
            .expect(sql)
    };
    assert_eq!(
        count("SELECT coalesce(sum(signed), 0) FROM daily_figures").await,
        1,
        "0006 backfilled the day"
    );
    assert_eq!(
        count("SELECT count(*) FROM agreements").await,
        1,
        "0011 made the signed household's agreement"
    );
    assert_eq!(
        count("SELECT count(*) FROM project_funds").await,
        1,
        "0008 gave the project its funds row"
    );
    assert_eq!(count("SELECT count(*) FROM fund_differences()").await, 0);
    assert_eq!(
        count(
            "SELECT count(*) FROM (SELECT * FROM daily_figures EXCEPT SELECT * FROM daily_figures_recount) d"
        )
        .await,
        0,
        "daily figures equal their recount"
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM (SELECT * FROM project_figures EXCEPT SELECT * FROM project_figures_recount) d"
        )
        .await,
        0,
        "project figures equal their recount"
    );
    let actual = schema_dump(&pool).await;
    assert!(
        actual == recorded(),
        "a database left at 0005, then migrated, differs from {RECORDED} (- fresh, + this):\n{}",
        diff_with_recorded(&actual, "schema.dump.from_0005.sql")
    );
}
