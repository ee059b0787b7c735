//! How much one uploaded file may make the server receive, unpack and read, per route: every
//! limit is checked while the work happens (bytes as they stream or inflate, features and
//! vertices as they are read), never trusted from what the file declares.

/// The limits of one route. Messages name `route` and the limit that was passed.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// What the limits are for, in messages: "an overlay", "an import".
    pub route: &'static str,
    /// Bytes received for the uploaded file itself.
    pub upload_bytes: u64,
    /// Bytes a zipped Shapefile may inflate to, all members together.
    pub unzipped_bytes: u64,
    /// Features read, over every layer.
    pub features: usize,
    /// Vertices in one feature's geometry: a real footprint has dozens, a district outline
    /// some thousands.
    pub vertices_per_feature: usize,
    /// Vertices over the whole file, where every feature is held at once (the overlay).
    pub total_vertices: Option<usize>,
}

const MIB: u64 = 1 << 20;

/// The overlay: read, held and sent back to a browser, which draws 200,000 features comfortably.
pub const OVERLAY: Limits = Limits {
    route: "an overlay",
    upload_bytes: 64 * MIB,
    unzipped_bytes: 512 * MIB,
    features: 200_000,
    vertices_per_feature: 250_000,
    total_vertices: Some(5_000_000),
};

/// Imports: streamed into PostGIS a batch at a time, so only a feature's own size matters;
/// a million footprints as GeoJSON are about 400 MB, as a Shapefile about 350 MB unzipped.
pub const IMPORT: Limits = Limits {
    route: "an import",
    upload_bytes: 1 << 30,
    unzipped_bytes: 4 << 30,
    features: 2_000_000,
    vertices_per_feature: 250_000,
    total_vertices: None,
};

/// Members a zipped Shapefile may hold: four Shapefiles of .shp .shx .dbf .prj .cpg.
pub const MAX_ZIP_MEMBERS: usize = 20;
/// Inflated bytes per compressed byte a zip member may reach once past [`RATIO_FREE_BYTES`]:
/// 100,000 footprints written by GDAL deflate 3:1 (.shp, .shx) and 27:1 (.dbf), while a run
/// of zeros (a zip bomb) deflates about 1,000:1. A DBF of nothing but blank columns deflates
/// like zeros too: such a file is refused, and stored uncompressed it passes.
pub const MAX_RATIO: u64 = 100;
/// Below this many inflated bytes a member's ratio is not checked: small files of repeated
/// values compress very well and cost nothing.
pub const RATIO_FREE_BYTES: u64 = MIB;
/// A Shapefile's .prj and .cpg are a line of text: more than this is not one.
pub const MAX_SIDE_FILE_BYTES: u64 = 64 << 10;
/// One GeoJSON feature's text: 250,000 vertices with full precision take about 10 MB.
pub const MAX_FEATURE_JSON_BYTES: u64 = 32 * MIB;
/// Distinct attribute names in one file: each becomes a column for every feature.
pub const MAX_FIELDS: usize = 1_000;

/// `1234567` as `1,234,567`, for messages.
#[must_use]
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A byte count as people say it: `64 MiB`, `1 GiB`, `1,536 bytes`.
#[must_use]
pub fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 && n % (1 << 30) == 0 => format!("{} GiB", n >> 30),
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / f64::from(1u32 << 30)),
        n if n >= MIB && n % MIB == 0 => format!("{} MiB", n >> 20),
        n if n >= MIB => format!("{:.1} MiB", n as f64 / MIB as f64),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{} bytes", thousands(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::{bytes, thousands};

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(bytes(64 << 20), "64 MiB");
        assert_eq!(bytes(1 << 30), "1 GiB");
        assert_eq!(bytes(1536 << 20), "1.5 GiB");
        assert_eq!(bytes(1500), "1,500 bytes");
    }
}
