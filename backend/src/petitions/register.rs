//! Registering a petition received on any channel (the desk's 登记): its periods are copied from
//! the most specific row of petition_periods, and it gets a ticket the petitioner follows it by.
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use super::{channel, detail, required_text, usable_category};
use crate::audit::audit;
use crate::auth::{authorize, User};
use crate::disclosure::residents::ticket;
use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPetition {
    pub project: String,
    pub channel: String,
    pub body: String,
    pub category_id: Option<i16>,
    pub household_code: Option<String>,
    pub petitioner_name: Option<String>,
    pub petitioner_id_number: Option<String>,
    pub petitioner_phone: Option<String>,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` in Beijing time (a form's datetime-local); absent: now
    pub received_at: Option<String>,
}

/// When it was received: not in the future, not before 2000.
fn received_at(text: Option<&str>) -> AppResult<DateTime<Utc>> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Utc::now());
    };
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    let at = DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").map(|t| {
                beijing
                    .from_local_datetime(&t)
                    .single()
                    .expect("UTC+8 is unambiguous")
                    .with_timezone(&Utc)
            })
        })
        .map_err(|_| {
            AppError::Unprocessable(format!(
                "received_at: `{text}` is not a time (2026-12-02T09:30 in Beijing, or RFC 3339)"
            ))
        })?;
    if at > Utc::now() + chrono::Duration::minutes(5) || at.timestamp() < 946_684_800 {
        return Err(AppError::Unprocessable(format!(
            "received_at: {text} is in the future or before 2000"
        )));
    }
    Ok(at)
}

fn optional(text: Option<&String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The petitioner's fields, checked: a name of at most 40 characters, a valid resident ID number,
/// a phone of digits (5–20 characters, `+ ( ) -` and spaces allowed).
fn petitioner(p: &NewPetition) -> AppResult<(Option<String>, Option<String>, Option<String>)> {
    let name = optional(p.petitioner_name.as_ref());
    if let Some(n) = &name {
        required_text("petitioner_name", n, 40, "the petitioner's name")?;
    }
    let id = optional(p.petitioner_id_number.as_ref()).map(|t| t.to_uppercase());
    if id
        .as_deref()
        .is_some_and(|t| !crate::id_number::is_valid(t))
    {
        return Err(AppError::Unprocessable(
            "petitioner_id_number: not an 18-character resident ID number (check its last character)".into(),
        ));
    }
    let phone = optional(p.petitioner_phone.as_ref());
    if phone.as_deref().is_some_and(|t| {
        !(5..=20).contains(&t.chars().count())
            || !t.chars().all(|c| c.is_ascii_digit() || "+()- ".contains(c))
    }) {
        return Err(AppError::Unprocessable(
            "petitioner_phone: 5 to 20 digits (+, brackets, dashes and spaces allowed)".into(),
        ));
    }
    Ok((name, id, phone))
}

pub async fn register(pool: &PgPool, user: &User, p: &NewPetition) -> AppResult<Value> {
    let project = crate::projects::by_code(pool, p.project.trim()).await?;
    authorize(
        user,
        &project.lineage,
        &format!("project {}", p.project.trim()),
    )?;
    let channel = channel("channel", p.channel.trim())?;
    let body = required_text(
        "body",
        &p.body,
        4000,
        "say what the petition asks or reports",
    )?;
    let received = received_at(p.received_at.as_deref())?;
    let (name, id_number, phone) = petitioner(p)?;
    usable_category(pool, p.category_id).await?;
    let household: Option<i64> = match optional(p.household_code.as_ref()) {
        None => None,
        Some(code) => Some(
            sqlx::query_scalar("SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE h.code = $1 AND b.project_id = $2")
                .bind(&code)
                .bind(project.id)
                .fetch_optional(pool)
                .await?
                .ok_or_else(|| AppError::Unprocessable(format!("household_code: no household `{code}` in project {}", p.project.trim())))?,
        ),
    };
    let ticket = ticket();
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO petitions (ticket, project_id, household_id, channel, category_id, petitioner_name, petitioner_id_number,
                                petitioner_phone, body, received_at, registered_by, accept_n, accept_unit, handle_n, handle_unit)
         SELECT $1, $2, $3, $4::petition_channel, $5, $6, $7, $8, $9, $10, $11, r.accept_n, r.accept_unit, r.handle_n, r.handle_unit
           FROM petition_period($2, $4::petition_channel, $5) r
         RETURNING id",
    )
    .bind(&ticket)
    .bind(project.id)
    .bind(household)
    .bind(&channel)
    .bind(p.category_id)
    .bind(&name)
    .bind(&id_number)
    .bind(&phone)
    .bind(&body)
    .bind(received)
    .bind(user.id)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        user,
        "petition_registered",
        &format!("petition {id}"),
        json!({ "project": p.project.trim(), "channel": channel, "ticket": ticket }),
    )
    .await?;
    tx.commit().await?;
    detail(pool, user, id).await
}
