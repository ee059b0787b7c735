//! Generates the demo city's rows (projects, parcels, buildings, households, status events)
//! as COPY text, deterministic for a seed and an as-of date.
use std::fmt::Write;

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::frame::{rect, rotate, translate, Frame};
use super::history::{demolition, household_steps, land_steps, Event};
use super::layout::{self, BuildingPlan, ParcelPlan};
use super::people;
use super::plan::{self, Kind};
use super::reference::District;
use super::sites::DistrictGrid;

/// COPY text of every table, events kept as structs to be sorted by time before loading.
#[derive(Default)]
pub struct Tables {
    pub projects: String,
    pub parcels: String,
    pub buildings: String,
    pub households: String,
    pub events: Vec<Event>,
    pub actors: Vec<String>,
    pub counts: Counts,
}

#[derive(Default, Debug, Clone, Copy)]
pub struct Counts {
    pub projects: i64,
    pub parcels: i64,
    pub buildings: i64,
    pub households: i64,
}

/// Moves a ring from site metres to district metres (turned, then shifted to the site).
type Placement<'a> = dyn Fn(&[(f64, f64)]) -> Vec<(f64, f64)> + 'a;

/// Which districts (indexes into `districts`, with their region ids) get which projects.
pub fn generate(
    districts: &[District],
    district_ids: &[i32],
    target: usize,
    seed: u64,
    as_of: NaiveDate,
    latest: i64,
) -> anyhow::Result<Tables> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut grids = districts
        .iter()
        .map(|d| DistrictGrid::new(&d.boundary, d.core, &mut rng))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut free: Vec<usize> = grids.iter().map(DistrictGrid::free_cells).collect();
    let mut tables = Tables::default();
    for d in districts {
        // field staff accounts of each district (街道工作人员), named by district code
        tables
            .actors
            .extend((1..=24).map(|n| format!("staff-{}-{n:02}", d.code)));
    }
    let mut serial = 0usize;
    while (tables.counts.buildings as usize) < target {
        serial += 1;
        let mut project_rng =
            ChaCha8Rng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ serial as u64);
        let kind = Kind::pick(&mut project_rng);
        let (kx, ky) = kind.cells(&mut project_rng);
        // a district in proportion to the free land it has left
        let total_free: usize = free.iter().sum();
        anyhow::ensure!(
            total_free > 0,
            "the demo districts are full at {} buildings",
            tables.counts.buildings
        );
        let mut pick = project_rng.random_range(0..total_free);
        let mut which = 0;
        while pick >= free[which] {
            pick -= free[which];
            which += 1;
        }
        let Some(site) = grids[which]
            .take(kx, ky)
            .or_else(|| grids[which].take(1, 1))
        else {
            free[which] = 0;
            continue;
        };
        free[which] = free[which].saturating_sub(kx * ky);
        let district = &districts[which];
        let plan = plan::project(
            kind,
            &district.code,
            district.places,
            serial,
            as_of,
            latest,
            &mut project_rng,
        );
        // turned a little, and shrunk so the turned layout stays inside the site
        let turn: f64 = project_rng.random_range(-0.12..0.12);
        let (s, c) = (turn.abs().sin(), turn.cos());
        let w = (site.width * c - site.height * s) / (c * c - s * s);
        let h = (site.height * c - site.width * s) / (c * c - s * s);
        let mut parcels = layout::plan(kind, w, h, &mut project_rng);
        let remaining = target - tables.counts.buildings as usize;
        trim(&mut parcels, remaining);
        let place = |ring: &[(f64, f64)]| translate(&rotate(ring, (0.0, 0.0), turn), site.centre);
        let actors = (which * 24, 24);
        write_project(
            &mut tables,
            &grids[which].frame,
            &plan,
            district_ids[which],
            &place(&rect(0.0, 0.0, w + 6.0, h + 6.0)),
            &parcels,
            &place,
            actors,
            &district.code,
            &mut project_rng,
        );
    }
    Ok(tables)
}

/// Keeps only the first `remaining` buildings, so the city has exactly the asked-for count.
fn trim(parcels: &mut [ParcelPlan], mut remaining: usize) {
    for parcel in parcels {
        parcel.buildings.truncate(remaining);
        remaining -= parcel.buildings.len();
    }
}

/// One of the project's staff accounts, as the seed draws it.
fn pick_actor((actor0, actor_count): (usize, usize), rng: &mut ChaCha8Rng) -> u32 {
    (actor0 + rng.random_range(0..actor_count)) as u32
}

/// A parcel's land events up to where its steps stop; returns its land status.
fn write_land_events(
    t: &mut Tables,
    parcel_id: i64,
    steps: &[Option<i64>],
    actors: (usize, usize),
    rng: &mut ChaCha8Rng,
) -> u8 {
    let mut land = 0u8;
    for (step, at) in steps.iter().enumerate() {
        let Some(at) = *at else { break };
        t.events.push(Event {
            at,
            parcel: true,
            subject: parcel_id,
            from: step as u8,
            to: step as u8 + 1,
            actor: pick_actor(actors, rng),
        });
        land = step as u8 + 1;
    }
    land
}

/// The building being written and its plan.
struct Building<'a> {
    id: i64,
    code: &'a str,
    plan: &'a BuildingPlan,
}

/// One building's households and their events, in the order the seed draws them; returns
/// each household's status.
#[allow(clippy::too_many_arguments)]
fn write_households(
    t: &mut Tables,
    b: &Building<'_>,
    steps_of: &[([Option<i64>; 3], bool)],
    demolished_at: Option<i64>,
    plan: &plan::ProjectPlan,
    (actor0, actor_count): (usize, usize),
    district_code: &str,
    rng: &mut ChaCha8Rng,
) -> Vec<u8> {
    let actor = |rng: &mut ChaCha8Rng| pick_actor((actor0, actor_count), rng);
    let (building_id, building_code) = (b.id, b.code);
    let b = b.plan;
    let mut statuses = Vec::with_capacity(usize::from(b.households));
    for (h, (steps, difficult)) in steps_of.iter().enumerate() {
        t.counts.households += 1;
        let household_id = t.counts.households;
        let mut status = 0u8;
        let mut status_at = None;
        for (step, at) in steps
            .iter()
            .chain(std::iter::once(&demolished_at))
            .enumerate()
        {
            let Some(at) = *at else { break };
            t.events.push(Event {
                at,
                parcel: false,
                subject: household_id,
                from: step as u8,
                to: step as u8 + 1,
                actor: actor(rng),
            });
            status = step as u8 + 1;
            status_at = Some(at);
        }
        statuses.push(status);
        let resettlement = if status >= 2 {
            if rng.random_bool(plan.kind.monetary_share()) {
                "monetary"
            } else {
                "property_swap"
            }
        } else {
            "\\N"
        };
        let area = b.floor_area / f64::from(b.households) * rng.random_range(0.85..1.15);
        let _ = writeln!(
            t.households,
            "{household_id}\t{building_code}-H{:02}\t{building_id}\t{}\t{}\t{}\t{area:.2}\t{}\t{}\t{resettlement}\t{difficult}",
            h + 1,
            people::holder_name(rng),
            people::id_number(district_code, rng),
            rng.random_range(1..=6),
            super::history::HOUSEHOLD_STATUSES[status as usize],
            status_at.map_or_else(|| "\\N".to_owned(), timestamp),
        );
    }
    statuses
}

#[allow(clippy::too_many_arguments)]
fn write_project(
    t: &mut Tables,
    frame: &Frame,
    plan: &plan::ProjectPlan,
    district_id: i32,
    outline: &[(f64, f64)],
    parcels: &[ParcelPlan],
    place: &Placement<'_>,
    (actor0, actor_count): (usize, usize),
    district_code: &str,
    rng: &mut ChaCha8Rng,
) {
    t.counts.projects += 1;
    let project_id = t.counts.projects;
    let m = &plan.momentum;
    let floor_area: f64 = parcels
        .iter()
        .flat_map(|p| &p.buildings)
        .map(|b| b.floor_area)
        .sum();
    // budget: compensation per m² of floor area by kind, plus land, in yuan
    let rate = match plan.kind {
        Kind::HouseExpropriation => 9_000.0,
        Kind::Shantytown => 7_000.0,
        Kind::LandAcquisition => 3_500.0,
        Kind::LandReadiness => 2_500.0,
    };
    let budget = (floor_area * rate * rng.random_range(1.05..1.25) / 10_000.0).round() * 10_000.0;
    let _ = write!(
        t.projects,
        "{project_id}\t{}\t{}\t{}\t{district_id}\t{}\t{}\t{budget:.2}\t{}\t",
        plan.code,
        plan.name,
        plan.kind.sql_name(),
        plan.start,
        plan.target,
        rng.random_bool(0.6)
    );
    frame.write_ewkt(&mut t.projects, outline);
    t.projects.push('\n');

    for (parcel_index, parcel) in parcels.iter().enumerate() {
        t.counts.parcels += 1;
        let parcel_id = t.counts.parcels;
        let mut all_signed_at = Some(i64::MIN);
        let mut all_demolished_at = Some(i64::MIN);
        let mut building_rows = String::new();
        for b in &parcel.buildings {
            t.counts.buildings += 1;
            let building_id = t.counts.buildings;
            let building_code = format!("{}-B{:04}", plan.code, t.counts.buildings);
            let mut steps_of = Vec::with_capacity(usize::from(b.households));
            for _ in 0..b.households {
                let difficult = rng.random_bool(0.04);
                let steps = household_steps(m, difficult, rng);
                steps_of.push((steps, difficult));
            }
            let last_vacated = steps_of
                .iter()
                .map(|(s, _)| s[2])
                .try_fold(i64::MIN, |acc, v| v.map(|v| acc.max(v)));
            let demolished_at = last_vacated.and_then(|t| demolition(m, t, rng));
            let last_signed = steps_of
                .iter()
                .map(|(s, _)| s[1])
                .try_fold(i64::MIN, |acc, v| v.map(|v| acc.max(v)));
            all_signed_at = all_signed_at.zip(last_signed).map(|(a, b)| a.max(b));
            all_demolished_at = all_demolished_at.zip(demolished_at).map(|(a, b)| a.max(b));
            let statuses = write_households(
                t,
                &Building {
                    id: building_id,
                    code: &building_code,
                    plan: b,
                },
                &steps_of,
                demolished_at,
                plan,
                (actor0, actor_count),
                district_code,
                rng,
            );
            let building_status = statuses.iter().copied().min().unwrap_or(0);
            let _ = write!(
                building_rows,
                "{building_id}\t{building_code}\t{project_id}\t{parcel_id}\t{}\t{}\t{}\t{:.2}\t{}\t{}\t",
                b.building_use,
                if b.legal { "legal" } else { "illegal" },
                b.floors,
                b.floor_area,
                super::history::HOUSEHOLD_STATUSES[building_status as usize],
                b.households,
            );
            frame.write_ewkt(&mut building_rows, &place(&b.ring));
            building_rows.push('\n');
        }
        t.buildings.push_str(&building_rows);
        let has_buildings = !parcel.buildings.is_empty();
        let signed = all_signed_at.filter(|_| has_buildings);
        let demolished = all_demolished_at.filter(|_| has_buildings);
        let steps = land_steps(m, has_buildings, signed, demolished, rng);
        let land = write_land_events(t, parcel_id, &steps, (actor0, actor_count), rng);
        let _ = write!(
            t.parcels,
            "{parcel_id}\t{}-P{:03}\t{project_id}\t{}\t{}\t",
            plan.code,
            parcel_index + 1,
            parcel.land_use,
            super::history::LAND_STATUSES[land as usize],
        );
        frame.write_ewkt(&mut t.parcels, &place(&parcel.ring));
        t.parcels.push('\n');
    }
}

/// A Unix time as a PostgreSQL timestamptz literal.
#[must_use]
pub fn timestamp(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0).map_or_else(String::new, |t| {
        t.format("%Y-%m-%d %H:%M:%S+00").to_string()
    })
}
