//! What an uploaded file is, decided by its name and checked against its first bytes before
//! GDAL sees it: the one driver allowed to read it, a zip unpacked by us within limits, a
//! GeoJSON counted as a stream, a Shapefile's records bounded by its index. Nothing is
//! sniffed: a VRT named plan.geojson is refused.
use std::io::Read;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::limits::Limits;
use super::{geojson_scan, sandbox, shapefile_scan, unzip};
use crate::error::{AppError, AppResult};

/// The kinds of file onemap reads, each with the one GDAL driver that reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    GeoJson,
    GeoPackage,
    Dxf,
    /// A zip of one or more Shapefiles, unpacked by `unzip.rs`.
    ZippedShapefile,
    /// A Shapefile on the local disk, from the command line (uploads are zipped).
    Shapefile,
    Xlsx,
    Csv,
}

impl FileKind {
    /// The kind a file name says, by its ending (any case).
    #[must_use]
    pub fn of(name: &str) -> Option<FileKind> {
        let lower = name.to_lowercase();
        let kinds = [
            (".geojson", FileKind::GeoJson),
            (".json", FileKind::GeoJson),
            (".gpkg", FileKind::GeoPackage),
            (".dxf", FileKind::Dxf),
            (".zip", FileKind::ZippedShapefile),
            (".shp", FileKind::Shapefile),
            (".xlsx", FileKind::Xlsx),
            (".csv", FileKind::Csv),
        ];
        kinds
            .into_iter()
            .find(|(ending, _)| lower.ends_with(ending))
            .map(|(_, kind)| kind)
    }

    /// The GDAL driver that reads this kind, and no other.
    #[must_use]
    pub fn driver(self) -> &'static str {
        match self {
            FileKind::GeoJson => "GeoJSON",
            FileKind::GeoPackage => "GPKG",
            FileKind::Dxf => "DXF",
            FileKind::ZippedShapefile | FileKind::Shapefile => "ESRI Shapefile",
            FileKind::Xlsx => "XLSX",
            FileKind::Csv => "CSV",
        }
    }

    /// What people call it, for messages.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            FileKind::GeoJson => "GeoJSON",
            FileKind::GeoPackage => "a GeoPackage",
            FileKind::Dxf => "DXF",
            FileKind::ZippedShapefile => "a zipped Shapefile",
            FileKind::Shapefile => "a Shapefile",
            FileKind::Xlsx => "an XLSX workbook",
            FileKind::Csv => "CSV",
        }
    }

    /// Whether the kind holds survey geometry (the rest are ledgers).
    #[must_use]
    pub fn is_survey(self) -> bool {
        !matches!(self, FileKind::Xlsx | FileKind::Csv)
    }
}

/// A file ready for GDAL: its kind, the path to open with the kind's driver, and the client's
/// name for messages. Holds the unzipped directory, deleted when this is dropped.
#[derive(Debug)]
pub struct Prepared {
    pub kind: FileKind,
    pub path: PathBuf,
    pub name: String,
    _unzipped: Option<TempDir>,
}

/// Checks `path` (uploaded as `name`) and makes it ready for GDAL within `limits`: the kind
/// from the name, the first bytes that kind must start with, a zip unpacked, a GeoJSON
/// scanned. Blocking: run it on a blocking thread.
pub fn prepare(path: &Path, name: &str, limits: &Limits) -> AppResult<Prepared> {
    sandbox::harden();
    let kind = FileKind::of(name).ok_or_else(|| {
        AppError::Unprocessable(format!(
            "file: `{name}` is not GeoJSON (.geojson, .json), a zipped Shapefile (.zip), a GeoPackage (.gpkg), DXF (.dxf), XLSX (.xlsx) or CSV (.csv)"
        ))
        .coded(crate::error::Code::UploadWrongType, serde_json::json!({ "file": name, "allowed": ".geojson .json .zip .gpkg .dxf .xlsx .csv" }))
    })?;
    let start = first_bytes(path, name)?;
    if !starts_as(kind, &start) {
        return Err(AppError::Unprocessable(format!(
            "file: `{name}` is named as {} but its content is not: it starts with `{}`{}",
            kind.label(),
            shown(&start),
            if start.trim_ascii_start().starts_with(b"<") {
                " (XML, such as a GDAL virtual datasource, is not read)"
            } else {
                ""
            }
        ))
        .coded(crate::error::Code::UploadUnreadable, serde_json::json!({})));
    }
    let mut unzipped = None;
    match kind {
        FileKind::ZippedShapefile => {
            let dir = unzip::shapefiles(path, name, limits)?;
            scan_shapefiles(dir.path(), limits)?;
            unzipped = Some(dir);
        }
        FileKind::Shapefile => shapefile_scan::scan(path, name, limits)?,
        FileKind::Xlsx => unzip::check_inflated_sizes(path, name, limits)?,
        FileKind::GeoJson => geojson_scan::scan(path, name, limits)?,
        FileKind::Csv => check_utf8(path, name)?,
        FileKind::GeoPackage | FileKind::Dxf => {}
    }
    let path = unzipped.as_ref().map_or(path, TempDir::path).to_owned();
    Ok(Prepared {
        kind,
        path,
        name: name.to_owned(),
        _unzipped: unzipped,
    })
}

/// Scans every Shapefile unpacked into `dir` (our own directory: only what `unzip` wrote).
fn scan_shapefiles(dir: &Path, limits: &Limits) -> AppResult<()> {
    let listing = std::fs::read_dir(dir)
        .map_err(|e| AppError::Internal(format!("file: cannot list what was unpacked: {e}")))?;
    for entry in listing {
        let path = entry
            .map_err(|e| AppError::Internal(format!("file: cannot list what was unpacked: {e}")))?
            .path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.to_lowercase().ends_with(".shp") {
            shapefile_scan::scan(&path, &name, limits)?;
        }
    }
    Ok(())
}

fn unreadable(name: &str, e: &std::io::Error) -> AppError {
    AppError::Unprocessable(format!("file: `{name}` cannot be read: {e}"))
        .coded(crate::error::Code::UploadUnreadable, serde_json::json!({}))
}

/// Up to the first 64 bytes of the file.
fn first_bytes(path: &Path, name: &str) -> AppResult<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| unreadable(name, &e))?;
    let mut start = Vec::with_capacity(64);
    file.take(64)
        .read_to_end(&mut start)
        .map_err(|e| unreadable(name, &e))?;
    Ok(start)
}

/// Whether `start` is how a file of `kind` begins. Text kinds may begin with a UTF-8 BOM
/// and blank space.
pub(crate) fn starts_as(kind: FileKind, start: &[u8]) -> bool {
    let text = start
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(start)
        .trim_ascii_start();
    match kind {
        FileKind::GeoJson => text.starts_with(b"{"),
        FileKind::GeoPackage => start.starts_with(b"SQLite format 3\0"),
        // ASCII DXF opens with a group code (a number on its own line), binary DXF says so
        FileKind::Dxf => {
            start.starts_with(b"AutoCAD Binary DXF") || text.first().is_some_and(u8::is_ascii_digit)
        }
        FileKind::ZippedShapefile | FileKind::Xlsx => start.starts_with(b"PK\x03\x04"),
        // the Shapefile file code, 9994, big-endian
        FileKind::Shapefile => start.starts_with(&[0, 0, 0x27, 0x0A]),
        FileKind::Csv => !text.starts_with(b"<"),
    }
}

/// The first bytes as text for a message: printable ASCII, the rest as `.`.
fn shown(start: &[u8]) -> String {
    start
        .iter()
        .take(24)
        .map(|b| {
            if b.is_ascii_graphic() || *b == b' ' {
                char::from(*b)
            } else {
                '.'
            }
        })
        .collect()
}

/// A CSV must be UTF-8 (GDAL would read GBK as garbage): checked as a stream.
fn check_utf8(path: &Path, name: &str) -> AppResult<()> {
    let mut file = std::fs::File::open(path).map_err(|e| unreadable(name, &e))?;
    let mut buffer = vec![0u8; 1 << 16];
    let mut carried = 0; // bytes of a character cut by the previous read
    loop {
        let n = file
            .read(&mut buffer[carried..])
            .map_err(|e| unreadable(name, &e))?;
        let filled = carried + n;
        match std::str::from_utf8(&buffer[..filled]) {
            Ok(_) => carried = 0,
            // a character cut at the end of the buffer: carry it to the next read
            Err(e) if e.error_len().is_none() && n > 0 => {
                let valid = e.valid_up_to();
                buffer.copy_within(valid..filled, 0);
                carried = filled - valid;
            }
            Err(_) => {
                return Err(AppError::Unprocessable(format!(
                    "file: `{name}` is not UTF-8: save the CSV as UTF-8, or send the XLSX"
                ))
                .coded(
                    crate::error::Code::CsvNotUtf8,
                    serde_json::json!({ "file": name }),
                ))
            }
        }
        if n == 0 {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{starts_as, FileKind};

    #[test]
    fn kinds_come_from_names_and_must_match_their_first_bytes() {
        assert_eq!(FileKind::of("Plan.GeoJSON"), Some(FileKind::GeoJson));
        assert_eq!(FileKind::of("b.shp.zip"), Some(FileKind::ZippedShapefile));
        assert_eq!(FileKind::of("plan.vrt"), None);
        assert!(starts_as(FileKind::GeoJson, b"\xEF\xBB\xBF \n{\"type\""));
        assert!(!starts_as(FileKind::GeoJson, b"<OGRVRTDataSource>"));
        assert!(starts_as(FileKind::Dxf, b"  0\r\nSECTION"));
        assert!(!starts_as(FileKind::Dxf, b"<OGRVRTDataSource>"));
        assert!(!starts_as(FileKind::Shapefile, b"<OGRVRTDataSource>"));
        assert!(!starts_as(FileKind::Csv, b"<OGRVRTDataSource>"));
    }
}
