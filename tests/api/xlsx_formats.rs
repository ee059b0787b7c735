//! Exports Excel users trust (issue 17, defect 7): every XLSX the service writes is reopened
//! (its XML read straight from the zip) and checked cell by cell: rates as percentages, counts
//! as integers, measures with two decimals and a unit in the header, days as dates; a frozen,
//! filterable header row; columns as wide as their headers.
use std::collections::HashMap;
use std::io::Read;

use axum::body::Body;
use axum::http::Request;
use sqlx::PgPool;

use crate::helpers::{demo_city, send, session, state};

/// One cell as the sheet holds it: its number format and its value (shared strings resolved).
#[derive(Debug)]
struct XCell {
    format: String,
    value: String,
    is_text: bool,
}

struct Sheet {
    headers: Vec<String>,
    /// Rows below the header, by column index.
    rows: Vec<HashMap<usize, XCell>>,
    widths: HashMap<usize, f64>,
    frozen_header: bool,
    autofilter: bool,
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an XLSX is a zip");
    let mut text = String::new();
    if let Ok(mut file) = zip.by_name(name) {
        file.read_to_string(&mut text).expect("UTF-8 XML");
    }
    text
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Every `<name …>` element of `xml` with what it holds up to its end tag (empty if it closes itself).
fn elements<'a>(xml: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{name} ");
    let open_bare = format!("<{name}>");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = [xml[at..].find(&open), xml[at..].find(&open_bare)]
        .into_iter()
        .flatten()
        .min()
    {
        let start = at + found;
        let tag_end = start + xml[start..].find('>').expect("a tag ends");
        let tag = &xml[start..=tag_end];
        if tag.ends_with("/>") {
            out.push((tag, ""));
            at = tag_end + 1;
        } else {
            let end = tag_end + xml[tag_end..].find(&close).expect("an element ends");
            out.push((tag, &xml[tag_end + 1..end]));
            at = end + close.len();
        }
    }
    out
}

/// The column index of a cell reference such as `AB12`.
fn column(reference: &str) -> usize {
    reference
        .chars()
        .take_while(char::is_ascii_uppercase)
        .fold(0, |n, c| n * 26 + (c as usize - 'A' as usize + 1))
        - 1
}

fn read(bytes: &[u8]) -> Sheet {
    let styles = part(bytes, "xl/styles.xml");
    let mut formats: HashMap<String, String> = [
        ("0", "General"),
        ("1", "0"),
        ("2", "0.00"),
        ("3", "#,##0"),
        ("4", "#,##0.00"),
        ("9", "0%"),
        ("10", "0.00%"),
        ("14", "mm-dd-yy"),
    ]
    .into_iter()
    .map(|(id, code)| (id.to_owned(), code.to_owned()))
    .collect();
    for (tag, _) in elements(&styles, "numFmt") {
        formats.insert(
            attr(tag, "numFmtId").expect("id"),
            attr(tag, "formatCode").expect("code"),
        );
    }
    let cell_xfs = elements(&styles, "cellXfs");
    let xf_formats: Vec<String> = elements(cell_xfs.first().expect("cellXfs").1, "xf")
        .iter()
        .map(|(tag, _)| formats[&attr(tag, "numFmtId").unwrap_or_else(|| "0".into())].clone())
        .collect();
    let shared = part(bytes, "xl/sharedStrings.xml");
    let strings: Vec<String> = elements(&shared, "si")
        .iter()
        .map(|(_, inner)| {
            elements(inner, "t")
                .iter()
                .map(|(_, t)| unescape(t))
                .collect::<String>()
        })
        .collect();
    let sheet = part(bytes, "xl/worksheets/sheet1.xml");
    let mut rows = Vec::new();
    let mut headers = Vec::new();
    for (i, (_, row)) in elements(&sheet, "row").into_iter().enumerate() {
        let mut cells = HashMap::new();
        for (tag, inner) in elements(row, "c") {
            let value = elements(inner, "v")
                .first()
                .map(|(_, v)| unescape(v))
                .unwrap_or_default();
            let is_text = attr(tag, "t").as_deref() == Some("s");
            let value = if is_text {
                strings[value.parse::<usize>().expect("index")].clone()
            } else {
                value
            };
            let style: usize = attr(tag, "s").map_or(0, |s| s.parse().expect("style"));
            cells.insert(
                column(&attr(tag, "r").expect("reference")),
                XCell {
                    format: xf_formats[style].clone(),
                    value,
                    is_text,
                },
            );
        }
        if i == 0 {
            let mut ordered: Vec<(usize, XCell)> = cells.into_iter().collect();
            ordered.sort_by_key(|(c, _)| *c);
            headers = ordered.into_iter().map(|(_, cell)| cell.value).collect();
        } else {
            rows.push(cells);
        }
    }
    let mut widths = HashMap::new();
    for (tag, _) in elements(&sheet, "col") {
        let min: usize = attr(tag, "min").expect("min").parse().expect("a number");
        let max: usize = attr(tag, "max").expect("max").parse().expect("a number");
        let width: f64 = attr(tag, "width")
            .expect("width")
            .parse()
            .expect("a number");
        for c in min..=max {
            widths.insert(c - 1, width);
        }
    }
    let frozen_header = elements(&sheet, "pane").iter().any(|(tag, _)| {
        attr(tag, "ySplit").as_deref() == Some("1")
            && attr(tag, "state").as_deref() == Some("frozen")
    });
    let autofilter = sheet.contains("<autoFilter ref=\"A1:");
    Sheet {
        headers,
        rows,
        widths,
        frozen_header,
        autofilter,
    }
}

#[derive(Debug, PartialEq, Clone, Copy)]
enum Kind {
    Text,
    Count,
    Measure,
    Percent,
    Date,
}

/// What a column holds, from its header: the rule a reader of the workbook goes by.
fn kind(header: &str) -> Kind {
    const DAYS: [&str; 3] = ["目标日期", "预计签约完成", "签约日期"];
    const COUNTS: [&str; 3] = ["人口", "户数", "层数"];
    const UNITS: [&str; 6] = ["(m²)", "(亩)", "(万元)", "(元)", "(元/m²)", "(户/日)"];
    if header.contains('率') {
        Kind::Percent
    } else if DAYS.contains(&header) {
        Kind::Date
    } else if header.ends_with("(户)")
        || header.ends_with("(件)")
        || COUNTS.contains(&header)
        || header.starts_with("项目数·")
        || header.starts_with("户数·")
        || header == "序号"
    {
        Kind::Count
    } else if UNITS.iter().any(|unit| header.ends_with(unit)) {
        Kind::Measure
    } else {
        Kind::Text
    }
}

/// Checks every cell of `bytes` (named `name`) against its column's kind; returns the kinds seen.
fn check(name: &str, bytes: &[u8]) -> Vec<Kind> {
    let sheet = read(bytes);
    assert!(sheet.frozen_header, "{name}: the header row is frozen");
    assert!(sheet.autofilter, "{name}: the header row filters");
    let mut seen = Vec::new();
    for (c, header) in sheet.headers.iter().enumerate() {
        let header_width: usize = header
            .chars()
            .map(|ch| if ch.is_ascii() { 1 } else { 2 })
            .sum();
        let width = sheet.widths.get(&c).copied().unwrap_or(0.0);
        #[allow(clippy::cast_precision_loss)]
        let wide_enough = width >= header_width as f64;
        assert!(wide_enough, "{name}: column {header} is {width} wide");
        let kind = kind(header);
        for (r, row) in sheet.rows.iter().enumerate() {
            let Some(cell) = row.get(&c) else { continue };
            let at = format!("{name} row {} column {header} ({cell:?})", r + 2);
            if kind == Kind::Text {
                assert!(cell.is_text, "{at}: a number under a header without a unit");
                continue;
            }
            assert!(!cell.is_text, "{at}: text where a number belongs");
            let value: f64 = cell.value.parse().expect("a number");
            match kind {
                Kind::Count => {
                    assert_eq!(cell.format, "#,##0", "{at}");
                    assert!(value.fract() == 0.0, "{at}: a count is whole");
                }
                Kind::Measure => assert_eq!(cell.format, "#,##0.00", "{at}"),
                Kind::Percent => {
                    assert_eq!(cell.format, "0.0%", "{at}");
                    assert!(
                        (0.0..=1.0).contains(&value) || !header.starts_with("签约率"),
                        "{at}: a fraction"
                    );
                }
                Kind::Date => {
                    assert_eq!(cell.format, "yyyy-mm-dd", "{at}");
                    assert!(value > 40_000.0, "{at}: an Excel day");
                }
                Kind::Text => unreachable!(),
            }
            if !seen.contains(&kind) {
                seen.push(kind);
            }
        }
    }
    seen
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn every_export_formats_numbers_by_kind(pool: PgPool) {
    demo_city(&pool).await;
    let app = state(&pool).await;
    let admin = format!("Bearer {}", session(&pool, "boss", "admin", None).await);
    let (project, envelope): (String, String) = sqlx::query_as(
        "SELECT p.code, ST_AsGeoJSON(ST_Envelope(p.geom)) FROM projects p \
          WHERE EXISTS (SELECT 1 FROM households h JOIN buildings b ON b.id = h.building_id \
                         WHERE b.project_id = p.id AND h.status = 'signed') ORDER BY p.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a project with signed households");
    let get = |uri: String| {
        let (app, admin) = (app.clone(), admin.clone());
        async move {
            let (response, bytes) = send(
                &app,
                Request::get(&uri),
                &[("authorization", &admin)],
                Body::empty(),
            )
            .await;
            assert_eq!(
                response.status(),
                200,
                "{uri}: {}",
                String::from_utf8_lossy(&bytes)
            );
            bytes
        }
    };
    let all = [Kind::Count, Kind::Measure, Kind::Percent, Kind::Date];
    for (uri, must_see) in [
        ("/api/exports/projects.xlsx".to_owned(), &all[..]),
        ("/api/exports/regions.xlsx".to_owned(), &all[..3]),
        (
            format!("/api/exports/projects/{project}/ledger.xlsx"),
            &all[..2],
        ),
        (
            format!("/api/exports/projects/{project}/compensation.xlsx"),
            &[Kind::Measure, Kind::Date][..],
        ),
    ] {
        let seen = check(&uri, &get(uri.clone()).await);
        for kind in must_see {
            assert!(
                seen.contains(kind),
                "{uri}: some {kind:?} cells are checked, saw {seen:?}"
            );
        }
    }
    let (response, bytes) = send(
        &app,
        Request::post("/api/within.xlsx"),
        &[
            ("authorization", &admin),
            ("content-type", "application/json"),
        ],
        Body::from(envelope),
    )
    .await;
    assert_eq!(
        response.status(),
        200,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let seen = check("within.xlsx", &bytes);
    assert!(
        seen.contains(&Kind::Count) && seen.contains(&Kind::Measure),
        "{seen:?}"
    );
    check("audit.xlsx", &get("/api/audit.xlsx".into()).await);
}
