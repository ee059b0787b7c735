//! Places project sites on a grid of cells inside a district, clustered round its urban core,
//! so that no two projects overlap and every site lies inside the real boundary.
use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use rand::Rng;
use serde_json::Value;

use super::frame::Frame;

/// Side of a grid cell, metres; a site spans whole cells.
pub const CELL: f64 = 400.0;
/// Street between neighbouring sites, metres.
pub const STREET: f64 = 30.0;

/// A free rectangle for one project, in the district frame's metres.
pub struct Site {
    pub centre: (f64, f64),
    pub width: f64,
    pub height: f64,
}

pub struct DistrictGrid {
    pub frame: Frame,
    origin: (f64, f64),
    nx: usize,
    ny: usize,
    usable: Vec<bool>,
    used: Vec<bool>,
    /// Cells by placement preference: near the core first, with noise so it is not a disc.
    order: Vec<usize>,
}

impl DistrictGrid {
    pub fn new(boundary: &Value, core: (f64, f64), rng: &mut impl Rng) -> anyhow::Result<Self> {
        let polygon = multipolygon(boundary)?;
        let (mut west, mut south, mut east, mut north) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for poly in &polygon {
            for c in poly.exterior() {
                west = west.min(c.x);
                east = east.max(c.x);
                south = south.min(c.y);
                north = north.max(c.y);
            }
        }
        let frame = Frame::around(f64::midpoint(west, east), f64::midpoint(south, north));
        let (x0, y0) = frame.to_metres((west, south));
        let (x1, y1) = frame.to_metres((east, north));
        let (nx, ny) = (((x1 - x0) / CELL) as usize, ((y1 - y0) / CELL) as usize);
        let inside = |x: f64, y: f64| polygon.contains(&Point::from(frame.to_lonlat((x, y))));
        let mut usable = vec![false; nx * ny];
        for j in 0..ny {
            for i in 0..nx {
                let (cx, cy) = (x0 + (i as f64 + 0.5) * CELL, y0 + (j as f64 + 0.5) * CELL);
                let h = CELL / 2.0;
                usable[j * nx + i] = [(0.0, 0.0), (-h, -h), (h, -h), (h, h), (-h, h)]
                    .iter()
                    .all(|&(dx, dy)| inside(cx + dx, cy + dy));
            }
        }
        let core = frame.to_metres(core);
        let mut keyed: Vec<(f64, usize)> = (0..nx * ny)
            .filter(|&c| usable[c])
            .map(|c| {
                let (cx, cy) = (
                    x0 + ((c % nx) as f64 + 0.5) * CELL,
                    y0 + ((c / nx) as f64 + 0.5) * CELL,
                );
                let distance = (cx - core.0).hypot(cy - core.1);
                (distance * rng.random_range(0.4..1.6), c)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        Ok(Self {
            frame,
            origin: (x0, y0),
            nx,
            ny,
            usable,
            used: vec![false; nx * ny],
            order: keyed.into_iter().map(|k| k.1).collect(),
        })
    }

    #[must_use]
    pub fn free_cells(&self) -> usize {
        self.order.iter().filter(|&&c| !self.used[c]).count()
    }

    /// Takes the most preferred free block of `kx` × `ky` cells, if any is left.
    pub fn take(&mut self, kx: usize, ky: usize) -> Option<Site> {
        let fits = |grid: &Self, c: usize| {
            let (i, j) = (c % grid.nx, c / grid.nx);
            i + kx <= grid.nx
                && j + ky <= grid.ny
                && (0..ky).all(|dj| {
                    (0..kx).all(|di| {
                        let cell = (j + dj) * grid.nx + i + di;
                        grid.usable[cell] && !grid.used[cell]
                    })
                })
        };
        let anchor = self
            .order
            .iter()
            .copied()
            .find(|&c| !self.used[c] && fits(self, c))?;
        let (i, j) = (anchor % self.nx, anchor / self.nx);
        for dj in 0..ky {
            for di in 0..kx {
                self.used[(j + dj) * self.nx + i + di] = true;
            }
        }
        let (w, h) = (kx as f64 * CELL, ky as f64 * CELL);
        Some(Site {
            centre: (
                self.origin.0 + i as f64 * CELL + w / 2.0,
                self.origin.1 + j as f64 * CELL + h / 2.0,
            ),
            width: w - STREET,
            height: h - STREET,
        })
    }
}

/// A GeoJSON Polygon or MultiPolygon as a geo MultiPolygon (exterior rings and holes).
pub fn multipolygon(geometry: &Value) -> anyhow::Result<MultiPolygon<f64>> {
    let ring = |r: &Value| -> LineString<f64> {
        r.as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                Some(Coord {
                    x: p.get(0)?.as_f64()?,
                    y: p.get(1)?.as_f64()?,
                })
            })
            .collect()
    };
    let polygon = |p: &Value| {
        let rings = p.as_array().cloned().unwrap_or_default();
        let mut rings = rings.iter().map(ring);
        Polygon::new(
            rings.next().unwrap_or_else(|| LineString(vec![])),
            rings.collect(),
        )
    };
    let coordinates = &geometry["coordinates"];
    match geometry["type"].as_str() {
        Some("Polygon") => Ok(MultiPolygon(vec![polygon(coordinates)])),
        Some("MultiPolygon") => Ok(MultiPolygon(
            coordinates
                .as_array()
                .into_iter()
                .flatten()
                .map(polygon)
                .collect(),
        )),
        other => anyhow::bail!("district boundary is {other:?}, not a (Multi)Polygon"),
    }
}
