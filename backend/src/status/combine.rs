//! Status write requests that arrive together are written together: one statement, one turn in
//! the writers' queue, one commit and one wait for the disk for all of them (group commit). The
//! queue is one at a time by design (event ids commit in order); per request it cost a lock
//! hand-over, the statement's AFTER triggers, a commit and a flush wait besides the events'
//! own work, and at 400 requests a second on two cores those hand-overs were the limit.
//! A combined statement that is refused writes nothing; its requests are then written one by
//! one, so a refusal is only ever the refused request's own.
use std::sync::Arc;

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, Mutex};

use super::one_statement::{write_events, Planned, Request, Written};

/// Writers taking turns: one holds the queue while the next gathers what arrived meanwhile.
const WRITERS: usize = 2;
/// A writer stops gathering at this many events: a longer statement holds the queue longer.
const MOST_EVENTS: usize = 256;
/// Requests that may wait to be gathered; one more waits for room (the pool's own bound).
const WAITING: usize = 4096;

/// A request's events (given back) and their written rows, or the refusal.
type Answer = (Vec<Planned>, Result<Vec<Written>, sqlx::Error>);

/// One request's events, who writes them, and where its answer goes.
struct Job {
    planned: Vec<Planned>,
    actor: String,
    user_id: i32,
    reply: oneshot::Sender<Answer>,
}

/// The status writes of one instance, written through `pool` (the live pool).
pub struct StatusWrites {
    jobs: mpsc::Sender<Job>,
    pool: PgPool,
}

impl StatusWrites {
    /// Starts the writers; they end when this is dropped.
    #[must_use]
    pub fn start(pool: PgPool) -> Self {
        let (jobs, waiting) = mpsc::channel(WAITING);
        let waiting = Arc::new(Mutex::new(waiting));
        for _ in 0..WRITERS {
            tokio::spawn(writer(pool.clone(), waiting.clone()));
        }
        StatusWrites { jobs, pool }
    }

    /// Writes one request's `planned` events with whatever other requests are waiting; returns
    /// the events (as given) and their written rows, in the planned order.
    pub(super) async fn write(&self, planned: Vec<Planned>, actor: &str, user_id: i32) -> Answer {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            planned,
            actor: actor.to_owned(),
            user_id,
            reply,
        };
        if let Err(unsent) = self.jobs.send(job).await {
            // the writers are gone (the service is stopping): write it here
            let job = unsent.0;
            let written = write_alone(&self.pool, &job).await;
            return (job.planned, written);
        }
        // a writer always answers (it runs in its own task: a client that goes cannot cancel it)
        answer.await.unwrap_or_else(|_| {
            (
                Vec::new(),
                Err(sqlx::Error::Protocol("the status writer stopped".into())),
            )
        })
    }
}

/// Takes the waiting requests, up to `MOST_EVENTS` events, and writes them together, until the
/// requests' channel closes.
async fn writer(pool: PgPool, waiting: Arc<Mutex<mpsc::Receiver<Job>>>) {
    loop {
        let batch = {
            let mut waiting = waiting.lock().await;
            let Some(first) = waiting.recv().await else {
                return;
            };
            let mut events = first.planned.len();
            let mut batch = vec![first];
            while events < MOST_EVENTS {
                let Ok(job) = waiting.try_recv() else { break };
                events += job.planned.len();
                batch.push(job);
            }
            batch
        };
        write_batch(&pool, batch).await;
    }
}

/// Writes `batch` in one statement; when the database refuses it (nothing is written), each
/// request alone.
async fn write_batch(pool: &PgPool, batch: Vec<Job>) {
    if batch.len() > 1 {
        let requests: Vec<Request> = batch.iter().map(request).collect();
        match write_events(pool, &requests).await {
            Ok(written) => {
                for (job, rows) in batch.into_iter().zip(written) {
                    let _ = job.reply.send((job.planned, Ok(rows)));
                }
                return;
            }
            Err(refused) if refused.as_database_error().is_some() => {}
            // the connection failed: whether the statement committed is unknown, so no request
            // is written again; each is answered with the failure
            Err(failed) => {
                let why = failed.to_string();
                for job in batch {
                    let _ = job
                        .reply
                        .send((job.planned, Err(sqlx::Error::Protocol(why.clone()))));
                }
                return;
            }
        }
    }
    for job in batch {
        let written = write_alone(pool, &job).await;
        let _ = job.reply.send((job.planned, written));
    }
}

async fn write_alone(pool: &PgPool, job: &Job) -> Result<Vec<Written>, sqlx::Error> {
    let mut written = write_events(pool, &[request(job)]).await?;
    Ok(written.pop().unwrap_or_default())
}

fn request(job: &Job) -> Request<'_> {
    Request {
        planned: &job.planned,
        actor: &job.actor,
        user_id: job.user_id,
    }
}
