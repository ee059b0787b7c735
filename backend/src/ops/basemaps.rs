//! Basemaps as configuration: 天地图 layers with a key, any XYZ or WMTS template, or a local
//! MBTiles or PMTiles file onemap serves itself; what the pages draw under the data
//! (`/api/basemaps`).
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::local_tiles::LocalTiles;

/// One basemap as configured (`[[basemaps]]` in onemap.toml); which fields it needs depends
/// on its `kind` (docs/operations.md).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Basemap {
    /// Short name in URLs and in `wall_basemap`: letters, digits, `-` and `_`.
    pub id: String,
    /// What the layer switcher shows.
    pub name: String,
    pub kind: Kind,
    /// 天地图: the layers (vec, cva, img, cia, ter, cta), drawn in that order (an annotation
    /// layer on top of its base).
    #[serde(default)]
    pub layers: Vec<String>,
    /// 天地图: the key.
    #[serde(default)]
    pub tk: Option<String>,
    /// xyz: a template with `{z}`, `{x}`, `{y}`; wmts: a GetTile template in Web Mercator with
    /// `{TileMatrix}`, `{TileRow}`, `{TileCol}`.
    #[serde(default)]
    pub url: Option<String>,
    /// mbtiles: the file (PNG, JPEG or WebP tiles); pmtiles: the file (those or MVT vector
    /// tiles); served at `/api/basemaps/ID/{z}/{x}/{y}`.
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// Credit line drawn on the map (a 天地图 basemap gets the service's own).
    #[serde(default)]
    pub attribution: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// 天地图 (CGCS2000 like the data: no offset).
    Tianditu,
    Xyz,
    Wmts,
    Mbtiles,
    /// A PMTiles v3 file: raster or vector tiles.
    Pmtiles,
}

const TIANDITU_LAYERS: [&str; 6] = ["vec", "cva", "img", "cia", "ter", "cta"];

/// One basemap as the pages read it: layers drawn bottom to top.
#[derive(Clone, Debug, Serialize)]
pub struct ForPages {
    pub id: String,
    pub name: String,
    pub layers: Vec<PageLayer>,
    pub attribution: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PageLayer {
    /// Tile URL templates; a path (a local file's tiles) is on this server.
    pub tiles: Vec<String>,
    pub max_zoom: u8,
    /// A vector layer's source layers, each of which the pages draw in a plain style (none: raster).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vector_layers: Vec<String>,
}

/// Parses and checks the configured list (JSON: onemap.toml's `[[basemaps]]` become this).
pub fn parse(json: &str) -> anyhow::Result<Vec<Basemap>> {
    let basemaps: Vec<Basemap> =
        serde_json::from_str(json).map_err(|e| anyhow::anyhow!("basemaps: {e}"))?;
    for (i, b) in basemaps.iter().enumerate() {
        check(b).map_err(|e| anyhow::anyhow!("basemaps[{i}] `{}`: {e}", b.id))?;
        if basemaps[..i].iter().any(|o| o.id == b.id) {
            anyhow::bail!("basemaps[{i}]: id `{}` is used twice", b.id);
        }
    }
    Ok(basemaps)
}

fn check(b: &Basemap) -> anyhow::Result<()> {
    anyhow::ensure!(
        !b.id.is_empty()
            && b.id.len() <= 40
            && b.id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "id: letters, digits, - and _ only (at most 40)"
    );
    anyhow::ensure!(!b.name.trim().is_empty(), "name is empty");
    let url = b.url.as_deref().unwrap_or_default();
    match b.kind {
        Kind::Tianditu => {
            anyhow::ensure!(
                !b.layers.is_empty(),
                "layers: name at least one of {TIANDITU_LAYERS:?}"
            );
            for layer in &b.layers {
                anyhow::ensure!(
                    TIANDITU_LAYERS.contains(&layer.as_str()),
                    "layers: `{layer}` is not one of {TIANDITU_LAYERS:?}"
                );
            }
            let tk = b.tk.as_deref().unwrap_or_default();
            anyhow::ensure!(
                !tk.is_empty() && tk.chars().all(|c| c.is_ascii_alphanumeric()),
                "tk: the 天地图 key (letters and digits)"
            );
        }
        Kind::Xyz => check_template(url)?,
        Kind::Wmts => check_template(&wmts_as_xyz(url))?,
        Kind::Mbtiles | Kind::Pmtiles => {
            let path = b.path.as_deref().unwrap_or(std::path::Path::new(""));
            anyhow::ensure!(path.is_file(), "path: no file `{}`", path.display());
        }
    }
    Ok(())
}

fn check_template(url: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        url.starts_with("https://") || url.starts_with("http://"),
        "url: an http(s) template"
    );
    for part in ["{z}", "{x}", "{y}"] {
        anyhow::ensure!(url.contains(part), "url: has no {part}");
    }
    Ok(())
}

/// A WMTS template's tile matrix, row and column as MapLibre's z, y and x.
fn wmts_as_xyz(url: &str) -> String {
    url.replace("{TileMatrix}", "{z}")
        .replace("{TileRow}", "{y}")
        .replace("{TileCol}", "{x}")
}

impl Basemap {
    /// The layers the pages draw; a local file's tiles are at `/api/basemaps/ID/{z}/{x}/{y}`
    /// (`file`: that file, opened: its deepest zoom and vector layers).
    #[must_use]
    pub fn for_pages(&self, file: Option<&LocalTiles>) -> ForPages {
        let max_zoom = file.map_or(19, LocalTiles::max_zoom);
        let url = self.url.clone().unwrap_or_default();
        let tk = self.tk.as_deref().unwrap_or_default();
        let layers = match self.kind {
            Kind::Tianditu => self
                .layers
                .iter()
                .map(|layer| PageLayer {
                    tiles: (0..8)
                        .map(|n| {
                            format!(
                                "https://t{n}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}\
                                 &STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={tk}"
                            )
                        })
                        .collect(),
                    max_zoom: 18,
                    vector_layers: Vec::new(),
                })
                .collect(),
            Kind::Xyz | Kind::Wmts => vec![PageLayer {
                tiles: vec![if self.kind == Kind::Wmts { wmts_as_xyz(&url) } else { url }],
                max_zoom,
                vector_layers: Vec::new(),
            }],
            Kind::Mbtiles | Kind::Pmtiles => vec![PageLayer {
                tiles: vec![format!("/api/basemaps/{}/{{z}}/{{x}}/{{y}}", self.id)],
                max_zoom,
                vector_layers: file.map(|f| f.vector_layers().to_vec()).unwrap_or_default(),
            }],
        };
        let attribution = self
            .attribution
            .clone()
            .or_else(|| (self.kind == Kind::Tianditu).then(|| "© 天地图".to_owned()));
        ForPages {
            id: self.id.clone(),
            name: self.name.clone(),
            layers,
            attribution,
        }
    }

    /// The origin the pages load this basemap's tiles from, for the CSP (none for a local file).
    #[must_use]
    pub fn origin(&self) -> Option<String> {
        let url = match self.kind {
            Kind::Tianditu => return Some("https://*.tianditu.gov.cn".to_owned()),
            Kind::Xyz | Kind::Wmts => self.url.as_deref()?,
            Kind::Mbtiles | Kind::Pmtiles => return None,
        };
        let scheme_end = url.find("://")? + 3;
        let host_end = url[scheme_end..]
            .find('/')
            .map_or(url.len(), |i| scheme_end + i);
        // a template's {s} subdomain becomes a wildcard
        Some(url[..host_end].replace("{s}", "*"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_list_is_checked_and_drawn_as_raster_layers() {
        let list = parse(
            r#"[{"id":"tdt","name":"天地图影像","kind":"tianditu","layers":["img","cia"],"tk":"abc123"},
                {"id":"osm","name":"OSM","kind":"xyz","url":"https://tile.example.org/{z}/{x}/{y}.png"},
                {"id":"w","name":"WMTS","kind":"wmts","url":"https://gis.example.cn/wmts?TileMatrix={TileMatrix}&TileRow={TileRow}&TileCol={TileCol}"}]"#,
        )
        .expect("valid");
        let tdt = list[0].for_pages(None);
        assert_eq!(tdt.layers.len(), 2);
        assert!(
            tdt.layers[1].tiles[0].contains("LAYER=cia")
                && tdt.layers[1].tiles[0].ends_with("tk=abc123")
        );
        assert_eq!(
            list[1].origin().as_deref(),
            Some("https://tile.example.org")
        );
        assert!(list[2].for_pages(None).layers[0].tiles[0]
            .contains("TileMatrix={z}&TileRow={y}&TileCol={x}"));
        for bad in [
            r#"[{"id":"a b","name":"x","kind":"xyz","url":"https://h/{z}/{x}/{y}"}]"#,
            r#"[{"id":"a","name":"x","kind":"xyz","url":"https://h/{z}/{x}"}]"#,
            r#"[{"id":"a","name":"x","kind":"tianditu","layers":["sat"],"tk":"k"}]"#,
            r#"[{"id":"a","name":"x","kind":"mbtiles","path":"/nonexistent.mbtiles"}]"#,
            r#"[{"id":"a","name":"x","kind":"pmtiles","path":"/nonexistent.pmtiles"}]"#,
            r#"[{"id":"a","name":"x","kind":"xyz","url":"https://h/{z}/{x}/{y}","zoom":3}]"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
