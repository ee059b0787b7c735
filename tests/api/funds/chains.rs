//! Approval chains by configuration (issue 11, finding 3): one person takes one step of a batch,
//! by the API and by SQL; Heshui's seven steps with seven offices; a send-back from every step;
//! a chain edited while batches are in flight (versioned: they keep theirs).
use serde_json::{json, Value};
use sqlx::PgPool;

use super::{differences, message, payable, project_id, rule, staff, user_id, Api, Staff};
use crate::helpers::{demo_city, session};

/// Heshui County's fund approval: seven steps, each a different office (合水县棚改资金审批).
fn heshui() -> Value {
    json!({ "steps": [
        { "key": "agreement_review", "name": "补偿协议审核", "role": "operator", "office": "征收所" },
        { "key": "leader_precheck", "name": "分管领导预审", "role": "admin", "office": "分管领导" },
        { "key": "office_review", "name": "办公室主任审核", "role": "admin", "office": "办公室" },
        { "key": "finance_approval", "name": "财务审批", "role": "admin", "office": "财务" },
        { "key": "company_approval", "name": "公司审批", "role": "admin", "office": "立鑫公司" },
        { "key": "bank_payment", "name": "银行付款", "role": "admin", "office": "代理银行" },
        { "key": "disburse", "name": "拨付到户", "role": "operator", "office": "拨付专岗" },
    ] })
}

/// Submits a batch paying `yuan` to `household` as `token`; returns its id.
async fn submit(
    api: &Api,
    project: &str,
    token: &str,
    household: i64,
    yuan: f64,
    key: &str,
) -> i64 {
    let body = json!({ "note": "审批链测试", "payments": [{ "household_id": household, "yuan": yuan, "idempotency_key": key }] });
    let (code, batch) = api
        .post(&format!("/api/projects/{project}/batches"), token, &body)
        .await;
    assert_eq!(code, 201, "{batch}");
    batch["id"].as_i64().expect("an integer")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn one_admin_cannot_review_approve_and_pay_an_operators_batch(pool: PgPool) {
    demo_city(&pool).await;
    let (project, district, households) = payable(&pool, false).await;
    let api = Api::serve(&pool).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let chief = session(&pool, "chief", "admin", None).await;
    let (h1, _) = households[0];

    // the finding, by the API: review goes through, approving the same batch does not
    let id = submit(&api, &project, &clerk, h1, 1000.0, "finding-key-0001").await;
    assert_eq!(api.step(id, "review", &chief, &json!({})).await.0, 200);
    let (_, seen) = api.get(&format!("/api/batches/{id}"), &chief).await;
    assert_eq!(
        (
            &seen["next_step"]["key"],
            &seen["may_take_next"],
            &seen["may_send_back"]
        ),
        (&json!("approve"), &json!(false), &json!(true)),
        "{seen}"
    );
    let (code, refused) = api.step(id, "approve", &chief, &json!({})).await;
    assert_eq!(code, 422, "{refused}");
    assert!(
        message(&refused).contains("batch_duties_separate"),
        "{refused}"
    );
    assert_eq!(api.step(id, "pay", &chief, &json!({})).await.0, 422);
    let (status, steps): (String, i16) =
        sqlx::query_as("SELECT status::text, steps_taken FROM payment_batches WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .expect("query");
    assert_eq!(
        (status.as_str(), steps),
        ("submitted", 1),
        "the refusals moved nothing"
    );

    // the same by SQL, whoever writes it: the admin's second step, and a submitter's first
    let project = project_id(&pool, &project).await;
    let (clerk, chief) = (user_id(&pool, "clerk").await, user_id(&pool, "chief").await);
    let by_sql = sqlx::query_scalar::<_, i64>(
        "INSERT INTO payment_batches (project_id, submitted_by) VALUES ($1, $2) RETURNING id",
    )
    .bind(project)
    .bind(clerk)
    .fetch_one(&pool)
    .await
    .expect("a batch");
    let step = |batch: i64, position: i16, user: i32| {
        sqlx::query("INSERT INTO batch_steps (batch_id, position, user_id) VALUES ($1, $2, $3)")
            .bind(batch)
            .bind(position)
            .bind(user)
            .execute(&pool)
    };
    step(by_sql, 1, chief).await.expect("the review");
    assert_eq!(rule(step(by_sql, 2, chief).await), "batch_duties_separate");
    let own = sqlx::query_scalar::<_, i64>(
        "INSERT INTO payment_batches (project_id, submitted_by) VALUES ($1, $2) RETURNING id",
    )
    .bind(project)
    .bind(chief)
    .fetch_one(&pool)
    .await
    .expect("a batch");
    assert_eq!(rule(step(own, 1, chief).await), "batch_duties_separate");
    // nor does a send-back count as a step that someone could slip through as
    assert_eq!(rule(sqlx::query("UPDATE payment_batches SET status = 'returned', returned_at = now(), returned_by = $2, return_reason = '无' WHERE id = $1")
        .bind(by_sql).bind(clerk).execute(&pool).await), "batch_step_holder", "an operator may not send back at an admin's step");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_seven_step_heshui_chain_runs_end_to_end_with_seven_people(pool: PgPool) {
    demo_city(&pool).await;
    let (project, district, households) = payable(&pool, false).await;
    let api = Api::serve(&pool).await;
    let chief = session(&pool, "chief", "admin", None).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let chain = format!("/api/projects/{project}/approval-chain");
    let (code, set) = api.put(&chain, &chief, &heshui()).await;
    assert_eq!(code, 200, "{set}");
    assert_eq!(
        (
            &set["version"],
            &set["project_specific"],
            set["steps"].as_array().map(Vec::len)
        ),
        (&json!(1), &json!(true), Some(7)),
        "{set}"
    );
    let (_, read) = api.get(&chain, &clerk).await;
    assert_eq!(
        read["steps"], set["steps"],
        "the project's operators read the chain"
    );

    // seven people, each holding one office (operators for the first and last step)
    let holders = [
        ("zhengshou", "operator", "征收所"),
        ("fenguan", "admin", "分管领导"),
        ("bangongshi", "admin", "办公室"),
        ("caiwu", "admin", "财务"),
        ("lixin", "admin", "立鑫公司"),
        ("yinhang", "admin", "代理银行"),
        ("bofu", "operator", "拨付专岗"),
    ];
    let mut tokens = Vec::new();
    for (name, role, office) in holders {
        tokens.push(
            session(
                &pool,
                name,
                role,
                (role == "operator").then_some(district.as_str()),
            )
            .await,
        );
        let (code, held) = api
            .put(
                &format!("/api/offices/{name}"),
                &chief,
                &json!({ "offices": [office] }),
            )
            .await;
        assert_eq!((code, &held["offices"]), (200, &json!([office])), "{held}");
    }
    let (code, listed) = api.get("/api/offices", &chief).await;
    assert_eq!(code, 200);
    assert!(
        listed["offices"]
            .as_array()
            .expect("an array")
            .contains(&json!("立鑫公司")),
        "{listed}"
    );
    assert_eq!(
        api.get("/api/offices", &clerk).await.0,
        403,
        "only an admin sees who holds what"
    );
    assert_eq!(
        api.put(
            "/api/offices/clerk",
            &clerk,
            &json!({ "offices": ["财务"] })
        )
        .await
        .0,
        403
    );

    let (household, agreed) = households[0];
    let (_, before) = api
        .get(&format!("/api/projects/{project}/funds"), &chief)
        .await;
    let id = submit(&api, &project, &clerk, household, agreed, "heshui-key-0001").await;
    let steps = heshui()["steps"].as_array().expect("steps").clone();
    for (i, step) in steps.iter().enumerate() {
        let key = step["key"].as_str().expect("a key");
        // the chief, an admin without the office, may not take it; nor may the one who took the step before
        let (code, refused) = api.step(id, key, &chief, &json!({})).await;
        assert_eq!(code, 403, "{key}: {refused}");
        assert!(
            message(&refused).contains(step["office"].as_str().expect("an office")),
            "{refused}"
        );
        if i > 0 {
            assert_eq!(
                api.step(id, key, &tokens[i - 1], &json!({})).await.0,
                403,
                "{key} by the holder of the step before"
            );
        }
        let (code, moved) = api.step(id, key, &tokens[i], &json!({})).await;
        assert_eq!(code, 200, "{key}: {moved}");
        assert_eq!(moved["steps"][i]["by"], holders[i].0);
        let next = steps.get(i + 1).map_or(Value::Null, |s| s["key"].clone());
        assert_eq!(moved["next_step"]["key"], next, "{moved}");
        assert_eq!(moved["status"], if i == 6 { "paid" } else { "submitted" });
    }
    let (_, paid) = api.get(&format!("/api/batches/{id}"), &chief).await;
    assert_eq!(
        (&paid["paid_by"], &paid["chain"]["project_specific"]),
        (&json!("bofu"), &json!(true)),
        "{paid}"
    );
    assert!(
        paid["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .all(|s| s["by"].is_string() && s["at"].is_string()),
        "{paid}"
    );
    let (_, after) = api
        .get(&format!("/api/projects/{project}/funds"), &chief)
        .await;
    let moved = after["paid_yuan"].as_f64().expect("a number")
        - before["paid_yuan"].as_f64().expect("a number");
    assert!(
        (moved - agreed).abs() < 0.005,
        "paid {moved}, agreed {agreed}"
    );
    assert_eq!(differences(&pool).await, 0);
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject IN ($1, $2) ORDER BY id")
            .bind(format!("batch {id}"))
            .bind(format!("project {project}"))
            .fetch_all(&pool)
            .await
            .expect("query");
    assert_eq!(audited.first().map(String::as_str), Some("approval_chain"));
    assert_eq!(
        audited.iter().filter(|a| *a == "batch_step").count(),
        7,
        "{audited:?}"
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_batch_is_sent_back_from_any_step_and_its_money_released(pool: PgPool) {
    demo_city(&pool).await;
    let (project, district, households) = payable(&pool, false).await;
    let api = Api::serve(&pool).await;
    let Staff {
        clerk,
        colleague,
        chief,
        deputy,
        treasurer,
    } = staff(&pool, &district).await;
    // the default chain's four steps and who takes each in this test
    let chain = [
        ("review", &colleague),
        ("approve", &chief),
        ("check", &deputy),
        ("pay", &treasurer),
    ];
    let (household, agreed) = households[0];
    let committed = || {
        sqlx::query_scalar::<_, f64>(
            "SELECT committed_yuan::float8 FROM agreements WHERE household_id = $1",
        )
        .bind(household)
        .fetch_one(&pool)
    };
    for at in 0..chain.len() {
        let id = submit(
            &api,
            &project,
            &clerk,
            household,
            agreed,
            &format!("back-key-{at:04}"),
        )
        .await;
        for (key, token) in &chain[..at] {
            assert_eq!(api.step(id, key, token, &json!({})).await.0, 200, "{key}");
        }
        assert!(
            (committed().await.expect("query") - agreed).abs() < 0.005,
            "the batch commits the money"
        );
        let (pending, holder) = chain[at];
        let (code, refused) = api
            .step(id, "return", holder, &json!({ "reason": "  " }))
            .await;
        assert_eq!(
            (code, message(&refused).starts_with("reason")),
            (422, true),
            "{refused}"
        );
        if pending != "review" {
            // an operator of the region may not send back at an admin's step
            assert_eq!(
                api.step(
                    id,
                    "return",
                    &colleague,
                    &json!({ "reason": "不应由我退回" })
                )
                .await
                .0,
                403,
                "at {pending}"
            );
        }
        let reason = format!("在{pending}环节发现账户信息有误");
        let (code, back) = api
            .step(id, "return", holder, &json!({ "reason": reason }))
            .await;
        assert_eq!(code, 200, "at {pending}: {back}");
        assert_eq!(
            (
                &back["status"],
                &back["return_reason"],
                &back["steps_taken"]
            ),
            (&json!("returned"), &json!(reason), &json!(at)),
            "{back}"
        );
        assert!(
            committed().await.expect("query").abs() < 0.005,
            "sent back at {pending}: the money is released"
        );
        assert_eq!(
            api.step(id, pending, holder, &json!({})).await.0,
            422,
            "a returned batch takes no step"
        );
        assert_eq!(
            api.step(id, "return", holder, &json!({ "reason": "再次退回" }))
                .await
                .0,
            422,
            "nor goes back twice"
        );
        assert_eq!(differences(&pool).await, 0);
    }
    // once paid, there is nothing to send back
    let id = submit(&api, &project, &clerk, household, agreed, "back-key-paid").await;
    for (key, token) in chain {
        assert_eq!(api.step(id, key, token, &json!({})).await.0, 200, "{key}");
    }
    assert_eq!(
        api.step(id, "return", &chief, &json!({ "reason": "已支付" }))
            .await
            .0,
        422
    );
    let returns: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'batch_return'")
            .fetch_one(&pool)
            .await
            .expect("query");
    assert_eq!(returns, 4, "each send-back audited");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_chain_edit_leaves_batches_in_flight_on_the_version_they_started_with(pool: PgPool) {
    demo_city(&pool).await;
    let (project, district, households) = payable(&pool, false).await;
    let api = Api::serve(&pool).await;
    let Staff {
        clerk,
        colleague,
        chief,
        deputy,
        treasurer,
    } = staff(&pool, &district).await;
    let chain = format!("/api/projects/{project}/approval-chain");
    let (_, default) = api.get("/api/approval-chain", &chief).await;
    assert_eq!(
        (&default["version"], &default["project_specific"]),
        (&json!(1), &json!(false)),
        "{default}"
    );

    // a batch under the default, one step in
    let (h1, _) = households[0];
    let (h2, _) = households[1];
    let old = submit(&api, &project, &clerk, h1, 500.0, "edit-key-0001").await;
    assert_eq!(api.step(old, "review", &colleague, &json!({})).await.0, 200);

    // refused edits name the field and write nothing
    let chains_before: i64 = sqlx::query_scalar("SELECT count(*) FROM approval_chains")
        .fetch_one(&pool)
        .await
        .expect("query");
    let two = json!({ "steps": [{ "key": "review", "name": "审核", "role": "operator" },
                                { "key": "pay", "name": "支付", "role": "admin", "office": "财务" }] });
    assert_eq!(
        api.put(&chain, &clerk, &two).await.0,
        403,
        "operators do not change chains"
    );
    let step =
        |key: &str, name: &str, role: &str| json!({ "key": key, "name": name, "role": role });
    for (steps, field) in [
        (json!([]), "steps"),
        (json!([step("review", "审核", "boss")]), "steps[0].role"),
        (json!([step("Return", "审核", "admin")]), "steps[0].key"),
        (json!([step("return", "退回", "admin")]), "steps[0].key"),
        (
            json!([
                step("review", "审核", "admin"),
                step("review", "复审", "admin")
            ]),
            "steps[1].key",
        ),
        (
            json!([
                step("review", "审核", "admin"),
                step("check", "审核", "admin")
            ]),
            "steps[1].name",
        ),
        (json!([step("review", " ", "admin")]), "steps[0].name"),
        (
            json!([{ "key": "review", "name": "审核", "role": "admin", "office": "财务\u{0}" }]),
            "steps[0].office",
        ),
        (
            json!((0..13)
                .map(|i| step(&format!("s{i}"), &format!("第{i}步"), "admin"))
                .collect::<Vec<_>>()),
            "steps",
        ),
    ] {
        let (code, refused) = api.put(&chain, &chief, &json!({ "steps": steps })).await;
        assert_eq!(
            (code, message(&refused).starts_with(field)),
            (422, true),
            "{steps}: {refused}"
        );
    }
    let chains_now: i64 = sqlx::query_scalar("SELECT count(*) FROM approval_chains")
        .fetch_one(&pool)
        .await
        .expect("query");
    assert_eq!(chains_now, chains_before, "nothing was written");

    // the edit: a two-step chain for this project; the batch in flight keeps the default's four
    let (code, set) = api.put(&chain, &chief, &two).await;
    assert_eq!(code, 200, "{set}");
    assert_eq!(
        (
            &set["version"],
            &set["in_flight_on_earlier_versions"],
            &set["steps"][1]["office"]
        ),
        (&json!(1), &json!(1), &json!("财务")),
        "{set}"
    );
    let (_, kept) = api.get(&format!("/api/batches/{old}"), &chief).await;
    assert_eq!(
        (
            &kept["chain"]["project_specific"],
            &kept["next_step"]["key"],
            kept["steps"].as_array().map(Vec::len)
        ),
        (&json!(false), &json!("approve"), Some(4)),
        "{kept}"
    );
    for (key, token) in [("approve", &chief), ("check", &deputy), ("pay", &treasurer)] {
        assert_eq!(
            api.step(old, key, token, &json!({})).await.0,
            200,
            "{key} on the old version"
        );
    }

    // a new batch takes the new chain: no `approve` in it, and paying needs the office 财务
    let new = submit(&api, &project, &clerk, h2, 500.0, "edit-key-0002").await;
    let (_, fresh) = api.get(&format!("/api/batches/{new}"), &chief).await;
    assert_eq!(
        (
            &fresh["chain"]["project_specific"],
            fresh["steps"].as_array().map(Vec::len)
        ),
        (&json!(true), Some(2)),
        "{fresh}"
    );
    assert_eq!(api.step(new, "approve", &chief, &json!({})).await.0, 404);
    assert_eq!(api.step(new, "review", &colleague, &json!({})).await.0, 200);
    let (code, refused) = api.step(new, "pay", &treasurer, &json!({})).await;
    assert_eq!(code, 403, "{refused}");
    assert!(message(&refused).contains("财务"), "{refused}");
    assert_eq!(
        api.put(
            "/api/offices/treasurer",
            &chief,
            &json!({ "offices": ["财务"] })
        )
        .await
        .0,
        200
    );
    let (code, paid) = api.step(new, "pay", &treasurer, &json!({})).await;
    assert_eq!((code, &paid["status"]), (200, &json!("paid")), "{paid}");

    // another edit is version 2; the default is untouched
    let (_, again) = api.put(&chain, &chief, &heshui()).await;
    assert_eq!(
        (&again["version"], &again["in_flight_on_earlier_versions"]),
        (&json!(2), &json!(0)),
        "{again}"
    );
    let (_, default_after) = api.get("/api/approval-chain", &clerk).await;
    assert_eq!(default_after["id"], default["id"]);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'approval_chain' AND subject = $1",
    )
    .bind(format!("project {project}"))
    .fetch_one(&pool)
    .await
    .expect("query");
    assert_eq!(audited, 2);
    assert_eq!(differences(&pool).await, 0);

    // chains are history in the database too: no rewriting, no steps added later, no gaps, and
    // a batch follows the chain in force when it is submitted
    let chain_id = set["id"].as_i64().expect("an id");
    assert_eq!(
        rule(
            sqlx::query("UPDATE approval_steps SET office = NULL WHERE chain_id = $1")
                .bind(chain_id)
                .execute(&pool)
                .await
        ),
        "approval_steps_append_only"
    );
    assert_eq!(
        rule(
            sqlx::query("DELETE FROM approval_chains WHERE id = $1")
                .bind(chain_id)
                .execute(&pool)
                .await
        ),
        "approval_chains_append_only"
    );
    assert_eq!(rule(sqlx::query("INSERT INTO approval_steps (chain_id, position, key, name, role) VALUES ($1, 3, 'extra', '加签', 'admin')")
        .bind(chain_id).execute(&pool).await), "approval_chain_fixed");
    let mut tx = pool.begin().await.expect("a transaction");
    let gap: i64 = sqlx::query_scalar(
        "INSERT INTO approval_chains (project_id, version) VALUES (NULL, 99) RETURNING id",
    )
    .fetch_one(&mut *tx)
    .await
    .expect("a chain");
    sqlx::query(
        "INSERT INTO approval_steps (chain_id, position, key, name, role) VALUES ($1, 2, \
        'pay', '支付', 'admin')",
    )
    .bind(gap)
    .execute(&mut *tx)
    .await
    .expect("a step");
    let committed = tx.commit().await.expect_err("a chain with a gap");
    assert_eq!(
        committed.as_database_error().and_then(|d| d.constraint()),
        Some("approval_chain_numbered")
    );
    let clerk_id = user_id(&pool, "clerk").await;
    assert_eq!(rule(sqlx::query("INSERT INTO payment_batches (project_id, submitted_by, chain_id) VALUES ($1, $2, $3)")
        .bind(project_id(&pool, &project).await).bind(clerk_id).bind(chain_id).execute(&pool).await), "batch_chain_in_force");
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn concurrent_takers_of_one_step_leave_one_record(pool: PgPool) {
    demo_city(&pool).await;
    let (project, district, households) = payable(&pool, false).await;
    let api = Api::serve(&pool).await;
    let clerk = session(&pool, "clerk", "operator", Some(&district)).await;
    let mut admins = Vec::new();
    for i in 0..6 {
        admins.push(session(&pool, &format!("admin{i}"), "admin", None).await);
    }
    let (household, _) = households[0];
    let id = submit(&api, &project, &clerk, household, 100.0, "race-step-0001").await;
    // six admins press 审核 at once: one takes it, the others find it taken (the batch's row lock)
    let empty = json!({});
    let answers = futures_util::future::join_all(
        admins
            .iter()
            .map(|token| api.step(id, "review", token, &empty)),
    )
    .await;
    let codes: Vec<u16> = answers.iter().map(|a| a.0).collect();
    assert_eq!(codes.iter().filter(|c| **c == 200).count(), 1, "{codes:?}");
    assert!(codes.iter().all(|c| *c == 200 || *c == 422), "{codes:?}");
    let (rows, taken): (i64, i16) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM batch_steps WHERE batch_id = $1 AND position = 1), steps_taken FROM payment_batches WHERE id = $1",
    )
    .bind(id).fetch_one(&pool).await.expect("query");
    assert_eq!((rows, taken), (1, 1));
    // and one admin pressing the next two steps at once takes at most one of them
    let winner = codes.iter().position(|c| *c == 200).expect("a winner");
    let other = &admins[(winner + 1) % admins.len()];
    let (approve, check) = futures_util::join!(
        api.step(id, "approve", other, &empty),
        api.step(id, "check", other, &empty)
    );
    assert_eq!((approve.0, check.0), (200, 422), "{approve:?} {check:?}");
}
