//! Parcels and building footprints of one project site, by project kind: village clusters for
//! collective land, rows of old houses for shantytowns, apartment slabs for urban
//! expropriation, factory sheds for land readiness. Shapes are laid out in site metres
//! around (0, 0) and never overlap: each building stays inside its own plot.
use rand::Rng;

use super::frame::{rect, rotate, Ring};
use super::plan::Kind;

pub struct BuildingPlan {
    pub ring: Ring,
    pub floors: i16,
    pub households: u16,
    pub building_use: &'static str,
    pub legal: bool,
    /// Recorded floor area (建筑面积), m²: footprint × floors, less walls and stairs.
    pub floor_area: f64,
}

pub struct ParcelPlan {
    pub ring: Ring,
    pub land_use: &'static str,
    pub buildings: Vec<BuildingPlan>,
}

/// Rectangles (centre x, centre y, width, height) tiling `w` × `h` with blocks near the
/// nominal size and `lane`-wide gaps between them.
fn blocks(w: f64, h: f64, nominal: (f64, f64), lane: f64) -> Vec<(f64, f64, f64, f64)> {
    let count = |total: f64, size: f64| (((total + lane) / (size + lane)).floor() as usize).max(1);
    let (nx, ny) = (count(w, nominal.0), count(h, nominal.1));
    let bw = (w - (nx - 1) as f64 * lane) / nx as f64;
    let bh = (h - (ny - 1) as f64 * lane) / ny as f64;
    let mut out = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        for i in 0..nx {
            let cx = -w / 2.0 + bw / 2.0 + i as f64 * (bw + lane);
            let cy = -h / 2.0 + bh / 2.0 + j as f64 * (bh + lane);
            out.push((cx, cy, bw, bh));
        }
    }
    out
}

/// A parcel outline: the block with its corners nudged (less than half a lane) so the city
/// does not look ruled.
fn parcel_ring((cx, cy, w, h): (f64, f64, f64, f64), rng: &mut impl Rng) -> Ring {
    rect(cx, cy, w, h)
        .into_iter()
        .map(|(x, y)| {
            (
                x + rng.random_range(-2.0..2.0),
                y + rng.random_range(-2.0..2.0),
            )
        })
        .collect()
}

/// A `w` × `d` footprint turned by up to `max_turn` radians and nudged, kept inside a plot
/// of `pw` × `pd` centred on (cx, cy) with at least half a metre to spare.
#[allow(clippy::too_many_arguments)]
fn footprint(
    cx: f64,
    cy: f64,
    pw: f64,
    pd: f64,
    w: f64,
    d: f64,
    max_turn: f64,
    rng: &mut impl Rng,
) -> Ring {
    let turn = if max_turn > 0.0 {
        rng.random_range(-max_turn..max_turn)
    } else {
        0.0
    };
    let (s, c) = (turn.abs().sin(), turn.cos());
    let slack_x = ((pw - (w * c + d * s)) / 2.0 - 0.5).max(0.0);
    let slack_y = ((pd - (w * s + d * c)) / 2.0 - 0.5).max(0.0);
    let nudge = |slack: f64, rng: &mut dyn rand::RngCore| {
        if slack > 0.0 {
            rng.random_range(-slack..slack)
        } else {
            0.0
        }
    };
    let (x, y) = (cx + nudge(slack_x, rng), cy + nudge(slack_y, rng));
    rotate(&rect(x, y, w, d), (x, y), turn)
}

fn building(
    ring: Ring,
    floors: i16,
    households: u16,
    building_use: &'static str,
    legal: bool,
    rng: &mut impl Rng,
) -> BuildingPlan {
    let footprint = super::frame::signed_area(&ring).abs();
    let floor_area =
        (footprint * f64::from(floors) * rng.random_range(0.85..0.98) * 100.0).round() / 100.0;
    BuildingPlan {
        ring,
        floors,
        households,
        building_use,
        legal,
        floor_area,
    }
}

pub fn plan(kind: Kind, w: f64, h: f64, rng: &mut impl Rng) -> Vec<ParcelPlan> {
    match kind {
        Kind::LandAcquisition => blocks(w, h, (95.0, 110.0), 8.0)
            .into_iter()
            .map(|b| village(b, rng))
            .collect(),
        Kind::Shantytown => blocks(w, h, (70.0, 90.0), 10.0)
            .into_iter()
            .map(|b| old_town(b, rng))
            .collect(),
        Kind::HouseExpropriation => blocks(w, h, (140.0, 120.0), 14.0)
            .into_iter()
            .map(|b| estate(b, rng))
            .collect(),
        Kind::LandReadiness => blocks(w, h, (180.0, 150.0), 16.0)
            .into_iter()
            .map(|b| works(b, rng))
            .collect(),
    }
}

/// Collective land: farmland, or a village of detached houses on 16 × 18 m plots.
fn village(b: (f64, f64, f64, f64), rng: &mut impl Rng) -> ParcelPlan {
    let ring = parcel_ring(b, rng);
    if rng.random_bool(0.15) {
        return ParcelPlan {
            ring,
            land_use: "farmland",
            buildings: Vec::new(),
        };
    }
    let (cx, cy, bw, bh) = b;
    let (pw, pd) = (16.0, 18.0);
    let (nx, ny) = (((bw - 8.0) / pw) as usize, ((bh - 8.0) / pd) as usize);
    let mut buildings = Vec::new();
    for j in 0..ny {
        for i in 0..nx {
            if !rng.random_bool(0.85) {
                continue;
            }
            let px = cx - nx as f64 * pw / 2.0 + (i as f64 + 0.5) * pw;
            let py = cy - ny as f64 * pd / 2.0 + (j as f64 + 0.5) * pd;
            let ring = footprint(
                px,
                py,
                pw,
                pd,
                rng.random_range(9.0..13.0),
                rng.random_range(10.0..13.5),
                0.1,
                rng,
            );
            let floors = if rng.random_bool(0.1) {
                1
            } else {
                rng.random_range(2..=4)
            };
            let households = if rng.random_bool(0.12) { 2 } else { 1 };
            let building_use = if rng.random_bool(0.06) {
                "mixed"
            } else {
                "residential"
            };
            buildings.push(building(
                ring,
                floors,
                households,
                building_use,
                !rng.random_bool(0.15),
                rng,
            ));
        }
    }
    ParcelPlan {
        ring,
        land_use: "residential",
        buildings,
    }
}

/// Shantytown: rows of small attached old houses, or an old walk-up estate.
fn old_town(b: (f64, f64, f64, f64), rng: &mut impl Rng) -> ParcelPlan {
    if rng.random_bool(0.2) {
        return slabs(b, (40.0, 55.0), (11.0, 13.0), 30.0, (5, 7), (2, 3), rng);
    }
    let ring = parcel_ring(b, rng);
    let (cx, cy, bw, bh) = b;
    let (x0, x1) = (cx - bw / 2.0 + 4.0, cx + bw / 2.0 - 4.0);
    let mut buildings = Vec::new();
    let mut y = cy - bh / 2.0 + 4.0;
    loop {
        let depth = rng.random_range(9.0..12.0);
        if y + depth > cy + bh / 2.0 - 4.0 {
            break;
        }
        let mut x = x0;
        loop {
            let width = rng.random_range(6.0..8.0);
            if x + width > x1 {
                break;
            }
            let ring = rect(x + width / 2.0, y + depth / 2.0, width, depth);
            let street_front = y < cy - bh / 2.0 + 5.0;
            let building_use = if street_front && rng.random_bool(0.5) {
                "commercial"
            } else if rng.random_bool(0.05) {
                "mixed"
            } else {
                "residential"
            };
            buildings.push(building(
                ring,
                rng.random_range(1..=3),
                rng.random_range(1..=3),
                building_use,
                !rng.random_bool(0.1),
                rng,
            ));
            x += width + 1.0;
        }
        y += depth + 4.0;
    }
    ParcelPlan {
        ring,
        land_use: "residential",
        buildings,
    }
}

/// Urban expropriation: apartment slabs facing south, sometimes a row of shops.
fn estate(b: (f64, f64, f64, f64), rng: &mut impl Rng) -> ParcelPlan {
    let mut parcel = slabs(b, (45.0, 70.0), (12.0, 15.0), 38.0, (6, 18), (2, 4), rng);
    if rng.random_bool(0.25) && !parcel.buildings.is_empty() {
        // the southern row becomes a commercial podium of 2 to 4 floors
        let first_row_y = parcel.buildings[0].ring[0].1;
        for plan in parcel
            .buildings
            .iter_mut()
            .filter(|p| (p.ring[0].1 - first_row_y).abs() < 1.0)
        {
            plan.floors = rng.random_range(2..=4);
            plan.households = rng.random_range(2..=8);
            plan.building_use = "commercial";
            plan.floor_area = (super::frame::signed_area(&plan.ring).abs()
                * f64::from(plan.floors)
                * 0.9
                * 100.0)
                .round()
                / 100.0;
        }
        parcel.land_use = "commercial";
    }
    parcel
}

/// Rows of apartment slabs; households = floors × units per floor, at most 64.
fn slabs(
    b: (f64, f64, f64, f64),
    length: (f64, f64),
    depth: (f64, f64),
    row_pitch: f64,
    floors: (i16, i16),
    units: (u16, u16),
    rng: &mut impl Rng,
) -> ParcelPlan {
    let ring = parcel_ring(b, rng);
    let (cx, cy, bw, bh) = b;
    let (len, dep) = (
        rng.random_range(length.0..length.1),
        rng.random_range(depth.0..depth.1),
    );
    let col_pitch = len + 12.0;
    let (nx, ny) = (
        (((bw - 10.0) / col_pitch) as usize).max(1),
        (((bh - 10.0 - dep) / row_pitch) as usize + 1).max(1),
    );
    let mut buildings = Vec::new();
    for j in 0..ny {
        for i in 0..nx {
            let x = cx - (nx as f64 * col_pitch) / 2.0 + (i as f64 + 0.5) * col_pitch;
            let y = cy - bh / 2.0 + 5.0 + dep / 2.0 + j as f64 * row_pitch;
            if y + dep / 2.0 > cy + bh / 2.0 - 5.0 || len > bw - 10.0 {
                continue;
            }
            let f = rng.random_range(floors.0..=floors.1);
            let households = (f as u16 * rng.random_range(units.0..=units.1)).min(64);
            buildings.push(building(
                rect(x, y, len, dep),
                f,
                households,
                "residential",
                true,
                rng,
            ));
        }
    }
    ParcelPlan {
        ring,
        land_use: "residential",
        buildings,
    }
}

/// Land readiness: a few factory sheds per industrial parcel, one enterprise each.
fn works(b: (f64, f64, f64, f64), rng: &mut impl Rng) -> ParcelPlan {
    let ring = parcel_ring(b, rng);
    let (cx, cy, bw, bh) = b;
    let (nx, ny) = (2usize, if rng.random_bool(0.5) { 2usize } else { 1 });
    let (sw, sh) = ((bw - 10.0) / nx as f64, (bh - 10.0) / ny as f64);
    let mut buildings = Vec::new();
    for j in 0..ny {
        for i in 0..nx {
            if !rng.random_bool(0.75) {
                continue;
            }
            let px = cx - bw / 2.0 + 5.0 + (i as f64 + 0.5) * sw;
            let py = cy - bh / 2.0 + 5.0 + (j as f64 + 0.5) * sh;
            let (w, d) = (
                sw * rng.random_range(0.55..0.85),
                sh * rng.random_range(0.5..0.8),
            );
            let ring = footprint(px, py, sw, sh, w, d, 0.0, rng);
            let building_use = if rng.random_bool(0.15) {
                "public"
            } else {
                "industrial"
            };
            buildings.push(building(
                ring,
                rng.random_range(1..=3),
                1,
                building_use,
                !rng.random_bool(0.08),
                rng,
            ));
        }
    }
    ParcelPlan {
        ring,
        land_use: "industrial",
        buildings,
    }
}
