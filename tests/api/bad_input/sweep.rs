//! The property over the whole router: for every query parameter, path parameter and JSON
//! field, hostile values never get a 5xx or a dropped connection, every error has the JSON
//! shape, and a refused write leaves every table as it was.
use axum::http::Request;
use axum::Router;
use onemap::app;
use serde_json::{json, Value};
use sqlx::PgPool;

use super::hostile::{json_literals, url_texts, TYPE_LITERALS};
use super::{broken, call_router, fingerprint};
use crate::helpers::{demo_city, session, state};

/// Generated values on top of the fixed ones, per field: enough variety, under a minute in all.
const RANDOM_PER_FIELD: usize = 8;

/// Ids and codes of real rows, so that every field but the one swept is valid.
struct Fixture {
    admin: String,
    project_id: i64,
    project: String,
    published: String,
    region: String,
    household: i64,
    household_version: i32,
    building: i64,
    batch: i64,
    objection: i64,
    petition: i64,
    ticket: String,
    event: i64,
    holder: (String, String, String),
    as_of: String,
}

impl Fixture {
    async fn load(pool: &PgPool) -> Fixture {
        let admin = session(pool, "sweeper", "admin", None).await;
        let one = |sql: &'static str| sqlx::query_scalar::<_, String>(sql).fetch_one(pool);
        let (project_id, project, published): (i64, String, String) = sqlx::query_as(
            "SELECT p.id, p.code, (SELECT code FROM projects WHERE published ORDER BY id LIMIT 1) FROM projects p ORDER BY p.id LIMIT 1",
        )
        .fetch_one(pool)
        .await
        .expect("a project");
        let (household, household_version): (i64, i32) = sqlx::query_as(
            "SELECT id, version FROM households WHERE status = 'surveyed' ORDER BY id LIMIT 1",
        )
        .fetch_one(pool)
        .await
        .expect("a surveyed household");
        let holder: (String, String, String) = sqlx::query_as(
            "SELECT h.holder_name, h.holder_id_number, h.code FROM households h JOIN buildings b ON b.id = h.building_id
               JOIN projects p ON p.id = b.project_id WHERE p.published ORDER BY h.id LIMIT 1",
        )
        .fetch_one(pool)
        .await
        .expect("a household of a published project");
        let id = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).fetch_one(pool);
        Fixture {
            admin,
            project_id,
            project,
            published,
            region: one("SELECT code FROM regions WHERE level = 'district' ORDER BY id LIMIT 1")
                .await
                .expect("a district"),
            household,
            household_version,
            building: id("SELECT id FROM buildings ORDER BY id LIMIT 1")
                .await
                .expect("a building"),
            batch: id("SELECT id FROM payment_batches ORDER BY id LIMIT 1")
                .await
                .expect("a batch"),
            objection: id("SELECT id FROM objections ORDER BY id LIMIT 1")
                .await
                .expect("an objection"),
            petition: id("SELECT id FROM petitions WHERE objection_id IS NULL ORDER BY id LIMIT 1")
                .await
                .expect("a petition"),
            ticket: one("SELECT ticket FROM objections ORDER BY id LIMIT 1")
                .await
                .expect("a ticket"),
            event: id("SELECT max(id) FROM status_events")
                .await
                .expect("an event"),
            holder,
            as_of: (onemap::clock::beijing_today() - chrono::Duration::days(10)).to_string(),
        }
    }
}

/// Sends one hostile request and records why it breaks the rule, if it does. Writes (anything
/// but GET) must leave the fingerprint unchanged when refused.
struct Sweep<'a> {
    pool: &'a PgPool,
    /// The app over the test database, built once for every request of the sweep.
    router: Router,
    /// Per route (template), how many requests broke the rule and the first of them.
    failures: std::collections::BTreeMap<String, (usize, String)>,
    sent: usize,
    /// The fingerprint after the last write, while no write has been accepted since: nothing
    /// else writes, so it need not be taken again before the next one.
    known: Option<String>,
}

impl<'a> Sweep<'a> {
    async fn new(pool: &'a PgPool) -> Sweep<'a> {
        Sweep {
            pool,
            router: app(state(pool).await),
            failures: std::collections::BTreeMap::new(),
            sent: 0,
            known: None,
        }
    }

    async fn send(
        &mut self,
        route: &str,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<String>,
    ) {
        let write = method != "GET";
        // the residents' look-up limit would answer 429 before the fields are read
        if uri.starts_with("/api/public/") && write {
            sqlx::query("DELETE FROM resident_lookups")
                .execute(self.pool)
                .await
                .expect("the limit resets");
        }
        let before = match (&self.known, write) {
            (_, false) => None,
            (Some(known), true) => Some(known.clone()),
            (None, true) => Some(fingerprint(self.pool).await),
        };
        let content_type = body.as_ref().map(|_| "application/json");
        let request = Request::builder().method(method).uri(uri);
        let answer = call_router(
            &self.router,
            request,
            token,
            content_type,
            body.clone().unwrap_or_default().into_bytes(),
        )
        .await;
        self.sent += 1;
        let what = format!(
            "{method} {} {}",
            shorten(uri),
            body.as_deref().map(shorten).unwrap_or_default()
        );
        let mut fail = |problem: String| {
            let entry = self
                .failures
                .entry(format!("{method} {route}"))
                .or_insert_with(|| (0, format!("{what}: {problem}")));
            entry.0 += 1;
        };
        match answer {
            Err(panic) => {
                fail(panic);
                self.known = None;
            }
            Ok((status, bytes)) => {
                if let Some(problem) = broken(status, &bytes) {
                    fail(problem);
                }
                // login failures are audited (and may lock an account): refusals that write by design
                let by_design = uri == "/api/login";
                if let Some(before) = before.filter(|_| status >= 400 && !by_design) {
                    let after = fingerprint(self.pool).await;
                    if after != before {
                        fail(format!("refused with {status} but wrote"));
                    }
                    self.known = Some(after);
                } else if write {
                    self.known = None;
                }
            }
        }
    }

    fn assert_clean(&self, what: &str) {
        let broken: usize = self.failures.values().map(|(n, _)| n).sum();
        let routes: Vec<String> = self
            .failures
            .iter()
            .map(|(route, (n, first))| format!("{route}: {n} times, first {first}"))
            .collect();
        assert!(
            self.failures.is_empty(),
            "{what}: {broken} of {} requests broke the rule:\n{}",
            self.sent,
            routes.join("\n")
        );
    }
}

/// A request as a failure report shows it: its first 160 characters and its length.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(160) {
        Some((end, _)) => format!("{}…({} bytes)", &text[..end], text.len()),
        None => text.to_owned(),
    }
}

/// A route's parameters, each with a valid value.
type Params = Vec<(&'static str, String)>;

/// `(method, path, query parameters, anonymous)` of every route with query parameters (the
/// uploads sent without their file: the query is read first). `/events` is left out: once
/// accepted it streams without end.
#[allow(clippy::too_many_lines)] // a table: one entry per route, read down, not a procedure
fn query_routes(f: &Fixture) -> Vec<(&'static str, String, Params, bool)> {
    let (pid, project, region, as_of) = (
        f.project_id,
        f.project.clone(),
        f.region.clone(),
        f.as_of.clone(),
    );
    let v = |pairs: &[(&'static str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (*k, (*v).to_owned()))
            .collect::<Vec<_>>()
    };
    vec![
        (
            "GET",
            "/api/procedure/calendar".into(),
            v(&[("year", "2026")]),
            false,
        ),
        (
            "GET",
            "/api/procedure/period-end".into(),
            v(&[
                ("start", "2026-09-28"),
                ("n", "10"),
                ("unit", "working_days"),
            ]),
            false,
        ),
        (
            "GET",
            format!("/api/figures/projects/{pid}"),
            v(&[("as_of", &as_of)]),
            false,
        ),
        (
            "GET",
            "/api/status/find".into(),
            v(&[("code", "B0001")]),
            false,
        ),
        (
            "GET",
            format!("/api/figures/regions/{region}"),
            v(&[("as_of", &as_of)]),
            false,
        ),
        (
            "GET",
            "/api/rankings".into(),
            v(&[("level", "project"), ("from", &as_of), ("to", &as_of)]),
            false,
        ),
        (
            "GET",
            "/api/trend".into(),
            v(&[("project", &pid.to_string()), ("days", "30")]),
            false,
        ),
        (
            "GET",
            "/api/trend".into(),
            v(&[("region", &region), ("days", "30")]),
            false,
        ),
        (
            "GET",
            "/api/alerts".into(),
            v(&[("stalled_days", "14")]),
            false,
        ),
        (
            "GET",
            "/api/events/recent".into(),
            v(&[("limit", "20")]),
            false,
        ),
        (
            "GET",
            "/api/exports/regions.xlsx".into(),
            v(&[("region", &region)]),
            false,
        ),
        (
            "GET",
            "/api/households".into(),
            v(&[
                ("project", &project),
                ("name", "张"),
                ("id_number", "1234"),
                ("status", "signed"),
                ("difficult", "true"),
                ("limit", "10"),
                ("offset", "0"),
            ]),
            false,
        ),
        (
            "GET",
            "/api/objections".into(),
            v(&[("project", &project), ("status", "open")]),
            false,
        ),
        (
            "GET",
            "/api/petitions".into(),
            v(&[
                ("project", &project),
                ("status", "accepted"),
                ("channel", "letter"),
                ("category_id", "1"),
                ("group_id", "1"),
                ("timeliness", "overdue"),
            ]),
            false,
        ),
        (
            "GET",
            "/api/petitions/stats".into(),
            v(&[
                ("region", &region),
                ("project", &project),
                ("from", "2026-01-01"),
                ("to", &as_of),
            ]),
            false,
        ),
        (
            "GET",
            "/api/audit".into(),
            v(&[
                ("user", "sweeper"),
                ("action", "login"),
                ("from", "2026-01-01"),
                ("to", "2026-12-31"),
                ("project", &project),
                ("limit", "10"),
                ("offset", "0"),
            ]),
            false,
        ),
        (
            "GET",
            "/api/audit.xlsx".into(),
            v(&[
                ("user", "sweeper"),
                ("action", "login"),
                ("from", "2026-01-01"),
                ("to", "2026-12-31"),
                ("project", &project),
                ("limit", "10"),
                ("offset", "0"),
            ]),
            false,
        ),
        (
            "GET",
            format!("/api/public/projects/{}/lists/survey", f.published),
            v(&[("limit", "10"), ("offset", "0")]),
            true,
        ),
        ("GET", "/ogc".into(), v(&[("f", "json")]), false),
        ("GET", "/ogc/conformance".into(), v(&[("f", "json")]), false),
        ("GET", "/ogc/api".into(), v(&[("f", "json")]), false),
        ("GET", "/ogc/collections".into(), v(&[("f", "json")]), false),
        (
            "GET",
            "/ogc/collections/buildings".into(),
            v(&[("f", "json")]),
            false,
        ),
        (
            "GET",
            "/ogc/collections/buildings/items".into(),
            v(&[
                // CGCS2000 takes latitude first
                ("bbox", "20,100,40,130"),
                ("bbox-crs", "EPSG:4490"),
                ("crs", "EPSG:3857"),
                ("limit", "5"),
                ("cursor", "0"),
                ("status", "signed"),
                ("project", &project),
                ("region", &region),
                ("f", "json"),
            ]),
            false,
        ),
        (
            "GET",
            format!("/ogc/collections/buildings/items/{}", f.building),
            v(&[("crs", "EPSG:4490")]),
            false,
        ),
        (
            "POST",
            "/api/overlay".into(),
            v(&[("crs", "EPSG:4549")]),
            false,
        ),
        (
            "POST",
            "/api/imports".into(),
            v(&[
                ("target", "buildings"),
                ("project", &project),
                ("invalid", "reject"),
                ("crs", "EPSG:4549"),
            ]),
            false,
        ),
    ]
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn hostile_query_values_are_refused_in_shape(pool: PgPool) {
    demo_city(&pool).await;
    let f = Fixture::load(&pool).await;
    let mut sweep = Sweep::new(&pool).await;
    let mut values = url_texts(RANDOM_PER_FIELD);
    values.push(String::new());
    for (method, path, params, anonymous) in query_routes(&f) {
        let token = (!anonymous).then_some(f.admin.as_str());
        for swept in 0..params.len() {
            for value in &values {
                let query: Vec<String> = params
                    .iter()
                    .enumerate()
                    .map(|(i, (name, valid))| {
                        format!(
                            "{name}={}",
                            if i == swept {
                                value.as_str()
                            } else {
                                valid.as_str()
                            }
                        )
                    })
                    .collect();
                sweep
                    .send(
                        &path,
                        method,
                        &format!("{path}?{}", query.join("&")),
                        token,
                        None,
                    )
                    .await;
            }
        }
        // and a parameter no route takes, named with the same values
        for value in values.iter().take(8) {
            sweep
                .send(
                    &path,
                    method,
                    &format!("{path}?{value}={value}"),
                    token,
                    None,
                )
                .await;
        }
    }
    sweep.assert_clean("query parameters");
}

/// `(method, template, its {parameters}, body)` of every route with path parameters.
#[allow(clippy::too_many_lines)] // a table: one entry per route, read down, not a procedure
fn path_routes(f: &Fixture) -> Vec<(&'static str, &'static str, Params, Option<Value>)> {
    let s = |v: &dyn ToString| v.to_string();
    let (project, published, region) = (f.project.clone(), f.published.clone(), f.region.clone());
    vec![
        (
            "GET",
            "/api/procedure/templates/{id}",
            vec![("id", "1".to_owned())],
            None,
        ),
        (
            "PUT",
            "/api/procedure/calendar/{year}",
            vec![("year", "2027".to_owned())],
            Some(json!({ "days": [{ "day": "2027-01-01", "working": false, "name": "元旦" }] })),
        ),
        (
            "GET",
            "/api/buildings/{id}",
            vec![("id", s(&f.building))],
            None,
        ),
        (
            "GET",
            "/api/status/households/{id}",
            vec![("id", s(&f.household))],
            None,
        ),
        (
            "GET",
            "/api/figures/projects/{id}",
            vec![("id", s(&f.project_id))],
            None,
        ),
        (
            "GET",
            "/api/figures/regions/{code}",
            vec![("code", region.clone())],
            None,
        ),
        (
            "GET",
            "/api/regions/{code}",
            vec![("code", region.clone())],
            None,
        ),
        (
            "GET",
            "/api/regions/{code}/children",
            vec![("code", region)],
            None,
        ),
        ("GET", "/api/imports/{id}", vec![("id", "job".into())], None),
        (
            "GET",
            "/api/exports/projects/{code}/ledger.xlsx",
            vec![("code", project.clone())],
            None,
        ),
        (
            "GET",
            "/api/exports/projects/{code}/{file}",
            vec![
                ("code", project.clone()),
                ("file", "parcels.geojson".into()),
            ],
            None,
        ),
        (
            "GET",
            "/api/households/{id}",
            vec![("id", s(&f.household))],
            None,
        ),
        (
            "GET",
            "/api/households/{id}/agreement.docx",
            vec![("id", s(&f.household))],
            None,
        ),
        (
            "GET",
            "/api/attachments/{id}",
            vec![("id", "1".into())],
            None,
        ),
        (
            "GET",
            "/api/projects/{code}/compensation-standard",
            vec![("code", project.clone())],
            None,
        ),
        (
            "GET",
            "/api/projects/{code}/funds",
            vec![("code", project.clone())],
            None,
        ),
        (
            "GET",
            "/api/projects/{code}/groups",
            vec![("code", project.clone())],
            None,
        ),
        (
            "GET",
            "/api/projects/{code}/groups.xlsx",
            vec![("code", project.clone())],
            None,
        ),
        ("GET", "/api/batches/{id}", vec![("id", s(&f.batch))], None),
        (
            "GET",
            "/api/public/projects/{code}",
            vec![("code", published.clone())],
            None,
        ),
        (
            "GET",
            "/api/public/projects/{code}/lists/{list}",
            vec![("code", published), ("list", "signed".into())],
            None,
        ),
        (
            "GET",
            "/api/public/objections/{ticket}",
            vec![("ticket", f.ticket.clone())],
            None,
        ),
        (
            "GET",
            "/ogc/collections/{id}",
            vec![("id", "parcels".into())],
            None,
        ),
        (
            "GET",
            "/ogc/collections/{id}/items",
            vec![("id", "parcels".into())],
            None,
        ),
        (
            "GET",
            "/ogc/collections/{id}/items/{feature}",
            vec![("id", "buildings".into()), ("feature", s(&f.building))],
            None,
        ),
        (
            "GET",
            "/tiles/{file}",
            vec![("file", "buildings.json".into())],
            None,
        ),
        (
            "GET",
            "/api/projects/{code}/disclosures",
            vec![("code", project.clone())],
            None,
        ),
        (
            "GET",
            "/tiles/{layer}/{z}/{x}/{y}",
            vec![
                ("layer", "parcels".into()),
                ("z", "14".into()),
                ("x", "13000".into()),
                ("y", "6800.mvt".into()),
            ],
            None,
        ),
        (
            "POST",
            "/api/households/{id}/attachments",
            vec![("id", s(&f.household))],
            None,
        ),
        (
            "POST",
            "/api/households/{id}/compensation-override",
            vec![("id", s(&f.household))],
            Some(json!({ "yuan": 1000.0, "reason": "复核" })),
        ),
        (
            "PUT",
            "/api/projects/{code}/compensation-standard",
            vec![("code", project.clone())],
            Some(standard()),
        ),
        (
            "POST",
            "/api/projects/{code}/disclosures",
            vec![("code", project)],
            Some(json!({ "kind": "announcement", "title": "公告", "body": "正文" })),
        ),
        (
            "POST",
            "/api/batches/{id}/{step}",
            vec![("id", s(&f.batch)), ("step", "return".into())],
            Some(json!({ "reason": "退回" })),
        ),
        (
            "POST",
            "/api/objections/{id}/answer",
            vec![("id", s(&f.objection))],
            Some(json!({ "answer": "已复核" })),
        ),
        (
            "GET",
            "/api/petitions/{id}",
            vec![("id", s(&f.petition))],
            None,
        ),
        (
            "POST",
            "/api/petitions/{id}/link",
            vec![("id", s(&f.petition))],
            Some(json!({ "repeat_of": null })),
        ),
        (
            "GET",
            "/api/projects/{code}/approval-chain",
            vec![("code", f.project.clone())],
            None,
        ),
        (
            "PUT",
            "/api/projects/{code}/approval-chain",
            vec![("code", f.project.clone())],
            Some(chain()),
        ),
        (
            "PUT",
            "/api/offices/{username}",
            vec![("username", "sweeper".into())],
            Some(json!({ "offices": ["财务"] })),
        ),
        (
            "POST",
            "/api/users/{username}/unlock",
            vec![("username", "sweeper".into())],
            Some(json!({})),
        ),
        (
            "PUT",
            "/api/users/{username}",
            vec![("username", "sweeper".into())],
            Some(json!({ "role": "admin", "region_code": null })),
        ),
        (
            "POST",
            "/api/users/{username}/disable",
            vec![("username", "sweeper".into())],
            Some(json!({})),
        ),
        (
            "POST",
            "/api/users/{username}/enable",
            vec![("username", "sweeper".into())],
            Some(json!({})),
        ),
        (
            "POST",
            "/api/users/{username}/password",
            vec![("username", "sweeper".into())],
            Some(json!({ "password": "sweep-password-2026" })),
        ),
        (
            "POST",
            "/api/kiosk-tokens/{label}/rotate",
            vec![("label", "sweep-hall".into())],
            Some(json!({})),
        ),
        (
            "POST",
            "/api/kiosk-tokens/{label}/revoke",
            vec![("label", "sweep-hall".into())],
            Some(json!({})),
        ),
    ]
}

/// A valid two-step approval chain.
fn chain() -> Value {
    json!({ "steps": [
        { "key": "review", "name": "审核", "role": "operator", "office": null },
        { "key": "pay", "name": "支付", "role": "admin", "office": "财务" },
    ] })
}

fn standard() -> Value {
    json!({
        "rates": [{ "use": "residential", "legality": "legal", "yuan_per_m2": 8000.0 }],
        "relocation_yuan": 5000.0, "transition_yuan_per_m2_month": 12.0, "transition_months": 12,
        "incentives": [{ "until": "2026-06-30", "yuan": 20000.0 }], "agreement_template": null,
    })
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn hostile_path_values_are_refused_in_shape(pool: PgPool) {
    demo_city(&pool).await;
    let f = Fixture::load(&pool).await;
    let mut sweep = Sweep::new(&pool).await;
    // an empty segment is another route (an unknown one): `findings` covers those
    let values = url_texts(RANDOM_PER_FIELD);
    for (method, template, params, body) in path_routes(&f) {
        let anonymous = template.starts_with("/api/public/");
        let token = (!anonymous).then_some(f.admin.as_str());
        for (swept, _) in params.iter().enumerate() {
            for value in &values {
                let mut uri = template.to_owned();
                for (i, (name, valid)) in params.iter().enumerate() {
                    uri = uri.replace(
                        &format!("{{{name}}}"),
                        if i == swept { value } else { valid },
                    );
                }
                sweep
                    .send(
                        template,
                        method,
                        &uri,
                        token,
                        body.as_ref().map(Value::to_string),
                    )
                    .await;
            }
        }
    }
    sweep.assert_clean("path parameters");
}

/// `(method, path, a valid body, anonymous)` of every route that reads a JSON body.
#[allow(clippy::too_many_lines)] // a table: one entry per route, read down, not a procedure
fn json_routes(f: &Fixture) -> Vec<(&'static str, String, Value, bool)> {
    let (name, id_number, household_code) = f.holder.clone();
    vec![
        (
            "PUT",
            "/api/procedure/calendar/2027".into(),
            json!({ "days": [{ "day": "2027-01-01", "working": false, "name": "元旦" }] }),
            false,
        ),
        (
            "POST",
            "/api/login".into(),
            json!({ "username": "sweeper", "password": "not the password" }),
            true,
        ),
        (
            "POST",
            "/api/login".into(),
            json!({ "kiosk_token": "not the token" }),
            true,
        ),
        (
            "POST",
            "/api/status".into(),
            json!({ "changes": [{ "subject": "household", "id": f.household, "to": "signed", "version": f.household_version, "reason": "签约" }] }),
            false,
        ),
        (
            "POST",
            format!("/api/projects/{}/groups", f.project),
            json!({ "name": "第九工作组", "leader_id": null, "member_ids": [] }),
            false,
        ),
        (
            "POST",
            "/api/groups/unassign".into(),
            json!({ "households": [household_code.clone()] }),
            false,
        ),
        (
            "POST",
            "/api/status/send-back".into(),
            json!({ "event_id": f.event, "reason": "录入错误" }),
            false,
        ),
        (
            "POST",
            format!("/api/households/{}/compensation-override", f.household),
            json!({ "yuan": 123_456.78, "reason": "一事一议" }),
            false,
        ),
        (
            "PUT",
            format!("/api/projects/{}/compensation-standard", f.project),
            standard(),
            false,
        ),
        (
            "POST",
            format!("/api/projects/{}/allocations", f.project),
            json!({ "yuan": 1_000_000.0, "received_on": f.as_of, "note": "拨入" }),
            false,
        ),
        (
            "POST",
            format!("/api/projects/{}/batches", f.project),
            json!({ "note": "第一批", "payments": [{ "household_id": f.household, "yuan": 100.0, "idempotency_key": "sweep-key-0001" }] }),
            false,
        ),
        (
            "POST",
            format!("/api/projects/{}/disclosures", f.project),
            json!({ "kind": "announcement", "title": "公告", "body": "正文" }),
            false,
        ),
        (
            "POST",
            format!("/api/batches/{}/return", f.batch),
            json!({ "reason": "退回" }),
            false,
        ),
        (
            "POST",
            format!("/api/objections/{}/answer", f.objection),
            json!({ "answer": "已复核", "close": false }),
            false,
        ),
        (
            "POST",
            "/api/petitions".into(),
            json!({ "project": f.project, "channel": "hotline", "body": "热线来电", "category_id": 1,
                    "household_code": household_code, "petitioner_name": name, "petitioner_id_number": id_number,
                    "petitioner_phone": "13900000000", "received_at": "2026-11-02T09:30" }),
            false,
        ),
        (
            "POST",
            format!("/api/petitions/{}/accept", f.petition),
            json!({ "accept": false, "reason": "不属于信访事项", "category_id": 2 }),
            false,
        ),
        (
            "POST",
            format!("/api/petitions/{}/assign", f.petition),
            json!({ "office": "信访办" }),
            false,
        ),
        (
            "POST",
            format!("/api/petitions/{}/link", f.petition),
            json!({ "repeat_of": f.petition + 1 }),
            false,
        ),
        (
            "POST",
            "/api/petitions/categories".into(),
            json!({ "name": "环境影响", "retired": false, "position": 6 }),
            false,
        ),
        (
            "PUT",
            "/api/petitions/periods".into(),
            json!({ "periods": [{ "project": f.project, "channel": "box", "category_id": 1, "accept_n": 3, "accept_unit": "working_days",
                                  "handle_n": 10, "handle_unit": "working_days", "basis": "现场意见箱承诺" }] }),
            false,
        ),
        ("PUT", "/api/approval-chain".into(), chain(), false),
        (
            "PUT",
            format!("/api/projects/{}/approval-chain", f.project),
            chain(),
            false,
        ),
        (
            "PUT",
            "/api/offices/sweeper".into(),
            json!({ "offices": ["财务", "征收所"] }),
            false,
        ),
        // the admin's own account: a demotion of oneself is refused, so no sweep ends the session
        (
            "PUT",
            "/api/users/sweeper".into(),
            json!({ "role": "admin", "region_code": null }),
            false,
        ),
        (
            "POST",
            "/api/users".into(),
            json!({ "username": "sweep-new", "role": "viewer", "region_code": null, "password": "sweep-password-2026" }),
            false,
        ),
        (
            "POST",
            "/api/kiosk-tokens".into(),
            json!({ "label": "sweep-hall" }),
            false,
        ),
        (
            "POST",
            "/api/public/lookup".into(),
            json!({ "name": name, "id_number": id_number }),
            true,
        ),
        (
            "POST",
            "/api/public/objections".into(),
            json!({ "name": name, "id_number": id_number, "household_code": household_code, "body": "面积有误" }),
            true,
        ),
    ]
}

/// JSON pointers of every value inside `body`, containers included, the root excepted.
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(fields) => fields
            .iter()
            .map(|(k, v)| (format!("{at}/{k}"), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{at}/{i}"), v))
            .collect(),
        _ => Vec::new(),
    };
    for (pointer, child) in children {
        out.push(pointer.clone());
        pointers(child, &pointer, out);
    }
}

/// `body` with the value at `pointer` replaced by the raw JSON `literal` (which may be no valid
/// JSON value at all), or removed when `literal` is None.
fn with_literal(body: &Value, pointer: &str, literal: Option<&str>) -> String {
    const MARK: &str = "\u{2063}HOSTILE\u{2063}";
    let mut body = body.clone();
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer below the root");
    match (
        body.pointer_mut(parent).expect("the parent exists"),
        literal,
    ) {
        (Value::Object(fields), None) => {
            fields.remove(key);
        }
        (Value::Array(items), None) => {
            items.remove(key.parse::<usize>().expect("an index"));
        }
        (parent, Some(_)) => {
            let slot = if let Value::Array(items) = parent {
                &mut items[key.parse::<usize>().expect("an index")]
            } else {
                &mut parent[key]
            };
            *slot = Value::String(MARK.into());
        }
        _ => unreachable!("a pointer's parent is a container"),
    }
    let text = body.to_string();
    match literal {
        Some(literal) => text.replace(&format!("\"{MARK}\""), literal),
        None => text,
    }
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn hostile_json_fields_are_refused_in_shape_and_write_nothing(pool: PgPool) {
    demo_city(&pool).await;
    let f = Fixture::load(&pool).await;
    let mut sweep = Sweep::new(&pool).await;
    let literals = json_literals(RANDOM_PER_FIELD);
    for (method, path, body, anonymous) in json_routes(&f) {
        let token = (!anonymous).then_some(f.admin.as_str());
        let mut fields = Vec::new();
        pointers(&body, "", &mut fields);
        for pointer in &fields {
            sweep
                .send(
                    &path,
                    method,
                    &path,
                    token,
                    Some(with_literal(&body, pointer, None)),
                )
                .await;
            // a list or an object is swept with the other types only: its own fields get the rest
            let container = body
                .pointer(pointer)
                .is_some_and(|v| v.is_array() || v.is_object());
            let literals = if container {
                &literals[..TYPE_LITERALS]
            } else {
                &literals[..]
            };
            for literal in literals {
                sweep
                    .send(
                        &path,
                        method,
                        &path,
                        token,
                        Some(with_literal(&body, pointer, Some(literal))),
                    )
                    .await;
            }
        }
        // the whole body replaced, and an unknown field beside the known ones
        for literal in literals.iter().take(8) {
            sweep
                .send(&path, method, &path, token, Some(literal.clone()))
                .await;
        }
        let mut extra = body.clone();
        extra["\u{0}unknown"] = json!(1);
        sweep
            .send(&path, method, &path, token, Some(extra.to_string()))
            .await;
    }
    sweep.assert_clean("JSON fields");
}
