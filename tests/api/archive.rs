//! Close-out and archive: settle/archive refusals, an archived project refusing writes, the
//! archive export (byte for byte reproducible) and its import into a fresh database.
use std::io::{Read, Write};

use axum::body::Body;
use axum::http::Request;
use onemap::archive::{export, import};
use onemap::households::files::FileStore;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{demo_city, post_json, send, session, state};

/// The demo project with agreements, paid batches and statuses at every stage (seed 42).
const PROJECT: &str = "330602-2025-0004";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n archive test scan";
const PDF: &[u8] = b"%PDF-1.4 archive test announcement";

/// A fresh, migrated database beside the test's own (dropped by the caller).
pub(crate) async fn fresh_database(pool: &PgPool, suffix: &str) -> (PgPool, String) {
    let options = pool.connect_options();
    // its own short name: the test's database name is at PostgreSQL's limit already
    let name = format!(
        "onemap_archive_{suffix}_{}_{}",
        std::process::id(),
        rand_suffix()
    );
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(pool)
        .await
        .expect("drop");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(pool)
        .await
        .expect("create");
    let fresh = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect_with((*options).clone().database(&name))
        .await
        .expect("connect to the fresh database");
    onemap::db::migrate(&fresh).await.expect("migrate");
    let here: (String, i64) =
        sqlx::query_as("SELECT current_database()::text, (SELECT count(*) FROM projects)")
            .fetch_one(&fresh)
            .await
            .expect("where");
    assert_eq!(here, (name.clone(), 0), "a fresh, empty database");
    (fresh, name)
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

pub(crate) async fn drop_database(pool: &PgPool, fresh: PgPool, name: &str) {
    fresh.close().await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(pool)
        .await
        .expect("drop");
}

/// Step history, a step document, a household attachment, an override and audit lines: the
/// things the demo city lacks, written as the service would.
async fn arrange_history(pool: &PgPool, files: &FileStore) {
    let admin: i32 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'boss'")
        .fetch_one(pool)
        .await
        .expect("admin");
    let png = files.put(PNG).await.expect("store");
    let pdf = files.put(PDF).await.expect("store");
    sqlx::query(
        "WITH p AS (SELECT id FROM projects WHERE code = $1),
              s AS (UPDATE project_steps SET state = 'done', actual_start = '2025-03-01', actual_end = '2025-03-10',
                           responsible = $2, note = '已完成', updated_by = $2
                     WHERE project_id = (SELECT id FROM p) AND key = (SELECT key FROM project_steps WHERE project_id = (SELECT id FROM p) ORDER BY key LIMIT 1)
                    RETURNING project_id, key)
         INSERT INTO step_events (project_id, key, from_state, to_state, actual_start, actual_end, user_id)
         SELECT project_id, key, 'not_started', 'done', '2025-03-01', '2025-03-10', $2 FROM s",
    )
    .bind(PROJECT)
    .bind(admin)
    .execute(pool)
    .await
    .expect("a step done");
    sqlx::query(
        "INSERT INTO step_documents (project_id, key, sha256, size_bytes, content_type, file_name, public, uploaded_by)
         SELECT project_id, key, $2, $3, 'application/pdf', '征收决定公告.pdf', true, $4 FROM step_events
          WHERE project_id = (SELECT id FROM projects WHERE code = $1)",
    )
    .bind(PROJECT)
    .bind(&pdf)
    .bind(PDF.len() as i64)
    .bind(admin)
    .execute(pool)
    .await
    .expect("a step document");
    sqlx::query(
        "INSERT INTO attachments (household_id, kind, sha256, size_bytes, content_type, file_name, uploaded_by)
         SELECT h.id, 'id_card', $2, $3, 'image/png', '身份证.png', $4 FROM households h JOIN buildings b ON b.id = h.building_id
          WHERE b.project_id = (SELECT id FROM projects WHERE code = $1) ORDER BY h.id LIMIT 3",
    )
    .bind(PROJECT)
    .bind(&png)
    .bind(PNG.len() as i64)
    .bind(admin)
    .execute(pool)
    .await
    .expect("attachments");
    // the gates' records: an override granted and a compensation decision made, then revoked
    sqlx::query(
        "INSERT INTO gate_overrides (project_id, gate, action, reason, user_id)
         SELECT id, 'demolition', 'grant', '应急抢险，先行拆除危房', $2 FROM projects WHERE code = $1",
    )
    .bind(PROJECT)
    .bind(admin)
    .execute(pool)
    .await
    .expect("a gate override");
    sqlx::query(
        "INSERT INTO compensation_decisions (household_id, decided_on, document_no, user_id, revoked_at, revoked_by, revoke_reason)
         SELECT min(h.id), '2025-06-01', '测征补决字〔2025〕第1号', $2, '2025-06-05', $2, '已协商签约，撤销决定'
           FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = (SELECT id FROM projects WHERE code = $1)",
    )
    .bind(PROJECT)
    .bind(admin)
    .execute(pool)
    .await
    .expect("a compensation decision");
    sqlx::query(
        "INSERT INTO audit_log (user_id, action, subject, detail) VALUES ($2, 'allocation', 'project ' || $1, '{\"yuan\": 1}'),
                ($2, 'attachment_uploaded', 'household ' || (SELECT min(h.id) FROM households h JOIN buildings b ON b.id = h.building_id
                   WHERE b.project_id = (SELECT id FROM projects WHERE code = $1)), '{}')",
    )
    .bind(PROJECT)
    .bind(admin)
    .execute(pool)
    .await
    .expect("audit lines");
}

/// The lines of one archive member, as JSON.
fn lines_of(inside: &[(String, Vec<u8>)], name: &str) -> Vec<Value> {
    let bytes = &inside
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .1;
    bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("a JSON line"))
        .collect()
}

/// The project's 疑难个案 (with events, conferences, outcomes) and all its petitions (every
/// channel, with replies and timeliness) are in the archive; no petitioner's phone is.
async fn cases_and_petitions_travel(pool: &PgPool, inside: &[(String, Vec<u8>)]) {
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(PROJECT)
            .fetch_one(pool)
            .await
            .expect(sql)
    };
    let cases = count(
        "SELECT count(*) FROM cases WHERE project_id = (SELECT id FROM projects WHERE code = $1)",
    )
    .await;
    let events = count(
        "SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id
                        WHERE c.project_id = (SELECT id FROM projects WHERE code = $1)",
    )
    .await;
    let conferences = count(
        "SELECT count(*) FROM case_conferences f JOIN cases c ON c.id = f.case_id
                             WHERE c.project_id = (SELECT id FROM projects WHERE code = $1)",
    )
    .await;
    let petitions = count("SELECT count(*) FROM petitions WHERE project_id = (SELECT id FROM projects WHERE code = $1)").await;
    let replies = count(
        "SELECT count(*) FROM petition_replies r JOIN petitions p ON p.id = r.petition_id
                         WHERE p.project_id = (SELECT id FROM projects WHERE code = $1)",
    )
    .await;
    assert!(
        cases > 0 && conferences > 0 && petitions > 0 && replies > 0,
        "the demo's project has cases and petitions"
    );
    let case_rows = lines_of(inside, "data/cases.jsonl");
    assert_eq!(case_rows.len() as i64, cases, "every case of the project");
    assert!(
        case_rows.iter().any(|c| c["outcome"].is_string()),
        "closed cases with their outcome"
    );
    assert_eq!(
        lines_of(inside, "data/case_events.jsonl").len() as i64,
        events,
        "every case event"
    );
    let conference_rows = lines_of(inside, "data/case_conferences.jsonl");
    assert_eq!(conference_rows.len() as i64, conferences, "every 研判");
    assert!(conference_rows.iter().all(|c| c["decision"].is_string()));
    let petition_rows = lines_of(inside, "data/petitions.jsonl");
    assert_eq!(
        petition_rows.len() as i64,
        petitions,
        "every petition of the project"
    );
    let channels: std::collections::BTreeSet<&str> = petition_rows
        .iter()
        .filter_map(|p| p["channel"].as_str())
        .collect();
    assert!(
        channels.len() >= 3,
        "petitions of every channel, not only objections: {channels:?}"
    );
    assert!(
        petition_rows
            .iter()
            .all(|p| p.get("petitioner_phone").is_none()),
        "no petitioner's phone in the archive"
    );
    assert_eq!(
        lines_of(inside, "data/petition_replies.jsonl").len() as i64,
        replies,
        "every reply"
    );
    let ledger: Value = serde_json::from_slice(
        &inside
            .iter()
            .find(|(n, _)| n == "ledger/信访.json")
            .expect("信访 ledger")
            .1,
    )
    .expect("JSON");
    let ledger = ledger.as_array().expect("a list");
    assert_eq!(ledger.len() as i64, petitions);
    assert!(
        ledger.iter().all(|p| ["on_time", "late", "open", "overdue"]
            .contains(&p["timeliness"].as_str().unwrap_or("?"))),
        "each petition's timeliness"
    );
    assert!(ledger
        .iter()
        .all(|p| p.get("petitioner_name").is_none() && p["replies"].is_array()));
}

async fn download(app: &onemap::AppState, token: &str) -> (u16, Vec<u8>) {
    let bearer = format!("Bearer {token}");
    let (response, bytes) = send(
        app,
        Request::get(format!("/api/projects/{PROJECT}/archive.zip")),
        &[("authorization", &bearer)],
        Body::empty(),
    )
    .await;
    (response.status().as_u16(), bytes)
}

/// Every member of a zip: name → bytes, in the zip's order.
fn members(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).expect("member");
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).expect("read");
            (f.name().to_owned(), bytes)
        })
        .collect()
}

/// The figures to compare across databases, by code (ids of regions may differ).
async fn figures(pool: &PgPool) -> Value {
    sqlx::query_scalar(
        "SELECT jsonb_build_object(
           'project', (SELECT to_jsonb(f) - 'project_id' FROM project_figures f JOIN projects p ON p.id = f.project_id WHERE p.code = $1),
           'regions', (SELECT jsonb_object_agg(r.code, to_jsonb(f) - 'region_id') FROM region_figures f JOIN regions r ON r.id = f.region_id
                        WHERE r.id IN (SELECT unnest(lineage) FROM regions WHERE id = (SELECT region_id FROM projects WHERE code = $1))),
           'daily', (SELECT jsonb_agg(to_jsonb(d) - 'project_id' ORDER BY d.day) FROM daily_figures d JOIN projects p ON p.id = d.project_id
                      WHERE p.code = $1),
           'funds', (SELECT to_jsonb(f) - 'project_id' FROM project_funds f JOIN projects p ON p.id = f.project_id WHERE p.code = $1),
           'geometry', (SELECT md5(string_agg(ST_AsEWKB(b.geom)::text, ',' ORDER BY b.id)) FROM buildings b JOIN projects p ON p.id = b.project_id
                        WHERE p.code = $1))",
    )
    .bind(PROJECT)
    .fetch_one(pool)
    .await
    .expect("figures")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn archive_round_trip_restores_the_project(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "boss", "admin", None).await;
    let viewer = session(&pool, "looker", "viewer", None).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = state(&pool).await;
    app.files = std::sync::Arc::new(FileStore::new(dir.path()));
    arrange_history(&pool, &app.files).await;

    // personal data: admins only
    assert_eq!(download(&app, &viewer).await.0, 403);
    let (status, first) = download(&app, &admin).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&first));
    let (_, second) = download(&app, &admin).await;
    assert!(first == second, "two exports of the same data differ");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'project_archive_exported'",
    )
    .fetch_one(&pool)
    .await
    .expect("audit");
    assert_eq!(audited, 2, "each download is audited");

    // sorted entries, manifest last, every file listed with its hash
    let inside = members(&first);
    let names: Vec<&str> = inside.iter().map(|(n, _)| n.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "entries in path order");
    assert_eq!(names.last(), Some(&"manifest.json"));
    for expected in [
        "ledger/台账.xlsx",
        "ledger/程序台账.json",
        "ledger/程序台账.xlsx",
        "data/households.jsonl",
        "data/audit_log.jsonl",
    ] {
        assert!(names.contains(&expected), "{expected} missing: {names:?}");
    }
    assert!(names
        .iter()
        .any(|n| n.starts_with("agreements/") && n.contains("-H")));
    cases_and_petitions_travel(&pool, &inside).await;
    let manifest: Value =
        serde_json::from_slice(&inside.last().expect("manifest").1).expect("manifest JSON");
    assert_eq!(
        manifest["files"].as_array().map(Vec::len),
        Some(names.len() - 1)
    );
    let audit_lines = &inside
        .iter()
        .find(|(n, _)| n == "data/audit_log.jsonl")
        .expect("audit")
        .1;
    assert!(
        audit_lines
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count()
            >= 2,
        "the project's audit lines travel"
    );

    // import into a fresh onemap
    let zip_path = dir.path().join("archive.zip");
    std::fs::File::create(&zip_path)
        .and_then(|mut f| f.write_all(&first))
        .expect("write zip");
    let (fresh, name) = fresh_database(&pool, "restored").await;
    let restored_dir = tempfile::tempdir().expect("temp dir");
    let restored_files = FileStore::new(restored_dir.path());
    let restored = import::import(&fresh, &restored_files, &zip_path)
        .await
        .expect("import");
    assert_eq!(restored.project, PROJECT);
    assert_eq!(
        restored.files, 2,
        "one scan and one announcement, stored once each"
    );

    assert_eq!(
        figures(&pool).await["project"],
        figures(&fresh).await["project"]
    );
    let (before, after) = (figures(&pool).await, figures(&fresh).await);
    for key in ["project", "daily", "funds", "geometry"] {
        assert_eq!(
            before[key], after[key],
            "{key} figures differ after the round trip"
        );
    }
    // the restored regions hold this one project: their figures are its figures
    let regions = after["regions"].as_object().expect("regions");
    assert_eq!(
        regions.len(),
        before["regions"]
            .as_object()
            .map_or(0, serde_json::Map::len)
    );
    for (code, region) in regions {
        assert_eq!(region["projects"], 1, "{code}");
        for key in [
            "households",
            "signed",
            "vacated",
            "demolished",
            "monetary",
            "difficult",
            "land_delivered_m2",
        ] {
            assert_eq!(region[key], after["project"][key], "region {code}: {key}");
        }
    }
    assert!(
        onemap::figures::verify(&fresh)
            .await
            .expect("verify")
            .is_empty(),
        "onemap verify finds differences"
    );
    for table in ["gate_overrides", "compensation_decisions"] {
        let rows = |p: &PgPool| {
            let column = if table == "gate_overrides" {
                "reason"
            } else {
                "document_no"
            };
            let sql = format!("SELECT coalesce(json_agg(json_build_array(id, {column}) ORDER BY id), '[]')::text FROM {table}");
            let p = p.clone();
            async move {
                sqlx::query_scalar::<_, String>(&sql)
                    .fetch_one(&p)
                    .await
                    .expect("rows")
            }
        };
        let (was, is) = (rows(&pool).await, rows(&fresh).await);
        assert!(was.len() > 2, "{table}: the arranged row exists");
        assert_eq!(was, is, "{table} travels with the project");
    }
    // 选房: the units chosen, the swap money the agreements were settled with, the estates drawn on
    let selection = |p: &PgPool| {
        let p = p.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT json_build_array(
                   (SELECT json_agg(json_build_array(s.household_id, s.day_id, s.chosen_area, s.swap_yuan) ORDER BY s.household_id)
                      FROM swap_settlements s JOIN selection_days d ON d.id = s.day_id JOIN projects p ON p.id = d.project_id
                     WHERE p.code = $1),
                   (SELECT json_agg(json_build_array(c.id, c.household_id, c.state, u.room, u.status, u.household_id) ORDER BY c.id)
                      FROM selection_choices c JOIN estate_units u ON u.id = c.unit_id JOIN selection_days d ON d.id = c.day_id
                      JOIN projects p ON p.id = d.project_id WHERE p.code = $1),
                   (SELECT json_agg(json_build_array(e.code, r.code) ORDER BY e.code) FROM estates e JOIN regions r ON r.id = e.region_id
                     WHERE e.id IN (SELECT estate_id FROM project_estates pe JOIN projects p ON p.id = pe.project_id WHERE p.code = $1)))::text",
            )
            .bind(PROJECT)
            .fetch_one(&p)
            .await
            .expect("selection")
        }
    };
    let (was, is) = (selection(&pool).await, selection(&fresh).await);
    assert!(
        !was.starts_with("[null"),
        "the arranged project settled swap money: {was}"
    );
    assert_eq!(was, is, "the selection travels with the project");
    let funds: i64 = sqlx::query_scalar("SELECT count(*) FROM fund_differences()")
        .fetch_one(&fresh)
        .await
        .expect("funds");
    assert_eq!(funds, 0, "fund checks find differences");
    for content in [PNG, PDF] {
        let hash = onemap::hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(content));
        let copy =
            std::fs::read(restored_files.path(&hash)).expect("the attachment is in the new store");
        assert!(copy == content, "attachment {hash} differs");
    }
    let people: Option<(String, bool)> = sqlx::query_as(
        "SELECT username, disabled_at IS NOT NULL FROM users WHERE username = 'boss'",
    )
    .fetch_optional(&fresh)
    .await
    .expect("users");
    assert_eq!(
        people,
        Some(("boss".into(), true)),
        "the history's people come along, unable to log in"
    );

    // the restored project exports the same data
    let again_dir = FileStore::new(restored_dir.path());
    let (again, _) = export::export(
        &fresh,
        &again_dir,
        PROJECT,
        std::io::Cursor::new(Vec::new()),
    )
    .await
    .expect("export again");
    let again = members(&again.into_inner());
    let differing: Vec<&str> = inside
        .iter()
        .zip(&again)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.as_str())
        .collect();
    assert_eq!(inside.len(), again.len());
    // the receiving onemap's own template and chain rows (made by its migrations) differ in
    // their creation time, the people of the history are disabled there, and the manifest
    // differs with them; every row of the project itself is the same
    assert_eq!(
        differing,
        [
            "data/approval_chains.jsonl",
            "data/procedure_templates.jsonl",
            "data/users.jsonl",
            "manifest.json"
        ],
        "files that differ after the round trip"
    );
    drop_database(&pool, fresh, &name).await;
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn archive_tampered_or_into_a_full_onemap_is_refused(pool: PgPool) {
    demo_city(&pool).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let files = FileStore::new(dir.path());
    let (zip, _) = export::export(&pool, &files, PROJECT, std::io::Cursor::new(Vec::new()))
        .await
        .expect("export");
    let zip = zip.into_inner();

    // one byte of one file changed, the zip otherwise well-formed
    let mut tampered = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, mut bytes) in members(&zip) {
        if name == "data/households.jsonl" {
            let at = bytes.iter().position(|b| *b == b'1').expect("a digit");
            bytes[at] = b'2';
        }
        tampered
            .start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        tampered.write_all(&bytes).expect("write");
    }
    let tampered = tampered.finish().expect("finish").into_inner();
    let path = dir.path().join("tampered.zip");
    std::fs::write(&path, &tampered).expect("write");
    let (fresh, name) = fresh_database(&pool, "tampered").await;
    let refused = import::import(&fresh, &FileStore::new(dir.path().join("store")), &path)
        .await
        .expect_err("refused");
    let message = format!("{refused:#}");
    assert!(
        message.contains("data/households.jsonl") && message.contains("does not match"),
        "{message}"
    );
    let projects: i64 = sqlx::query_scalar("SELECT count(*) FROM projects")
        .fetch_one(&fresh)
        .await
        .expect("count");
    assert_eq!(projects, 0, "nothing was imported");

    // the untouched archive goes into the empty onemap, but not into one holding projects
    let good = dir.path().join("good.zip");
    std::fs::write(&good, &zip).expect("write");
    let refused = import::import(&pool, &files, &good)
        .await
        .expect_err("refused");
    assert!(
        format!("{refused:#}").contains("empty onemap"),
        "{refused:#}"
    );
    import::import(&fresh, &FileStore::new(dir.path().join("store")), &good)
        .await
        .expect("import");
    drop_database(&pool, fresh, &name).await;
}

/// Brings project `code` to its end state as finished history (triggers paused, as the demo
/// loader writes it): every step done, households demolished, land delivered, all paid.
async fn finish(pool: &PgPool, code: &str) {
    let mut tx = pool.begin().await.expect("tx");
    // no parameter for SET: a bound argument on a statement without one relies on the declared
    // type (a CI run saw "bind message supplies 1 parameters, but … requires 0" here)
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .expect("pause the triggers");
    for sql in [
        "UPDATE project_steps SET state = 'done', actual_start = '2026-09-01', actual_end = '2026-10-01' WHERE \
            project_id = (SELECT id FROM projects WHERE code = $1)",
        "UPDATE households SET status = 'demolished' WHERE building_id IN (SELECT id FROM buildings WHERE \
            project_id = (SELECT id FROM projects WHERE code = $1))",
        "UPDATE parcels SET land_status = 'delivered' WHERE project_id = (SELECT id FROM projects WHERE code = $1)",
        "UPDATE payment_batches SET status = 'paid' WHERE project_id = (SELECT id FROM projects WHERE code = $1)",
        "UPDATE agreements SET paid_yuan = yuan, committed_yuan = yuan WHERE project_id = (SELECT id FROM projects WHERE code = $1)",
        "UPDATE objections SET status = 'answered', answer = '已答复', answered_at = now() WHERE status = 'open' AND \
            household_id IN (SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id
           WHERE b.project_id = (SELECT id FROM projects WHERE code = $1))",
    ] {
        sqlx::query(sql).bind(code).execute(&mut *tx).await.expect(sql);
    }
    tx.commit().await.expect("commit");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn archive_settle_refusals_and_an_archived_project_refuses_writes(pool: PgPool) {
    demo_city(&pool).await;
    let admin = session(&pool, "boss", "admin", None).await;
    let viewer = session(&pool, "looker", "viewer", None).await;
    let app = state(&pool).await;
    let settle = format!("/api/projects/{PROJECT}/settle");
    let archive = format!("/api/projects/{PROJECT}/archive");

    assert_eq!(
        post_json(&app, &settle, Some(&viewer), "{}").await.0,
        403,
        "admins only"
    );
    let (status, refused) = post_json(&app, &settle, Some(&admin), "{}").await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (409, Some("project_open")),
        "{refused}"
    );
    let open = refused["values"]["open"].as_str().unwrap_or_default();
    assert!(
        open.contains("程序步骤未完成") && open.contains("户未拆除"),
        "{open}"
    );
    let (status, refused) = post_json(&app, &archive, Some(&admin), "{}").await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (409, Some("project_not_settled")),
        "{refused}"
    );

    finish(&pool, PROJECT).await;
    let (status, settled) = post_json(&app, &settle, Some(&admin), "{}").await;
    assert_eq!(status, 200, "{settled}");
    assert_eq!(settled["open"], json!([]));
    let (status, archived) = post_json(&app, &archive, Some(&admin), "{}").await;
    assert_eq!(status, 200, "{archived}");
    assert_eq!(archived["archived_by"], "boss");
    let audit: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = $1 ORDER BY id")
            .bind(format!("project {PROJECT}"))
            .fetch_all(&pool)
            .await
            .expect("audit");
    assert_eq!(audit, ["project_settled", "project_archived"]);

    // writes through the API and straight to the tables (as the service's role) are refused
    let count = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT (SELECT count(*) FROM status_events) + (SELECT count(*) FROM fund_allocations) + (SELECT count(*) FROM step_events)",
        )
        .fetch_one(&pool)
        .await
        .expect("count")
    };
    let before = count().await;
    let allocate = format!("/api/projects/{PROJECT}/allocations");
    let (status, refused) = post_json(
        &app,
        &allocate,
        Some(&admin),
        r#"{"yuan": 1000.0, "received_on": "2026-11-20"}"#,
    )
    .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (409, Some("project_archived")),
        "{refused}"
    );
    assert_eq!(refused["values"]["project"], PROJECT);
    let parcel: (i64, i32) = sqlx::query_as("SELECT id, version FROM parcels WHERE project_id = (SELECT id FROM projects WHERE code = $1) LIMIT 1")
        .bind(PROJECT)
        .fetch_one(&pool)
        .await
        .expect("parcel");
    let body = json!({ "changes": [{ "subject": "parcel", "id": parcel.0, "to": "cleared", "version": parcel.1, "reason": "归档后" }] }).to_string();
    let (status, refused) = post_json(&app, "/api/status", Some(&admin), &body).await;
    assert!(status == 409, "{status} {refused}");
    let service = crate::helpers::role_pool(&pool, "app").await;
    for sql in [
        "UPDATE project_steps SET note = 'x' WHERE project_id = (SELECT id FROM projects WHERE code = $1)",
        "UPDATE households SET members = members + 1 WHERE building_id IN (SELECT id FROM buildings WHERE \
            project_id = (SELECT id FROM projects WHERE code = $1))",
        "UPDATE projects SET published = NOT published WHERE code = $1",
        "DELETE FROM compensation_rates WHERE project_id = (SELECT id FROM projects WHERE code = $1)",
    ] {
        let error = sqlx::query(sql).bind(PROJECT).execute(&service).await.expect_err(sql);
        let rule = error.as_database_error().and_then(|d| d.constraint().map(str::to_owned));
        assert_eq!(rule.as_deref(), Some("project_archived"), "{sql}: {error}");
    }
    assert_eq!(
        count().await,
        before,
        "an archived project's writes write nothing"
    );
    // other projects still take writes
    let other = "430702-2026-0002";
    let (status, _) = post_json(
        &app,
        &format!("/api/projects/{other}/allocations"),
        Some(&admin),
        r#"{"yuan": 1000.0, "received_on": "2026-11-20"}"#,
    )
    .await;
    assert!(status < 300, "{status}");
}
