//! What a demo project is: its kind, size in grid cells, dates, momentum and name.
use chrono::{Duration, NaiveDate};
use rand::Rng;

use super::history::Momentum;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    HouseExpropriation,
    LandAcquisition,
    Shantytown,
    LandReadiness,
}

impl Kind {
    pub fn pick(rng: &mut impl Rng) -> Kind {
        // Weighted toward the dense kinds so a million buildings fit the two real districts.
        match rng.random_range(0..100) {
            0..40 => Kind::Shantytown,
            40..75 => Kind::LandAcquisition,
            75..92 => Kind::HouseExpropriation,
            _ => Kind::LandReadiness,
        }
    }

    #[must_use]
    pub fn sql_name(self) -> &'static str {
        match self {
            Kind::HouseExpropriation => "house_expropriation",
            Kind::LandAcquisition => "land_acquisition",
            Kind::Shantytown => "shantytown",
            Kind::LandReadiness => "land_readiness",
        }
    }

    /// Site size in grid cells (x, y).
    pub fn cells(self, rng: &mut impl Rng) -> (usize, usize) {
        match self {
            Kind::Shantytown | Kind::HouseExpropriation => (1, 1),
            Kind::LandAcquisition => {
                if rng.random_bool(0.5) {
                    (2, 2)
                } else {
                    (2, 1)
                }
            }
            Kind::LandReadiness => (2, 1),
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Kind::HouseExpropriation => "地块国有土地上房屋征收项目",
            Kind::LandAcquisition => "片区集体土地征收项目",
            Kind::Shantytown => "片区棚户区改造项目",
            Kind::LandReadiness => "片区土地整备项目",
        }
    }

    /// Share of households that choose money over a flat (货币化安置).
    #[must_use]
    pub fn monetary_share(self) -> f64 {
        match self {
            Kind::HouseExpropriation => 0.6,
            Kind::LandAcquisition => 0.35,
            Kind::Shantytown => 0.7,
            Kind::LandReadiness => 0.9,
        }
    }
}

pub struct ProjectPlan {
    pub code: String,
    pub name: String,
    pub kind: Kind,
    pub start: NaiveDate,
    pub target: NaiveDate,
    pub momentum: Momentum,
}

/// Dates and momentum: some projects nearly done, some just started, a few stalled.
pub fn project(
    kind: Kind,
    district_code: &str,
    places: &[&str],
    serial: usize,
    as_of: NaiveDate,
    latest: i64,
    rng: &mut impl Rng,
) -> ProjectPlan {
    // one project in ten has just started; the rest began over the last year and a half
    let age = if rng.random_bool(0.1) {
        rng.random_range(3..45)
    } else {
        rng.random_range(45..560)
    };
    let start = as_of - Duration::days(age);
    let target = start + Duration::days(rng.random_range(240..720));
    let span = (target - start).num_days();
    let (will_sign, stalled_for) = match rng.random_range(0..100) {
        0..25 => (rng.random_range(0.95..1.0), 0),
        25..70 => (rng.random_range(0.6..0.95), 0),
        70..85 => (rng.random_range(0.3..0.6), 0),
        _ => (rng.random_range(0.4..0.8), rng.random_range(21..90)),
    };
    let cutoff = (as_of - Duration::days(stalled_for)).max(start);
    let sign_drive_end = start + Duration::days((span as f64 * rng.random_range(0.35..0.8)) as i64);
    let place = places[rng.random_range(0..places.len())];
    let letter = (b'A' + rng.random_range(0..8u8)) as char;
    ProjectPlan {
        code: format!("{district_code}-{}-{serial:04}", start.format("%Y")),
        name: format!(
            "{place}{letter}-{}{}",
            rng.random_range(1..=9),
            kind.suffix()
        ),
        kind,
        start,
        target,
        momentum: Momentum {
            start,
            cutoff,
            sign_drive_end,
            will_sign,
            latest,
        },
    }
}
