//! Status histories: when each household was surveyed, signed, vacated and demolished, and
//! when each parcel was acquired, cleared and delivered, following a project's momentum.
use chrono::{Duration, NaiveDate, NaiveTime};
use rand::Rng;

// The status scales are the writers' (crate::status); the demo indexes into them.
pub use crate::status::{HOUSEHOLD_SCALE as HOUSEHOLD_STATUSES, LAND_SCALE as LAND_STATUSES};

/// One event: `subject` is a household id (`parcel` false) or a parcel id; statuses are
/// indexes into the scales above; `at` is Unix seconds.
#[derive(Clone, Copy)]
pub struct Event {
    pub at: i64,
    pub parcel: bool,
    pub subject: i64,
    pub from: u8,
    pub to: u8,
    pub actor: u32,
}

/// How a project moves: when it started, until when it moved (as-of date, or the day it
/// stalled), when its signing drive ends, and the share of households that ever sign.
pub struct Momentum {
    pub start: NaiveDate,
    pub cutoff: NaiveDate,
    pub sign_drive_end: NaiveDate,
    pub will_sign: f64,
    /// The reference moment (Unix seconds): no event is later, so none shows in the future.
    pub latest: i64,
}

impl Momentum {
    /// A working-hours moment of `day`, unless it is later than the reference moment.
    fn at(&self, day: NaiveDate, rng: &mut impl Rng) -> Option<i64> {
        Some(working_time(day, rng)).filter(|t| *t <= self.latest)
    }
}

/// Unix seconds at a random working-hours moment of `day` (Beijing time).
pub fn working_time(day: NaiveDate, rng: &mut impl Rng) -> i64 {
    let time =
        NaiveTime::from_num_seconds_from_midnight_opt(rng.random_range(8 * 3600..18 * 3600), 0)
            .unwrap_or_default();
    day.and_time(time).and_utc().timestamp() - 8 * 3600
}

fn day_of(at: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp(at + 8 * 3600, 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

/// The times a household reached surveyed, signed and vacated (None: not yet by the cutoff).
pub fn household_steps(m: &Momentum, difficult: bool, rng: &mut impl Rng) -> [Option<i64>; 3] {
    let mut steps = [None; 3];
    // the survey team works through a project over its first two to three months
    let survey_day = m.start + days(rng.random_range(2..80));
    if survey_day > m.cutoff {
        return steps;
    }
    steps[0] = m.at(survey_day, rng);
    if steps[0].is_none() {
        return steps;
    }
    // Readiness: the hardest cases (疑难户) come last or never.
    let readiness: f64 = if difficult {
        rng.random_range(0.85..1.0)
    } else {
        rng.random_range(0.0..1.0)
    };
    if readiness >= m.will_sign {
        return steps;
    }
    let drive_start = survey_day + days(5);
    let drive_days = (m.sign_drive_end - drive_start).num_days().max(10) as f64;
    // Front-loaded: most agreements come early in the drive (集中签约期), stragglers later.
    let sign_day =
        drive_start + days((drive_days * (readiness / m.will_sign).powf(1.6)) as i64 + 1);
    if sign_day > m.cutoff {
        return steps;
    }
    steps[1] = m.at(sign_day, rng);
    if steps[1].is_none() {
        return steps;
    }
    let vacate_day = sign_day + days(rng.random_range(3..45));
    if vacate_day <= m.cutoff {
        steps[2] = m.at(vacate_day, rng);
    }
    steps
}

/// When a building whose households all vacated by `last_vacated` is demolished.
pub fn demolition(m: &Momentum, last_vacated: i64, rng: &mut impl Rng) -> Option<i64> {
    let day = day_of(last_vacated) + days(rng.random_range(3..30));
    if day > m.cutoff {
        return None;
    }
    m.at(day, rng)
}

/// Land steps (acquired, cleared, delivered) of a parcel. `buildings_signed` and
/// `buildings_demolished` are when the last building got there (None: not all did);
/// a parcel without buildings follows the project's momentum alone.
pub fn land_steps(
    m: &Momentum,
    has_buildings: bool,
    buildings_signed: Option<i64>,
    buildings_demolished: Option<i64>,
    rng: &mut impl Rng,
) -> [Option<i64>; 3] {
    let mut steps = [None; 3];
    let acquired_day = if has_buildings {
        buildings_signed.map(|t| day_of(t) + days(rng.random_range(2..10)))
    } else {
        let drive = (m.sign_drive_end - m.start).num_days().max(20);
        rng.random_bool(m.will_sign.clamp(0.0, 1.0))
            .then(|| m.start + days(rng.random_range(10..drive)))
    };
    let Some(acquired_day) = acquired_day.filter(|d| *d <= m.cutoff) else {
        return steps;
    };
    let Some(acquired) = m.at(acquired_day, rng) else {
        return steps;
    };
    steps[0] = Some(acquired);
    let cleared_day = if has_buildings {
        buildings_demolished.map(|t| day_of(t.max(acquired)) + days(rng.random_range(2..15)))
    } else {
        Some(acquired_day + days(rng.random_range(10..60)))
    };
    let Some(cleared_day) = cleared_day.filter(|d| *d <= m.cutoff) else {
        return steps;
    };
    steps[1] = m.at(cleared_day, rng);
    if steps[1].is_none() {
        return steps;
    }
    let delivered_day = cleared_day + days(rng.random_range(5..40));
    if delivered_day <= m.cutoff {
        steps[2] = m.at(delivered_day, rng);
    }
    steps
}
