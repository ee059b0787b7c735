//! What a resident does on the public page: see their own household's record by name and ID
//! number, file an objection (申诉) and follow it by its ticket. Nothing of anyone else.
use rand::Rng;
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::clock::beijing_today;
use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub name: String,
    pub id_number: String,
}

/// The same answer whichever of name or number is wrong, so neither can be probed alone.
fn not_found() -> AppError {
    AppError::NotFound("no household of a published project has this name and ID number".into())
}

fn checked(who: &Identity) -> AppResult<(String, String)> {
    let name = who.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(AppError::Unprocessable(
            "name: give the holder's name as registered".into(),
        ));
    }
    let id = who.id_number.trim().to_uppercase();
    if !crate::id_number::is_valid(&id) {
        return Err(AppError::Unprocessable(
            "id_number: not an 18-character resident ID number (check its last character)".into(),
        ));
    }
    Ok((name, id))
}

/// Households of published projects held by this name and ID number, with compensation,
/// agreement, payments and objections.
pub async fn lookup(pool: &PgPool, who: &Identity) -> AppResult<Value> {
    let (name, id) = checked(who)?;
    let households: Value = sqlx::query_scalar(
        "SELECT coalesce(json_agg(json_build_object(
                    'project_code', p.code, 'project_name', p.name, 'code', h.code, 'building_code', b.code,
                    'holder', m.holder, 'id_number', m.id_number,
                    'status', h.status, 'recorded_area', h.recorded_area, 'members', h.members,
                    'compensation', public_compensation(h.id, $3::date),
                    'override_reason', (SELECT reason FROM compensation_overrides o WHERE o.household_id = h.id),
                    'agreement', (SELECT json_build_object('yuan', a.yuan, 'signed_on', (a.signed_at AT TIME ZONE 'Asia/Shanghai')::date,
                                                           'paid_yuan', a.paid_yuan) FROM agreements a WHERE a.household_id = h.id AND a.voided_at IS NULL),
                    'objections', coalesce((SELECT json_agg(json_build_object('ticket', o.ticket, 'status', o.status, 'body', o.body,
                                                                              'answer', o.answer, 'created_at', o.created_at,
                                                                              'answered_at', o.answered_at) ORDER BY o.id)
                                              FROM objections o WHERE o.household_id = h.id), '[]')) ORDER BY h.code), '[]')
           FROM households h JOIN public_holders m ON m.id = h.id JOIN buildings b ON b.id = h.building_id
           JOIN projects p ON p.id = b.project_id
          WHERE h.id IN (SELECT public_households_of($1, $2)) AND p.published",
    )
    .bind(&name)
    .bind(&id)
    .bind(beijing_today())
    .fetch_one(pool)
    .await?;
    if households.as_array().is_none_or(Vec::is_empty) {
        return Err(not_found());
    }
    Ok(json!({ "households": households }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewObjection {
    pub name: String,
    pub id_number: String,
    pub household_code: String,
    pub body: String,
}

/// Ticket characters: digits and capitals without the look-alikes 0/O, 1/I/L, so a ticket read
/// aloud or copied from paper comes back right.
pub const TICKET_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A random ticket of 16 characters from `TICKET_ALPHABET` (about 79 bits): unguessable.
#[must_use]
pub fn ticket() -> String {
    const ALPHABET: &[u8] = TICKET_ALPHABET;
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

pub async fn file_objection(pool: &PgPool, o: &NewObjection) -> AppResult<Value> {
    let (name, id) = checked(&Identity {
        name: o.name.clone(),
        id_number: o.id_number.clone(),
    })?;
    let body = o.body.trim();
    if body.is_empty() || body.chars().count() > 2000 {
        return Err(AppError::Unprocessable(
            "body: say what the objection is about, in at most 2000 characters".into(),
        ));
    }
    let household: i64 = sqlx::query_scalar("SELECT public_households_of($1, $2, $3)")
        .bind(&name)
        .bind(&id)
        .bind(o.household_code.trim())
        .fetch_optional(pool)
        .await?
        .ok_or_else(not_found)?;
    let ticket = ticket();
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO objections (household_id, ticket, body) VALUES ($1, $2, $3)")
        .bind(household)
        .bind(&ticket)
        .bind(body)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO audit_log (action, subject, detail) VALUES ('objection_filed', $1, $2)",
    )
    .bind(format!("household {household}"))
    .bind(json!({ "ticket": ticket }))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(json!({ "ticket": ticket, "status": "open" }))
}

pub async fn follow(pool: &PgPool, ticket: &str) -> AppResult<Value> {
    // typed in any case, perhaps in groups with spaces or dashes
    let ticket: String = ticket
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase();
    // every petition has a ticket, objections' petitions the objection's own (migration 0033)
    sqlx::query_scalar(include_str!("../../sql/public/ticket.sql"))
        .bind(&ticket)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound("no objection or petition has this ticket".into()))
}
