//! Funds: a batch through its approval chain, and the money rules refused by the database
//! itself — with the application's checks bypassed by writing SQL directly.
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{demo_city, session};
use crate::sse::serve;

/// A project with at least 3 households signed and nothing committed; `tight`: their agreed
/// sums together pass what the allocations have left, else the first three fit in it.
/// Returns (code, district, [(household, agreed)]).
async fn payable(pool: &PgPool, tight: bool) -> (String, String, Vec<(i64, f64)>) {
    let (code, district): (String, String) = sqlx::query_as(
        "WITH open AS (
             SELECT a.project_id, count(*) AS n, sum(a.yuan) AS total,
                    (array_agg(a.yuan ORDER BY a.household_id))[1:3] AS first
               FROM agreements a WHERE a.committed_yuan = 0 AND a.yuan > 0 GROUP BY a.project_id)
         SELECT p.code, (SELECT code FROM regions WHERE id = r.lineage[2])
           FROM projects p JOIN regions r ON r.id = p.region_id JOIN project_funds f ON f.project_id = p.id
           JOIN open o ON o.project_id = p.id
          WHERE o.n >= 3 AND CASE WHEN $1 THEN o.total > f.allocated_yuan - f.committed_yuan
                                  ELSE (SELECT sum(x) FROM unnest(o.first) x) < f.allocated_yuan - f.committed_yuan END
          ORDER BY p.id LIMIT 1",
    )
    .bind(tight)
    .fetch_one(pool).await.expect("a project with payable households");
    let households: Vec<(i64, f64)> = sqlx::query_as(
        "SELECT a.household_id, a.yuan::float8 FROM agreements a JOIN projects p ON p.id = a.project_id
          WHERE p.code = $1 AND a.committed_yuan = 0 AND a.yuan > 0 ORDER BY a.household_id",
    )
    .bind(&code).fetch_all(pool).await.expect("query");
    (code, district, households)
}

async fn differences(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM fund_differences()").fetch_one(pool).await.expect("query")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_batch_goes_through_the_chain_and_moves_the_money(pool: PgPool) {
    demo_city(&pool).await;
    let (project, district, households) = payable(&pool, false).await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, path: String, token: &String, body: Option<Value>| {
        let mut request = http.request(method, format!("{base}{path}")).bearer_auth(token);
        if let Some(b) = body {
            request = request.json(&b);
        }
        async move { let r = request.send().await.expect("the server answers"); (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null)) }
    };
    let funds = |token: &String| call(reqwest::Method::GET, format!("/api/projects/{project}/funds"), token, None);
    let (_, before) = funds(&admin).await;
    let project_id: i64 = sqlx::query_scalar("SELECT id FROM projects WHERE code = $1").bind(&project).fetch_one(&pool).await.expect("query");
    let (_, figures_before) = call(reqwest::Method::GET, format!("/api/figures/projects/{project_id}"), &admin, None).await;

    let (h1, agreed1) = households[0];
    let (h2, agreed2) = households[1];
    let batch = json!({ "note": "测试批次", "payments": [
        { "household_id": h1, "yuan": agreed1, "idempotency_key": "test-key-0001" },
        { "household_id": h2, "yuan": agreed2 / 2.0, "idempotency_key": "test-key-0002" }] });
    let (code, submitted) = call(reqwest::Method::POST, format!("/api/projects/{project}/batches"), &clerk, Some(batch.clone())).await;
    assert_eq!(code, 201, "{submitted}");
    assert_eq!(submitted["status"], "submitted");
    let id = submitted["id"].as_i64().expect("an integer");
    // the same request again: the keys were used, nothing is paid twice
    let (code, again) = call(reqwest::Method::POST, format!("/api/projects/{project}/batches"), &clerk, Some(batch)).await;
    assert_eq!(code, 409, "{again}");
    assert!(again["message"].as_str().expect("a string").contains("payment_paid_once"));
    let batches: i64 = sqlx::query_scalar("SELECT count(*) FROM payment_batches WHERE project_id = $1 AND submitted_by IS NOT NULL").bind(project_id).fetch_one(&pool).await.expect("query");
    assert_eq!(batches, 1, "the refused batch left nothing");

    let step = |name: &'static str, token: &String, body: Option<Value>| call(reqwest::Method::POST, format!("/api/batches/{id}/{name}"), token, body);
    assert_eq!(step("review", &clerk, None).await.0, 403, "operators do not review");
    assert_eq!(step("pay", &admin, None).await.0, 422, "no skipping to paid");
    for (name, status) in [("review", "reviewed"), ("approve", "approved"), ("pay", "paid")] {
        let (code, moved) = step(name, &admin, None).await;
        assert_eq!(code, 200, "{name}: {moved}");
        assert_eq!(moved["status"], status);
    }
    let (_, after) = funds(&admin).await;
    let paid = agreed1 + (agreed2 / 2.0 * 100.0).round() / 100.0;
    assert!((after["paid_yuan"].as_f64().expect("a number") - before["paid_yuan"].as_f64().expect("a number") - paid).abs() < 0.01);
    let (_, figures_after) = call(reqwest::Method::GET, format!("/api/figures/projects/{project_id}"), &admin, None).await;
    let gauge = |f: &Value| f["figures"].as_array().expect("an array").iter().find(|g| g["key"] == "funds_paid").expect("the gauge")["value"].as_f64().expect("a number");
    assert!((gauge(&figures_after) - gauge(&figures_before) - paid / 10_000.0).abs() < 0.02, "the fund gauge moves with the payment");
    assert_eq!(differences(&pool).await, 0);
    let steps: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE subject = $1").bind(format!("batch {id}")).fetch_one(&pool).await.expect("query");
    assert_eq!(steps, 4, "submit and three steps audited");

    // h2 can still receive the rest, not more
    let over = json!({ "payments": [{ "household_id": h2, "yuan": agreed2, "idempotency_key": "test-key-0003" }] });
    let (code, refused) = call(reqwest::Method::POST, format!("/api/projects/{project}/batches"), &clerk, Some(over)).await;
    assert_eq!(code, 422);
    assert!(refused["message"].as_str().expect("a string").contains("agreement_not_overpaid"), "{refused}");

    // an unsigned household cannot be paid
    let unsigned: i64 = sqlx::query_scalar(
        "SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1 AND h.status < 'signed' LIMIT 1",
    )
    .bind(project_id).fetch_one(&pool).await.expect("query");
    let early = json!({ "payments": [{ "household_id": unsigned, "yuan": 100.0, "idempotency_key": "test-key-0004" }] });
    let (code, refused) = call(reqwest::Method::POST, format!("/api/projects/{project}/batches"), &clerk, Some(early)).await;
    assert_eq!(code, 422);
    assert!(refused["message"].as_str().expect("a string").contains("payment_needs_signed_agreement"), "{refused}");

    // sending back: a reason is required; the batch's commitments are released
    let (h3, agreed3) = households[2];
    let third = json!({ "payments": [{ "household_id": h3, "yuan": agreed3, "idempotency_key": "test-key-0005" }] });
    let (_, returned) = call(reqwest::Method::POST, format!("/api/projects/{project}/batches"), &clerk, Some(third)).await;
    let rid = returned["id"].as_i64().expect("an integer");
    let back = |body: Option<Value>| call(reqwest::Method::POST, format!("/api/batches/{rid}/return"), &admin, body);
    assert_eq!(back(None).await.0, 422);
    let (code, sent_back) = back(Some(json!({ "reason": "银行账户信息有误" }))).await;
    assert_eq!(code, 200);
    assert_eq!(sent_back["status"], "returned");
    assert_eq!(sent_back["return_reason"], "银行账户信息有误");
    let committed: f64 = sqlx::query_scalar("SELECT committed_yuan::float8 FROM agreements WHERE household_id = $1").bind(h3).fetch_one(&pool).await.expect("query");
    assert!(committed.abs() < 0.005, "{committed}");
    assert_eq!(call(reqwest::Method::POST, format!("/api/batches/{rid}/pay"), &admin, None).await.0, 422, "a returned batch is not paid");
    assert_eq!(differences(&pool).await, 0);

    // the admin who submits cannot review the same batch
    let own = json!({ "payments": [{ "household_id": h3, "yuan": agreed3, "idempotency_key": "test-key-0006" }] });
    let (_, mine) = call(reqwest::Method::POST, format!("/api/projects/{project}/batches"), &admin, Some(own)).await;
    let (code, refused) = call(reqwest::Method::POST, format!("/api/batches/{}/review", mine["id"]), &admin, None).await;
    assert_eq!(code, 422);
    assert!(refused["message"].as_str().expect("a string").contains("batch_duties_separate"));
    // nor approve or pay a batch it submitted, once someone else reviewed it
    let second_admin = session(&pool, "deputy", "admin", None).await;
    assert_eq!(call(reqwest::Method::POST, format!("/api/batches/{}/review", mine["id"]), &second_admin, None).await.0, 200);
    let (code, refused) = call(reqwest::Method::POST, format!("/api/batches/{}/approve", mine["id"]), &admin, None).await;
    assert_eq!(code, 422);
    assert!(refused["message"].as_str().expect("a string").contains("batch_duties_separate"));
    // a step taken twice is refused, and history keeps who took it
    let (code, _) = call(reqwest::Method::POST, format!("/api/batches/{}/review", mine["id"]), &second_admin, None).await;
    assert_eq!(code, 422);
}

/// The constraint a database error names, or panics.
fn rule(result: Result<sqlx::postgres::PgQueryResult, sqlx::Error>) -> String {
    let error = result.expect_err("the database refuses");
    error.as_database_error().and_then(|d| d.constraint()).map_or_else(|| panic!("no constraint named: {error}"), str::to_owned)
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn the_database_refuses_wrong_payments_without_the_application(pool: PgPool) {
    demo_city(&pool).await;
    let (project, _, households) = payable(&pool, true).await;
    let project_id: i64 = sqlx::query_scalar("SELECT id FROM projects WHERE code = $1").bind(&project).fetch_one(&pool).await.expect("query");
    session(&pool, "clerk", "admin", None).await;
    session(&pool, "chief", "admin", None).await;
    let user = |name: &'static str| sqlx::query_scalar::<_, i32>("SELECT id FROM users WHERE username = $1").bind(name).fetch_one(&pool);
    let (clerk, chief) = (user("clerk").await.expect("query"), user("chief").await.expect("query"));
    let new_batch = || sqlx::query_scalar::<_, i64>("INSERT INTO payment_batches (project_id, submitted_by) VALUES ($1, $2) RETURNING id").bind(project_id).bind(clerk).fetch_one(&pool);
    let pay = |batch: i64, household: i64, yuan: f64, key: &str| {
        sqlx::query("INSERT INTO payments (batch_id, household_id, yuan, idempotency_key) VALUES ($1, $2, $3::numeric, $4)")
            .bind(batch).bind(household).bind(yuan).bind(key.to_owned()).execute(&pool)
    };
    let (h1, agreed1) = households[0];
    let batch = new_batch().await.expect("a batch");

    // before signing
    let unsigned: i64 = sqlx::query_scalar(
        "SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1 AND h.status < 'signed' LIMIT 1",
    )
    .bind(project_id).fetch_one(&pool).await.expect("query");
    assert_eq!(rule(pay(batch, unsigned, 10.0, "sql-key-unsigned").await), "payment_needs_signed_agreement");
    assert_eq!(rule(sqlx::query("INSERT INTO agreements (household_id, project_id, yuan, signed_at) VALUES ($1, $2, 1, now())")
        .bind(unsigned).bind(project_id).execute(&pool).await), "agreement_needs_signing");
    // beyond the agreed sum, in one payment or in two
    assert_eq!(rule(pay(batch, h1, agreed1 + 0.01, "sql-key-over").await), "agreement_not_overpaid");
    pay(batch, h1, agreed1 - 1.0, "sql-key-most").await.expect("within the agreement");
    let second = new_batch().await.expect("a batch");
    assert_eq!(rule(pay(second, h1, 1.01, "sql-key-rest").await), "agreement_not_overpaid");
    // the same idempotency key twice
    let (h2, _) = households[1];
    assert_eq!(rule(pay(second, h2, 10.0, "sql-key-most").await), "payment_paid_once");
    // a batch cannot start paid or without a submitter, skip steps, or have its sum edited
    assert_eq!(rule(sqlx::query("INSERT INTO payment_batches (project_id, submitted_by, status, paid_at, reviewed_at, approved_at) VALUES ($1, $2, 'paid', now(), now(), now())")
        .bind(project_id).bind(clerk).execute(&pool).await), "batch_starts_submitted");
    assert_eq!(rule(sqlx::query("INSERT INTO payment_batches (project_id) VALUES ($1)").bind(project_id).execute(&pool).await), "batch_starts_submitted");
    assert_eq!(rule(sqlx::query("UPDATE payment_batches SET status = 'paid', reviewed_at = now(), reviewed_by = $2, approved_at = now(), approved_by = $2, paid_at = now(), paid_by = $2 WHERE id = $1")
        .bind(batch).bind(chief).execute(&pool).await), "batch_step_order");
    // duties: the submitter takes no step, a step names who took it, the submitter stays
    assert_eq!(rule(sqlx::query("UPDATE payment_batches SET status = 'reviewed', reviewed_at = now(), reviewed_by = $2 WHERE id = $1")
        .bind(batch).bind(clerk).execute(&pool).await), "batch_duties_separate");
    assert_eq!(rule(sqlx::query("UPDATE payment_batches SET status = 'reviewed', reviewed_at = now() WHERE id = $1")
        .bind(batch).execute(&pool).await), "batch_steps_signed");
    assert_eq!(rule(sqlx::query("UPDATE payment_batches SET submitted_by = NULL WHERE id = $1").bind(batch).execute(&pool).await), "batch_step_order");
    assert_eq!(rule(sqlx::query("UPDATE payment_batches SET yuan = 1 WHERE id = $1").bind(batch).execute(&pool).await), "payment_batch_open");
    assert_eq!(rule(sqlx::query("UPDATE payment_batches SET status = 'returned', returned_at = now(), returned_by = $2 WHERE id = $1").bind(batch).bind(chief).execute(&pool).await), "batch_return_has_reason");
    assert_eq!(rule(sqlx::query("UPDATE payments SET yuan = 1 WHERE batch_id = $1").bind(batch).execute(&pool).await), "payments_append_only");
    // the kept sums and the history cannot be rewritten or removed by hand
    assert_eq!(rule(sqlx::query("UPDATE agreements SET committed_yuan = 0 WHERE household_id = $1").bind(h1).execute(&pool).await), "agreements_kept_by_triggers");
    assert_eq!(rule(sqlx::query("UPDATE agreements SET yuan = yuan * 2 WHERE household_id = $1").bind(h1).execute(&pool).await), "agreements_kept_by_triggers");
    assert_eq!(rule(sqlx::query("DELETE FROM agreements WHERE household_id = $1").bind(h1).execute(&pool).await), "agreements_kept_by_triggers");
    assert_eq!(rule(sqlx::query("UPDATE project_funds SET allocated_yuan = allocated_yuan * 10 WHERE project_id = $1").bind(project_id).execute(&pool).await), "project_funds_kept_by_triggers");
    assert_eq!(rule(sqlx::query("DELETE FROM project_funds WHERE project_id = $1").bind(project_id).execute(&pool).await), "project_funds_kept_by_triggers");
    for table in ["payments", "project_funds", "fund_allocations", "audit_log"] {
        assert_eq!(rule(sqlx::query(&format!("TRUNCATE {table}")).execute(&pool).await), format!("{table}_append_only"));
    }

    // a batch paid beyond the allocations: payments (each within its agreement) past what is left
    let (allocated, paid): (f64, f64) = sqlx::query_as("SELECT allocated_yuan::float8, paid_yuan::float8 FROM project_funds WHERE project_id = $1")
        .bind(project_id).fetch_one(&pool).await.expect("query");
    let big = new_batch().await.expect("a batch");
    let mut total = 0.0;
    for (i, (h, agreed)) in households[2..].iter().enumerate() {
        pay(big, *h, *agreed, &format!("sql-key-big-{i}")).await.expect("within its agreement");
        total += agreed;
        if paid + total > allocated {
            break;
        }
    }
    assert!(paid + total > allocated, "the project chosen has more payable than allocated");
    for step in ["status = 'reviewed', reviewed_at = now(), reviewed_by = $2", "status = 'approved', approved_at = now(), approved_by = $2"] {
        sqlx::query(&format!("UPDATE payment_batches SET {step} WHERE id = $1")).bind(big).bind(chief).execute(&pool).await.expect("a step in order");
    }
    assert_eq!(rule(sqlx::query("UPDATE payment_batches SET status = 'approved', approved_at = now(), approved_by = $2 WHERE id = $1").bind(big).bind(chief).execute(&pool).await), "batch_step_order");
    assert_eq!(rule(sqlx::query("UPDATE payment_batches SET status = 'paid', paid_at = now(), paid_by = $2 WHERE id = $1").bind(big).bind(chief).execute(&pool).await), "batch_within_allocations");
    let status: String = sqlx::query_scalar("SELECT status::text FROM payment_batches WHERE id = $1").bind(big).fetch_one(&pool).await.expect("query");
    assert_eq!(status, "approved", "the refused payment changed nothing");
    assert_eq!(differences(&pool).await, 0);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn concurrent_batches_cannot_pay_one_household_twice(pool: PgPool) {
    demo_city(&pool).await;
    let (project, _, households) = payable(&pool, false).await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let (h, agreed) = households[0];
    let http = reqwest::Client::new();
    let requests = (0..8).map(|i| {
        let body = json!({ "payments": [{ "household_id": h, "yuan": agreed, "idempotency_key": format!("race-key-{i:04}") }] });
        http.post(format!("{base}/api/projects/{project}/batches")).bearer_auth(&admin).json(&body).send()
    });
    let statuses: Vec<u16> = futures_util::future::join_all(requests).await.into_iter().map(|r| r.expect("the server answers").status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 201 || *s == 422), "{statuses:?}");
    let committed: f64 = sqlx::query_scalar("SELECT committed_yuan::float8 FROM agreements WHERE household_id = $1").bind(h).fetch_one(&pool).await.expect("query");
    assert!((committed - agreed).abs() < 0.005, "{committed} vs {agreed}");
    assert_eq!(differences(&pool).await, 0);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn warnings_follow_allocations_budget_and_lagging_payments(pool: PgPool) {
    demo_city(&pool).await;
    let (project, _, households) = payable(&pool, true).await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let http = reqwest::Client::new();
    let warnings = || {
        let request = http.get(format!("{base}/api/projects/{project}/funds")).bearer_auth(&admin);
        async move {
            let funds: Value = request.send().await.expect("the server answers").json().await.expect("a JSON answer");
            funds["warnings"].as_array().expect("an array").iter().map(|w| (w["code"].as_str().expect("a string").to_owned(), w["level"].as_str().expect("a string").to_owned())).collect::<Vec<_>>()
        }
    };
    // signed over 30 days ago (Beijing days) and unpaid: lag, exactly when the agreements say so
    let project_id: i64 = sqlx::query_scalar("SELECT id FROM projects WHERE code = $1").bind(&project).fetch_one(&pool).await.expect("query");
    let lagging: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM agreements WHERE project_id = $1 AND committed_yuan = 0 AND yuan > 0 AND voided_at IS NULL
            AND signed_at < ((now() AT TIME ZONE 'Asia/Shanghai')::date - 30)::timestamp AT TIME ZONE 'Asia/Shanghai'",
    )
    .bind(project_id).fetch_one(&pool).await.expect("query");
    assert_eq!(warnings().await.contains(&("payment_lag".into(), "warn".into())), lagging > 0, "{lagging} households lag");
    // commitments past the allocations: alarm
    let (allocated, committed): (f64, f64) = sqlx::query_as("SELECT allocated_yuan::float8, committed_yuan::float8 FROM project_funds WHERE project_id = $1")
        .bind(project_id).fetch_one(&pool).await.expect("query");
    let mut payments = Vec::new();
    let mut sum = committed;
    for (i, (h, agreed)) in households.iter().enumerate() {
        payments.push(json!({ "household_id": h, "yuan": agreed, "idempotency_key": format!("warn-key-{i:04}") }));
        sum += agreed;
        if sum > allocated {
            break;
        }
    }
    assert!(sum > allocated, "the project chosen has more payable than allocated");
    let r = http.post(format!("{base}/api/projects/{project}/batches")).bearer_auth(&admin).json(&json!({ "payments": payments })).send().await.expect("the server answers");
    assert_eq!(r.status().as_u16(), 201);
    assert!(warnings().await.contains(&("allocations".into(), "alarm".into())));
    let alerts: Value = http.get(format!("{base}/api/alerts")).bearer_auth(&admin).send().await.expect("the server answers").json().await.expect("a JSON answer");
    assert!(alerts["alerts"].as_array().expect("an array").iter().any(|a| a["kind"] == "funds" && a["project_id"] == json!(project_id) && a["level"] == "alarm"));
    // money received clears the alarm
    let r = http.post(format!("{base}/api/projects/{project}/allocations")).bearer_auth(&admin)
        .json(&json!({ "yuan": sum * 2.0, "received_on": "2026-11-20", "note": "追加" })).send().await.expect("the server answers");
    assert_eq!(r.status().as_u16(), 201);
    assert!(!warnings().await.iter().any(|(code, level)| code == "allocations" && level == "alarm"));
}
