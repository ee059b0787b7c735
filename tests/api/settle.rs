//! After a bulk load (db/settle.rs): the tables vacuumed, frozen and analysed by a role that
//! owns them, then checkpointed when the role may; the service role leaves them to autovacuum
//! and skips the checkpoint without failing the load.
use sqlx::PgPool;

use crate::helpers::role_pool;

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_load_is_settled_by_the_owner_and_left_to_autovacuum_by_the_service(pool: PgPool) {
    // the test's role is the superuser: it owns the tables
    let settled = onemap::db::settle::settle(&pool, Some(&["regions"]))
        .await
        .expect("settle");
    assert_eq!(settled.vacuumed, ["regions"]);
    let analysed: bool = sqlx::query_scalar(
        "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'regions'",
    )
    .fetch_one(&pool)
    .await
    .expect("statistics");
    assert!(analysed, "regions analysed");

    // the service role owns no table: the load goes on, and says so
    let service = role_pool(&pool, "app").await;
    let settled = onemap::db::settle::settle(&service, Some(&["regions"]))
        .await
        .expect("settling as the service role is not an error");
    assert!(settled.vacuumed.is_empty());
    assert_eq!(settled.not_owned, ["regions"]);

    assert!(
        !onemap::db::settle::checkpoint(&service)
            .await
            .expect("no error"),
        "the service role is not a member of pg_checkpoint: no checkpoint, no failure"
    );

    // the superuser checkpoints: the checkpointer's count moves
    let before: i64 = sqlx::query_scalar("SELECT checkpoints_req FROM pg_stat_bgwriter")
        .fetch_one(&pool)
        .await
        .expect("checkpoints");
    assert!(onemap::db::settle::checkpoint(&pool)
        .await
        .expect("checkpoint"));
    let after: i64 = sqlx::query_scalar("SELECT checkpoints_req FROM pg_stat_bgwriter")
        .fetch_one(&pool)
        .await
        .expect("checkpoints");
    assert!(
        after > before,
        "a checkpoint was requested ({before} → {after})"
    );
}
