//! Counts a GeoJSON file's features, vertices and attribute names as a stream, before GDAL
//! parses it. GDAL holds each feature as a tree of JSON objects, about 20 bytes of memory per
//! byte of coordinates (a 25 MB polygon of 1,000,000 vertices cost 570 MB), so a feature is
//! counted here, in constant memory, and refused before GDAL could build that tree.
use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::rc::Rc;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::limits::{bytes, thousands, Limits, MAX_FEATURE_JSON_BYTES, MAX_FIELDS};
use super::unzip::Counted;
use crate::error::{AppError, AppResult};

/// Scans the GeoJSON at `path` (uploaded as `name`) against `limits`: features, vertices per
/// feature and in all, bytes per feature, distinct attribute names. Also refuses what is not
/// JSON, which GDAL would have refused later.
pub fn scan(path: &Path, name: &str, limits: &Limits) -> AppResult<()> {
    let unreadable = |e: std::io::Error| {
        AppError::Unprocessable(format!("file: `{name}` cannot be read: {e}"))
            .coded(crate::error::Code::UploadUnreadable, serde_json::json!({}))
    };
    let consumed = Rc::new(Cell::new(0u64));
    let file = File::open(path).map_err(unreadable)?;
    let mut reader = BufReader::with_capacity(
        1 << 16,
        Counted {
            inner: file,
            read: consumed.clone(),
        },
    );
    if reader
        .fill_buf()
        .map_err(unreadable)?
        .starts_with(b"\xEF\xBB\xBF")
    {
        reader.consume(3);
    }
    let mut scan = Scan {
        limits,
        rows: 0,
        total_vertices: 0,
        fields: HashSet::new(),
        consumed,
        refusal: None,
    };
    let mut json = serde_json::Deserializer::from_reader(reader);
    let result = json
        .deserialize_map(Top(&mut scan))
        .and_then(|()| json.end());
    if let Some(refusal) = scan.refusal {
        return Err(refusal);
    }
    result.map_err(|e| {
        AppError::Unprocessable(format!("file: `{name}` is not valid GeoJSON: {e}"))
            .coded(crate::error::Code::UploadUnreadable, serde_json::json!({}))
    })
}

/// What has been counted so far, and the refusal that stopped the scan, if any.
struct Scan<'a> {
    limits: &'a Limits,
    rows: usize,
    total_vertices: u64,
    fields: HashSet<String>,
    /// Bytes read from the file so far (ahead of the parser by at most its 64 KiB buffer).
    consumed: Rc<Cell<u64>>,
    refusal: Option<AppError>,
}

impl Scan<'_> {
    /// Stops the scan with `refusal`; the JSON error returned only unwinds the parser.
    fn refuse<E: serde::de::Error>(&mut self, refusal: String) -> E {
        self.refusal = Some(AppError::Unprocessable(refusal));
        E::custom("refused")
    }

    /// Counts one feature of `vertices`, whose text began at byte `started`.
    fn feature<E: serde::de::Error>(&mut self, vertices: u64, started: u64) -> Result<(), E> {
        self.rows += 1;
        let (row, limits) = (self.rows, self.limits);
        if row > limits.features {
            return Err(self.refuse(format!(
                "file: more than {} features; {} holds at most that many",
                thousands(limits.features as u64),
                limits.route
            )));
        }
        if vertices > limits.vertices_per_feature as u64 {
            return Err(self.refuse(format!(
                "row {row}: {} vertices; {} takes at most {} per feature",
                thousands(vertices),
                limits.route,
                thousands(limits.vertices_per_feature as u64)
            )));
        }
        self.total_vertices += vertices;
        if let Some(total) = limits
            .total_vertices
            .filter(|t| self.total_vertices > *t as u64)
        {
            return Err(self.refuse(format!(
                "row {row}: more than {} vertices in all; {} holds at most that many",
                thousands(total as u64),
                limits.route
            )));
        }
        let size = self.consumed.get().saturating_sub(started);
        if size > MAX_FEATURE_JSON_BYTES + (1 << 16) {
            return Err(self.refuse(format!(
                "row {row}: its JSON is {}; a feature may take at most {}",
                bytes(size),
                bytes(MAX_FEATURE_JSON_BYTES)
            )));
        }
        Ok(())
    }
}

/// The keys that matter, matched without keeping the text.
enum Key {
    Features,
    /// `geometry` of a feature, `coordinates` or `geometries` of a bare geometry.
    Geometry,
    Properties,
    Other,
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "features" => Key::Features,
                    "geometry" | "coordinates" | "geometries" => Key::Geometry,
                    "properties" => Key::Properties,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The top-level object: a FeatureCollection, or one Feature or geometry (row 1).
struct Top<'s, 'a>(&'s mut Scan<'a>);

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a GeoJSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut own_geometry = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Features => map.next_value_seed(Features(&mut *self.0))?,
                Key::Geometry => {
                    *own_geometry.get_or_insert(0) += map.next_value_seed(Positions)?.positions;
                }
                Key::Properties => map.next_value_seed(Properties(&mut *self.0))?,
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match own_geometry {
            Some(vertices) => self.0.feature(vertices, 0),
            None => Ok(()),
        }
    }
}

/// The `features` array, each element a feature.
struct Features<'s, 'a>(&'s mut Scan<'a>);

impl<'de> DeserializeSeed<'de> for Features<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Feature(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One feature object: its geometry's vertices and its attribute names.
struct Feature<'s, 'a>(&'s mut Scan<'a>);

impl<'de> DeserializeSeed<'de> for Feature<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Feature<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a feature object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let started = self.0.consumed.get();
        let mut vertices = 0;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Geometry => vertices += map.next_value_seed(Positions)?.positions,
                Key::Properties => map.next_value_seed(Properties(&mut *self.0))?,
                Key::Features | Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        self.0.feature(vertices, started)
    }
}

/// A feature's `properties`: each name joins the file's distinct names.
struct Properties<'s, 'a>(&'s mut Scan<'a>);

impl<'de> DeserializeSeed<'de> for Properties<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Properties<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of properties")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            if self.0.fields.len() < MAX_FIELDS {
                self.0.fields.insert(name);
            } else if !self.0.fields.contains(&name) {
                return Err(self.0.refuse(format!(
                    "file: more than {} distinct attribute names; a file may have at most that many",
                    thousands(MAX_FIELDS as u64)
                )));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// What a JSON value is, seen from a geometry: a number, or something holding `positions`
/// (arrays whose first element is a number, i.e. vertices).
struct Shape {
    number: bool,
    positions: u64,
}

/// Counts the positions in a geometry value, however deeply nested (serde_json stops at 128).
struct Positions;

impl<'de> DeserializeSeed<'de> for Positions {
    type Value = Shape;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Positions {
    type Value = Shape;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a geometry")
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape {
            number: true,
            positions: 0,
        })
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape {
            number: true,
            positions: 0,
        })
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape {
            number: true,
            positions: 0,
        })
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Shape, E> {
        Ok(Shape {
            number: false,
            positions: 0,
        })
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape {
            number: false,
            positions: 0,
        })
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape {
            number: false,
            positions: 0,
        })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let Some(first) = seq.next_element_seed(Positions)? else {
            return Ok(Shape {
                number: false,
                positions: 0,
            });
        };
        if first.number {
            // a position: [x, y] or [x, y, z]
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(Shape {
                number: false,
                positions: 1,
            });
        }
        let mut positions = first.positions;
        while let Some(next) = seq.next_element_seed(Positions)? {
            positions += next.positions;
        }
        Ok(Shape {
            number: false,
            positions,
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut positions = 0;
        while let Some(key) = map.next_key::<Key>()? {
            if matches!(key, Key::Geometry) {
                positions += map.next_value_seed(Positions)?.positions;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Shape {
            number: false,
            positions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::scan;
    use crate::import::limits::OVERLAY;

    fn scanned(text: &str) -> Result<(), String> {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("t.geojson");
        std::fs::write(&path, text).expect("write");
        scan(&path, "t.geojson", &OVERLAY).map_err(|e| e.to_string())
    }

    #[test]
    fn vertices_are_counted_per_feature() {
        let ring: Vec<String> = (0..250_001).map(|i| format!("[{i},0]")).collect();
        let big = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"a":1}},"geometry":{{"type":"Point","coordinates":[1,2]}}}},
               {{"type":"Feature","properties":null,"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
            ring.join(",")
        );
        let refusal = scanned(&big).expect_err("too many vertices");
        assert!(refusal.contains("row 2: 250,001 vertices"), "{refusal}");
        let collection =
            r#"{"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","#;
        let point = r#""geometries":[{"type":"Point","coordinates":[1,2]}]}}"#;
        assert_eq!(scanned(&format!("\u{feff}{collection}{point}")), Ok(()));
        assert!(scanned("<OGRVRTDataSource/>").is_err());
        assert!(scanned("{\"features\":[]} trailing").is_err());
    }
}
