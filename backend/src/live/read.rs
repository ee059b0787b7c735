//! Reading the event tables as the feed sends them: each row with its payloads and the boxes of
//! the tiles it changed, oldest first, a batch at a time.
use sqlx::PgPool;

use super::{EventKind, LiveEvent, BATCH};

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    project_id: i64,
    region_codes: Vec<String>,
    payload: String,
    building_box: Option<Vec<f64>>,
    parcel_box: Option<Vec<f64>>,
    project_box: Vec<f64>,
    region_boxes: Vec<f64>,
}

fn boxes(values: &[f64]) -> impl Iterator<Item = [f64; 4]> + '_ {
    values.chunks_exact(4).map(|c| [c[0], c[1], c[2], c[3]])
}

impl From<EventRow> for LiveEvent {
    fn from(row: EventRow) -> Self {
        let mut touched = Vec::new();
        if let Some(b) = &row.building_box {
            // a household's change moves its building's status and the project and region figures
            touched.extend(boxes(b).map(|b| ("buildings", b)));
            touched.extend(boxes(&row.project_box).map(|b| ("projects", b)));
            touched.extend(boxes(&row.region_boxes).map(|b| ("regions", b)));
        }
        if let Some(p) = &row.parcel_box {
            // land status shows only on parcel tiles
            touched.extend(boxes(p).map(|b| ("parcels", b)));
        }
        if row.building_box.is_none() && row.parcel_box.is_none() {
            // a procedure step's change moves the project's stage (projects layer only)
            touched.extend(boxes(&row.project_box).map(|b| ("projects", b)));
        }
        let screen_payload = without_free_text(&row.payload);
        LiveEvent {
            kind: EventKind::Status,
            id: row.id,
            project_id: row.project_id,
            region_codes: row.region_codes,
            payload: row.payload,
            screen_payload,
            touched,
            bulk: 0,
            frames: Default::default(),
        }
    }
}

/// The payload without the fields people type or that name people (reason, actor, a unit's
/// household).
fn without_free_text(payload: &str) -> String {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(payload) {
        Ok(mut object) => {
            object.remove("reason");
            object.remove("actor");
            object.remove("household");
            serde_json::Value::Object(object).to_string()
        }
        // the payload is built by our own SQL; if it ever fails to parse, send nothing of it
        Err(_) => "{}".to_owned(),
    }
}

/// Events of `kind`'s table with ids above `after`, oldest first, at most `BATCH` (none for a
/// kind without a table), each on disk: status events commit before their WAL flush
/// (sql/status/write_events.sql), and the feed never sends one a crash could take back.
pub async fn events_after(
    pool: &PgPool,
    kind: EventKind,
    after: i64,
) -> Result<Vec<LiveEvent>, sqlx::Error> {
    let events = read_events_after(pool, kind, after).await?;
    if kind == EventKind::Status && !events.is_empty() {
        crate::db::durable::wait_for_flush(pool).await?;
    }
    Ok(events)
}

/// `events_after` as the table holds them, flushed or not: for compiling the reads ahead.
pub async fn read_events_after<'c>(
    db: impl sqlx::PgExecutor<'c>,
    kind: EventKind,
    after: i64,
) -> Result<Vec<LiveEvent>, sqlx::Error> {
    let sql = match kind {
        EventKind::Status => include_str!("../../sql/live/events_after.sql"),
        EventKind::Procedure => include_str!("../../sql/live/procedure_after.sql"),
        EventKind::Case => include_str!("../../sql/live/case_after.sql"),
        EventKind::Groups => return Ok(Vec::new()),
        // unit rows touch the estates layer, not the buildings': a row type of their own
        EventKind::Unit => return unit_after(db, after).await,
    };
    let rows: Vec<EventRow> = sqlx::query_as(sql)
        .bind(after)
        .bind(BATCH)
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| LiveEvent {
            kind,
            ..LiveEvent::from(row)
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct UnitEventRow {
    id: i64,
    project_id: i64,
    region_codes: Vec<String>,
    payload: String,
    estate_box: Vec<f64>,
}

/// Unit status events with ids above `after`, oldest first, at most `BATCH`.
async fn unit_after<'c>(
    db: impl sqlx::PgExecutor<'c>,
    after: i64,
) -> Result<Vec<LiveEvent>, sqlx::Error> {
    let rows: Vec<UnitEventRow> = sqlx::query_as(include_str!("../../sql/live/unit_after.sql"))
        .bind(after)
        .bind(BATCH)
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| LiveEvent {
            kind: EventKind::Unit,
            id: row.id,
            project_id: row.project_id,
            region_codes: row.region_codes,
            screen_payload: without_free_text(&row.payload),
            payload: row.payload,
            // the estates tiles carry the estate's counts by status
            touched: boxes(&row.estate_box).map(|b| ("estates", b)).collect(),
            bulk: 0,
            frames: Default::default(),
        })
        .collect())
}
