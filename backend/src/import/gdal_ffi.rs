//! The two GDAL calls the `gdal` crate does not wrap, behind safe functions. The only unsafe
//! code in onemap.
#![allow(unsafe_code)]

use gdal::vector::{Feature, Geometry};

/// Whether the feature has a geometry: the crate hands back a NULL geometry as `Some`.
#[must_use]
pub fn has_geometry(feature: &Feature<'_>) -> bool {
    // SAFETY: the handle is the live feature's own; OGR_F_GetGeometryRef only reads it.
    !unsafe { gdal_sys::OGR_F_GetGeometryRef(feature.c_feature()) }.is_null()
}

/// Closes every ring of a polygon or multipolygon that does not end where it starts.
pub fn close_rings(geometry: &mut Geometry) {
    // SAFETY: the handle is owned by `geometry`, which we hold mutably; OGR_G_CloseRings
    // changes the geometry in place and keeps no reference to it.
    unsafe { gdal_sys::OGR_G_CloseRings(geometry.c_geometry()) };
}
