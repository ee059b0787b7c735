//! The residents' landing answer (`/api/public/projects`): every published project read once
//! per change and kept, then paged and filtered in memory, each unfiltered page's bytes kept
//! with its ETag. On announcement day thousands ask at once while the hall signs: a page
//! costs no query, and the list is read again at most once a second, by one request, while
//! the others are answered from the kept list.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderValue;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::error::{AppError, AppResult};
use crate::figures::ListCache;

/// Projects on a page when the client does not say (a screenful of cards).
pub const DEFAULT_LIMIT: usize = 24;
const MAX_LIMIT: usize = 200;
const MAX_SEARCH_CHARS: usize = 100;
/// The kept list is read again at most this often however many events arrive: a figure on
/// the residents' page may be this much older than the hall's (the answer's max-age adds to it).
const REBUILD_EVERY: Duration = Duration::from_secs(1);
/// Unfiltered pages kept per list: every (city, district, offset, limit) a crawler may ask.
const MAX_KEPT_PAGES: usize = 512;
/// The list cache's entry that says whether the kept list still holds: it goes with the
/// figures' kept answers (events, imports), so the landing follows the same invalidation.
const MARKER: &str = "public:landing";

/// One page of the landing, as sent, with its strong ETag.
pub struct Page {
    pub body: Bytes,
    pub etag: HeaderValue,
}

/// What a resident asks for: a page of the projects, narrowed by city, district and words.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    pub q: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
}

struct Project {
    json: Value,
    city: String,
    district: String,
    /// Name, code and place in lower case: what the search words are looked up in.
    words: String,
}

struct Kept {
    serial: u64,
    version: i64,
    day: NaiveDate,
    built: Instant,
    projects: Vec<Project>,
    cities: Vec<String>,
    pages: Mutex<HashMap<String, Arc<Page>>>,
}

#[derive(Default)]
pub struct Landing {
    kept: Mutex<Option<Arc<Kept>>>,
    /// One reading at a time: the others are answered from the kept list meanwhile.
    reading: tokio::sync::Mutex<u64>,
}

impl Landing {
    /// The page `query` asks for, from the kept list when it still holds (or is being read
    /// again by another request and is younger than a second's worth of events).
    pub async fn page(
        &self,
        pool: &PgPool,
        lists: &ListCache,
        version: i64,
        day: NaiveDate,
        query: &PageQuery,
    ) -> AppResult<Arc<Page>> {
        let query = Normalised::of(query)?;
        let kept = self.kept.lock().expect("landing lock").clone();
        let kept = match kept {
            Some(k) if current(&k, lists, version, day) => k,
            Some(k) if k.built.elapsed() < REBUILD_EVERY => k,
            stale => match self.reading.try_lock() {
                Ok(serial) => self.read(pool, lists, version, day, serial).await?,
                Err(_) if stale.is_some() => stale.expect("checked"),
                Err(_) => {
                    let serial = self.reading.lock().await;
                    let kept = self.kept.lock().expect("landing lock").clone();
                    match kept {
                        Some(k) if current(&k, lists, version, day) => k,
                        _ => self.read(pool, lists, version, day, serial).await?,
                    }
                }
            },
        };
        kept.page(&query)
    }

    async fn read(
        &self,
        pool: &PgPool,
        lists: &ListCache,
        version: i64,
        day: NaiveDate,
        mut serial: tokio::sync::MutexGuard<'_, u64>,
    ) -> AppResult<Arc<Kept>> {
        // the marker goes in first: an event or import arriving during the read clears it,
        // and the next request reads again
        *serial += 1;
        lists.put(
            MARKER.to_owned(),
            version,
            day,
            Bytes::from(serial.to_be_bytes().to_vec()),
        );
        let rows: Value = sqlx::query_scalar(&super::projects_sql())
            .fetch_one(pool)
            .await?;
        let projects: Vec<Project> = rows
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(Project::of)
            .collect();
        let mut cities: Vec<String> = projects
            .iter()
            .map(|p| p.city.clone())
            .filter(|c| !c.is_empty())
            .collect();
        cities.sort();
        cities.dedup();
        let kept = Arc::new(Kept {
            serial: *serial,
            version,
            day,
            built: Instant::now(),
            projects,
            cities,
            pages: Mutex::default(),
        });
        *self.kept.lock().expect("landing lock") = Some(kept.clone());
        Ok(kept)
    }
}

fn current(kept: &Kept, lists: &ListCache, version: i64, day: NaiveDate) -> bool {
    kept.version == version
        && kept.day == day
        && lists
            .get(MARKER, version, day)
            .is_some_and(|b| b[..] == kept.serial.to_be_bytes())
}

impl Project {
    fn of(json: &Value) -> Self {
        let text = |key: &str| json[key].as_str().unwrap_or_default().to_owned();
        let words = ["name", "code", "city", "district", "street", "region"]
            .map(text)
            .join(" ")
            .to_lowercase();
        Project {
            city: text("city"),
            district: text("district"),
            words,
            json: json.clone(),
        }
    }
}

/// A query checked and trimmed; `key` names the unfiltered pages worth keeping.
struct Normalised {
    limit: usize,
    offset: usize,
    words: Vec<String>,
    city: String,
    district: String,
}

impl Normalised {
    fn of(q: &PageQuery) -> AppResult<Self> {
        let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(AppError::BadRequest(format!(
                "limit: {limit} is not between 1 and {MAX_LIMIT}"
            )));
        }
        let search = q.q.as_deref().unwrap_or_default();
        crate::validate::max_chars("q", search, MAX_SEARCH_CHARS).map_err(AppError::BadRequest)?;
        let trimmed = |s: &Option<String>| s.as_deref().unwrap_or_default().trim().to_owned();
        Ok(Normalised {
            limit,
            offset: q.offset.unwrap_or(0),
            words: search
                .to_lowercase()
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            city: trimmed(&q.city),
            district: trimmed(&q.district),
        })
    }

    fn key(&self) -> Option<String> {
        self.words.is_empty().then(|| {
            format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}{}",
                self.city, self.district, self.offset, self.limit
            )
        })
    }
}

impl Kept {
    fn page(&self, q: &Normalised) -> AppResult<Arc<Page>> {
        let key = q.key();
        if let Some(page) = key.as_ref().and_then(|k| {
            self.pages
                .lock()
                .expect("landing pages lock")
                .get(k)
                .cloned()
        }) {
            return Ok(page);
        }
        let in_city = |p: &&Project| q.city.is_empty() || p.city == q.city;
        let mut districts: Vec<&str> = self
            .projects
            .iter()
            .filter(in_city)
            .map(|p| p.district.as_str())
            .filter(|d| !d.is_empty())
            .collect();
        districts.sort_unstable();
        districts.dedup();
        let shown: Vec<&Project> = self
            .projects
            .iter()
            .filter(in_city)
            .filter(|p| q.district.is_empty() || p.district == q.district)
            .filter(|p| q.words.iter().all(|w| p.words.contains(w.as_str())))
            .collect();
        let page: Vec<&Value> = shown
            .iter()
            .skip(q.offset)
            .take(q.limit)
            .map(|p| &p.json)
            .collect();
        let body = serde_json::to_vec(&json!({
            "projects": page, "total": shown.len(), "all": self.projects.len(), "offset": q.offset, "limit": q.limit,
            "cities": self.cities, "districts": districts,
        }))
        .map_err(|e| AppError::Internal(format!("landing page: {e}")))?;
        let page = Arc::new(Page {
            etag: HeaderValue::try_from(crate::tiles::etag_of(&body, false))
                .expect("hex in quotes is a valid header"),
            body: Bytes::from(body),
        });
        if let Some(key) = key {
            let mut pages = self.pages.lock().expect("landing pages lock");
            if pages.len() < MAX_KEPT_PAGES {
                pages.insert(key, page.clone());
            }
        }
        Ok(page)
    }
}
