//! A planner's own file read for the map as WGS84 GeoJSON, stored nowhere: the overlay.
use std::collections::BTreeMap;
use std::path::Path;

use gdal::vector::Geometry;
use serde::Serialize;
use serde_json::value::RawValue;

use super::limits::OVERLAY;
use super::prepare::prepare;
use super::read::{read, CrsChoice};
use crate::error::{AppError, AppResult};

/// One feature: its row in the file, its geometry as GDAL wrote it, its fields as read.
#[derive(Serialize)]
pub struct OverlayFeature {
    #[serde(rename = "type")]
    kind: &'static str,
    id: usize,
    geometry: Option<Box<RawValue>>,
    properties: BTreeMap<String, String>,
}

/// The file as a FeatureCollection, with where it came from and its box (null when empty).
#[derive(Serialize)]
pub struct Overlay {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    #[serde(rename = "sourceCrs")]
    source_crs: String,
    layers: Vec<String>,
    bbox: Option<[f64; 4]>,
    features: Vec<OverlayFeature>,
}

/// Reads `path` (uploaded as `name`) within the overlay's limits. Blocking: GDAL reads it.
pub fn read_overlay(path: &Path, name: &str, crs: &CrsChoice) -> AppResult<Overlay> {
    let file = prepare(path, name, &OVERLAY)?;
    let mut read_features = Vec::new();
    let source = read(
        &file,
        crs,
        None,
        &OVERLAY,
        &mut |feature| {
            read_features.push(feature);
            Ok(())
        },
        &mut |_, _| {},
    )?;
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut features = Vec::with_capacity(read_features.len());
    for feature in read_features {
        let bad_row = |e: &dyn std::fmt::Display| {
            AppError::Unprocessable(format!("row {}: {e}", feature.row))
        };
        let geometry = match &feature.wkb {
            Some(wkb) => {
                let g = Geometry::from_wkb(wkb).map_err(|e| bad_row(&e))?;
                let e = g.envelope();
                bbox = [
                    bbox[0].min(e.MinX),
                    bbox[1].min(e.MinY),
                    bbox[2].max(e.MaxX),
                    bbox[3].max(e.MaxY),
                ];
                let json = g.json().map_err(|e| bad_row(&e))?;
                Some(RawValue::from_string(json).map_err(|e| bad_row(&e))?)
            }
            None => None,
        };
        features.push(OverlayFeature {
            kind: "Feature",
            id: feature.row,
            geometry,
            properties: feature.fields,
        });
    }
    Ok(Overlay {
        kind: "FeatureCollection",
        name: name.to_owned(),
        source_crs: source.crs,
        layers: source.layers,
        bbox: bbox[0].is_finite().then_some(bbox),
        features,
    })
}
