//! The clerks' console (选房台): call the next household, record its choice (units reserved),
//! the household confirms (units selected, the swap money settled) or cancels, or is skipped to
//! the end of the queue. Every write is one transaction, audited and announced to the hall.
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::audit::audit;
use crate::auth::User;
use crate::error::{AppError, AppResult};

use super::days::{lock, DayRow};
use super::live::notify;

/// The day `id` locked (`exclusive`: see `days::lock`) and open for business (409 else).
async fn open_day(
    db: &mut sqlx::PgConnection,
    user: &User,
    id: i64,
    exclusive: bool,
) -> AppResult<DayRow> {
    let day = lock(db, user, id, exclusive).await?;
    if day.status != "open" {
        return Err(AppError::Conflict {
            message: format!("selection day {id}: is {}, not open", day.status),
            current: json!({ "status": day.status }),
        });
    }
    Ok(day)
}

/// A queued household as the console shows it.
async fn household(db: &mut sqlx::PgConnection, day: i64, household: i64) -> AppResult<Value> {
    Ok(sqlx::query_scalar(
        "SELECT json_build_object('household_id', q.household_id, 'code', q.code, 'holder_name', h.holder_name,
                'entitled_area', q.entitled_area, 'position', q.position, 'state', q.state, 'recalls', q.recalls,
                'choices', coalesce((SELECT json_agg(json_build_object('unit_id', c.unit_id, 'state', c.state) ORDER BY c.id)
                                       FROM selection_choices c
                                      WHERE c.day_id = q.day_id AND c.household_id = q.household_id AND c.state <> 'cancelled'), '[]'),
                'settlement', (SELECT row_to_json(s) FROM swap_settlements s WHERE s.household_id = q.household_id))
           FROM selection_queue q JOIN households h ON h.id = q.household_id WHERE q.day_id = $1 AND q.household_id = $2",
    )
    .bind(day)
    .bind(household)
    .fetch_one(db)
    .await?)
}

/// Audits the act, tells the hall, commits; answers with the household as it is now.
async fn finish(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    user: &User,
    action: &str,
    id: i64,
    household_id: i64,
    detail: Value,
) -> AppResult<Value> {
    audit(
        &mut tx,
        user,
        action,
        &format!("selection_day:{id}"),
        detail,
    )
    .await?;
    notify(&mut tx, id).await?;
    let answer = household(&mut tx, id, household_id).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Calls the next household waiting to this clerk; 409 when the clerk has one called still
/// (naming it) or nobody is waiting.
pub async fn call_next(pool: &PgPool, user: &User, id: i64) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    open_day(&mut tx, user, id, false).await?;
    let mine: Option<String> =
        sqlx::query_scalar("SELECT code FROM selection_queue WHERE day_id = $1 AND state = 'called' AND called_by = $2")
            .bind(id)
            .bind(user.id)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(code) = mine {
        return Err(AppError::Conflict {
            message: format!("selection day {id}: you are serving household {code} still"),
            current: json!({ "code": code }),
        });
    }
    let called: Option<i64> = sqlx::query_scalar(include_str!("../../sql/selection/call_next.sql"))
        .bind(id)
        .bind(user.id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(household_id) = called else {
        return Err(AppError::Conflict {
            message: format!("selection day {id}: nobody is waiting"),
            current: json!({ "waiting": 0 }),
        });
    };
    let code: String = sqlx::query_scalar(
        "SELECT code FROM selection_queue WHERE day_id = $1 AND household_id = $2",
    )
    .bind(id)
    .bind(household_id)
    .fetch_one(&mut *tx)
    .await?;
    finish(
        tx,
        user,
        "selection_call",
        id,
        household_id,
        json!({ "household": code }),
    )
    .await
}

/// The household's queue row locked; 409 unless it is called.
async fn called(db: &mut sqlx::PgConnection, id: i64, household: i64) -> AppResult<(String, f64)> {
    let row: Option<(String, String, f64)> = sqlx::query_as(
        "SELECT code, state, entitled_area::float8 FROM selection_queue WHERE day_id = $1 AND household_id = $2 FOR UPDATE",
    )
    .bind(id)
    .bind(household)
    .fetch_optional(&mut *db)
    .await?;
    match row {
        None => Err(AppError::NotFound(format!(
            "household: {household} is not in the queue of selection day {id}"
        ))),
        Some((code, state, _)) if state != "called" => Err(AppError::Conflict {
            message: format!("household {code}: is {state}, not called"),
            current: json!({ "code": code, "state": state }),
        }),
        Some((code, _, entitled)) => Ok((code, entitled)),
    }
}

/// What a clerk records: the units the household chose.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub units: Vec<i32>,
}

/// 409 naming unit `unit` and the state it is in now.
async fn taken(db: &mut sqlx::PgConnection, unit: i32) -> AppResult<AppError> {
    let (label, status): (String, String) = sqlx::query_as(
        "SELECT format('%s %s栋%s单元%s', e.name, b.code, u.entrance, u.room), u.status::text
           FROM estate_units u JOIN estate_buildings b ON b.id = u.building_id JOIN estates e ON e.id = u.estate_id WHERE u.id = $1",
    )
    .bind(unit)
    .fetch_one(db)
    .await?;
    Ok(AppError::Conflict {
        message: format!("units: {label} (unit {unit}) is {status} now; choose another"),
        current: json!({ "unit_id": unit, "unit": label, "status": status }),
    })
}

/// Records the household's choice: every unit in an estate the project draws on, together
/// within its rules (units, entitlement + what may go beyond), reserved at once. A unit another
/// clerk took first is a 409 naming it and its state; nothing is written then.
pub async fn choose(
    pool: &PgPool,
    user: &User,
    id: i64,
    household_id: i64,
    choice: &Choice,
) -> AppResult<Value> {
    let mut units = choice.units.clone();
    units.sort_unstable();
    units.dedup();
    if units.is_empty() || units.len() != choice.units.len() {
        return Err(AppError::Unprocessable(
            "units: one or more different unit ids".into(),
        ));
    }
    let mut tx = pool.begin().await?;
    let day = open_day(&mut tx, user, id, false).await?;
    let (code, entitled) = called(&mut tx, id, household_id).await?;
    let rules = super::rules_of(&mut tx, day.project_id).await?;
    // the units it holds already (pending) and the new ones, all of the project's estates
    let (known, area, held): (i64, f64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE u.id = ANY ($2)),
                coalesce(sum(u.area) FILTER (WHERE u.id = ANY ($2) OR c.id IS NOT NULL), 0)::float8,
                count(c.id)
           FROM estate_units u JOIN project_estates pe ON pe.estate_id = u.estate_id AND pe.project_id = $1
           LEFT JOIN selection_choices c ON c.unit_id = u.id AND c.state = 'pending' AND c.day_id = $3 AND c.household_id = $4
          WHERE u.id = ANY ($2) OR c.id IS NOT NULL",
    )
    .bind(day.project_id)
    .bind(&units)
    .bind(id)
    .bind(household_id)
    .fetch_one(&mut *tx)
    .await?;
    if known != i64::try_from(units.len()).unwrap_or(i64::MAX) {
        return Err(AppError::Unprocessable(format!(
            "units: not every unit of {units:?} is in an estate project {} draws on",
            day.project_code
        )));
    }
    let count = held + known;
    if count > i64::from(rules.max_units) {
        return Err(AppError::Unprocessable(format!(
            "units: {count} units; the rules allow at most {} per household",
            rules.max_units
        )));
    }
    if area > entitled + rules.beyond_max_area + 1e-9 {
        return Err(AppError::Unprocessable(format!(
            "units: {area:.2} m² is more than household {code}'s entitlement of {entitled:.2} m² and the {:.2} m² the rules allow beyond it",
            rules.beyond_max_area
        )));
    }
    let reserved: Vec<i32> = sqlx::query_scalar(include_str!("../../sql/selection/reserve.sql"))
        .bind(&units)
        .fetch_all(&mut *tx)
        .await?;
    if let Some(lost) = units.iter().find(|u| !reserved.contains(u)) {
        let answer = taken(&mut tx, *lost).await?;
        tx.rollback().await?;
        return Err(answer);
    }
    let inserted = sqlx::query(
        "INSERT INTO selection_choices (day_id, household_id, unit_id, chosen_by) SELECT $1, $2, unnest($3::integer[]), $4",
    )
    .bind(id)
    .bind(household_id)
    .bind(&units)
    .bind(user.id)
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        // the unique index is the last word should a unit's status ever be changed elsewhere
        if e.as_database_error().and_then(|d| d.constraint())
            == Some("selection_choices_one_per_unit")
        {
            tx.rollback().await?;
            let mut db = pool.acquire().await?;
            return Err(taken(&mut db, units[0]).await?);
        }
        return Err(e.into());
    }
    finish(
        tx,
        user,
        "selection_choose",
        id,
        household_id,
        json!({ "household": code, "units": units }),
    )
    .await
}

/// Cancels the household's pending choices: their units are available again.
async fn release_pending(
    db: &mut sqlx::PgConnection,
    id: i64,
    household: i64,
) -> AppResult<Vec<i32>> {
    let units: Vec<i32> = sqlx::query_scalar(
        "UPDATE selection_choices SET state = 'cancelled' WHERE day_id = $1 AND household_id = $2 AND state = 'pending' RETURNING unit_id",
    )
    .bind(id)
    .bind(household)
    .fetch_all(&mut *db)
    .await?;
    sqlx::query("UPDATE estate_units SET status = 'available', status_at = now() WHERE id = ANY ($1) AND status = 'reserved'")
        .bind(&units)
        .execute(&mut *db)
        .await?;
    Ok(units)
}

/// The household takes back its pending choice (the units are available again); it stays called.
pub async fn cancel(pool: &PgPool, user: &User, id: i64, household_id: i64) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    open_day(&mut tx, user, id, false).await?;
    let (code, _) = called(&mut tx, id, household_id).await?;
    let units = release_pending(&mut tx, id, household_id).await?;
    finish(
        tx,
        user,
        "selection_cancel",
        id,
        household_id,
        json!({ "household": code, "units": units }),
    )
    .await
}

/// What confirming says: `no_units` true when the household takes no flat today (its whole
/// entitlement is paid out); otherwise it must have a pending choice.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Confirm {
    #[serde(default)]
    pub no_units: bool,
}

/// The household confirms: its pending units are selected (locked to it), the swap money is
/// settled and moves its agreed sum, and it is done. 409 when payments already committed to
/// it exceed the settled sum (the funds rule: never pay more than agreed).
pub async fn confirm(
    pool: &PgPool,
    user: &User,
    id: i64,
    household_id: i64,
    confirm: &Confirm,
) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    open_day(&mut tx, user, id, false).await?;
    let (code, _) = called(&mut tx, id, household_id).await?;
    let units: Vec<i32> = sqlx::query_scalar(
        "UPDATE selection_choices SET state = 'confirmed', settled_at = now()
          WHERE day_id = $1 AND household_id = $2 AND state = 'pending' RETURNING unit_id",
    )
    .bind(id)
    .bind(household_id)
    .fetch_all(&mut *tx)
    .await?;
    if units.is_empty() != confirm.no_units {
        return Err(AppError::Unprocessable(if units.is_empty() {
            format!("units: household {code} has chosen no unit; record a choice, or confirm with no_units true")
        } else {
            format!(
                "no_units: household {code} has chosen {} units; cancel them first",
                units.len()
            )
        }));
    }
    sqlx::query("UPDATE estate_units SET status = 'selected', household_id = $2, status_at = now() WHERE id = ANY ($1)")
        .bind(&units)
        .bind(household_id)
        .execute(&mut *tx)
        .await?;
    let settlement: Option<Value> = sqlx::query_scalar(include_str!("../../sql/selection/settle.sql"))
        .bind(id)
        .bind(household_id)
        .bind(user.id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match e.as_database_error().and_then(|d| d.constraint()) {
            Some("agreement_not_overpaid" | "agreements_yuan_check") => AppError::Conflict {
                message: format!("household {code}: payments already committed exceed what this selection leaves it; choose again"),
                current: json!({ "code": code }),
            },
            _ => e.into(),
        })?;
    let settlement = settlement.ok_or_else(|| AppError::Conflict {
        message: format!("household {code}: has no signed agreement to settle on"),
        current: json!({ "code": code }),
    })?;
    sqlx::query("UPDATE selection_queue SET state = 'done', called_by = NULL, done_at = now() WHERE day_id = $1 AND household_id = $2")
        .bind(id)
        .bind(household_id)
        .execute(&mut *tx)
        .await?;
    finish(
        tx,
        user,
        "selection_confirm",
        id,
        household_id,
        json!({ "household": code, "units": units, "settlement": settlement }),
    )
    .await
}

/// Why a called household leaves the counter without choosing.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skip {
    /// `absent` (not in the hall when called) or `skipped` (asks to choose later)
    pub reason: String,
}

/// The household goes to the end of the queue (its pending choice released), as often as the
/// rules' `recalls`; after that it is absent for the day.
pub async fn skip(
    pool: &PgPool,
    user: &User,
    id: i64,
    household_id: i64,
    skip: &Skip,
) -> AppResult<Value> {
    if !matches!(skip.reason.as_str(), "absent" | "skipped") {
        return Err(AppError::Unprocessable(
            "reason: `absent` or `skipped`".into(),
        ));
    }
    let mut tx = pool.begin().await?;
    let day = open_day(&mut tx, user, id, true).await?;
    let (code, _) = called(&mut tx, id, household_id).await?;
    let rules = super::rules_of(&mut tx, day.project_id).await?;
    let units = release_pending(&mut tx, id, household_id).await?;
    let state: String = sqlx::query_scalar(
        "UPDATE selection_queue q
            SET recalls = q.recalls + 1, called_by = NULL,
                state = CASE WHEN q.recalls + 1 > $3 THEN 'absent' ELSE 'waiting' END,
                position = (SELECT max(position) + 1 FROM selection_queue WHERE day_id = $1)
          WHERE q.day_id = $1 AND q.household_id = $2 RETURNING q.state",
    )
    .bind(id)
    .bind(household_id)
    .bind(rules.recalls)
    .fetch_one(&mut *tx)
    .await?;
    finish(
        tx,
        user,
        "selection_skip",
        id,
        household_id,
        json!({ "household": code, "reason": skip.reason, "now": state, "released": units }),
    )
    .await
}
