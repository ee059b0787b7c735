//! A local MBTiles basemap (an SQLite file of raster or vector tiles), read-only: for intranets
//! where the pages may not reach any tile server, onemap serves the basemap itself.
//!
//! Read through rusqlite on the system's SQLite, the same library GDAL (linked for the
//! planners' files) uses: a second, bundled SQLite in the process would interpose its symbols
//! on GDAL's and break its GeoPackage writer.
use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

pub struct MbTiles {
    /// One read-only connection; a tile read is a primary-key look-up, shorter than the lock.
    connection: Arc<Mutex<Connection>>,
    /// The tiles' media type (from the file's `format`).
    pub content_type: &'static str,
    /// The deepest zoom the file holds.
    pub max_zoom: u8,
    /// A vector file's layers (its metadata's `json`), which the pages style; empty: raster.
    pub vector_layers: Vec<String>,
}

impl MbTiles {
    /// Opens the file read-only and reads its format (and a vector file's layers); refuses a
    /// file of another format or of no tiles.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let owned = path.to_owned();
        tokio::task::spawn_blocking(move || Self::open_blocking(&owned)).await?
    }

    fn open_blocking(path: &Path) -> anyhow::Result<Self> {
        let not_mbtiles =
            |e: rusqlite::Error| anyhow::anyhow!("{}: not an MBTiles file ({e})", path.display());
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(not_mbtiles)?;
        let format: Option<String> = connection
            .query_row(
                "SELECT value FROM metadata WHERE name = 'format'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(not_mbtiles)?;
        let content_type = match format.as_deref().unwrap_or("png") {
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "webp" => "image/webp",
            "pbf" | "mvt" => "application/vnd.mapbox-vector-tile",
            other => anyhow::bail!(
                "{}: tiles of format `{other}`; a basemap file holds raster tiles (png, jpg, webp) or vector tiles (pbf)",
                path.display()
            ),
        };
        let vector_layers = if content_type.ends_with("vector-tile") {
            let json: Option<String> = connection
                .query_row(
                    "SELECT value FROM metadata WHERE name = 'json'",
                    [],
                    |row| row.get(0),
                )
                .optional()
                .map_err(not_mbtiles)?;
            super::local_tiles::vector_layer_ids(&serde_json::json!({ "json": json }))
                .map_err(|e| anyhow::anyhow!("{}: metadata: {e}", path.display()))?
        } else {
            Vec::new()
        };
        let max_zoom: Option<i64> = connection
            .query_row("SELECT max(zoom_level) FROM tiles", [], |row| row.get(0))
            .map_err(not_mbtiles)?;
        let max_zoom =
            max_zoom.ok_or_else(|| anyhow::anyhow!("{}: holds no tiles", path.display()))?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
            content_type,
            max_zoom: max_zoom.clamp(0, 24) as u8,
            vector_layers,
        })
    }

    /// The tile at z/x/y (XYZ numbering; the file numbers rows from the south), if it has one.
    pub async fn tile(&self, z: u8, x: u32, y: u32) -> anyhow::Result<Option<Vec<u8>>> {
        if z > 24 || x >= 1 << z || y >= 1 << z {
            return Ok(None);
        }
        let row = (1i64 << z) - 1 - i64::from(y);
        let connection = Arc::clone(&self.connection);
        let tile = tokio::task::spawn_blocking(move || {
            let connection = connection.lock().map_err(|_| anyhow::anyhow!("the MBTiles connection's lock is poisoned"))?;
            let mut statement = connection.prepare_cached(
                "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
            )?;
            let tile: Option<Vec<u8>> = statement
                .query_row((i64::from(z), i64::from(x), row), |r| r.get(0))
                .optional()?;
            anyhow::Ok(tile)
        })
        .await??;
        Ok(tile)
    }
}
