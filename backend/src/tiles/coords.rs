//! Tile coordinates and formats parsed from request paths, with errors that name the bad part.
use crate::error::AppError;

/// Deepest zoom served; beyond it a tile is smaller than a building's door.
pub const MAX_ZOOM: u8 = 22;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TileFormat {
    Mvt,
    GeoJson,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TileCoord {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileCoord {
    /// Validates z/x/y from path segments; `y_file` is like `123.mvt` or `123.geojson`.
    pub fn parse(z: &str, x: &str, y_file: &str) -> Result<(TileCoord, TileFormat), AppError> {
        let (y, ext) = y_file.rsplit_once('.').ok_or_else(|| {
            AppError::BadRequest(format!(
                "tile `{y_file}` has no format: use .mvt or .geojson"
            ))
        })?;
        let format = match ext {
            "mvt" | "pbf" => TileFormat::Mvt,
            "geojson" | "json" => TileFormat::GeoJson,
            other => {
                return Err(AppError::NotFound(format!(
                    "unknown tile format `{other}`: use mvt or geojson"
                )))
            }
        };
        let z: u8 = z
            .parse()
            .map_err(|_| AppError::BadRequest(format!("zoom `{z}` is not a whole number")))?;
        if z > MAX_ZOOM {
            return Err(AppError::BadRequest(format!(
                "zoom {z} is beyond the deepest zoom {MAX_ZOOM}"
            )));
        }
        let side = 1u64 << z;
        let x: u32 = parse_index("x", x)?;
        let y: u32 = parse_index("y", y)?;
        for (axis, value) in [("x", x), ("y", y)] {
            if u64::from(value) >= side {
                return Err(AppError::BadRequest(format!(
                    "{axis} = {value} is out of range at zoom {z}: it must be below {side}"
                )));
            }
        }
        Ok((TileCoord { z, x, y }, format))
    }
}

fn parse_index(axis: &str, value: &str) -> Result<u32, AppError> {
    value
        .parse()
        .map_err(|_| AppError::BadRequest(format!("{axis} `{value}` is not a whole number")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_and_names_the_bad_part() {
        assert_eq!(
            TileCoord::parse("3", "7", "5.mvt").ok(),
            Some((TileCoord { z: 3, x: 7, y: 5 }, TileFormat::Mvt))
        );
        let message = |z, x, y| {
            TileCoord::parse(z, x, y)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(message("23", "0", "0.mvt").contains("zoom 23"));
        assert!(message("3", "8", "0.mvt").contains("x = 8"));
        assert!(message("3", "0", "8.mvt").contains("y = 8"));
        assert!(message("3", "0", "0.png").contains("png"));
        assert!(message("a", "0", "0.mvt").contains("zoom `a`"));
        assert!(message("3", "-1", "0.mvt").contains("x `-1`"));
    }
}
