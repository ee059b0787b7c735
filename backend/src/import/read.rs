//! Reads survey files through GDAL (GeoJSON, zipped Shapefile, GeoPackage, DXF) into WGS84
//! features: the CRS from the file or the caller, Gauss-Krüger axis order, GCJ-02, unclosed
//! rings closed and noted. Each file is opened by its one driver (`prepare.rs`) and read
//! within its route's limits. Blocking: run it on a blocking thread.
use std::collections::BTreeMap;

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use gdal::vector::{FieldValue, Geometry, LayerAccess, ToGdal};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use geo::MapCoords;

use super::limits::{thousands, Limits};
use super::prepare::Prepared;
use super::zones::suggest_crs;
use super::{gcj02, gdal_ffi, sandbox};
use crate::error::AppError;

/// Where a file's coordinates are: as the file says, an EPSG code, or GCJ-02.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CrsChoice {
    FromFile,
    Epsg(u32),
    Gcj02,
}

impl CrsChoice {
    /// `EPSG:4549`, `4549` or `GCJ02` / `GCJ-02`; empty means the file's own.
    pub fn parse(value: Option<&str>) -> Result<CrsChoice, AppError> {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(CrsChoice::FromFile);
        };
        if value.eq_ignore_ascii_case("gcj02") || value.eq_ignore_ascii_case("gcj-02") {
            return Ok(CrsChoice::Gcj02);
        }
        let code = value
            .strip_prefix("EPSG:")
            .or_else(|| value.strip_prefix("epsg:"))
            .unwrap_or(value);
        let code: u32 = code.parse().map_err(|_| {
            AppError::Unprocessable(format!("crs: `{value}` is neither EPSG:<code> nor GCJ02"))
                .coded(
                    crate::error::Code::CrsUnknown,
                    serde_json::json!({ "crs": value }),
                )
        })?;
        SpatialRef::from_epsg(code).map_err(|_| {
            AppError::Unprocessable(format!("crs: EPSG:{code} is unknown to PROJ")).coded(
                crate::error::Code::CrsUnknown,
                serde_json::json!({ "crs": format!("EPSG:{code}") }),
            )
        })?;
        Ok(CrsChoice::Epsg(code))
    }
}

/// One feature as read: its row in the file (1-based, across layers), its code if the file
/// has one, its attributes as text, its geometry as WKB in WGS84 longitude/latitude.
#[derive(Debug)]
pub struct SourceFeature {
    pub row: usize,
    pub layer: String,
    pub fields: BTreeMap<String, String>,
    pub wkb: Option<Vec<u8>>,
    /// What reading changed (an unclosed ring closed), for the report.
    pub notes: Vec<String>,
}

/// What a file held, once read: its features went to the caller one by one.
#[derive(Debug)]
pub struct Source {
    pub layers: Vec<String>,
    /// The CRS the coordinates came in, e.g. `EPSG:4549`, `GCJ-02`, `WGS84 (no CRS in the file)`.
    pub crs: String,
    pub count: usize,
}

/// The survey files read here, by name ending: uploads must have one (a local `.shp` is read too).
pub const SURVEY_FILES: [&str; 5] = [".geojson", ".json", ".zip", ".gpkg", ".dxf"];

/// Opens the prepared file with its kind's driver and no other: a file that is not what its
/// name says is refused, never read by whichever driver recognises it.
pub fn open(file: &Prepared) -> Result<Dataset, AppError> {
    sandbox::harden();
    let driver = [file.kind.driver()];
    Dataset::open_ex(
        &file.path,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR,
            allowed_drivers: Some(&driver),
            open_options: None,
            sibling_files: None,
        },
    )
    .map_err(|e| {
        AppError::Unprocessable(format!(
            "file: `{}` cannot be read as {}: {e}",
            file.name,
            file.kind.label()
        ))
        .coded(crate::error::Code::UploadUnreadable, serde_json::json!({}))
    })
}

fn not_survey_data(file: &Prepared) -> AppError {
    AppError::Unprocessable(format!(
        "file: `{}` is {}, not survey data: send GeoJSON, a zipped Shapefile, a GeoPackage or DXF",
        file.name,
        file.kind.label()
    ))
    .coded(
        crate::error::Code::UploadWrongType,
        serde_json::json!({ "file": file.name, "allowed": ".geojson .zip .gpkg .dxf" }),
    )
}

/// The vertices of a geometry, over all its parts and rings.
fn vertex_count(g: &Geometry) -> usize {
    match g.geometry_count() {
        0 => g.point_count(),
        n => (0..n).map(|i| vertex_count(&g.get_geometry(i))).sum(),
    }
}

fn wgs84() -> Result<SpatialRef, AppError> {
    let mut srs = SpatialRef::from_epsg(4326).map_err(gdal_error)?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

#[allow(clippy::needless_pass_by_value)]
fn gdal_error(e: gdal::errors::GdalError) -> AppError {
    AppError::Unprocessable(format!("file: GDAL could not read it: {e}"))
        .coded(crate::error::Code::UploadUnreadable, serde_json::json!({}))
}

fn text(value: FieldValue) -> String {
    match value {
        FieldValue::StringValue(s) => s,
        FieldValue::IntegerValue(i) => i.to_string(),
        FieldValue::Integer64Value(i) => i.to_string(),
        FieldValue::RealValue(f) => f.to_string(),
        FieldValue::DateValue(d) => d.to_string(),
        FieldValue::DateTimeValue(d) => d.to_rfc3339(),
        other => format!("{other:?}"),
    }
}

fn ring_is_open(ring: &gdal::vector::GeometryRef<'_>) -> bool {
    let n = ring.point_count();
    if n == 0 {
        return false;
    }
    let (a, b) = (
        ring.get_point(0),
        ring.get_point(i32::try_from(n).unwrap_or(i32::MAX) - 1),
    );
    // a closed ring repeats its first point exactly
    #[allow(clippy::float_cmp)]
    let open = a.0 != b.0 || a.1 != b.1;
    open
}

/// Whether any polygon ring of `g` does not end where it starts.
fn has_open_ring(g: &Geometry) -> bool {
    use gdal::vector::OGRwkbGeometryType::{wkbMultiPolygon, wkbPolygon};
    let flat = gdal::vector::geometry_type_flatten(g.geometry_type());
    if flat == wkbPolygon {
        (0..g.geometry_count()).any(|i| ring_is_open(&g.get_geometry(i)))
    } else if flat == wkbMultiPolygon {
        (0..g.geometry_count()).any(|j| {
            let polygon = g.get_geometry(j);
            (0..polygon.geometry_count()).any(|i| ring_is_open(&polygon.get_geometry(i)))
        })
    } else {
        false
    }
}

/// Reads every layer of the prepared file, handing each feature to `sink` as it is read (a
/// million footprints need not be held at once) and stopping at the first limit passed.
/// `progress(done, total)` is called as features are read.
pub fn read(
    file: &Prepared,
    choice: &CrsChoice,
    near_lon: Option<f64>,
    limits: &Limits,
    sink: &mut dyn FnMut(SourceFeature) -> Result<(), AppError>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Source, AppError> {
    let file_name = file.name.as_str();
    if !file.kind.is_survey() {
        return Err(not_survey_data(file));
    }
    let dataset = open(file)?;
    let target = wgs84()?;
    let mut source = Source {
        layers: Vec::new(),
        crs: String::new(),
        count: 0,
    };
    let total: usize = dataset
        .layers()
        .map(|l| usize::try_from(l.feature_count()).unwrap_or(0))
        .sum();
    if total > limits.features {
        return Err(too_many_features(file_name, total, limits));
    }
    let mut total_vertices = 0usize;
    let mut crs_names = Vec::new();
    for mut layer in dataset.layers() {
        let layer_name = layer.name();
        source.layers.push(layer_name.clone());
        let (from, crs_name, gcj) = match choice {
            CrsChoice::Epsg(code) => (
                Some(SpatialRef::from_epsg(*code).map_err(gdal_error)?),
                format!("EPSG:{code}"),
                false,
            ),
            CrsChoice::Gcj02 => (None, "GCJ-02".to_owned(), true),
            // a GeoPackage's "Undefined geographic/Cartesian SRS" (srs_id 0, -1) names no CRS
            CrsChoice::FromFile => match layer.spatial_ref().filter(|srs| !is_undefined(srs)) {
                Some(srs) => {
                    let name = match (srs.auth_name(), srs.auth_code()) {
                        (Some(authority), Ok(code)) => format!("{authority}:{code}"),
                        _ => srs.name().unwrap_or_else(|| "the file's CRS".into()),
                    };
                    (Some(srs), name, false)
                }
                None => (None, "WGS84 (no CRS in the file)".to_owned(), false),
            },
        };
        let layer_crs = LayerCrs::new(from, gcj, &target)?;
        crs_names.push(crs_name);
        let layer_count = layer.try_feature_count();
        let mut layer_read = 0u64;
        gdal_ffi::reset_errors();
        for feature in layer.features() {
            let row = source.count + 1;
            if row > limits.features {
                return Err(too_many_features(file_name, row, limits));
            }
            let mut fields = BTreeMap::new();
            for (name, value) in feature.fields() {
                if let Some(value) = value {
                    fields.insert(name, text(value));
                }
            }
            let mut notes = Vec::new();
            // a NULL geometry still comes back as Some: ask GDAL directly
            let has_geometry = gdal_ffi::has_geometry(&feature);
            let wkb = match feature.geometry().filter(|_| has_geometry) {
                None => None,
                Some(geometry) => {
                    // counted as GDAL hands it over, before it is copied, transformed or written
                    total_vertices += check_vertices(row, geometry, total_vertices, limits)?;
                    Some(to_wgs84_wkb(
                        row, geometry, &layer_crs, &mut notes, file_name, near_lon,
                    )?)
                }
            };
            sink(SourceFeature {
                row,
                layer: layer_name.clone(),
                fields,
                wkb,
                notes,
            })?;
            source.count = row;
            layer_read += 1;
            if row % 1000 == 0 {
                progress(row, total);
            }
        }
        // GDAL ends a layer early on a read error, saying so only in its error state
        if let (Some(expected), Some(problem)) = (
            layer_count.filter(|n| layer_read < *n),
            gdal_ffi::last_failure(),
        ) {
            return Err(AppError::Unprocessable(format!(
                "file: `{file_name}`: layer {layer_name} stopped after {} of its {} features: {problem}",
                thousands(layer_read),
                thousands(expected)
            ))
            .coded(crate::error::Code::UploadUnreadable, serde_json::json!({})));
        }
    }
    progress(source.count, total);
    crs_names.dedup();
    source.crs = crs_names.join(", ");
    Ok(source)
}

/// Whether a layer's SRS is a GeoPackage's placeholder for none: srs_id 0 "Undefined
/// geographic SRS" or -1 "Undefined Cartesian SRS", with no authority. Taken as a CRS, a
/// file in metres lands thousands of kilometres away instead of getting a zone hint.
fn is_undefined(srs: &SpatialRef) -> bool {
    srs.auth_code().is_err()
        && srs
            .name()
            .is_some_and(|n| n.starts_with("Undefined ") && n.ends_with(" SRS"))
}

/// How one layer's coordinates become WGS84.
struct LayerCrs {
    /// Whether the layer or the caller named a CRS; without one, coordinates must be lon/lat.
    known: bool,
    transform: Option<CoordTransform>,
    gcj: bool,
}

impl LayerCrs {
    fn new(from: Option<SpatialRef>, gcj: bool, target: &SpatialRef) -> Result<LayerCrs, AppError> {
        let known = from.is_some() || gcj;
        let transform = match from {
            Some(mut srs) => {
                srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
                let identity = matches!(
                    (srs.auth_name().as_deref(), srs.auth_code()),
                    (Some("EPSG"), Ok(4326))
                );
                if identity {
                    None
                } else {
                    Some(CoordTransform::new(&srs, target).map_err(gdal_error)?)
                }
            }
            None => None,
        };
        Ok(LayerCrs {
            known,
            transform,
            gcj,
        })
    }
}

/// The vertices of the geometry of row `row`, refused past the limits (`total` so far).
fn check_vertices(
    row: usize,
    geometry: &Geometry,
    total: usize,
    limits: &Limits,
) -> Result<usize, AppError> {
    let vertices = vertex_count(geometry);
    if vertices > limits.vertices_per_feature {
        return Err(AppError::Unprocessable(format!(
            "row {row}: {} vertices; {} takes at most {} per feature",
            thousands(vertices as u64),
            limits.route,
            thousands(limits.vertices_per_feature as u64)
        )));
    }
    if let Some(most) = limits
        .total_vertices
        .filter(|most| total + vertices > *most)
    {
        return Err(AppError::Unprocessable(format!(
            "row {row}: more than {} vertices in all; {} holds at most that many",
            thousands(most as u64),
            limits.route
        )));
    }
    Ok(vertices)
}

/// The geometry of row `row` in WGS84 as WKB, its rings closed (noted in `notes`).
fn to_wgs84_wkb(
    row: usize,
    geometry: &Geometry,
    crs: &LayerCrs,
    notes: &mut Vec<String>,
    file_name: &str,
    near_lon: Option<f64>,
) -> Result<Vec<u8>, AppError> {
    let mut g = geometry.clone();
    if has_open_ring(&g) {
        gdal_ffi::close_rings(&mut g);
        notes.push("unclosed ring closed".to_owned());
    }
    if !crs.known {
        let e = g.envelope();
        let lon_lat = |x: (f64, f64), y: (f64, f64)| {
            x.0 >= -180.0 && x.1 <= 180.0 && y.0 >= -90.0 && y.1 <= 90.0
        };
        // swapped lon/lat passes here: the checks name it (row_axes_swapped) row by row
        if !lon_lat((e.MinX, e.MaxX), (e.MinY, e.MaxY))
            && !lon_lat((e.MinY, e.MaxY), (e.MinX, e.MaxX))
        {
            return Err(AppError::Unprocessable(format!(
                "row {row}: coordinate ({:.1}, {:.1}) cannot be longitude/latitude and `{file_name}` names no CRS: {}",
                e.MinX,
                e.MinY,
                suggest_crs(e.MinX, e.MinY, near_lon)
            ))
            .coded(
                crate::error::Code::CrsMissing,
                serde_json::json!({ "file": file_name, "row": row, "at": format!("{:.1}, {:.1}", e.MinX, e.MinY) }),
            ));
        }
    }
    if let Some(t) = &crs.transform {
        g.transform_inplace(t).map_err(|e| {
            AppError::Unprocessable(format!("row {row}: cannot be transformed to WGS84: {e}"))
                .coded(
                    crate::error::Code::RowNotTransformable,
                    serde_json::json!({ "row": row }),
                )
        })?;
    }
    if crs.gcj {
        let shifted = g.to_geo().map_err(gdal_error)?.map_coords(|c| {
            let (x, y) = gcj02::to_wgs84(c.x, c.y);
            geo::Coord { x, y }
        });
        g = shifted.to_gdal().map_err(gdal_error)?;
    }
    g.wkb().map_err(gdal_error)
}

fn too_many_features(file_name: &str, count: usize, limits: &Limits) -> AppError {
    AppError::Unprocessable(format!(
        "file: `{file_name}` holds {} features or more; {} holds at most {}",
        thousands(count as u64),
        limits.route,
        thousands(limits.features as u64)
    ))
    .coded(
        crate::error::Code::TooManyFeatures,
        serde_json::json!({ "file": file_name, "most": thousands(limits.features as u64) }),
    )
}
