//! The residents' landing `/api/public/projects` (issue 19): paged and filtered on the server,
//! published projects only, no personal data, kept with a strong ETag (304 on revalidation)
//! and a Cache-Control a proxy may honour, and read again after an event changes a figure.
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::sse::serve;

/// One building of three households (tests/fixtures/one_building.sql, its gates open) in project T-1, and 29
/// more published projects beside it, and one unpublished.
async fn thirty_projects(pool: &PgPool) {
    for fixture in [
        include_str!("../fixtures/one_building.sql"),
        include_str!("../fixtures/open_gates.sql"),
    ] {
        sqlx::raw_sql(fixture).execute(pool).await.expect("fixture");
    }
    sqlx::raw_sql(
        "INSERT INTO projects (code, name, kind, region_id, start_date, target_date, budget_yuan, geom)
             SELECT 'T-' || n, '测试项目' || n, kind, region_id, start_date - n, target_date, budget_yuan, geom
               FROM projects, generate_series(2, 31) n WHERE code = 'T-1';
         UPDATE projects SET published = code <> 'T-31';
         SELECT recount_figures();",
    )
    .execute(pool)
    .await
    .expect("projects");
}

struct Answer {
    status: u16,
    etag: String,
    cache_control: String,
    body: Value,
    text: String,
}

async fn get(http: &reqwest::Client, url: &str, if_none_match: Option<&str>) -> Answer {
    let mut request = http.get(url);
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    let r = request.send().await.expect("the server answers");
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (status, etag, cache_control) =
        (r.status().as_u16(), header("etag"), header("cache-control"));
    let text = r.text().await.expect("a body");
    Answer {
        status,
        etag,
        cache_control,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        text,
    }
}

fn codes(answer: &Answer) -> Vec<String> {
    answer.body["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| p["code"].as_str().expect("a code").to_owned())
        .collect()
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn the_landing_is_paged_kept_revalidated_and_follows_events(pool: PgPool) {
    thirty_projects(&pool).await;
    let (base, _state) = serve(&pool).await;
    let http = reqwest::Client::new();
    let landing = format!("{base}/api/public/projects");

    // the first page: a screenful, newest first, with the counts and the filters' choices
    let first = get(&http, &landing, None).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        (first.body["total"].clone(), first.body["all"].clone()),
        (json!(30), json!(30))
    );
    assert_eq!(codes(&first).len(), 24);
    assert_eq!(codes(&first)[0], "T-1", "newest start date first");
    assert!(
        !codes(&first).contains(&"T-31".to_owned()),
        "an unpublished project"
    );
    assert_eq!(first.body["cities"], json!(["常德市"]));
    assert!(
        first.cache_control.starts_with("public, max-age="),
        "{}",
        first.cache_control
    );
    assert!(first.etag.starts_with('"'), "a strong ETag: {}", first.etag);
    for name in ["测试1", "测试2", "测试3", "430702198001010011"] {
        assert!(
            !first.text.contains(name),
            "personal data {name} on the landing"
        );
    }
    let second = get(&http, &format!("{landing}?offset=24"), None).await;
    assert_eq!(codes(&second).len(), 6);
    assert!(
        codes(&second).iter().all(|c| !codes(&first).contains(c)),
        "pages overlap"
    );

    // filters and words narrow it on the server
    let seventh = get(
        &http,
        &format!("{landing}?q=%E6%B5%8B%E8%AF%95%E9%A1%B9%E7%9B%AE7"),
        None,
    )
    .await;
    assert_eq!(codes(&seventh), ["T-7"]);
    let in_city = get(
        &http,
        &format!("{landing}?city=%E5%B8%B8%E5%BE%B7%E5%B8%82&limit=5"),
        None,
    )
    .await;
    assert_eq!(
        (in_city.body["total"].clone(), codes(&in_city).len()),
        (json!(30), 5)
    );
    assert_eq!(in_city.body["districts"], json!(["武陵区"]));
    let elsewhere = get(&http, &format!("{landing}?district=nowhere"), None).await;
    assert_eq!(
        (elsewhere.status, elsewhere.body["total"].clone()),
        (200, json!(0))
    );
    for bad in ["limit=0", "limit=201", "offset=-1", "colour=red"] {
        assert_eq!(
            get(&http, &format!("{landing}?{bad}"), None).await.status,
            400,
            "{bad}"
        );
    }

    // revalidation: the same ETag is 304 without a body; a page's bytes are the same each time
    let again = get(&http, &landing, Some(&first.etag)).await;
    assert_eq!((again.status, again.text.as_str()), (304, ""));
    assert_eq!(get(&http, &landing, None).await.etag, first.etag);

    // a household of T-1 signs: within the kept list's second its figure and ETag move
    let household: i64 = sqlx::query_scalar("SELECT min(id) FROM households")
        .fetch_one(&pool)
        .await
        .expect("household");
    for (from, to) in [("pending", "surveyed"), ("surveyed", "signed")] {
        sqlx::query("INSERT INTO status_events (household_id, from_status, to_status, actor) VALUES ($1, $2, $3, 'tester')")
            .bind(household)
            .bind(from)
            .bind(to)
            .execute(&pool)
            .await
            .expect("status event");
    }
    let started = Instant::now();
    let changed = loop {
        let now = get(&http, &landing, Some(&first.etag)).await;
        if now.status == 200 {
            break now;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the landing still answers 304 after a signing"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_ne!(changed.etag, first.etag);
    assert_eq!(
        changed.body["projects"][0]["signed"],
        json!(1),
        "{}",
        changed.body["projects"][0]
    );
}
