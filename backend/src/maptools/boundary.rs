//! A boundary drawn on the map, checked before any query uses it: a GeoJSON Polygon in EPSG:4326,
//! one closed ring of at most `MAX_VERTICES` points, valid (PostGIS names a self-intersection and
//! where) and at most `MAX_AREA_KM2`. Every refusal is a 422 naming the problem.
use serde_json::Value;
use sqlx::PgPool;

use crate::error::{AppError, AppResult};

/// Points of the ring at most (the closing point included): a hand-drawn outline, not a survey.
pub const MAX_VERTICES: usize = 500;
/// The largest area asked about at once: a district's part, not a whole city.
pub const MAX_AREA_KM2: f64 = 50.0;

/// A checked boundary, as GeoJSON text for PostGIS, with its area in m².
pub struct Boundary {
    pub geojson: String,
    pub area_m2: f64,
}

fn refuse(what: &str) -> AppError {
    AppError::Unprocessable(format!("polygon: {what}"))
}

/// The geometry of `body`: a Polygon, or a Feature or `{"polygon": …}` holding one.
fn geometry(body: &Value) -> &Value {
    match body.get("type").and_then(Value::as_str) {
        Some("Feature") => body.get("geometry").unwrap_or(&Value::Null),
        Some(_) => body,
        None => body.get("polygon").unwrap_or(body),
    }
}

/// The ring's points as (lon, lat), checked for shape, range, count and closure.
fn ring(geometry: &Value) -> AppResult<Vec<(f64, f64)>> {
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
    if kind != "Polygon" {
        return Err(refuse(&format!(
            "type `{kind}`: send a GeoJSON Polygon in EPSG:4326 (longitude, latitude)"
        )));
    }
    let rings = geometry
        .get("coordinates")
        .and_then(Value::as_array)
        .ok_or_else(|| refuse("coordinates: an array of rings is missing"))?;
    match rings.len() {
        1 => {}
        0 => return Err(refuse("coordinates: no ring")),
        n => {
            return Err(refuse(&format!(
                "{n} rings: draw one outline without holes"
            )))
        }
    }
    let points = rings[0]
        .as_array()
        .ok_or_else(|| refuse("coordinates: the ring is not an array of points"))?;
    if points.len() > MAX_VERTICES {
        return Err(refuse(&format!(
            "{} vertices; at most {MAX_VERTICES}",
            points.len()
        )));
    }
    let mut ring = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let xy = p
            .as_array()
            .filter(|a| a.len() >= 2)
            .and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)));
        let (lon, lat) =
            xy.ok_or_else(|| refuse(&format!("point {}: not [longitude, latitude]", i + 1)))?;
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(refuse(&format!(
                "point {}: ({lon}, {lat}) is not a longitude and latitude in EPSG:4326",
                i + 1
            )));
        }
        ring.push((lon, lat));
    }
    if ring.len() < 4 {
        return Err(refuse(&format!(
            "{} points: a closed ring needs at least 4 (3 corners and the first again)",
            ring.len()
        )));
    }
    let (first, last) = (ring[0], ring[ring.len() - 1]);
    if first != last {
        return Err(refuse(&format!(
            "the ring is not closed: it starts at ({}, {}) and ends at ({}, {})",
            first.0, first.1, last.0, last.1
        )));
    }
    Ok(ring)
}

/// Checks `body` whole; PostGIS judges validity and area.
pub async fn check(pool: &PgPool, body: &Value) -> AppResult<Boundary> {
    let ring = ring(geometry(body))?;
    let coordinates: Vec<[f64; 2]> = ring.iter().map(|&(x, y)| [x, y]).collect();
    let geojson =
        serde_json::json!({ "type": "Polygon", "coordinates": [coordinates] }).to_string();
    let (valid, reason, x, y, area_m2): (bool, Option<String>, Option<f64>, Option<f64>, f64) =
        sqlx::query_as(include_str!("../../sql/maptools/boundary.sql"))
            .bind(&geojson)
            .fetch_one(pool)
            .await?;
    if !valid {
        let reason = reason.unwrap_or_else(|| "invalid".into());
        let at = match (x, y) {
            (Some(x), Some(y)) => format!(" near ({x:.6}, {y:.6})"),
            _ => String::new(),
        };
        let what = if reason.starts_with("Self-intersection") {
            "the outline crosses itself"
        } else if reason.starts_with("Too few points") {
            "too few distinct points"
        } else {
            "not a valid polygon"
        };
        return Err(refuse(&format!("{what}{at} ({reason})")));
    }
    let km2 = area_m2 / 1e6;
    if km2 > MAX_AREA_KM2 {
        return Err(refuse(&format!(
            "{km2:.1} km²; at most {MAX_AREA_KM2} km² at once"
        )));
    }
    if area_m2 <= 0.0 {
        return Err(refuse("the outline encloses no area"));
    }
    Ok(Boundary { geojson, area_m2 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(e: AppError) -> String {
        match e {
            AppError::Unprocessable(m) => m,
            _ => "other".into(),
        }
    }

    #[test]
    fn shapes_are_named() {
        let open = serde_json::json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]});
        assert!(message(ring(&open).expect_err("refused")).contains("not closed"));
        let line = serde_json::json!({"type": "LineString", "coordinates": [[0, 0], [1, 1]]});
        assert!(message(ring(&line).expect_err("refused")).contains("LineString"));
        let far = serde_json::json!({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]]});
        assert!(message(ring(&far).expect_err("refused")).contains("point 2"));
        let feature = serde_json::json!({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}});
        assert_eq!(ring(geometry(&feature)).expect("a triangle").len(), 4);
    }
}
