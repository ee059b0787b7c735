//! A basemap file onemap serves itself, MBTiles or PMTiles: opened and checked at start, its
//! tiles read the same way whichever the format.
use super::basemaps::{Basemap, Kind};
use super::mbtiles::MbTiles;
use super::pmtiles::PmTiles;

pub enum LocalTiles {
    Mbtiles(MbTiles),
    Pmtiles(PmTiles),
}

impl LocalTiles {
    /// Opens a configured basemap's file (None: the basemap is no local file); an error names
    /// the basemap, the file and what is wrong with it.
    pub async fn open(basemap: &Basemap) -> anyhow::Result<Option<Self>> {
        let Some(path) = &basemap.path else {
            return Ok(None);
        };
        let file = match basemap.kind {
            Kind::Pmtiles => PmTiles::open(path).await.map(Self::Pmtiles),
            _ => MbTiles::open(path).await.map(Self::Mbtiles),
        };
        file.map(Some)
            .map_err(|e| anyhow::anyhow!("basemap `{}`: {e}", basemap.id))
    }

    /// The tiles' media type.
    #[must_use]
    pub fn content_type(&self) -> &'static str {
        match self {
            Self::Mbtiles(f) => f.content_type,
            Self::Pmtiles(f) => f.content_type,
        }
    }

    /// How the tiles are stored compressed (`gzip`: a PMTiles file's vector tiles), sent as
    /// the response's Content-Encoding.
    #[must_use]
    pub fn content_encoding(&self) -> Option<&'static str> {
        match self {
            Self::Mbtiles(_) => None,
            Self::Pmtiles(f) => f.content_encoding,
        }
    }

    /// The deepest zoom the file holds (the pages enlarge its tiles beyond).
    #[must_use]
    pub fn max_zoom(&self) -> u8 {
        match self {
            Self::Mbtiles(f) => f.max_zoom,
            Self::Pmtiles(f) => f.max_zoom,
        }
    }

    /// A vector file's layers (empty: raster tiles).
    #[must_use]
    pub fn vector_layers(&self) -> &[String] {
        match self {
            Self::Mbtiles(_) => &[],
            Self::Pmtiles(f) => &f.vector_layers,
        }
    }

    /// The tile at z/x/y (XYZ numbering), as stored, if the file has one.
    pub async fn tile(&self, z: u8, x: u32, y: u32) -> anyhow::Result<Option<Vec<u8>>> {
        match self {
            Self::Mbtiles(f) => f.tile(z, x, y).await,
            Self::Pmtiles(f) => f.tile(z, x, y).await,
        }
    }
}
