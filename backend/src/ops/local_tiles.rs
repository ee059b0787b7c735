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

    /// How this tile is stored compressed (`gzip`: vector tiles, as PMTiles' header says or, in
    /// an MBTiles, as the tile's bytes begin), sent as the response's Content-Encoding.
    #[must_use]
    pub fn content_encoding(&self, tile: &[u8]) -> Option<&'static str> {
        match self {
            Self::Mbtiles(f) => {
                (!f.vector_layers.is_empty() && tile.starts_with(&[0x1f, 0x8b])).then_some("gzip")
            }
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
            Self::Mbtiles(f) => &f.vector_layers,
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

/// The layer names (`vector_layers[].id`) of a vector file's metadata, or of the JSON text in its
/// `json` field (where MBTiles keeps them, and a PMTiles converted from one as it is); the pages
/// style each layer, so a file that names none is refused.
pub(super) fn vector_layer_ids(metadata: &serde_json::Value) -> anyhow::Result<Vec<String>> {
    let nested = metadata["json"]
        .as_str()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .map(|json| json["vector_layers"].clone());
    let layers: Vec<String> = metadata["vector_layers"]
        .as_array()
        .or(nested.as_ref().and_then(|n| n.as_array()))
        .into_iter()
        .flatten()
        .filter_map(|l| l["id"].as_str().map(str::to_owned))
        .collect();
    anyhow::ensure!(
        !layers.is_empty(),
        "a vector file names no vector_layers (the pages style each layer)"
    );
    Ok(layers)
}
