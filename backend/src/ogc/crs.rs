//! The CRSs the OGC API serves (Part 2): CRS84, CGCS2000 (EPSG:4490) and Web Mercator, with
//! their axis orders.
use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crs {
    /// WGS84 longitude, latitude: the default of OGC API Features and GeoJSON.
    Crs84,
    /// CGCS2000 geographic. Its EPSG axis order is latitude, longitude. CGCS2000 and WGS84
    /// differ by centimetres, below the accuracy of the survey data, so coordinates are the
    /// stored WGS84 ones with the axes swapped.
    Cgcs2000,
    /// Web Mercator metres, easting then northing.
    WebMercator,
}

pub const ALL: [Crs; 3] = [Crs::Crs84, Crs::Cgcs2000, Crs::WebMercator];

impl Crs {
    #[must_use]
    pub fn uri(self) -> &'static str {
        match self {
            Crs::Crs84 => "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            Crs::Cgcs2000 => "http://www.opengis.net/def/crs/EPSG/0/4490",
            Crs::WebMercator => "http://www.opengis.net/def/crs/EPSG/0/3857",
        }
    }

    /// Accepts the URIs (also over https), their `[EPSG:4490]`-style safe CURIEs, the plain
    /// `EPSG:4490` form and the OGC URNs (`urn:ogc:def:crs:EPSG::4490`) GDAL and QGIS write.
    pub fn parse(param: &str, value: &str) -> Result<Crs, AppError> {
        let plain = value.trim().trim_start_matches('[').trim_end_matches(']');
        let plain = plain
            .strip_prefix("https://")
            .map_or_else(|| plain.to_owned(), |rest| format!("http://{rest}"));
        ALL.into_iter()
            .find(|crs| {
                let short: &[&str] = match crs {
                    Crs::Crs84 => &[
                        "OGC:CRS84",
                        "CRS84",
                        "urn:ogc:def:crs:OGC:1.3:CRS84",
                        "urn:ogc:def:crs:OGC::CRS84",
                    ],
                    Crs::Cgcs2000 => &["EPSG:4490", "urn:ogc:def:crs:EPSG::4490"],
                    Crs::WebMercator => &["EPSG:3857", "urn:ogc:def:crs:EPSG::3857"],
                };
                plain == crs.uri() || short.iter().any(|s| plain.eq_ignore_ascii_case(s))
            })
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "{param}: `{value}` is not served; use one of {}",
                    ALL.map(Crs::uri).join(", ")
                ))
            })
    }

    /// SQL turning the stored WGS84 geometry `geom` into this CRS and axis order.
    #[must_use]
    pub fn output_sql(self) -> &'static str {
        match self {
            Crs::Crs84 => "t.geom",
            Crs::Cgcs2000 => "ST_FlipCoordinates(t.geom)",
            Crs::WebMercator => "t.geom_3857",
        }
    }

    /// Decimals that keep about a centimetre.
    #[must_use]
    pub fn decimals(self) -> i32 {
        match self {
            Crs::Crs84 | Crs::Cgcs2000 => 7,
            Crs::WebMercator => 2,
        }
    }

    /// A bbox given in this CRS as (west, south, east, north) in WGS84 longitude/latitude
    /// or, for Web Mercator, metres; `numbers` in the CRS's axis order.
    pub fn bbox_in_lon_lat_order(self, numbers: &[f64]) -> Result<[f64; 4], AppError> {
        let [a, b, c, d] = match numbers {
            [a, b, c, d] | [a, b, _, c, d, _] => [*a, *b, *c, *d],
            _ => {
                return Err(AppError::BadRequest(format!(
                    "bbox: 4 numbers (or 6 with heights), got {}",
                    numbers.len()
                )))
            }
        };
        let [west, south, east, north] = match self {
            Crs::Cgcs2000 => [b, a, d, c],
            Crs::Crs84 | Crs::WebMercator => [a, b, c, d],
        };
        // PostGIS refuses to transform a coordinate off the globe (an error, not an empty page)
        let (max_x, max_y) = self.max_coordinates();
        for (name, value, max) in [
            ("west", west, max_x),
            ("south", south, max_y),
            ("east", east, max_x),
            ("north", north, max_y),
        ] {
            if !value.is_finite() || value.abs() > max {
                let (value, max) = (
                    crate::validate::shown_number(value),
                    crate::validate::shown_number(max),
                );
                // the usual mistake: longitude first in EPSG:4490, whose axes are latitude, longitude
                let hint = if self == Crs::Cgcs2000 {
                    "; EPSG:4490 is latitude first (south,west,north,east): swap the axes, or give the box in CRS84"
                } else {
                    ""
                };
                return Err(AppError::BadRequest(format!(
                    "bbox: {name} {value} is outside -{max}..{max} in {}{hint}",
                    self.uri()
                )));
            }
        }
        Ok([west, south, east, north])
    }

    /// The largest absolute easting and northing (or longitude and latitude) of the CRS.
    fn max_coordinates(self) -> (f64, f64) {
        match self {
            Crs::Crs84 | Crs::Cgcs2000 => (180.0, 90.0),
            Crs::WebMercator => (20_037_508.342_789_244, 20_037_508.342_789_244),
        }
    }

    #[must_use]
    pub fn srid(self) -> i32 {
        match self {
            Crs::Crs84 | Crs::Cgcs2000 => 4326,
            Crs::WebMercator => 3857,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_uris_and_short_forms() {
        assert_eq!(
            Crs::parse("crs", "http://www.opengis.net/def/crs/EPSG/0/4490").ok(),
            Some(Crs::Cgcs2000)
        );
        assert_eq!(
            Crs::parse("crs", "[EPSG:3857]").ok(),
            Some(Crs::WebMercator)
        );
        assert_eq!(Crs::parse("crs", "ogc:crs84").ok(), Some(Crs::Crs84));
        for cgcs2000 in [
            "urn:ogc:def:crs:EPSG::4490",
            "https://www.opengis.net/def/crs/EPSG/0/4490",
        ] {
            assert_eq!(Crs::parse("bbox-crs", cgcs2000).ok(), Some(Crs::Cgcs2000));
        }
        let error = Crs::parse("bbox-crs", "EPSG:4549")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.starts_with("bbox-crs: `EPSG:4549` is not served"),
            "{error}"
        );
    }

    #[test]
    fn cgcs2000_bbox_is_latitude_first() {
        let swapped = Crs::Cgcs2000
            .bbox_in_lon_lat_order(&[29.0, 111.0, 30.0, 112.0])
            .ok();
        assert_eq!(
            swapped.map(|b| b.map(|v| v as i32)),
            Some([111, 29, 112, 30])
        );
        assert!(Crs::Crs84.bbox_in_lon_lat_order(&[1.0, 2.0, 3.0]).is_err());
    }

    #[test]
    fn bbox_stays_on_the_globe() {
        assert!(Crs::Crs84
            .bbox_in_lon_lat_order(&[-180.0, -90.0, 180.0, 90.0])
            .is_ok());
        assert!(Crs::WebMercator
            .bbox_in_lon_lat_order(&[-2e7, -2e7, 2e7, 2e7])
            .is_ok());
        for bad in [
            [100.0, 100.0, 200.0, 200.0],
            [0.0, 0.0, f64::INFINITY, 1.0],
            [0.0, 0.0, 1e308, 1.0],
            [f64::NAN, 0.0, 1.0, 1.0],
        ] {
            assert!(Crs::Crs84.bbox_in_lon_lat_order(&bad).is_err(), "{bad:?}");
        }
        let error = Crs::Cgcs2000
            .bbox_in_lon_lat_order(&[29.0, 200.0, 30.0, 112.0])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.starts_with("bbox: west 200"), "{error}");
    }
}
