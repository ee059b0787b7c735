//! The escalation job's caller: every instance runs `escalate_due_cases(now())` every
//! `EVERY` (backend/sql/schema/escalate_due_cases.sql). The function, not this loop, makes a
//! case move once: any number of instances may call it at the same moment.
use std::time::Duration;

use sqlx::PgPool;

/// How often each instance runs the job: a case moves at most this long after its deadline
/// (a backlog, such as midnight's, takes longer: its calls are paced).
pub const EVERY: Duration = Duration::from_secs(10);

/// Shortest pause between two calls of one run: a backlog leaves the cores to the writers
/// between its transactions of at most 500 cases (escalate_due_cases.sql).
const BETWEEN_CALLS: Duration = Duration::from_millis(20);

/// A run pauses this many times as long as its last call took: the calls of a backlog take at
/// most a quarter of one core. At 00:00 the day's cases escalate together (70,000 at a million
/// buildings, 35 ms per 500 on an idle machine); back to back they took a core from the
/// writers of a signing rush for a minute.
const PAUSE_PER_CALL_TIME: u32 = 3;

/// Runs the job once, call after call until nothing moves; how many cases moved up a level.
pub async fn run_once(pool: &PgPool) -> Result<i64, sqlx::Error> {
    let mut moved = 0_i64;
    loop {
        let started = std::time::Instant::now();
        let now: i32 = sqlx::query_scalar("SELECT escalate_due_cases(now())")
            .fetch_one(pool)
            .await?;
        if now == 0 {
            return Ok(moved);
        }
        moved += i64::from(now);
        tokio::time::sleep((started.elapsed() * PAUSE_PER_CALL_TIME).max(BETWEEN_CALLS)).await;
    }
}

/// Starts the loop of this instance (it runs as long as the process).
pub fn spawn(pool: PgPool) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(EVERY);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match run_once(&pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("cases: {n} escalated past their due time"),
                Err(error) => {
                    tracing::warn!("cases: the escalation job failed ({error}); will retry");
                }
            }
        }
    });
}
