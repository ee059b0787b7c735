//! The GDAL calls the `gdal` crate does not wrap, behind safe functions. The only unsafe
//! code in onemap.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_void, CStr};

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

/// Forgets this thread's last GDAL error, so that a later [`last_failure`] is about what
/// came after.
pub fn reset_errors() {
    // SAFETY: no arguments; resets the calling thread's error state.
    unsafe { gdal_sys::CPLErrorReset() };
}

/// This thread's last GDAL error of class Failure or Fatal since [`reset_errors`], if any.
/// GDAL ends a layer's features early on a read error and says so only here.
#[must_use]
pub fn last_failure() -> Option<String> {
    // SAFETY: both read the calling thread's error state; the message is GDAL's own
    // NUL-terminated buffer, copied before any other GDAL call can change it.
    unsafe {
        let class = gdal_sys::CPLGetLastErrorType();
        if class < gdal_sys::CPLErr::CE_Failure {
            return None;
        }
        let message = gdal_sys::CPLGetLastErrorMsg();
        Some(if message.is_null() {
            "unknown error".to_owned()
        } else {
            CStr::from_ptr(message).to_string_lossy().into_owned()
        })
    }
}

/// Stops PROJ from downloading grids or database updates (its CDN), whatever proj.ini says.
pub fn disable_proj_network() {
    // SAFETY: sets a flag in GDAL's PROJ context; takes no pointers.
    unsafe { gdal_sys::OSRSetPROJEnableNetwork(0) };
}

/// GDAL's `CPLHTTPResult` (cpl_http.h), which the fetch callback must hand back allocated
/// with GDAL's allocator: GDAL frees it with `CPLHTTPDestroyResult`.
#[repr(C)]
struct CplHttpResult {
    status: c_int,
    content_type: *mut c_char,
    error: *mut c_char,
    data_len: c_int,
    data_alloc: c_int,
    data: *mut u8,
    headers: *mut *mut c_char,
    mime_part_count: c_int,
    mime_parts: *mut c_void,
}

type WriteFn = Option<unsafe extern "C" fn(*mut c_void, usize, usize, *mut c_void) -> usize>;
type FetchCallback = unsafe extern "C" fn(
    url: *const c_char,
    options: gdal_sys::CSLConstList,
    progress: gdal_sys::GDALProgressFunc,
    progress_arg: *mut c_void,
    write: WriteFn,
    write_arg: *mut c_void,
    user_data: *mut c_void,
) -> *mut CplHttpResult;

extern "C" {
    // cpl_http.h, GDAL >= 3.2; not in gdal-sys's bindings.
    fn CPLHTTPSetFetchCallback(callback: Option<FetchCallback>, user_data: *mut c_void);
}

const REFUSAL: &CStr =
    c"network access is disabled in onemap: files may not make the server fetch URLs";

/// Answers every HTTP request GDAL would make (CPLHTTPFetch: a GeoJSON's linked CRS, the
/// web-service drivers) with a failure, without touching the network.
unsafe extern "C" fn refuse_fetch(
    _url: *const c_char,
    _options: gdal_sys::CSLConstList,
    _progress: gdal_sys::GDALProgressFunc,
    _progress_arg: *mut c_void,
    _write: WriteFn,
    _write_arg: *mut c_void,
    _user_data: *mut c_void,
) -> *mut CplHttpResult {
    // SAFETY: GDAL's own allocators, so that CPLHTTPDestroyResult may free what we return
    // (a zeroed result plus an error string); CPLError copies its arguments.
    unsafe {
        gdal_sys::CPLError(
            gdal_sys::CPLErr::CE_Failure,
            1,
            c"%s".as_ptr(),
            REFUSAL.as_ptr(),
        );
        let result =
            gdal_sys::VSICalloc(1, std::mem::size_of::<CplHttpResult>()).cast::<CplHttpResult>();
        if !result.is_null() {
            (*result).status = 1;
            (*result).error = gdal_sys::CPLStrdup(REFUSAL.as_ptr());
        }
        result
    }
}

/// Replaces GDAL's HTTP client, process-wide, with [`refuse_fetch`].
pub fn refuse_http_fetches() {
    // SAFETY: installs a function pointer with 'static lifetime and no user data.
    unsafe { CPLHTTPSetFetchCallback(Some(refuse_fetch), std::ptr::null_mut()) };
}
