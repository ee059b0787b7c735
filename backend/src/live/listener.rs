//! The LISTEN loop of an instance: wakes the hub on NOTIFY, after every reconnect (a
//! PostgreSQL restart loses notifications, never events) and every few seconds as a net.
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::PgPool;

use super::Hub;

const CHANNEL: &str = "onemap_status";
const SAFETY_NET: Duration = Duration::from_secs(5);
const RETRY: Duration = Duration::from_millis(500);

pub fn spawn_listener(pool: PgPool, hub: Arc<Hub>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let mut listener = match PgListener::connect_with(&pool).await {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::warn!("live feed: cannot connect to listen ({error}); retrying");
                    tokio::time::sleep(RETRY).await;
                    continue;
                }
            };
            if let Err(error) = listener.listen(CHANNEL).await {
                tracing::warn!("live feed: LISTEN failed ({error}); retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
            catch_up(&pool, &hub).await;
            loop {
                match tokio::time::timeout(SAFETY_NET, listener.try_recv()).await {
                    // a notification, a reconnect (Ok(None): some may be lost) or the timer;
                    // notifications already queued are folded into the same read
                    Ok(Ok(_)) | Err(_) => {
                        while listener.next_buffered().is_some() {}
                        catch_up(&pool, &hub).await;
                    }
                    Ok(Err(error)) => {
                        tracing::warn!("live feed: listener failed ({error}); reconnecting");
                        tokio::time::sleep(RETRY).await;
                        break;
                    }
                }
            }
        }
    })
}

async fn catch_up(pool: &PgPool, hub: &Hub) {
    if let Err(error) = hub.catch_up(pool).await {
        tracing::warn!("live feed: reading new events failed ({error}); will retry");
    }
}
