//! Funds: a batch through the default approval chain, and the money rules refused by the
//! database itself — with the application's checks bypassed by writing SQL directly. The
//! chains themselves (configured, versioned, one person per step) are tested in `funds/chains.rs`.
mod chains;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{demo_city, session};
use crate::sse::serve;

/// A JSON client of the app served on a port: each call with a bearer token, answering status
/// and body (Null when the body is not JSON).
pub struct Api {
    http: reqwest::Client,
    base: String,
    _state: onemap::AppState,
}

impl Api {
    pub async fn serve(pool: &PgPool) -> Self {
        let (base, state) = serve(pool).await;
        Api {
            http: reqwest::Client::new(),
            base,
            _state: state,
        }
    }

    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            request = request.json(b);
        }
        let response = request.send().await.expect("the server answers");
        (
            response.status().as_u16(),
            response.json::<Value>().await.unwrap_or(Value::Null),
        )
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        self.call(reqwest::Method::PUT, path, token, Some(body))
            .await
    }

    /// Takes step `key` of batch `id` (or sends it back when `key` is `return`).
    pub async fn step(&self, id: i64, key: &str, token: &str, body: &Value) -> (u16, Value) {
        self.post(&format!("/api/batches/{id}/{key}"), token, body)
            .await
    }
}

/// The message of a JSON error answer.
pub fn message(answer: &Value) -> &str {
    answer["message"].as_str().unwrap_or_default()
}

/// A project with at least 3 households signed and nothing committed; `tight`: their agreed
/// sums together pass what the allocations have left, else the first three fit in it.
/// Returns (code, district, [(household, agreed)]).
pub async fn payable(pool: &PgPool, tight: bool) -> (String, String, Vec<(i64, f64)>) {
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

/// The five people the default chain takes, one step each: a clerk of the region who submits,
/// a colleague who reviews, and three admins who approve, check and pay.
pub struct Staff {
    pub clerk: String,
    pub colleague: String,
    pub chief: String,
    pub deputy: String,
    pub treasurer: String,
}

pub async fn staff(pool: &PgPool, district: &str) -> Staff {
    Staff {
        clerk: session(pool, "clerk", "operator", Some(district)).await,
        colleague: session(pool, "colleague", "operator", Some(district)).await,
        chief: session(pool, "chief", "admin", None).await,
        deputy: session(pool, "deputy", "admin", None).await,
        treasurer: session(pool, "treasurer", "admin", None).await,
    }
}

pub async fn differences(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM fund_differences()")
        .fetch_one(pool)
        .await
        .expect("query")
}

pub async fn project_id(pool: &PgPool, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM projects WHERE code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .expect("query")
}

pub async fn user_id(pool: &PgPool, username: &str) -> i32 {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(pool)
        .await
        .expect("query")
}

/// The constraint a database error names, or panics.
pub fn rule(result: Result<sqlx::postgres::PgQueryResult, sqlx::Error>) -> String {
    let error = result.expect_err("the database refuses");
    error
        .as_database_error()
        .and_then(|d| d.constraint())
        .map_or_else(|| panic!("no constraint named: {error}"), str::to_owned)
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_batch_goes_through_the_default_chain_and_moves_the_money(pool: PgPool) {
    demo_city(&pool).await;
    let (project, district, households) = payable(&pool, false).await;
    let api = Api::serve(&pool).await;
    // the default chain: 审核 (an operator of the region, or an admin), 审批, 复核, 支付 (admins)
    let Staff {
        clerk,
        colleague,
        chief,
        deputy,
        treasurer,
    } = staff(&pool, &district).await;
    let funds = format!("/api/projects/{project}/funds");
    let (_, before) = api.get(&funds, &chief).await;
    assert_eq!(
        before["approval_chain"]["steps"].as_array().map(Vec::len),
        Some(4),
        "{}",
        before["approval_chain"]
    );
    let id_of_project = project_id(&pool, &project).await;
    let (_, figures_before) = api
        .get(&format!("/api/figures/projects/{id_of_project}"), &chief)
        .await;

    let (h1, agreed1) = households[0];
    let (h2, agreed2) = households[1];
    let half = (agreed2 / 2.0 * 100.0).round() / 100.0;
    let batch = json!({ "note": "测试批次", "payments": [
        { "household_id": h1, "yuan": agreed1, "idempotency_key": "test-key-0001" },
        { "household_id": h2, "yuan": half, "idempotency_key": "test-key-0002" }] });
    let (code, submitted) = api
        .post(&format!("/api/projects/{project}/batches"), &clerk, &batch)
        .await;
    assert_eq!(code, 201, "{submitted}");
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["next_step"]["key"], "review");
    assert_eq!(
        submitted["may_take_next"], false,
        "the submitter takes no step"
    );
    let id = submitted["id"].as_i64().expect("an integer");
    // the same request again: the keys were used, nothing is paid twice
    let (code, again) = api
        .post(&format!("/api/projects/{project}/batches"), &clerk, &batch)
        .await;
    assert_eq!(code, 409, "{again}");
    assert!(message(&again).contains("payment_paid_once"));
    let batches: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM payment_batches WHERE project_id = $1 AND submitted_by IS NOT NULL",
    )
    .bind(id_of_project)
    .fetch_one(&pool)
    .await
    .expect("query");
    assert_eq!(batches, 1, "the refused batch left nothing");

    // out of turn, by the submitter, by an operator at an admin's step: refused
    let (code, refused) = api.step(id, "pay", &treasurer, &json!({})).await;
    assert_eq!(
        (code, message(&refused).contains("batch_step_order")),
        (422, true),
        "no skipping to paid: {refused}"
    );
    let (code, refused) = api.step(id, "review", &clerk, &json!({})).await;
    assert_eq!(
        (code, message(&refused).contains("batch_duties_separate")),
        (422, true),
        "{refused}"
    );
    let (code, seen) = api.get(&format!("/api/batches/{id}"), &colleague).await;
    assert_eq!(
        (code, &seen["may_take_next"]),
        (200, &json!(true)),
        "{seen}"
    );
    for (key, token, by) in [
        ("review", &colleague, "colleague"),
        ("approve", &chief, "chief"),
        ("check", &deputy, "deputy"),
        ("pay", &treasurer, "treasurer"),
    ] {
        if key == "approve" {
            assert_eq!(
                api.step(id, key, &colleague, &json!({})).await.0,
                403,
                "an operator does not approve"
            );
        }
        let (code, moved) = api.step(id, key, token, &json!({})).await;
        assert_eq!(code, 200, "{key}: {moved}");
        let taken = moved["steps"]
            .as_array()
            .expect("the chain's steps")
            .iter()
            .find(|s| s["key"] == key)
            .expect("the step");
        assert_eq!(
            (&taken["by"], taken["at"].is_string()),
            (&json!(by), true),
            "{moved}"
        );
    }
    let (_, paid) = api.get(&format!("/api/batches/{id}"), &chief).await;
    assert_eq!(
        (&paid["status"], &paid["next_step"], &paid["paid_by"]),
        (&json!("paid"), &Value::Null, &json!("treasurer")),
        "{paid}"
    );
    assert_eq!(paid["payments"].as_array().map(Vec::len), Some(2));
    let (_, after) = api.get(&funds, &chief).await;
    let moved = agreed1 + half;
    assert!(
        (after["paid_yuan"].as_f64().expect("a number")
            - before["paid_yuan"].as_f64().expect("a number")
            - moved)
            .abs()
            < 0.01
    );
    let (_, figures_after) = api
        .get(&format!("/api/figures/projects/{id_of_project}"), &chief)
        .await;
    let gauge = |f: &Value| {
        f["figures"]
            .as_array()
            .expect("an array")
            .iter()
            .find(|g| g["key"] == "funds_paid")
            .expect("the gauge")["value"]
            .as_f64()
            .expect("a number")
    };
    assert!(
        (gauge(&figures_after) - gauge(&figures_before) - moved / 10_000.0).abs() < 0.02,
        "the fund gauge moves with the payment"
    );
    assert_eq!(differences(&pool).await, 0);
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE subject = $1")
        .bind(format!("batch {id}"))
        .fetch_one(&pool)
        .await
        .expect("query");
    assert_eq!(audited, 5, "the submission and four steps audited");

    // h2 can still receive the rest, not more
    let over = json!({ "payments": [{ "household_id": h2, "yuan": agreed2, "idempotency_key": "test-key-0003" }] });
    let (code, refused) = api
        .post(&format!("/api/projects/{project}/batches"), &clerk, &over)
        .await;
    assert_eq!(code, 422);
    assert!(
        message(&refused).contains("agreement_not_overpaid"),
        "{refused}"
    );

    // an unsigned household cannot be paid
    let unsigned: i64 = sqlx::query_scalar(
        "SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1 AND h.status < 'signed' LIMIT 1",
    )
    .bind(id_of_project).fetch_one(&pool).await.expect("query");
    let early = json!({ "payments": [{ "household_id": unsigned, "yuan": 100.0, "idempotency_key": "test-key-0004" }] });
    let (code, refused) = api
        .post(&format!("/api/projects/{project}/batches"), &clerk, &early)
        .await;
    assert_eq!(code, 422);
    assert!(
        message(&refused).contains("payment_needs_signed_agreement"),
        "{refused}"
    );

    // sending back: a reason is required; the batch's commitments are released
    let (h3, agreed3) = households[2];
    let third = json!({ "payments": [{ "household_id": h3, "yuan": agreed3, "idempotency_key": "test-key-0005" }] });
    let (_, returned) = api
        .post(&format!("/api/projects/{project}/batches"), &clerk, &third)
        .await;
    let rid = returned["id"].as_i64().expect("an integer");
    assert_eq!(api.step(rid, "return", &chief, &json!({})).await.0, 422);
    let (code, sent_back) = api
        .step(
            rid,
            "return",
            &chief,
            &json!({ "reason": "银行账户信息有误" }),
        )
        .await;
    assert_eq!(code, 200, "{sent_back}");
    assert_eq!(
        (
            &sent_back["status"],
            &sent_back["return_reason"],
            &sent_back["returned_by"]
        ),
        (
            &json!("returned"),
            &json!("银行账户信息有误"),
            &json!("chief")
        )
    );
    let committed: f64 =
        sqlx::query_scalar("SELECT committed_yuan::float8 FROM agreements WHERE household_id = $1")
            .bind(h3)
            .fetch_one(&pool)
            .await
            .expect("query");
    assert!(committed.abs() < 0.005, "{committed}");
    assert_eq!(
        api.step(rid, "review", &colleague, &json!({})).await.0,
        422,
        "a returned batch takes no step"
    );
    assert_eq!(differences(&pool).await, 0);

    // an admin who submits takes no step of that batch either
    let own = json!({ "payments": [{ "household_id": h3, "yuan": agreed3, "idempotency_key": "test-key-0006" }] });
    let (_, mine) = api
        .post(&format!("/api/projects/{project}/batches"), &chief, &own)
        .await;
    let mine = mine["id"].as_i64().expect("an integer");
    let (code, refused) = api.step(mine, "review", &chief, &json!({})).await;
    assert_eq!(code, 422);
    assert!(
        message(&refused).contains("batch_duties_separate"),
        "{refused}"
    );
    // a step taken twice is refused, and history keeps who took it
    assert_eq!(api.step(mine, "review", &deputy, &json!({})).await.0, 200);
    assert_eq!(
        api.step(mine, "review", &treasurer, &json!({})).await.0,
        422
    );
    let (_, kept) = api.get(&format!("/api/batches/{mine}"), &chief).await;
    assert_eq!(kept["steps"][0]["by"], "deputy");
    // an operator of another region neither sees nor moves it
    let elsewhere: String = sqlx::query_scalar(
        "SELECT code FROM regions WHERE level = 'district' AND code <> $1 ORDER BY code LIMIT 1",
    )
    .bind(&district)
    .fetch_one(&pool)
    .await
    .expect("another district");
    let stranger = session(&pool, "stranger", "operator", Some(&elsewhere)).await;
    assert_eq!(
        api.get(&format!("/api/batches/{mine}"), &stranger).await.0,
        403
    );
    assert_eq!(
        api.step(mine, "approve", &stranger, &json!({})).await.0,
        403
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn the_database_refuses_wrong_payments_without_the_application(pool: PgPool) {
    demo_city(&pool).await;
    let (project, _, households) = payable(&pool, true).await;
    let project = project_id(&pool, &project).await;
    for name in ["clerk", "chief", "deputy", "auditor", "treasurer"] {
        session(&pool, name, "admin", None).await;
    }
    let (clerk, chief, deputy, auditor, treasurer) = (
        user_id(&pool, "clerk").await,
        user_id(&pool, "chief").await,
        user_id(&pool, "deputy").await,
        user_id(&pool, "auditor").await,
        user_id(&pool, "treasurer").await,
    );
    let new_batch = || {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO payment_batches (project_id, submitted_by) VALUES ($1, $2) RETURNING id",
        )
        .bind(project)
        .bind(clerk)
        .fetch_one(&pool)
    };
    let pay = |batch: i64, household: i64, yuan: f64, key: &str| {
        sqlx::query("INSERT INTO payments (batch_id, household_id, yuan, idempotency_key) VALUES ($1, $2, $3::numeric, $4)")
            .bind(batch).bind(household).bind(yuan).bind(key.to_owned()).execute(&pool)
    };
    let step = |batch: i64, position: i16, user: Option<i32>| {
        sqlx::query("INSERT INTO batch_steps (batch_id, position, user_id) VALUES ($1, $2, $3)")
            .bind(batch)
            .bind(position)
            .bind(user)
            .execute(&pool)
    };
    let (h1, agreed1) = households[0];
    let batch = new_batch().await.expect("a batch");

    // before signing
    let unsigned: i64 = sqlx::query_scalar(
        "SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1 AND h.status < 'signed' LIMIT 1",
    )
    .bind(project).fetch_one(&pool).await.expect("query");
    assert_eq!(
        rule(pay(batch, unsigned, 10.0, "sql-key-unsigned").await),
        "payment_needs_signed_agreement"
    );
    assert_eq!(rule(sqlx::query("INSERT INTO agreements (household_id, project_id, yuan, signed_at) VALUES ($1, $2, 1, now())")
        .bind(unsigned).bind(project).execute(&pool).await), "agreement_needs_signing");
    // beyond the agreed sum, in one payment or in two
    assert_eq!(
        rule(pay(batch, h1, agreed1 + 0.01, "sql-key-over").await),
        "agreement_not_overpaid"
    );
    pay(batch, h1, agreed1 - 1.0, "sql-key-most")
        .await
        .expect("within the agreement");
    let second = new_batch().await.expect("a batch");
    assert_eq!(
        rule(pay(second, h1, 1.01, "sql-key-rest").await),
        "agreement_not_overpaid"
    );
    // the same idempotency key twice
    let (h2, _) = households[1];
    assert_eq!(
        rule(pay(second, h2, 10.0, "sql-key-most").await),
        "payment_paid_once"
    );
    // a batch cannot start paid or without a submitter, skip steps, or have its sum edited
    assert_eq!(rule(sqlx::query("INSERT INTO payment_batches (project_id, submitted_by, status, paid_at, paid_by) VALUES ($1, $2, 'paid', now(), $2)")
        .bind(project).bind(clerk).execute(&pool).await), "batch_starts_submitted");
    assert_eq!(
        rule(
            sqlx::query("INSERT INTO payment_batches (project_id) VALUES ($1)")
                .bind(project)
                .execute(&pool)
                .await
        ),
        "batch_starts_submitted"
    );
    assert_eq!(rule(sqlx::query("UPDATE payment_batches SET status = 'paid', paid_at = now(), paid_by = $2 WHERE id = $1")
        .bind(batch).bind(chief).execute(&pool).await), "batch_step_order");
    assert_eq!(
        rule(
            sqlx::query("UPDATE payment_batches SET steps_taken = 1 WHERE id = $1")
                .bind(batch)
                .execute(&pool)
                .await
        ),
        "batch_step_order"
    );
    assert_eq!(rule(step(batch, 4, Some(chief)).await), "batch_step_order");
    // duties: the submitter takes no step, a step names who took it, the submitter stays
    assert_eq!(
        rule(step(batch, 1, Some(clerk)).await),
        "batch_duties_separate"
    );
    assert_eq!(rule(step(batch, 1, None).await), "batch_steps_signed");
    assert_eq!(rule(step(batch, 0, Some(chief)).await), "batch_step_order");
    assert_eq!(
        rule(
            sqlx::query("UPDATE payment_batches SET submitted_by = NULL WHERE id = $1")
                .bind(batch)
                .execute(&pool)
                .await
        ),
        "batch_step_order"
    );
    assert_eq!(
        rule(
            sqlx::query("UPDATE payment_batches SET yuan = 1 WHERE id = $1")
                .bind(batch)
                .execute(&pool)
                .await
        ),
        "payment_batch_open"
    );
    assert_eq!(
        rule(
            sqlx::query(
                "UPDATE payment_batches SET status = 'returned', returned_at = now(), returned_by \
        = $2 WHERE id = $1"
            )
            .bind(batch)
            .bind(chief)
            .execute(&pool)
            .await
        ),
        "batch_return_has_reason"
    );
    assert_eq!(
        rule(
            sqlx::query("UPDATE payments SET yuan = 1 WHERE batch_id = $1")
                .bind(batch)
                .execute(&pool)
                .await
        ),
        "payments_append_only"
    );
    // the kept sums and the history cannot be rewritten or removed by hand
    assert_eq!(
        rule(
            sqlx::query("UPDATE agreements SET committed_yuan = 0 WHERE household_id = $1")
                .bind(h1)
                .execute(&pool)
                .await
        ),
        "agreements_kept_by_triggers"
    );
    assert_eq!(
        rule(
            sqlx::query("UPDATE agreements SET yuan = yuan * 2 WHERE household_id = $1")
                .bind(h1)
                .execute(&pool)
                .await
        ),
        "agreements_kept_by_triggers"
    );
    assert_eq!(
        rule(
            sqlx::query("DELETE FROM agreements WHERE household_id = $1")
                .bind(h1)
                .execute(&pool)
                .await
        ),
        "agreements_kept_by_triggers"
    );
    assert_eq!(
        rule(
            sqlx::query(
                "UPDATE project_funds SET allocated_yuan = allocated_yuan * 10 WHERE project_id = \
        $1"
            )
            .bind(project)
            .execute(&pool)
            .await
        ),
        "project_funds_kept_by_triggers"
    );
    assert_eq!(
        rule(
            sqlx::query("DELETE FROM project_funds WHERE project_id = $1")
                .bind(project)
                .execute(&pool)
                .await
        ),
        "project_funds_kept_by_triggers"
    );
    step(batch, 1, Some(chief)).await.expect("a step in order");
    assert_eq!(
        rule(
            sqlx::query("UPDATE batch_steps SET user_id = $2 WHERE batch_id = $1")
                .bind(batch)
                .bind(deputy)
                .execute(&pool)
                .await
        ),
        "batch_steps_append_only"
    );
    assert_eq!(
        rule(
            sqlx::query("DELETE FROM batch_steps WHERE batch_id = $1")
                .bind(batch)
                .execute(&pool)
                .await
        ),
        "batch_steps_append_only"
    );
    for table in [
        "payments",
        "project_funds",
        "fund_allocations",
        "audit_log",
        "batch_steps",
        "approval_steps",
    ] {
        assert_eq!(
            rule(
                sqlx::query(&format!("TRUNCATE {table}"))
                    .execute(&pool)
                    .await
            ),
            format!("{table}_append_only")
        );
    }
    // once a step is taken, the batch's payments are what was approved
    assert_eq!(
        rule(pay(batch, h2, 10.0, "sql-key-late").await),
        "payment_batch_open"
    );

    // a batch paid beyond the allocations: payments (each within its agreement) past what is left
    let (allocated, paid): (f64, f64) = sqlx::query_as(
        "SELECT allocated_yuan::float8, paid_yuan::float8 FROM project_funds WHERE project_id = $1",
    )
    .bind(project)
    .fetch_one(&pool)
    .await
    .expect("query");
    let big = new_batch().await.expect("a batch");
    let mut total = 0.0;
    for (i, (h, agreed)) in households[2..].iter().enumerate() {
        pay(big, *h, *agreed, &format!("sql-key-big-{i}"))
            .await
            .expect("within its agreement");
        total += agreed;
        if paid + total > allocated {
            break;
        }
    }
    assert!(
        paid + total > allocated,
        "the project chosen has more payable than allocated"
    );
    for (position, user) in [(1, chief), (2, deputy), (3, auditor)] {
        step(big, position, Some(user))
            .await
            .expect("a step in order");
    }
    assert_eq!(
        rule(step(big, 3, Some(treasurer)).await),
        "batch_step_order"
    );
    assert_eq!(
        rule(step(big, 4, Some(treasurer)).await),
        "batch_within_allocations"
    );
    let (status, steps): (String, i16) =
        sqlx::query_as("SELECT status::text, steps_taken FROM payment_batches WHERE id = $1")
            .bind(big)
            .fetch_one(&pool)
            .await
            .expect("query");
    assert_eq!(
        (status.as_str(), steps),
        ("submitted", 3),
        "the refused payment changed nothing"
    );
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
    let statuses: Vec<u16> = futures_util::future::join_all(requests)
        .await
        .into_iter()
        .map(|r| r.expect("the server answers").status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 422),
        "{statuses:?}"
    );
    let committed: f64 =
        sqlx::query_scalar("SELECT committed_yuan::float8 FROM agreements WHERE household_id = $1")
            .bind(h)
            .fetch_one(&pool)
            .await
            .expect("query");
    assert!(
        (committed - agreed).abs() < 0.005,
        "{committed} vs {agreed}"
    );
    assert_eq!(differences(&pool).await, 0);
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn payment_amounts_are_whole_fen_positive_and_sane_or_nothing_is_written(pool: PgPool) {
    demo_city(&pool).await;
    let (project, district, households) = payable(&pool, false).await;
    let api = Api::serve(&pool).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let chief = session(&pool, "chief", "admin", None).await;
    let written = || {
        sqlx::query_scalar::<_, String>(
        "SELECT concat_ws(' ', (SELECT count(*) FROM payment_batches), (SELECT count(*) FROM payments),
                               (SELECT count(*) FROM fund_allocations), (SELECT count(*) FROM audit_log), (SELECT sum(committed_yuan) FROM agreements))",
    )
    .fetch_one(&pool)
    };
    let before = written().await.expect("query");
    let (h1, _) = households[0];
    let (h2, _) = households[1];
    let batches = format!("/api/projects/{project}/batches");
    // the second row is the wrong one: the error names it, and the first is not written either
    for (yuan, why) in [
        (json!(0.004), "two decimals"),
        (json!(12.345), "two decimals"),
        (json!(0), "positive"),
        (json!(-5), "between 0 and"),
        (json!(1e15), "between 0 and"),
        (json!(f64::MAX), "between 0 and"),
    ] {
        let body = json!({ "payments": [{ "household_id": h1, "yuan": 100.0, "idempotency_key": "fen-key-0001" },
                                         { "household_id": h2, "yuan": yuan, "idempotency_key": "fen-key-0002" }] });
        let (code, refused) = api.post(&batches, &clerk, &body).await;
        assert_eq!(code, 422, "{yuan}: {refused}");
        assert!(
            message(&refused).starts_with(&format!("payments[1].yuan (household {h2}): ")),
            "{yuan}: {refused}"
        );
        assert!(message(&refused).contains(why), "{yuan}: {refused}");
    }
    let raw = |body: &'static str| {
        reqwest::Client::new()
            .post(format!("{}{batches}", api.base))
            .bearer_auth(&clerk)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    // a number beyond f64 is not JSON the body can hold: a 400 that says where
    let answer = raw(
        r#"{"payments": [{"household_id": 1, "yuan": 1e400, "idempotency_key": "fen-key-0003"}]}"#,
    )
    .await
    .expect("the server answers");
    assert_eq!(answer.status().as_u16(), 400);
    let refused: Value = answer.json().await.expect("a JSON error");
    assert!(message(&refused).starts_with("body: "), "{refused}");
    for (body, field) in [
        (json!({ "payments": [] }), "payments"),
        (
            json!({ "note": "第一批\u{0}", "payments": [{ "household_id": h1, "yuan": 1.0, "idempotency_key": "fen-key-0004" }] }),
            "note",
        ),
        (
            json!({ "payments": [{ "household_id": h1, "yuan": 1.0, "idempotency_key": "short" }] }),
            "payments[0].idempotency_key",
        ),
    ] {
        let (code, refused) = api.post(&batches, &clerk, &body).await;
        assert_eq!(
            (code, message(&refused).starts_with(field)),
            (422, true),
            "{body}: {refused}"
        );
    }
    let allocations = format!("/api/projects/{project}/allocations");
    for (body, field) in [
        (
            json!({ "yuan": 0.004, "received_on": "2026-11-20" }),
            "yuan",
        ),
        (json!({ "yuan": 1e13, "received_on": "2026-11-20" }), "yuan"),
        (
            json!({ "yuan": 1000.0, "received_on": "1800-01-01" }),
            "received_on",
        ),
        (
            json!({ "yuan": 1000.0, "received_on": "2026-11-20", "note": "拨款\u{7}" }),
            "note",
        ),
    ] {
        let (code, refused) = api.post(&allocations, &chief, &body).await;
        assert_eq!(
            (code, message(&refused).starts_with(field)),
            (422, true),
            "{body}: {refused}"
        );
    }
    assert_eq!(
        written().await.expect("query"),
        before,
        "nothing was written"
    );
    // two decimals pass, exactly
    let body = json!({ "payments": [{ "household_id": h1, "yuan": 0.01, "idempotency_key": "fen-key-0005" }] });
    let (code, made) = api.post(&batches, &clerk, &body).await;
    assert_eq!(code, 201, "{made}");
    let cents: String = sqlx::query_scalar(
        "SELECT yuan::text FROM payments WHERE idempotency_key = 'fen-key-0005'",
    )
    .fetch_one(&pool)
    .await
    .expect("query");
    assert_eq!(cents, "0.01");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn warnings_follow_allocations_budget_and_lagging_payments(pool: PgPool) {
    demo_city(&pool).await;
    let (project, _, households) = payable(&pool, true).await;
    let (base, _state) = serve(&pool).await;
    let admin = session(&pool, "chief", "admin", None).await;
    let http = reqwest::Client::new();
    let warnings = || {
        let request = http
            .get(format!("{base}/api/projects/{project}/funds"))
            .bearer_auth(&admin);
        async move {
            let funds: Value = request
                .send()
                .await
                .expect("the server answers")
                .json()
                .await
                .expect("a JSON answer");
            funds["warnings"]
                .as_array()
                .expect("an array")
                .iter()
                .map(|w| {
                    (
                        w["code"].as_str().expect("a string").to_owned(),
                        w["level"].as_str().expect("a string").to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    // signed over 30 days ago (Beijing days) and unpaid: lag, exactly when the agreements say so
    let project_id = project_id(&pool, &project).await;
    let lagging: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM agreements WHERE project_id = $1 AND committed_yuan = 0 AND yuan > 0 AND voided_at IS NULL
            AND signed_at < ((now() AT TIME ZONE 'Asia/Shanghai')::date - 30)::timestamp AT TIME ZONE 'Asia/Shanghai'",
    )
    .bind(project_id).fetch_one(&pool).await.expect("query");
    assert_eq!(
        warnings()
            .await
            .contains(&("payment_lag".into(), "warn".into())),
        lagging > 0,
        "{lagging} households lag"
    );
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
    assert!(
        sum > allocated,
        "the project chosen has more payable than allocated"
    );
    let r = http
        .post(format!("{base}/api/projects/{project}/batches"))
        .bearer_auth(&admin)
        .json(&json!({ "payments": payments }))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(r.status().as_u16(), 201);
    assert!(warnings()
        .await
        .contains(&("allocations".into(), "alarm".into())));
    let alerts: Value = http
        .get(format!("{base}/api/alerts"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a JSON answer");
    assert!(alerts["alerts"]
        .as_array()
        .expect("an array")
        .iter()
        .any(|a| a["kind"] == "funds"
            && a["project_id"] == json!(project_id)
            && a["level"] == "alarm"));
    // money received clears the alarm
    let top_up = ((sum * 2.0) * 100.0).round() / 100.0;
    let r = http
        .post(format!("{base}/api/projects/{project}/allocations"))
        .bearer_auth(&admin)
        .json(&json!({ "yuan": top_up, "received_on": "2026-11-20", "note": "追加" }))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(r.status().as_u16(), 201);
    assert!(!warnings()
        .await
        .iter()
        .any(|(code, level)| code == "allocations" && level == "alarm"));
}
