//! Whole answers of live figures (one region's gauges; the city-wide lists are in kept.rs), kept until the next status event or the next
//! day: assembling every project's gauges at a million buildings costs tens of milliseconds,
//! serving them again costs none, and they can only change through an event (or at midnight,
//! when the 7-day pace moves on).
use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use chrono::NaiveDate;

#[derive(Default)]
pub struct ListCache {
    answers: Mutex<HashMap<String, (i64, NaiveDate, Bytes)>>,
    /// The all-project gauges and the full roll-up, changed by each event's delta.
    pub kept: super::kept::KeptLists,
}

impl ListCache {
    /// The answer for `name` if it was made after event `last_event` on `day`. Few names
    /// exist (two lists, 560 regions, the projects): the map stays small.
    #[must_use]
    pub fn get(&self, name: &str, last_event: i64, day: NaiveDate) -> Option<Bytes> {
        let entries = self.answers.lock().expect("list cache lock");
        entries
            .get(name)
            .filter(|(event, d, _)| *event == last_event && *d == day)
            .map(|(_, _, body)| body.clone())
    }

    /// Forgets every answer: for changes that come without an event (imports, funds); the
    /// kept lists are rebuilt.
    pub fn clear(&self) {
        self.answers.lock().expect("list cache lock").clear();
        self.kept.unknown();
    }

    /// An event of project `project` was broadcast: the kept lists take in its delta.
    pub fn touched(&self, project: i64) {
        self.kept.touched(project);
    }

    pub fn put(&self, name: String, last_event: i64, day: NaiveDate, body: Bytes) {
        self.answers
            .lock()
            .expect("list cache lock")
            .insert(name, (last_event, day, body));
    }
}
