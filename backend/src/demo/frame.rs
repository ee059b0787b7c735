//! A local metric frame around a district, and the text forms geometry is loaded in.
//!
//! Lon depends only on x and lat only on y, so the map from metres to degrees is affine per
//! axis: shapes that do not overlap in metres do not overlap in degrees either.
use std::fmt::Write;

/// A ring of (x, y) metres, not closed: the writer closes it.
pub type Ring = Vec<(f64, f64)>;

#[derive(Clone, Copy)]
pub struct Frame {
    lon0: f64,
    lat0: f64,
    metres_per_degree_lon: f64,
}

const METRES_PER_DEGREE_LAT: f64 = 110_574.0;

impl Frame {
    #[must_use]
    pub fn around(lon0: f64, lat0: f64) -> Self {
        Self {
            lon0,
            lat0,
            metres_per_degree_lon: 111_320.0 * lat0.to_radians().cos(),
        }
    }

    #[must_use]
    pub fn to_lonlat(self, (x, y): (f64, f64)) -> (f64, f64) {
        (
            self.lon0 + x / self.metres_per_degree_lon,
            self.lat0 + y / METRES_PER_DEGREE_LAT,
        )
    }

    #[must_use]
    pub fn to_metres(self, (lon, lat): (f64, f64)) -> (f64, f64) {
        (
            (lon - self.lon0) * self.metres_per_degree_lon,
            (lat - self.lat0) * METRES_PER_DEGREE_LAT,
        )
    }

    /// EWKT of a one-polygon MultiPolygon in EPSG:4326, 7 decimals (about 1 cm).
    pub fn write_ewkt(self, out: &mut String, ring: &[(f64, f64)]) {
        out.push_str("SRID=4326;MULTIPOLYGON(((");
        // Exterior rings counter-clockwise (RFC 7946 and the MVT spec agree after the y flip).
        let ccw = signed_area(ring) > 0.0;
        let points: Box<dyn Iterator<Item = &(f64, f64)>> = if ccw {
            Box::new(ring.iter())
        } else {
            Box::new(ring.iter().rev())
        };
        let mut first = None;
        for (i, &p) in points.enumerate() {
            let (lon, lat) = self.to_lonlat(p);
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{lon:.7} {lat:.7}");
            first.get_or_insert((lon, lat));
        }
        if let Some((lon, lat)) = first {
            let _ = write!(out, ",{lon:.7} {lat:.7}");
        }
        out.push_str(")))");
    }
}

/// Shoelace area, positive when counter-clockwise.
#[must_use]
pub fn signed_area(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (x1, y1) = ring[i];
            let (x2, y2) = ring[(i + 1) % n];
            x1 * y2 - x2 * y1
        })
        .sum::<f64>()
        / 2.0
}

/// The four corners of an axis-aligned rectangle centred on (cx, cy).
#[must_use]
pub fn rect(cx: f64, cy: f64, w: f64, h: f64) -> Ring {
    let (hw, hh) = (w / 2.0, h / 2.0);
    vec![
        (cx - hw, cy - hh),
        (cx + hw, cy - hh),
        (cx + hw, cy + hh),
        (cx - hw, cy + hh),
    ]
}

/// Rotates every point by `angle` radians around (cx, cy).
#[must_use]
pub fn rotate(ring: &[(f64, f64)], (cx, cy): (f64, f64), angle: f64) -> Ring {
    let (sin, cos) = angle.sin_cos();
    ring.iter()
        .map(|&(x, y)| {
            let (dx, dy) = (x - cx, y - cy);
            (cx + dx * cos - dy * sin, cy + dx * sin + dy * cos)
        })
        .collect()
}

#[must_use]
pub fn translate(ring: &[(f64, f64)], (dx, dy): (f64, f64)) -> Ring {
    ring.iter().map(|&(x, y)| (x + dx, y + dy)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_writes_closed_ccw_rings() {
        let frame = Frame::around(111.7, 29.0);
        let (x, y) = frame.to_metres(frame.to_lonlat((1234.5, -987.0)));
        assert!((x - 1234.5).abs() < 1e-6 && (y + 987.0).abs() < 1e-6);
        let mut text = String::new();
        frame.write_ewkt(
            &mut text,
            &rect(0.0, 0.0, 10.0, 10.0)
                .into_iter()
                .rev()
                .collect::<Vec<_>>(),
        );
        assert!(text.starts_with("SRID=4326;MULTIPOLYGON((("));
        let coords: Vec<&str> = text
            .trim_end_matches(")))")
            .split("(((")
            .nth(1)
            .unwrap_or("")
            .split(',')
            .collect();
        assert_eq!(coords.len(), 5);
        assert_eq!(coords[0], coords[4]);
    }
}
