//! The test demo city generated once per test run and copied into each test database that asks
//! for it: generating takes seconds of CPU, a binary COPY of its rows a fraction of that, and
//! nearly a hundred tests start from the same city.
use futures_util::TryStreamExt;
use sqlx::{Connection, PgPool};
use tokio::sync::OnceCell;

/// One table's rows: its name, the columns written (generated ones are recomputed on the way
/// in) and the binary COPY of them.
struct TableRows {
    table: String,
    columns: String,
    copy: Vec<u8>,
}

/// Every table with rows after the demo, and every sequence's position.
struct Snapshot {
    tables: Vec<TableRows>,
    sequences: Vec<(String, i64, bool)>,
}

static SNAPSHOT: OnceCell<Snapshot> = OnceCell::const_new();

/// Gives `pool`'s database the demo city that `generate` makes: the first caller generates it in
/// its own database and keeps its rows; every later caller gets the same rows copied in.
pub async fn city<F, Fut>(pool: &PgPool, generate: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut generated_here = false;
    let snapshot = SNAPSHOT
        .get_or_init(|| async {
            generate().await;
            generated_here = true;
            take(pool).await
        })
        .await;
    if !generated_here {
        restore(pool, snapshot).await;
    }
}

async fn take(pool: &PgPool) -> Snapshot {
    let mut conn = pool.acquire().await.expect("a connection");
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text,
                string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                              AND a.attgenerated = ''
          WHERE c.relkind = 'r' AND c.relname NOT IN ('_sqlx_migrations', 'spatial_ref_sys')
          GROUP BY c.relname ORDER BY c.relname",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("the tables");
    let mut kept = Vec::new();
    for (table, columns) in tables {
        let mut stream = conn
            .copy_out_raw(&format!(
                "COPY {table} ({columns}) TO STDOUT (FORMAT binary)"
            ))
            .await
            .expect("copy out");
        let mut copy = Vec::new();
        while let Some(chunk) = stream.try_next().await.expect("copy out chunk") {
            copy.extend_from_slice(&chunk);
        }
        drop(stream);
        // a binary COPY of no rows is its 19-byte header and 2-byte trailer
        if copy.len() > 21 {
            kept.push(TableRows {
                table,
                columns,
                copy,
            });
        }
    }
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT quote_ident(sequencename) FROM pg_sequences WHERE schemaname = 'public'",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("the sequences");
    let mut sequences = Vec::new();
    for (name,) in names {
        // pg_sequences hides the value of a sequence set but not yet read (is_called false)
        let position: (i64, bool) =
            sqlx::query_as(&format!("SELECT last_value, is_called FROM {name}"))
                .fetch_one(&mut *conn)
                .await
                .expect("a sequence's position");
        sequences.push((name, position.0, position.1));
    }
    Snapshot {
        tables: kept,
        sequences,
    }
}

/// Replaces every table's rows with the snapshot's, triggers and foreign-key checks off (the rows
/// are a whole, consistent database already), then moves the sequences and gathers statistics.
async fn restore(pool: &PgPool, snapshot: &Snapshot) {
    let mut conn = pool.acquire().await.expect("a connection");
    let mut tx = conn.begin().await.expect("a transaction");
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .expect("the tests connect as a superuser");
    // the migrations' own rows (templates, calendars, chains) are in the snapshot too
    let tables: Vec<&str> = snapshot.tables.iter().map(|t| t.table.as_str()).collect();
    sqlx::query(&format!("TRUNCATE {} CASCADE", tables.join(", ")))
        .execute(&mut *tx)
        .await
        .expect("truncate");
    for t in &snapshot.tables {
        let mut copy_in = tx
            .copy_in_raw(&format!(
                "COPY {} ({}) FROM STDIN (FORMAT binary)",
                t.table, t.columns
            ))
            .await
            .expect("copy in");
        copy_in.send(t.copy.as_slice()).await.expect("copy rows");
        copy_in.finish().await.expect("copy in finished");
    }
    for (sequence, last, called) in &snapshot.sequences {
        sqlx::query("SELECT setval($1::regclass, $2, $3)")
            .bind(sequence)
            .bind(last)
            .bind(called)
            .execute(&mut *tx)
            .await
            .expect("setval");
    }
    tx.commit().await.expect("commit");
    sqlx::query(&format!("ANALYZE {}", tables.join(", ")))
        .execute(&mut *conn)
        .await
        .expect("analyze");
}
