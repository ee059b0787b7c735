//! Petitions (信访) and the on-site suggestion box (意见箱): registered from every channel (the
//! public objection form makes one by trigger), decided, assigned, replied to within their periods
//! and linked when they repeat a matter. See docs/petitions.md.
mod handling;
mod read;
mod register;
mod settings;

pub use handling::{accept, assign, link, reply, Assign, Decision, Link, Reply};
pub use read::{board, detail, stats, BoardFilter, StatsFilter};
pub use register::{register, NewPetition};
pub use settings::{replace_periods, save_category, settings, Category, Periods};

use sqlx::PgPool;

use crate::auth::{authorize, User};
use crate::error::{AppError, AppResult};

/// How far apart two petitions of the same household or petitioner may be received and still be
/// suggested as one matter (重复信访): half a year, the usual window of the 信访 offices' counts.
pub const REPEAT_WINDOW_DAYS: i32 = 180;

/// The most petitions one board answers with.
pub const BOARD_LIMIT: i64 = 500;

/// The channels, as the API names them: 网上申诉, 热线, 来信, 来访, 现场意见箱.
pub const CHANNELS: &[&str] = &["online", "hotline", "letter", "visit", "box"];

/// The project of petition `id` and its region's lineage, once the caller is known to be one who
/// may see its petitioner (admins, and operators of its region); 404 when there is none.
async fn authorized(pool: &PgPool, user: &User, id: i64) -> AppResult<i64> {
    let (project, lineage): (i64, Vec<i32>) = sqlx::query_as(
        "SELECT p.project_id, r.lineage FROM petitions p JOIN projects pr ON pr.id = p.project_id
           JOIN regions r ON r.id = pr.region_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("petition {id} does not exist")))?;
    authorize(user, &lineage, &format!("petition {id}"))?;
    Ok(project)
}

/// A channel named by the API, or 4xx naming `field`.
fn channel(field: &str, text: &str) -> AppResult<String> {
    if CHANNELS.contains(&text) {
        Ok(text.to_owned())
    } else {
        Err(AppError::Unprocessable(format!(
            "{field}: `{text}` is not one of {}",
            CHANNELS.join(", ")
        )))
    }
}

/// Trimmed text of 1 to `max` characters, or 422 naming `field`.
fn required_text(field: &str, text: &str, max: usize, what: &str) -> AppResult<String> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(AppError::Unprocessable(format!(
            "{field}: {what}, in at most {max} characters"
        )));
    }
    crate::validate::text(field, t).map_err(AppError::Unprocessable)?;
    Ok(t.to_owned())
}

/// Refuses a category that does not exist or is retired (422 naming `category_id`); None passes.
async fn usable_category(db: impl sqlx::PgExecutor<'_>, category: Option<i16>) -> AppResult<()> {
    let Some(c) = category else { return Ok(()) };
    let usable: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM petition_categories WHERE id = $1 AND NOT retired)",
    )
    .bind(c)
    .fetch_one(db)
    .await?;
    if usable {
        Ok(())
    } else {
        Err(AppError::Unprocessable(format!(
            "category_id: no category {c} is in use"
        )))
    }
}
