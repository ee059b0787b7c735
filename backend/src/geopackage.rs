//! Writes OGC collections' features into a GeoPackage with GDAL, in memory: one layer per
//! collection, the collection's properties as typed fields, EPSG:4326.
use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};
use gdal::vector::{
    Feature, FieldValue, Geometry, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType,
};
use gdal::DriverManager;

use crate::error::AppError;
use crate::ogc::collections::Collection;

/// One feature: its properties (a JSON object) and its geometry as WKB.
pub struct Row {
    pub properties: serde_json::Value,
    pub wkb: Vec<u8>,
}

#[allow(clippy::needless_pass_by_value)] // shaped for map_err
fn broken(e: gdal::errors::GdalError) -> AppError {
    // the features come from the database, not the client: a failure here is the server's
    AppError::Internal(format!("export: GDAL could not write the GeoPackage: {e}"))
}

/// The GeoPackage bytes of `layers`. Blocking: run it on a blocking thread.
pub fn write(name: &str, layers: &[(&Collection, Vec<Row>)]) -> Result<Vec<u8>, AppError> {
    crate::import::sandbox::harden();
    // /vsimem is one namespace per process: a name nobody else uses
    let path = format!("/vsimem/onemap-{name}-{:016x}.gpkg", rand::random::<u64>());
    let driver = DriverManager::get_driver_by_name("GPKG").map_err(broken)?;
    let mut dataset = driver.create_vector_only(&path).map_err(broken)?;
    let mut srs = SpatialRef::from_epsg(4326).map_err(broken)?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    {
        let mut tx = dataset.start_transaction().map_err(broken)?;
        for (collection, rows) in layers {
            let layer = tx
                .create_layer(LayerOptions {
                    name: collection.id,
                    srs: Some(&srs),
                    ty: OGRwkbGeometryType::wkbMultiPolygon,
                    options: None,
                })
                .map_err(broken)?;
            let fields: Vec<(&str, u32)> = collection
                .schema
                .iter()
                .map(|(field, kind, _)| {
                    let ogr = match *kind {
                        "integer" => OGRFieldType::OFTInteger64,
                        "number" => OGRFieldType::OFTReal,
                        _ => OGRFieldType::OFTString,
                    };
                    (*field, ogr)
                })
                .collect();
            layer.create_defn_fields(&fields).map_err(broken)?;
            for row in rows {
                let mut feature = Feature::new(layer.defn()).map_err(broken)?;
                for (i, (field, kind)) in fields.iter().enumerate() {
                    let value = &row.properties[*field];
                    let typed = match (*kind, value) {
                        (_, serde_json::Value::Null) => None,
                        (OGRFieldType::OFTInteger64, v) => {
                            v.as_i64().map(FieldValue::Integer64Value)
                        }
                        (OGRFieldType::OFTReal, v) => v.as_f64().map(FieldValue::RealValue),
                        (_, serde_json::Value::String(s)) => {
                            Some(FieldValue::StringValue(s.clone()))
                        }
                        (_, v) => Some(FieldValue::StringValue(v.to_string())),
                    };
                    if let Some(typed) = typed {
                        feature.set_field(i, &typed).map_err(broken)?;
                    }
                }
                feature
                    .set_geometry(Geometry::from_wkb(&row.wkb).map_err(broken)?)
                    .map_err(broken)?;
                feature.create(&layer).map_err(broken)?;
            }
        }
        tx.commit().map_err(broken)?;
    }
    dataset.close().map_err(broken)?;
    gdal::vsi::get_vsi_mem_file_bytes_owned(&path).map_err(broken)
}
