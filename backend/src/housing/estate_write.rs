//! Creating an estate (安置小区) and replacing its outline: checked fields, an outline that is a
//! valid polygon of estate size inside the estate's region (maptools::boundary judges the
//! polygon), audited, and every instance told to drop the tiles and figures there (at commit).
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use super::estates::Estate;
use crate::audit::audit;
use crate::auth::{may_write_in, User};
use crate::error::{AppError, AppResult, Code};
use crate::maptools::boundary::{self, Boundary};
use crate::validate;

/// The largest estate outline: a residential estate, not a district (the boundary check allows 50 km²).
pub const MAX_ESTATE_KM2: f64 = 2.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEstate {
    pub code: String,
    pub name: String,
    /// The code of the region (district, street or community) it stands in.
    pub region: String,
    pub address: Option<String>,
    pub delivery_planned: Option<String>,
    /// A GeoJSON Polygon (or a Feature holding one) in EPSG:4326.
    pub outline: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOutline {
    pub outline: Value,
}

fn bad(message: String) -> AppError {
    AppError::Unprocessable(message)
}

/// The outline checked as a drawn boundary, then for an estate's size; refusals name `outline`.
async fn outline(pool: &PgPool, body: &Value) -> AppResult<Boundary> {
    let checked = boundary::check(pool, body).await.map_err(|e| match e {
        AppError::Unprocessable(m) => bad(format!(
            "outline: {}",
            m.strip_prefix("polygon: ").unwrap_or(&m)
        )),
        other => other,
    })?;
    let km2 = checked.area_m2 / 1e6;
    if km2 > MAX_ESTATE_KM2 {
        return Err(bad(format!(
            "outline: {km2:.2} km² is not an estate (at most {MAX_ESTATE_KM2} km²): is it a district's outline?"
        )));
    }
    Ok(checked)
}

/// Refuses an outline that does not meet region `region_id` (the estate stands in it).
async fn inside(pool: &PgPool, region_id: i32, region: &str, b: &Boundary) -> AppResult<()> {
    let meets: bool = sqlx::query_scalar(
        "SELECT ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)) FROM regions WHERE id = $1",
    )
    .bind(region_id)
    .bind(&b.geojson)
    .fetch_one(pool)
    .await?;
    if meets {
        Ok(())
    } else {
        Err(bad(format!(
            "outline: lies outside region {region}, which the estate stands in"
        )))
    }
}

fn may_write(user: &User, lineage: &[i32], what: &str) -> AppResult<()> {
    if may_write_in(user, lineage) {
        return Ok(());
    }
    Err(AppError::Forbidden(format!(
        "{what}: only admins and the operators of its region add estates or change their outlines"
    ))
    .coded(Code::OutsideRegion, json!({ "region": user.region_code })))
}

/// Every instance drops the tiles and kept figures around `geojson` (EPSG:4326) at commit.
async fn announce(tx: &mut sqlx::PgConnection, geojson: &str) -> AppResult<()> {
    sqlx::query(
        "SELECT pg_notify('onemap_import', concat_ws(',', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)))
           FROM (SELECT ST_Expand(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 3857), 500) AS e) s",
    )
    .bind(geojson)
    .execute(tx)
    .await?;
    Ok(())
}

/// Adds estate `new`; the answer names it, its region and its area.
pub async fn create(pool: &PgPool, user: &User, new: &NewEstate) -> AppResult<Value> {
    let code = new.code.trim();
    if !(1..=32).contains(&code.len())
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(bad(format!(
            "code: `{}` is not 1–32 letters, digits or hyphens",
            validate::shown(code)
        )));
    }
    let name = validate::text("name", new.name.trim()).map_err(bad)?;
    if name.is_empty() {
        return Err(bad("name: is empty".into()));
    }
    validate::max_chars("name", name, 60).map_err(bad)?;
    let address = match new.address.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(a) => Some(
            validate::max_chars("address", validate::text("address", a).map_err(bad)?, 200)
                .map_err(bad)?,
        ),
    };
    let delivery = match new.delivery_planned.as_deref() {
        None | Some("") => None,
        Some(d) => Some(validate::day("delivery_planned", d).map_err(bad)?),
    };
    let region: Option<(i32, Vec<i32>)> =
        sqlx::query_as("SELECT id, lineage FROM regions WHERE code = $1")
            .bind(&new.region)
            .fetch_optional(pool)
            .await?;
    let (region_id, lineage) = region.ok_or_else(|| {
        bad(format!(
            "region: no region has code `{}`",
            validate::shown(&new.region)
        ))
    })?;
    may_write(user, &lineage, &format!("estate {code}"))?;
    let b = outline(pool, &new.outline).await?;
    inside(pool, region_id, &new.region, &b).await?;
    let mut tx = pool.begin().await?;
    let id: Option<i32> = sqlx::query_scalar(
        "INSERT INTO estates (code, name, region_id, address, delivery_planned, geom)
         VALUES ($1, $2, $3, $4, $5, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($6), 4326)))
         ON CONFLICT (code) DO NOTHING RETURNING id",
    )
    .bind(code)
    .bind(name)
    .bind(region_id)
    .bind(address)
    .bind(delivery)
    .bind(&b.geojson)
    .fetch_optional(&mut *tx)
    .await?;
    if id.is_none() {
        return Err(AppError::Conflict {
            message: format!("code: estate {code} exists already"),
            current: json!({ "code": code }),
        });
    }
    let answer = json!({ "code": code, "name": name, "region": new.region, "address": address,
                         "delivery_planned": delivery, "area_m2": b.area_m2.round() });
    audit(
        &mut tx,
        user,
        "estate.create",
        &format!("estate {code}"),
        answer.clone(),
    )
    .await?;
    announce(&mut tx, &b.geojson).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Replaces the outline of `estate` (inside its region still); audited with both areas.
pub async fn replace_outline(
    pool: &PgPool,
    user: &User,
    estate: &Estate,
    body: &NewOutline,
) -> AppResult<Value> {
    may_write(user, &estate.lineage, &format!("estate {}", estate.code))?;
    let b = outline(pool, &body.outline).await?;
    let (region_id, region): (i32, String) = sqlx::query_as(
        "SELECT r.id, r.code FROM estates e JOIN regions r ON r.id = e.region_id WHERE e.id = $1",
    )
    .bind(estate.id)
    .fetch_one(pool)
    .await?;
    inside(pool, region_id, &region, &b).await?;
    let mut tx = pool.begin().await?;
    let (before_m2, before): (f64, String) = sqlx::query_as(
        "SELECT ST_Area(geom::geography), ST_AsGeoJSON(geom) FROM estates WHERE id = $1 FOR UPDATE",
    )
    .bind(estate.id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE estates SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)) WHERE id = $1",
    )
    .bind(estate.id)
    .bind(&b.geojson)
    .execute(&mut *tx)
    .await?;
    let answer = json!({ "code": estate.code, "area_m2": b.area_m2.round() });
    audit(
        &mut tx,
        user,
        "estate.outline",
        &format!("estate {}", estate.code),
        json!({ "before_m2": before_m2.round(), "after_m2": b.area_m2.round() }),
    )
    .await?;
    announce(&mut tx, &before).await?;
    announce(&mut tx, &b.geojson).await?;
    tx.commit().await?;
    Ok(answer)
}
