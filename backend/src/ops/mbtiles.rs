//! A local MBTiles basemap (an SQLite file of raster tiles), read-only: for intranets where
//! the pages may not reach any tile server, onemap serves the basemap itself.
use std::path::Path;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

pub struct MbTiles {
    pool: SqlitePool,
    /// The tiles' media type (from the file's `format`).
    pub content_type: &'static str,
    /// The deepest zoom the file holds.
    pub max_zoom: u8,
}

impl MbTiles {
    /// Opens the file read-only and reads its format; refuses a file of vector tiles (those
    /// need a style of their own) or of no tiles.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .immutable(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| anyhow::anyhow!("{}: not an MBTiles file ({e})", path.display()))?;
        let format: Option<String> =
            sqlx::query_scalar("SELECT value FROM metadata WHERE name = 'format'")
                .fetch_optional(&pool)
                .await
                .map_err(|e| anyhow::anyhow!("{}: not an MBTiles file ({e})", path.display()))?;
        let content_type = match format.as_deref().unwrap_or("png") {
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "webp" => "image/webp",
            other => anyhow::bail!(
                "{}: tiles of format `{other}`; a basemap file holds raster tiles (png, jpg, webp)",
                path.display()
            ),
        };
        let max_zoom: Option<i64> = sqlx::query_scalar("SELECT max(zoom_level) FROM tiles")
            .fetch_one(&pool)
            .await?;
        let max_zoom =
            max_zoom.ok_or_else(|| anyhow::anyhow!("{}: holds no tiles", path.display()))?;
        Ok(Self {
            pool,
            content_type,
            max_zoom: max_zoom.clamp(0, 24) as u8,
        })
    }

    /// The tile at z/x/y (XYZ numbering; the file numbers rows from the south), if it has one.
    pub async fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, sqlx::Error> {
        if z > 24 || x >= 1 << z || y >= 1 << z {
            return Ok(None);
        }
        let row = (1i64 << z) - 1 - i64::from(y);
        sqlx::query_scalar(
            "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
        )
        .bind(i64::from(z))
        .bind(i64::from(x))
        .bind(row)
        .fetch_optional(&self.pool)
        .await
    }
}
