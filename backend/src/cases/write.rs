//! The writes of a case: open, conference (研判), reassign, close. Each is one transaction
//! that locks the case (or household) first, checks the caller may write in its region, writes,
//! appends a case event (last: it takes the case events' queue lock) and audits.
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

use super::{categories, detail, not_a_case, OUTCOMES};
use crate::audit::audit;
use crate::auth::{may_write_in, User};
use crate::error::{AppError, AppResult};
use crate::validate;

/// The longest note, position or decision: a paragraph or a few, not a document.
const MAX_TEXT: usize = 2000;
/// Most people named in one conference.
const MAX_PEOPLE: usize = 40;

fn text<'a>(field: &str, value: &'a str, max: usize) -> AppResult<&'a str> {
    validate::text(field, value.trim())
        .and_then(|t| validate::max_chars(field, t, max))
        .map_err(AppError::Unprocessable)
}

fn writer(user: &User, lineage: &[i32], subject: &str) -> AppResult<()> {
    if may_write_in(user, lineage) && !user.kiosk {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "{subject}: only admins and the operators of its region may work on its cases"
        ))
        .coded(
            crate::error::Code::OutsideRegion,
            json!({ "region": user.region_code }),
        ))
    }
}

async fn event(
    tx: &mut PgConnection,
    case: i64,
    kind: &str,
    user: &User,
    body: Value,
) -> AppResult<()> {
    sqlx::query("INSERT INTO case_events (case_id, kind, user_id, body) VALUES ($1, $2, $3, $4)")
        .bind(case)
        .bind(kind)
        .bind(user.id)
        .bind(body)
        .execute(tx)
        .await?;
    Ok(())
}

/// A group given for a case must be one of its project's.
async fn group_of_project(tx: &mut PgConnection, group: i32, project: i64) -> AppResult<()> {
    let of: Option<i64> = sqlx::query_scalar("SELECT project_id FROM work_groups WHERE id = $1")
        .bind(group)
        .fetch_optional(tx)
        .await?;
    match of {
        Some(p) if p == project => Ok(()),
        Some(_) => Err(AppError::Unprocessable(format!(
            "group_id: group {group} works on another project"
        ))),
        None => Err(AppError::Unprocessable(format!(
            "group_id: no group has id {group}"
        ))),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    /// the household's code (e.g. `P001-B0012-H01`)
    pub household: String,
    pub category: String,
    #[serde(default)]
    pub note: String,
    /// the owner group; the household's own group when absent
    pub group_id: Option<i32>,
}

#[derive(sqlx::FromRow)]
struct Household {
    id: i64,
    code: String,
    project_id: i64,
    group_id: Option<i32>,
    lineage: Vec<i32>,
}

/// Opens a case for a household: due by its category's rule, owned by the household's group
/// (or the one named); 409 while the household has a case open.
pub async fn open(pool: &PgPool, user: &User, new: &NewCase) -> AppResult<Value> {
    let code = text("household", &new.household, 80)?;
    if code.is_empty() {
        return Err(AppError::Unprocessable(
            "household: give the household's code".into(),
        ));
    }
    categories::known(pool, new.category.trim()).await?;
    let note = text("note", &new.note, MAX_TEXT)?;
    let mut tx = pool.begin().await?;
    let h: Household = sqlx::query_as(include_str!("../../sql/cases/household.sql"))
        .bind(code)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            AppError::Unprocessable(format!("household: no household has code `{code}`"))
        })?;
    writer(user, &h.lineage, &format!("household {}", h.code))?;
    if let Some(g) = new.group_id {
        group_of_project(&mut tx, g, h.project_id).await?;
    }
    let group = new.group_id.or(h.group_id);
    let (case, due_at): (i64, DateTime<Utc>) = sqlx::query_as(
        "INSERT INTO cases (household_id, project_id, group_id, category, note, opened_by, due_at, level_due_at)
         VALUES ($1, $2, $3, $4, $5, $6, case_due($4, now()), case_due($4, now())) RETURNING id, due_at",
    )
    .bind(h.id)
    .bind(h.project_id)
    .bind(group)
    .bind(new.category.trim())
    .bind(note)
    .bind(user.id)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| crate::refusals::refusal(e, &format!("household {}", h.code)))?;
    let body = json!({ "category": new.category.trim(), "note": note, "group_id": group, "due_at": due_at });
    event(&mut tx, case, "opened", user, body.clone()).await?;
    audit(
        &mut tx,
        user,
        "case_open",
        &format!("case {case}"),
        json!({ "household": h.code, "detail": body }),
    )
    .await?;
    tx.commit().await?;
    detail(pool, user, case).await
}

#[derive(sqlx::FromRow)]
struct Locked {
    state: String,
    household_id: i64,
    project_id: i64,
    group_id: Option<i32>,
    level: String,
    lineage: Vec<i32>,
}

/// The case `id`, locked, once `user` may write to it; 409 if it is closed.
async fn lock_open(tx: &mut PgConnection, user: &User, id: i64) -> AppResult<Locked> {
    let case: Locked = sqlx::query_as(include_str!("../../sql/cases/lock.sql"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| not_a_case(id))?;
    writer(user, &case.lineage, &format!("case {id}"))?;
    if case.state != "open" {
        return Err(AppError::Conflict {
            message: format!("case {id} is closed: open a new case for the household if needed"),
            current: json!({ "state": case.state }),
        });
    }
    Ok(case)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConference {
    /// when it was held; now when absent
    pub held_at: Option<DateTime<Utc>>,
    /// onemap users who took part, by username
    #[serde(default)]
    pub participants: Vec<String>,
    /// people from outside (a village cadre, a lawyer, a relative): personal data, staff only
    #[serde(default)]
    pub outside_attendees: Vec<String>,
    #[serde(default)]
    pub positions: String,
    pub decision: String,
    #[serde(default)]
    pub next_action: String,
    /// files already uploaded to the household's file (`/api/households/{id}/attachments`)
    #[serde(default)]
    pub attachment_ids: Vec<i64>,
}

/// Records a case conference (研判) on an open case.
pub async fn confer(pool: &PgPool, user: &User, id: i64, new: &NewConference) -> AppResult<Value> {
    let held_at = new.held_at.unwrap_or_else(Utc::now);
    if held_at > Utc::now() + chrono::Duration::minutes(5) {
        return Err(AppError::Unprocessable(format!(
            "held_at: {held_at} is in the future"
        )));
    }
    let positions = text("positions", &new.positions, 2 * MAX_TEXT)?;
    let decision = text("decision", &new.decision, MAX_TEXT)?;
    if decision.is_empty() {
        return Err(AppError::Unprocessable(
            "decision: say what the conference decided".into(),
        ));
    }
    let next_action = text("next_action", &new.next_action, 1000)?;
    if new.participants.len() + new.outside_attendees.len() > MAX_PEOPLE {
        return Err(AppError::Unprocessable(format!(
            "participants: at most {MAX_PEOPLE} people in one conference"
        )));
    }
    let mut outside = Vec::new();
    for (i, name) in new.outside_attendees.iter().enumerate() {
        let name = text(&format!("outside_attendees[{i}]"), name, 40)?;
        if name.is_empty() {
            return Err(AppError::Unprocessable(format!(
                "outside_attendees[{i}]: a name is required"
            )));
        }
        outside.push(name.to_owned());
    }
    let mut tx = pool.begin().await?;
    let case = lock_open(&mut tx, user, id).await?;
    let mut participants = Vec::new();
    for (i, name) in new.participants.iter().enumerate() {
        let found: Option<i32> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(name.trim())
            .fetch_optional(&mut *tx)
            .await?;
        participants.push(found.ok_or_else(|| {
            AppError::Unprocessable(format!(
                "participants[{i}]: no user is called `{}`",
                name.trim()
            ))
        })?);
    }
    for (i, attachment) in new.attachment_ids.iter().enumerate() {
        let of: Option<i64> =
            sqlx::query_scalar("SELECT household_id FROM attachments WHERE id = $1")
                .bind(attachment)
                .fetch_optional(&mut *tx)
                .await?;
        if of != Some(case.household_id) {
            return Err(AppError::Unprocessable(format!(
                "attachment_ids[{i}]: {attachment} is not a file of this case's household"
            )));
        }
    }
    let conference: i64 = sqlx::query_scalar(
        "INSERT INTO case_conferences (case_id, held_at, participants, outside_attendees, positions, decision, next_action, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(id)
    .bind(held_at)
    .bind(&participants)
    .bind(&outside)
    .bind(positions)
    .bind(decision)
    .bind(next_action)
    .bind(user.id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO case_conference_attachments (conference_id, attachment_id)
         SELECT $1, a FROM unnest($2::bigint[]) a ON CONFLICT DO NOTHING",
    )
    .bind(conference)
    .bind(&new.attachment_ids)
    .execute(&mut *tx)
    .await?;
    // the event carries no outside attendees: events reach the live feed
    let body = json!({ "conference_id": conference, "decision": decision, "next_action": next_action,
                       "participants": participants.len() + outside.len() });
    event(&mut tx, id, "conference", user, body.clone()).await?;
    audit(
        &mut tx,
        user,
        "case_conference",
        &format!("case {id}"),
        json!({ "detail": body, "level": case.level, "attachments": new.attachment_ids }),
    )
    .await?;
    tx.commit().await?;
    detail(pool, user, id).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reassign {
    pub group_id: i32,
}

/// Hands an open case to another group of its project.
pub async fn reassign(pool: &PgPool, user: &User, id: i64, to: &Reassign) -> AppResult<Value> {
    let mut tx = pool.begin().await?;
    let case = lock_open(&mut tx, user, id).await?;
    group_of_project(&mut tx, to.group_id, case.project_id).await?;
    if case.group_id == Some(to.group_id) {
        return Err(AppError::Unprocessable(format!(
            "group_id: case {id} is already held by group {}",
            to.group_id
        )));
    }
    sqlx::query("UPDATE cases SET group_id = $2 WHERE id = $1")
        .bind(id)
        .bind(to.group_id)
        .execute(&mut *tx)
        .await?;
    let body = json!({ "from": case.group_id, "to": to.group_id });
    event(&mut tx, id, "reassigned", user, body.clone()).await?;
    audit(&mut tx, user, "case_reassign", &format!("case {id}"), body).await?;
    tx.commit().await?;
    detail(pool, user, id).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closing {
    pub outcome: String,
    #[serde(default)]
    pub note: String,
    /// the household's status events the case led to; for 签约, its signing event when absent
    pub status_event_ids: Option<Vec<i64>>,
}

/// Closes an open case with its outcome, linked to the status events it led to: 签约 needs the
/// household signed and links its signing event unless others are named.
pub async fn close(pool: &PgPool, user: &User, id: i64, closing: &Closing) -> AppResult<Value> {
    let outcome = closing.outcome.trim();
    if !OUTCOMES.contains(&outcome) {
        return Err(AppError::Unprocessable(format!(
            "outcome: `{outcome}` is not one of {}",
            OUTCOMES.join(", ")
        )));
    }
    let note = text("note", &closing.note, MAX_TEXT)?;
    let mut tx = pool.begin().await?;
    let case = lock_open(&mut tx, user, id).await?;
    let mut linked = Vec::new();
    for (i, event_id) in closing.status_event_ids.iter().flatten().enumerate() {
        let of: Option<Option<i64>> =
            sqlx::query_scalar("SELECT household_id FROM status_events WHERE id = $1")
                .bind(event_id)
                .fetch_optional(&mut *tx)
                .await?;
        if of.flatten() != Some(case.household_id) {
            return Err(AppError::Unprocessable(format!(
                "status_event_ids[{i}]: {event_id} is not a status event of this case's household"
            )));
        }
        linked.push(*event_id);
    }
    if outcome == "signed" && closing.status_event_ids.is_none() {
        let signing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM status_events WHERE household_id = $1 AND to_status = 'signed' ORDER BY id DESC LIMIT 1",
        )
        .bind(case.household_id)
        .fetch_optional(&mut *tx)
        .await?;
        let signed: bool =
            sqlx::query_scalar("SELECT status >= 'signed' FROM households WHERE id = $1")
                .bind(case.household_id)
                .fetch_one(&mut *tx)
                .await?;
        match signing {
            Some(e) if signed => linked.push(e),
            _ => {
                return Err(AppError::Unprocessable(format!(
                    "outcome: case {id}'s household has not signed: record its signing first, or close with another outcome"
                )))
            }
        }
    }
    sqlx::query(
        "UPDATE cases SET state = 'closed', outcome = $2::case_outcome, closed_at = now(), closed_by = $3, close_note = $4
          WHERE id = $1",
    )
    .bind(id)
    .bind(outcome)
    .bind(user.id)
    .bind(note)
    .execute(&mut *tx)
    .await
    .map_err(|e| crate::refusals::refusal(e, &format!("case {id}")))?;
    sqlx::query("INSERT INTO case_status_events (case_id, status_event_id) SELECT $1, e FROM unnest($2::bigint[]) e ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(&linked)
        .execute(&mut *tx)
        .await?;
    let body = json!({ "outcome": outcome, "note": note, "status_event_ids": linked, "level": case.level });
    event(&mut tx, id, "closed", user, body.clone()).await?;
    audit(&mut tx, user, "case_close", &format!("case {id}"), body).await?;
    tx.commit().await?;
    detail(pool, user, id).await
}
