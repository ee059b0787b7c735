//! Counts a Shapefile's records and bounds each one's vertices from its index (.shx) before
//! GDAL reads it: GDAL allocates a record's points whole, so one record of a 1 GiB .shp would
//! cost a gigabyte before any check could see it.
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::limits::{thousands, Limits};
use crate::error::{AppError, AppResult};

/// Bytes of a record before its points: shape type, bounding box, part and point counts.
const RECORD_HEAD: u64 = 44;

/// Checks the Shapefile at `shp` (shown as `name`) against `limits`: records (features) and
/// vertices per record. A record's vertices are bounded by its length in the index, which is
/// also what GDAL holds it to (shapelib refuses a record whose points overrun it); only a
/// record long enough to pass the limit is opened to read its exact count.
pub fn scan(shp: &Path, name: &str, limits: &Limits) -> AppResult<()> {
    let unreadable = |e: std::io::Error| {
        AppError::Unprocessable(format!("file: `{name}` cannot be read: {e}"))
            .coded(crate::error::Code::UploadUnreadable, serde_json::json!({}))
    };
    let Some(shx) = ["shx", "SHX"]
        .iter()
        .map(|e| shp.with_extension(e))
        .find(|p| p.exists())
    else {
        return Ok(()); // GDAL refuses a Shapefile without its index
    };
    let mut index = BufReader::new(File::open(&shx).map_err(unreadable)?);
    let records = index
        .get_ref()
        .metadata()
        .map_err(unreadable)?
        .len()
        .saturating_sub(100)
        / 8;
    if records > limits.features as u64 {
        return Err(AppError::Unprocessable(format!(
            "file: `{name}` holds {} features; {} holds at most {}",
            thousands(records),
            limits.route,
            thousands(limits.features as u64)
        ))
        .coded(
            crate::error::Code::TooManyFeatures,
            serde_json::json!({ "file": name, "most": thousands(limits.features as u64) }),
        ));
    }
    index.seek(SeekFrom::Start(100)).map_err(unreadable)?;
    let mut entry = [0u8; 8];
    for row in 1..=records {
        index.read_exact(&mut entry).map_err(unreadable)?;
        // offset and length in 16-bit words, big-endian
        let offset = u64::from(u32::from_be_bytes([entry[0], entry[1], entry[2], entry[3]])) * 2;
        let length = u64::from(u32::from_be_bytes([entry[4], entry[5], entry[6], entry[7]])) * 2;
        if length.saturating_sub(RECORD_HEAD) / 16 > limits.vertices_per_feature as u64 {
            let vertices = exact_vertices(shp, offset).map_err(unreadable)?;
            if vertices > limits.vertices_per_feature as u64 {
                return Err(AppError::Unprocessable(format!(
                    "row {row} of `{name}`: {} vertices; {} takes at most {} per feature",
                    thousands(vertices),
                    limits.route,
                    thousands(limits.vertices_per_feature as u64)
                )));
            }
        }
    }
    Ok(())
}

/// The point count a record states, read from its head in the .shp.
fn exact_vertices(shp: &Path, offset: u64) -> std::io::Result<u64> {
    let mut file = File::open(shp)?;
    file.seek(SeekFrom::Start(offset + 8))?; // past the record header (number, length)
    let mut head = [0u8; RECORD_HEAD as usize];
    file.read_exact(&mut head)?;
    let at = |i: usize| i32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
    let points = match at(0) {
        // polyline, polygon, multipatch and their Z and M kinds: type, box, parts, points
        3 | 5 | 13 | 15 | 23 | 25 | 31 => at(40),
        // multipoint kinds: type, box, points
        8 | 18 | 28 => at(36),
        _ => 1,
    };
    Ok(u64::try_from(points).unwrap_or(0))
}
