//! GDAL in a box: once per process, before any file is opened, GDAL keeps only the drivers
//! onemap reads and writes and loses every way to reach the network.
//!
//! Why: an uploaded GDAL virtual datasource (VRT) whose source was `PG:host=127.0.0.1
//! user=postgres` with SQL read holder names out of the database, and another made the
//! server fetch a URL through `/vsicurl/`. Files are now opened with their one driver named
//! (`prepare.rs`), and this box makes the rest unreachable even if a driver is asked to
//! follow a reference inside a file.
use std::sync::Once;

use gdal::DriverManager;

use super::gdal_ffi;

/// The drivers onemap uses: what uploads are read with (`FileKind::driver`), and GPKG,
/// which exports also write (`geopackage.rs`). Every other driver is deregistered.
pub const KEPT_DRIVERS: [&str; 6] = ["GeoJSON", "ESRI Shapefile", "GPKG", "DXF", "XLSX", "CSV"];

/// GDAL configuration, process-wide; each with why. All are GDAL 3.6 options (Debian
/// bookworm's libgdal) unless said otherwise.
const CONFIG: [(&str, &str); 9] = [
    // No plugin drivers loaded from disk at registration: only what libgdal was built with,
    // which is then cut down to KEPT_DRIVERS.
    ("GDAL_DRIVER_PATH", "disable"),
    // /vsicurl/ and its kin (/vsis3/, /vsigs/, /vsiaz/, /vsiadls/, /vsioss/, /vsiwebhdfs/)
    // open only this one file name, which nothing has: no URL can be opened through them.
    (
        "CPL_VSIL_CURL_ALLOWED_FILENAME",
        "/onemap/network-access-is-disabled",
    ),
    // The older check of the same handlers: only names with an extension nothing has.
    (
        "CPL_VSIL_CURL_ALLOWED_EXTENSIONS",
        ".onemap-network-access-is-disabled",
    ),
    // /vsicurl_streaming/ and /vsiswift/ skip the two checks above: whatever curl request
    // GDAL still starts goes to a proxy on a port nothing listens on. (curl honours
    // NO_PROXY, so this is a backstop; the deregistered drivers and the refused fetches in
    // gdal_ffi are the guarantee.)
    ("GDAL_HTTP_PROXY", "127.0.0.1:0"),
    ("GDAL_HTTPS_PROXY", "127.0.0.1:0"),
    // Opening a file does not list its directory: drivers ask for the side files they need
    // (.shx, .dbf, .prj, .cpg) by name, and a directory of many files costs nothing.
    ("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR"),
    // No .aux.xml side files read or written next to what we open.
    ("GDAL_PAM_ENABLED", "NO"),
    // A GeoPackage is an SQLite database: its views and triggers may not reach VirtualOGR
    // tables, which open other datasources (GDAL 3.6's name for the rule; its default, stated).
    ("ALLOW_VIRTUAL_OGR_FROM_TRIGGER_AND_VIEW", "NO"),
    // The same rule in newer GDAL (3.7 and later; 3.6 ignores it): SQL in a database file
    // may not open other files or datasources.
    ("OGR_SQLITE_ALLOW_EXTERNAL_ACCESS", "NO"),
];

/// GDAL's own bound on one GeoJSON object, in MB, a little above the scan's (`geojson_scan`,
/// 32 MiB), in case a GeoJSON ever reaches GDAL unscanned: its parser holds a feature as a
/// tree costing about 20 bytes per byte of text.
const GEOJSON_MAX_OBJECT_MB: &str = "40";

static HARDENED: Once = Once::new();

/// Hardens GDAL for this process; cheap after the first call. Every reader calls it before
/// opening anything (the server and the command line share the readers).
pub fn harden() {
    HARDENED.call_once(|| {
        for (key, value) in CONFIG
            .iter()
            .chain(&[("OGR_GEOJSON_MAX_OBJ_SIZE", GEOJSON_MAX_OBJECT_MB)])
        {
            if let Err(e) = gdal::config::set_config_option(key, value) {
                tracing::error!("GDAL option {key}={value} not set: {e}");
            }
        }
        // Registration happens once, on the crate's first use (its `Once`); make it happen
        // now, so that nothing registers the drivers again after they are removed.
        let _ = DriverManager::get_driver_by_name("GeoJSON");
        let unused: Vec<_> = DriverManager::all()
            .filter(|d| !KEPT_DRIVERS.contains(&d.short_name().as_str()))
            .collect();
        for driver in &unused {
            DriverManager::deregister_driver(driver);
        }
        // Every HTTP request GDAL itself makes (CPLHTTPFetch: a GeoJSON's linked CRS, the web
        // service drivers) fails without a connection.
        gdal_ffi::refuse_http_fetches();
        // PROJ may not download grids: transformations use what is installed.
        gdal_ffi::disable_proj_network();
        tracing::info!(
            "GDAL hardened: {} drivers removed, kept {}",
            unused.len(),
            KEPT_DRIVERS.join(", ")
        );
    });
}

/// The drivers GDAL has registered now, by short name.
#[must_use]
pub fn registered_drivers() -> Vec<String> {
    DriverManager::all().map(|d| d.short_name()).collect()
}
