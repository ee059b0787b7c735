//! Selection days: made with their queue (the households and their entitlement), the lottery's
//! draw, opening and closing; read by staff (names) and by the hall and the public (codes).
use chrono::NaiveDate;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::audit::audit;
use crate::auth::{may_write_in, User};
use crate::error::{AppError, AppResult};
use crate::projects::Project;

use super::live::notify;

/// A day and the project it belongs to, locked for the caller's transaction.
pub(crate) struct DayRow {
    pub project_id: i64,
    pub project_code: String,
    pub status: String,
    pub order_by: String,
    pub drawn: bool,
}

/// Day `id` locked (404 if none), when `user` may write in its project's region (403 else):
/// shared by the clerks' writes, which run side by side (the unique index keeps a unit to one
/// household); exclusive for what changes the day or the queue's order (status, draw, skips).
pub(crate) async fn lock(
    db: &mut sqlx::PgConnection,
    user: &User,
    id: i64,
    exclusive: bool,
) -> AppResult<DayRow> {
    let sql = format!(
        "SELECT d.project_id, p.code, r.lineage, d.status, d.order_by, d.drawn_at IS NOT NULL
           FROM selection_days d JOIN projects p ON p.id = d.project_id JOIN regions r ON r.id = p.region_id
          WHERE d.id = $1 FOR {} OF d",
        if exclusive { "UPDATE" } else { "SHARE" }
    );
    let row: Option<(i64, String, Vec<i32>, String, String, bool)> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *db)
        .await?;
    let Some((project_id, project_code, lineage, status, order_by, drawn)) = row else {
        return Err(AppError::NotFound(format!(
            "day: no selection day has id {id}"
        )));
    };
    if !may_write_in(user, &lineage) {
        return Err(AppError::Forbidden(format!(
            "selection day {id}: only admins and the operators of project {project_code}'s region run it"
        )));
    }
    Ok(DayRow {
        project_id,
        project_code,
        status,
        order_by,
        drawn,
    })
}

/// What a day writer sends: the date, and for a lottery optionally its seed (64 hex digits;
/// none: the server draws one). The order is the project's rule unless `order_by` is given.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDay {
    pub day: String,
    pub order_by: Option<String>,
    pub seed: Option<String>,
}

/// Makes a selection day of project `project` with its queue; the seed of a lottery is
/// published at once. Admins and the region's operators; audited; 409 for a second day on a date.
pub async fn create(
    pool: &PgPool,
    user: &User,
    code: &str,
    project: &Project,
    new: &NewDay,
) -> AppResult<Value> {
    if !may_write_in(user, &project.lineage) {
        return Err(AppError::Forbidden(format!(
            "project {code}: only admins and the operators of its region make its selection days"
        )));
    }
    let day = crate::validate::day("day", &new.day).map_err(AppError::Unprocessable)?;
    let day: NaiveDate =
        crate::validate::day_in_range("day", day).map_err(AppError::Unprocessable)?;
    let mut tx = pool.begin().await?;
    let rules = super::rules_of(&mut tx, project.id).await?;
    let order_by = new.order_by.clone().unwrap_or(rules.order_by);
    let seed = match (order_by.as_str(), &new.seed) {
        ("signing", None) => None,
        ("signing", Some(_)) => {
            return Err(AppError::Unprocessable(
                "seed: a day in signing order has no lottery seed".into(),
            ));
        }
        ("lottery", Some(seed))
            if seed.len() == 64 && seed.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) =>
        {
            Some(seed.clone())
        }
        ("lottery", Some(_)) => {
            return Err(AppError::Unprocessable(
                "seed: 64 lower-case hex digits, or none for a random one".into(),
            ));
        }
        ("lottery", None) => Some(super::lottery::new_seed()),
        (other, _) => {
            return Err(AppError::Unprocessable(format!(
                "order_by: `{other}` is neither `signing` (签约顺序号) nor `lottery` (摇号)"
            )));
        }
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO selection_days (project_id, day, order_by, seed, seed_published_at, created_by)
         VALUES ($1, $2, $3, $4, CASE WHEN $4::text IS NULL THEN NULL ELSE now() END, $5) RETURNING id",
    )
    .bind(project.id)
    .bind(day)
    .bind(&order_by)
    .bind(&seed)
    .bind(user.id)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match e.as_database_error().and_then(|d| d.constraint()) {
        Some("selection_days_project_id_day_key") => AppError::Conflict {
            message: format!("day: project {code} has a selection day on {day} already"),
            current: json!({ "day": day }),
        },
        _ => e.into(),
    })?;
    let households: i64 = sqlx::query_scalar(include_str!("../../sql/selection/queue.sql"))
        .bind(id)
        .bind(project.id)
        .fetch_one(&mut *tx)
        .await?;
    if households == 0 {
        // dropped with the transaction: a day nobody can come to is not made
        return Err(AppError::Unprocessable(format!(
            "day: project {code} has no signed property-swap household still to choose \
             (each is settled, or queued on a day not yet closed): the day would be empty"
        )));
    }
    audit(
        &mut tx,
        user,
        "selection_day",
        &format!("selection_day:{id}"),
        json!({ "project": code, "day": day, "order_by": order_by, "seed": seed, "households": households }),
    )
    .await?;
    tx.commit().await?;
    detail(pool, id).await
}

/// A day for staff: its queue with holders' names and choices (403 outside the region).
pub async fn read(pool: &PgPool, user: &User, id: i64) -> AppResult<Value> {
    let lineage: Option<Vec<i32>> = sqlx::query_scalar(
        "SELECT r.lineage FROM selection_days d JOIN projects p ON p.id = d.project_id JOIN regions r ON r.id = p.region_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let lineage =
        lineage.ok_or_else(|| AppError::NotFound(format!("day: no selection day has id {id}")))?;
    if !crate::auth::may_read_in(user, &lineage) || user.kiosk {
        return Err(AppError::Forbidden(format!(
            "selection day {id}: its queue names households; for admins and staff of its region"
        )));
    }
    detail(pool, id).await
}

async fn detail(pool: &PgPool, id: i64) -> AppResult<Value> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/selection/day.sql"))
            .bind(id)
            .fetch_one(pool)
            .await?,
    )
}

/// The project's selection days, newest first.
pub async fn list(pool: &PgPool, project_id: i64) -> AppResult<Value> {
    Ok(
        sqlx::query_scalar(include_str!("../../sql/selection/days.sql"))
            .bind(project_id)
            .fetch_one(pool)
            .await?,
    )
}

/// The units of the estates the day's project draws on.
pub async fn units(pool: &PgPool, user: &User, id: i64) -> AppResult<Value> {
    let day = read(pool, user, id).await?;
    let project =
        crate::projects::by_code(pool, day["project_code"].as_str().unwrap_or_default()).await?;
    let units: Option<Value> = sqlx::query_scalar(include_str!("../../sql/selection/units.sql"))
        .bind(project.id)
        .fetch_one(pool)
        .await?;
    Ok(json!({ "units": units.unwrap_or_else(|| json!([])) }))
}

/// The lottery's draw: the order from the published seed and codes. Once, before the day opens.
pub async fn draw(pool: &PgPool, user: &User, id: i64) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    let day = lock(&mut tx, user, id, true).await?;
    if day.order_by != "lottery" || day.drawn {
        return Err(AppError::Conflict {
            message: format!(
                "selection day {id}: {}",
                if day.drawn {
                    "drawn already"
                } else {
                    "is in signing order, no lottery"
                }
            ),
            current: json!({ "order_by": day.order_by, "drawn": day.drawn }),
        });
    }
    sqlx::query(include_str!("../../sql/selection/draw.sql"))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE selection_days SET drawn_at = now() WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        user,
        "selection_draw",
        &format!("selection_day:{id}"),
        json!({ "project": day.project_code }),
    )
    .await?;
    notify(&mut tx, id).await?;
    tx.commit().await?;
    detail(pool, id).await
}

/// Opens (`planned` → `open`, a lottery drawn first) or closes (`open` → `closed`, nobody
/// called and no choice pending) the day.
pub async fn set_status(pool: &PgPool, user: &User, id: i64, to: &str) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    let day = lock(&mut tx, user, id, true).await?;
    let from = match to {
        "open" => "planned",
        "closed" => "open",
        other => {
            return Err(AppError::NotFound(format!(
                "status: `{other}` is neither open nor closed"
            )))
        }
    };
    let called: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM selection_queue WHERE day_id = $1 AND state = 'called'",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let refusal = if day.status != from {
        Some(format!("is {}, not {from}", day.status))
    } else if to == "open" && day.order_by == "lottery" && !day.drawn {
        Some("its lottery is not drawn yet".to_owned())
    } else if to == "closed" && called > 0 {
        Some(format!(
            "{called} households are called still: finish or skip them first"
        ))
    } else {
        None
    };
    if let Some(why) = refusal {
        return Err(AppError::Conflict {
            message: format!("selection day {id}: {why}"),
            current: json!({ "status": day.status, "drawn": day.drawn, "called": called }),
        });
    }
    sqlx::query("UPDATE selection_days SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(to)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        user,
        &format!("selection_{to}"),
        &format!("selection_day:{id}"),
        json!({ "project": day.project_code }),
    )
    .await?;
    notify(&mut tx, id).await?;
    tx.commit().await?;
    detail(pool, id).await
}

/// How many households the hall shows after those called.
pub const HALL_NEXT: i32 = 8;

/// The hall's screen of day `id` (published projects only; 404 else), from the residents' pool.
pub async fn hall(public_pool: &PgPool, id: i64) -> AppResult<Value> {
    let hall: Option<Value> = sqlx::query_scalar("SELECT selection_hall($1, $2)")
        .bind(id)
        .bind(HALL_NEXT)
        .fetch_one(public_pool)
        .await?;
    hall.ok_or_else(|| {
        AppError::NotFound(format!("day: no selection day {id} of a published project"))
    })
}

/// The lottery's publication of day `id` (published projects' lottery days only; 404 else).
pub async fn lottery(public_pool: &PgPool, id: i64) -> AppResult<Value> {
    let published: Option<Value> = sqlx::query_scalar("SELECT selection_lottery($1)")
        .bind(id)
        .fetch_one(public_pool)
        .await?;
    published.ok_or_else(|| {
        AppError::NotFound(format!("day: no lottery day {id} of a published project"))
    })
}
