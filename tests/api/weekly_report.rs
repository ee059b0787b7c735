//! 一周一通报: the weekly report PDF (read back with poppler's pdftotext/pdfinfo), who may have
//! it, and the Monday schedule run twice at once keeping exactly one report per region.
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use onemap::households::files::FileStore;
use onemap::reports::weekly::store::scheduled_step;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::helpers::{demo_city, get, send, session, state};

const WEEK: &str = "2026-11-16";

/// The district with the most projects: (code, name).
async fn busiest_district(pool: &PgPool) -> (String, String) {
    sqlx::query_as(
        "SELECT d.code, d.name FROM regions d JOIN regions r ON d.id = ANY (r.lineage) JOIN projects p ON p.region_id = r.id
          WHERE d.level = 'district' GROUP BY d.code, d.name ORDER BY count(*) DESC, d.code LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("a district with projects")
}

/// Runs a poppler tool on the PDF and returns what it printed.
fn poppler(tool: &str, pdf: &[u8], args: &[&str]) -> String {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), pdf).expect("write the PDF");
    let out = std::process::Command::new(tool)
        .args(args)
        .arg(file.path())
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs (scripts/test installs poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn grouped(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn weekly_report_pdf_holds_the_regions_figures_and_rankings(pool: PgPool) {
    demo_city(&pool).await;
    let (code, name) = busiest_district(&pool).await;
    let started = std::time::Instant::now();
    let (response, pdf) = get(
        &pool,
        &format!("/api/reports/weekly/{code}.pdf?week={WEEK}"),
        &[],
    )
    .await;
    let took = started.elapsed();
    assert_eq!(response.status(), 200, "{}", String::from_utf8_lossy(&pdf));
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("ASCII");
    // RFC 6266: the Chinese name in filename*, percent-encoded UTF-8
    let encoded = disposition
        .split("filename*=UTF-8''")
        .nth(1)
        .expect("a filename*");
    let mut bytes = Vec::new();
    let mut rest = encoded.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            bytes.push(
                u8::from_str_radix(std::str::from_utf8(&tail[..2]).expect("hex"), 16).expect("hex"),
            );
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    assert_eq!(
        String::from_utf8(bytes).expect("UTF-8"),
        format!("{name}一周一通报_{WEEK}.pdf")
    );
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    // the font is subsetted: the whole Noto Sans CJK face would be megabytes
    assert!(
        (10_000..400_000).contains(&pdf.len()),
        "{} bytes",
        pdf.len()
    );
    eprintln!(
        "district {code}: {} bytes in {took:?} (debug build)",
        pdf.len()
    );
    let info = poppler("pdfinfo", &pdf, &[]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("a page count")
        .trim()
        .parse()
        .expect("a number");
    assert!(pages >= 1, "{info}");
    assert!(info.contains("A4"), "{info}");
    let text = poppler("pdftotext", &pdf, &["-layout"]);
    assert!(
        text.contains(&format!("{name}征地拆迁一周一通报")),
        "{text}"
    );
    assert!(
        text.contains("2026年11月16日（周一）至 2026年11月22日（周日）"),
        "{text}"
    );
    let squeezed: String = text.split_whitespace().collect();
    assert!(squeezed.contains(&format!("第1页/共{pages}页")), "{text}");

    // a figure: the signed households at the week's end, as the figures API gives them
    let (_, body) = get(
        &pool,
        &format!("/api/figures/regions/{code}?as_of=2026-11-22"),
        &[],
    )
    .await;
    let figures: Value = serde_json::from_slice(&body).expect("JSON");
    let signed = figures["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|f| f["key"] == "signed")
        .expect("signed")["value"]
        .as_i64()
        .expect("a count");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("签约户数（户）"))
        .expect("the signed line");
    assert!(
        line.split_whitespace().nth(1) == Some(grouped(signed).as_str()),
        "{line} vs {signed}"
    );

    // a ranking row: the district's first project by the week's signed gain, and its gain
    let projects: Vec<i64> = sqlx::query_scalar(
        "SELECT p.id FROM projects p JOIN regions r ON r.id = p.region_id WHERE (SELECT id FROM regions WHERE code = $1) = ANY (r.lineage)",
    )
    .bind(&code)
    .fetch_all(&pool)
    .await
    .expect("projects");
    let (_, body) = get(
        &pool,
        &format!("/api/rankings?level=project&from={WEEK}&to=2026-11-22"),
        &[],
    )
    .await;
    let ranking: Value = serde_json::from_slice(&body).expect("JSON");
    let top = ranking["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"].as_i64().is_some_and(|id| projects.contains(&id)))
        .expect("a ranked project in the district");
    let top_name = top["name"].as_str().expect("a name");
    let row = text
        .lines()
        .find(|l| l.contains(top_name))
        .unwrap_or_else(|| panic!("{top_name} is not in\n{text}"));
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[0], "1", "{row}");
    assert!(
        cells.contains(&grouped(top["gain_signed"].as_i64().expect("gain")).as_str()),
        "{row} vs {top}"
    );

    // a week that does not start on Monday is refused, naming the field
    let (response, body) = get(
        &pool,
        &format!("/api/reports/weekly/{code}.pdf?week=2026-11-17"),
        &[],
    )
    .await;
    assert_eq!(response.status(), 400);
    assert!(String::from_utf8_lossy(&body).contains("week: 2026-11-17 is a Tue"));
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn weekly_report_refuses_an_operator_outside_the_region(pool: PgPool) {
    demo_city(&pool).await;
    let (district, _) = busiest_district(&pool).await;
    let (city, other): (String, Option<String>) = sqlx::query_as(
        "SELECT (SELECT code FROM regions WHERE id = d.lineage[1]),
                (SELECT code FROM regions WHERE level = 'district' AND code <> d.code ORDER BY code LIMIT 1)
           FROM regions d WHERE d.code = $1",
    )
    .bind(&district)
    .fetch_one(&pool)
    .await
    .expect("the city");
    let token = session(&pool, "op", "operator", Some(&district)).await;
    let auth = format!("Bearer {token}");
    let state = state(&pool).await;
    let ask = |code: String| {
        let (state, auth) = (state.clone(), auth.clone());
        async move {
            let uri = format!("/api/reports/weekly/{code}.pdf?week={WEEK}");
            send(
                &state,
                Request::get(uri),
                &[("authorization", &auth)],
                Body::empty(),
            )
            .await
            .0
            .status()
            .as_u16()
        }
    };
    assert_eq!(
        ask(city).await,
        403,
        "the city above the operator's district"
    );
    if let Some(other) = other {
        assert_eq!(ask(other).await, 403, "a district beside the operator's");
    }
    assert_eq!(ask(district).await, 200, "the operator's own district");
    assert_eq!(ask("999999".into()).await, 404);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn weekly_schedule_run_twice_at_once_keeps_one_report_per_region(pool: PgPool) {
    demo_city(&pool).await;
    let dir = tempfile::tempdir().expect("dir");
    // two instances sharing the database and the file store
    let mut first = state(&pool).await;
    let mut second = state(&pool).await;
    first.files = Arc::new(FileStore::new(dir.path()));
    second.files = Arc::new(FileStore::new(dir.path()));
    // Monday 2026-11-23, 07:05 Beijing: the week of 2026-11-16 is due
    let now = "2026-11-22T23:05:00Z".parse().expect("a time");
    let started = std::time::Instant::now();
    let (a, b) = tokio::join!(
        scheduled_step(&first.pool, &first.files, &first.weekly, now),
        scheduled_step(&second.pool, &second.files, &second.weekly, now),
    );
    let made = a.expect("first instance") + b.expect("second instance");
    eprintln!(
        "{made} reports in {:?} (debug build, two instances)",
        started.elapsed()
    );
    let regions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM regions WHERE level IN ('city', 'district')")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(made as i64, regions, "each region's report made once");
    let kept: Vec<(String, String, i32)> = sqlx::query_as(
        "SELECT r.code, w.sha256, w.bytes FROM weekly_reports w JOIN regions r ON r.id = w.region_id WHERE w.week = $1 ORDER BY r.code",
    )
    .bind(chrono::NaiveDate::from_ymd_opt(2026, 11, 16))
    .fetch_all(&pool)
    .await
    .expect("kept rows");
    assert_eq!(kept.len() as i64, regions);
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM weekly_reports")
            .fetch_one(&pool)
            .await
            .expect("count"),
        regions
    );
    // a later step the same week finds nothing to do
    assert_eq!(
        scheduled_step(&first.pool, &first.files, &first.weekly, now)
            .await
            .expect("again"),
        0
    );

    // an on-demand request for the kept week is answered with the kept file
    let (code, sha256, bytes) = &kept[0];
    let token = session(&pool, "boss", "admin", None).await;
    let auth = format!("Bearer {token}");
    let uri = format!("/api/reports/weekly/{code}.pdf?week={WEEK}");
    let (response, pdf) = send(
        &first,
        Request::get(uri),
        &[("authorization", &auth)],
        Body::empty(),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(pdf.len(), *bytes as usize);
    assert_eq!(&onemap::hex::encode(&Sha256::digest(&pdf)), sha256);

    // the list names the kept reports, and only those of regions the reader may read
    let (district, _) = busiest_district(&pool).await;
    let operator = format!(
        "Bearer {}",
        session(&pool, "op2", "operator", Some(&district)).await
    );
    for (auth, expected) in [(&auth, kept.len()), (&operator, 1)] {
        let (response, body) = send(
            &first,
            Request::get("/api/reports/weekly"),
            &[("authorization", auth)],
            Body::empty(),
        )
        .await;
        assert_eq!(response.status(), 200);
        let list: Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(list.as_array().expect("a list").len(), expected, "{list}");
        assert_eq!(list[0]["week"], WEEK);
    }
}
