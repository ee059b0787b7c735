//! The selection day's live feed: every write NOTIFYs `selection` with the day's id inside its
//! transaction (delivered on commit, to every instance); each hall screen's stream LISTENs on a
//! connection of its own and sends the hall anew when its day changed. A hall has a few screens:
//! at most `MAX_SCREENS` streams per instance, so the public endpoint cannot exhaust connections.
use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::postgres::PgListener;
use sqlx::PgPool;

use crate::error::{AppError, AppResult};

/// The channel the writers notify with a day id.
pub const CHANNEL: &str = "selection";
/// Hall streams one instance serves at once.
pub const MAX_SCREENS: usize = 32;

static SCREENS: AtomicUsize = AtomicUsize::new(0);

/// Tells every instance that day `day` changed, when the caller's transaction commits.
pub async fn notify(db: &mut sqlx::PgConnection, day: i64) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(day.to_string())
        .execute(db)
        .await?;
    Ok(())
}

/// A screen's place among the streams; frees it when dropped.
pub struct Screen {
    pub listener: PgListener,
}

impl Drop for Screen {
    fn drop(&mut self) {
        SCREENS.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A listener on `CHANNEL` for one screen; 503 when `MAX_SCREENS` streams are open.
pub async fn screen(pool: &PgPool) -> AppResult<Screen> {
    if SCREENS.fetch_add(1, Ordering::SeqCst) >= MAX_SCREENS {
        SCREENS.fetch_sub(1, Ordering::SeqCst);
        return Err(AppError::Unavailable(format!(
            "selection hall: {MAX_SCREENS} screens are following already; try again later"
        )));
    }
    let listener = async {
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        Ok::<_, sqlx::Error>(listener)
    }
    .await;
    match listener {
        Ok(listener) => Ok(Screen { listener }),
        Err(e) => {
            SCREENS.fetch_sub(1, Ordering::SeqCst);
            Err(e.into())
        }
    }
}
