//! CGCS2000 3-degree Gauss-Krüger zones (EPSG:4513-4554): which one coordinates without a CRS
//! most likely are in.

/// EPSG code of the zone-numbered projection (easting carries the zone, e.g. 38 512 345.6 m).
#[must_use]
pub fn zone_numbered_epsg(zone: u32) -> Option<u32> {
    (25..=45).contains(&zone).then(|| 4513 + zone - 25)
}

/// EPSG code of the projection by central meridian (easting without the zone, 500 000 m at the meridian).
#[must_use]
pub fn central_meridian_epsg(zone: u32) -> Option<u32> {
    (25..=45).contains(&zone).then(|| 4534 + zone - 25)
}

/// The 3-degree zone of a longitude: central meridian 3 × zone.
#[must_use]
pub fn zone_of_longitude(lon: f64) -> u32 {
    // zones are 3 degrees wide, centred on multiples of 3
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let zone = ((lon / 3.0).round()).max(0.0) as u32;
    zone
}

/// What to tell someone whose coordinates (x, y) are not longitude/latitude; `near_lon` is the
/// longitude the data should be near (the project's), when known.
#[must_use]
pub fn suggest_crs(x: f64, y: f64, near_lon: Option<f64>) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let prefix = (x / 1_000_000.0).floor() as u32;
    if (1_000_000.0..=10_000_000.0).contains(&y) {
        if let Some(code) = zone_numbered_epsg(prefix) {
            return format!(
                "the easting starts with zone {prefix}, so this looks like CGCS2000 3-degree Gauss-Kruger zone {prefix} (EPSG:{code}); give crs=EPSG:{code}"
            );
        }
        if (100_000.0..900_000.0).contains(&x) {
            return match near_lon
                .map(zone_of_longitude)
                .and_then(|z| central_meridian_epsg(z).map(|c| (z, c)))
            {
                Some((zone, code)) => format!(
                    "this looks like CGCS2000 3-degree Gauss-Kruger metres without the zone \
                     number; near this project that is central meridian {}°E (EPSG:{code}); \
                     give crs=EPSG:{code}",
                    zone * 3
                ),
                None => "this looks like CGCS2000 3-degree Gauss-Kruger metres without the zone \
                         number (EPSG:4534-4554, by central meridian); give crs=EPSG:<code>"
                    .to_owned(),
            };
        }
    }
    "give the file's CRS as crs=EPSG:<code> (or GCJ02)".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_map_to_their_codes() {
        assert_eq!(zone_numbered_epsg(25), Some(4513));
        assert_eq!(zone_numbered_epsg(40), Some(4528));
        assert_eq!(central_meridian_epsg(37), Some(4546));
        assert_eq!(central_meridian_epsg(40), Some(4549));
        assert_eq!(zone_of_longitude(120.58), 40);
        assert_eq!(zone_of_longitude(111.69), 37);
    }

    #[test]
    fn suggestions_name_the_zone() {
        assert!(suggest_crs(40_556_000.0, 3_320_000.0, None).contains("EPSG:4528"));
        assert!(suggest_crs(556_000.0, 3_320_000.0, Some(120.6)).contains("EPSG:4549"));
        assert!(suggest_crs(556_000.0, 3_320_000.0, None).contains("4534-4554"));
    }
}
