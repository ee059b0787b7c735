//! A unit's status change from the desk (and any Rust writer, such as the selection day): the
//! row is locked, the step checked, the acting user set for the database's trigger
//! (`estate_units_record_status`, which writes `unit_status_events` and wakes the live feed),
//! the change audited. Writers in SQL only update `estate_units.status`: the trigger does the rest.
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgConnection;

use super::UnitStatus;
use crate::audit::audit;
use crate::auth::{authorize, User};
use crate::error::{AppError, AppResult};

/// A status change as the desk asks for it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The status to move to.
    pub to: UnitStatus,
    /// The household the unit goes to (by code), for selected; kept for the later steps.
    pub household: Option<String>,
    /// The status the clerk saw: when the unit has moved since, 409 with its state now.
    pub expected: Option<UnitStatus>,
}

/// Whether a unit may go from `from` to `to` at the desk: forward one step (available ⇄
/// reserved, → selected → contracted → delivered), or back to available from a choice not yet
/// delivered (a cancelled selection or contract).
#[must_use]
pub fn may_step(from: UnitStatus, to: UnitStatus) -> bool {
    use UnitStatus::{Available, Contracted, Delivered, Reserved, Selected};
    matches!(
        (from, to),
        (Available, Reserved | Selected)
            | (Reserved, Available | Selected)
            | (Selected, Contracted | Available)
            | (Contracted, Delivered | Available)
    )
}

#[derive(sqlx::FromRow)]
struct Locked {
    estate_id: i32,
    lineage: Vec<i32>,
    status: UnitStatus,
    household_id: Option<i64>,
}

/// Sets the acting user for the status trigger, for the rest of the transaction.
pub async fn act_as(tx: &mut PgConnection, user_id: i32) -> AppResult<()> {
    sqlx::query("SELECT set_config('onemap.actor_id', $1, true)")
        .bind(user_id.to_string())
        .execute(tx)
        .await?;
    Ok(())
}

/// The unit's state as the 楼盘表 shows it (and a 409 carries).
async fn state(tx: &mut PgConnection, unit_id: i32) -> AppResult<Value> {
    let row: (UnitStatus, chrono::DateTime<chrono::Utc>, Option<String>) = sqlx::query_as(
        "SELECT u.status, u.status_at, h.code FROM estate_units u LEFT JOIN households h ON h.id = u.household_id WHERE u.id = $1",
    )
    .bind(unit_id)
    .fetch_one(tx)
    .await?;
    Ok(json!({ "unit_id": unit_id, "status": row.0, "status_at": row.1, "household": row.2 }))
}

/// Moves unit `unit_id` as `change` asks, for `user` (admins, operators of the estate's
/// region), in one transaction; returns the unit's new state and the event's id.
pub async fn change(
    tx: &mut PgConnection,
    user: &User,
    unit_id: i32,
    change: &Change,
) -> AppResult<(Value, i64)> {
    let locked: Locked = sqlx::query_as(
        "SELECT u.estate_id, r.lineage, u.status, u.household_id
           FROM estate_units u JOIN estates e ON e.id = u.estate_id JOIN regions r ON r.id = e.region_id
          WHERE u.id = $1 FOR UPDATE OF u",
    )
    .bind(unit_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("unit: no unit has id {unit_id}")))?;
    authorize(user, &locked.lineage, &format!("unit {unit_id}"))?;
    if change.expected.is_some_and(|e| e != locked.status) || !may_step(locked.status, change.to) {
        let message = format!(
            "to: unit {unit_id} is {} now and cannot become {}",
            locked.status.name(),
            change.to.name()
        );
        return Err(AppError::Conflict {
            message,
            current: state(tx, unit_id).await?,
        });
    }
    let household_id = household_for(tx, locked.estate_id, &locked, change).await?;
    act_as(tx, user.id).await?;
    sqlx::query("UPDATE estate_units SET status = $2, household_id = $3 WHERE id = $1")
        .bind(unit_id)
        .bind(change.to)
        .bind(household_id)
        .execute(&mut *tx)
        .await?;
    let event: i64 =
        sqlx::query_scalar("SELECT max(id) FROM unit_status_events WHERE unit_id = $1")
            .bind(unit_id)
            .fetch_one(&mut *tx)
            .await?;
    let now = state(tx, unit_id).await?;
    audit(
        tx,
        user,
        "unit.status",
        &format!("unit {unit_id}"),
        json!({ "from": locked.status, "to": change.to, "household": now["household"] }),
    )
    .await?;
    Ok((now, event))
}

/// The household the unit holds after the change: a named swap household of a project that
/// draws on the estate for `selected`, the same one for later steps, none back at available.
async fn household_for(
    tx: &mut PgConnection,
    estate_id: i32,
    locked: &Locked,
    change: &Change,
) -> AppResult<Option<i64>> {
    if !change.to.has_household() {
        return Ok(None);
    }
    let Some(code) = &change.household else {
        return match locked.household_id {
            Some(id) => Ok(Some(id)),
            None => Err(AppError::Unprocessable(
                "household: name the household the unit goes to".into(),
            )),
        };
    };
    let found: Option<(i64, bool, bool)> = sqlx::query_as(
        "SELECT h.id, h.resettlement IS NOT DISTINCT FROM 'property_swap',
                EXISTS (SELECT 1 FROM project_estates pe WHERE pe.project_id = b.project_id AND pe.estate_id = $2)
           FROM households h JOIN buildings b ON b.id = h.building_id WHERE h.code = $1",
    )
    .bind(code)
    .bind(estate_id)
    .fetch_optional(&mut *tx)
    .await?;
    match found {
        None => Err(AppError::Unprocessable(format!(
            "household: no household has code `{code}`"
        ))),
        Some((_, false, _)) => Err(AppError::Unprocessable(format!(
            "household: `{code}` chose monetary resettlement, not a flat"
        ))),
        Some((_, _, false)) => Err(AppError::Unprocessable(format!(
            "household: `{code}`'s project does not draw on this estate"
        ))),
        Some((id, true, true)) => match locked.household_id {
            Some(holder) if holder != id => Err(AppError::Unprocessable(format!(
                "household: the unit is held by another household than `{code}`"
            ))),
            _ => Ok(Some(id)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use UnitStatus::{Available, Contracted, Delivered, Reserved, Selected};

    #[test]
    fn steps_go_forward_one_at_a_time_or_back_to_available() {
        assert!(may_step(Available, Selected));
        assert!(may_step(Selected, Contracted));
        assert!(may_step(Contracted, Delivered));
        assert!(may_step(Contracted, Available));
        assert!(!may_step(Available, Delivered));
        assert!(!may_step(Delivered, Available));
        assert!(!may_step(Selected, Selected));
        assert!(!may_step(Reserved, Contracted));
    }
}
