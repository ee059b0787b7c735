//! GCJ-02, the offset datum of Chinese web maps (no EPSG code): its published forward formula
//! from WGS84, and the inverse by fixed-point iteration, good to well under a centimetre.

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

fn outside_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lon(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// The GCJ-02 offset (degrees of longitude, latitude) at a WGS84 position.
fn offset(lon: f64, lat: f64) -> (f64, f64) {
    if outside_china(lon, lat) {
        return (0.0, 0.0);
    }
    let d_lat = transform_lat(lon - 105.0, lat - 35.0);
    let d_lon = transform_lon(lon - 105.0, lat - 35.0);
    let rad = lat.to_radians();
    let magic = 1.0 - EE * rad.sin() * rad.sin();
    let sqrt_magic = magic.sqrt();
    let d_lat = (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * std::f64::consts::PI);
    let d_lon = (d_lon * 180.0) / (A / sqrt_magic * rad.cos() * std::f64::consts::PI);
    (d_lon, d_lat)
}

/// WGS84 → GCJ-02.
#[must_use]
pub fn from_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    let (d_lon, d_lat) = offset(lon, lat);
    (lon + d_lon, lat + d_lat)
}

/// GCJ-02 → WGS84: the WGS84 point whose GCJ-02 image is the given one. The offset changes
/// slowly, so w = g - offset(w) converges in a few steps; 10 leave < 1e-9 degrees.
#[must_use]
pub fn to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    let (mut w_lon, mut w_lat) = (lon, lat);
    for _ in 0..10 {
        let (d_lon, d_lat) = offset(w_lon, w_lat);
        (w_lon, w_lat) = (lon - d_lon, lat - d_lat);
    }
    (w_lon, w_lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WGS84 → GCJ-02 pairs from the test table of googollee/eviltransform
    /// (go/transform_test.go), given there as latitude, longitude.
    const PUBLISHED: [((f64, f64), (f64, f64)); 3] = [
        (
            (31.177_427_6, 121.527_210_6),
            (31.175_303_983_645_97, 121.531_541_859_215),
        ),
        (
            (22.543_847, 113.912_316),
            (22.540_796_131_694_766, 113.917_176_480_836_3),
        ),
        (
            (39.911_954, 116.377_817),
            (39.913_345_455_360_69, 116.384_047_224_556_57),
        ),
    ];

    #[test]
    fn forward_matches_published_pairs() {
        for ((lat, lon), (g_lat, g_lon)) in PUBLISHED {
            let (x, y) = from_wgs84(lon, lat);
            assert!(
                (x - g_lon).abs() < 1e-9 && (y - g_lat).abs() < 1e-9,
                "{lat},{lon} → {y},{x}"
            );
        }
    }

    #[test]
    fn inverse_lands_within_a_centimetre() {
        for ((lat, lon), (g_lat, g_lon)) in PUBLISHED {
            let (x, y) = to_wgs84(g_lon, g_lat);
            // 1e-7 degrees is about a centimetre
            assert!(
                (x - lon).abs() < 1e-7 && (y - lat).abs() < 1e-7,
                "{g_lat},{g_lon} → {y},{x}"
            );
        }
        assert_eq!(
            to_wgs84(2.35, 48.85),
            (2.35, 48.85),
            "outside China nothing moves"
        );
    }
}
