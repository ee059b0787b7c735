//! Procedure templates as versioned data (issue 14): staff read every kind's versions and a
//! version's steps; an admin's new version is validated step by step (each refusal a 422 naming
//! the step, its key and the field, with nothing written), audited, and taken by the projects
//! created after it while the older projects keep theirs.
use onemap::AppState;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::admin::call;
use crate::helpers::{session, state};
use crate::procedure_time::project;

/// The id of `kind`'s newest version, read through the API.
async fn newest(app: &AppState, token: &str, kind: &str) -> Value {
    let (status, list) = call(app, "GET", "/api/procedure/templates", Some(token), None).await;
    assert_eq!(status, 200, "{list}");
    list["templates"]
        .as_array()
        .expect("templates")
        .iter()
        .find(|t| t["kind"] == kind && t["newest"] == true)
        .cloned()
        .unwrap_or_else(|| panic!("{kind} has a newest version"))
}

/// A new version's body: a copy of version `id` (its steps as the API gave them, seq included).
async fn copy_of(app: &AppState, token: &str, id: &Value) -> Value {
    let (status, one) = call(
        app,
        "GET",
        &format!("/api/procedure/templates/{id}"),
        Some(token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{one}");
    json!({
        "kind": one["template"]["kind"], "name": one["template"]["name"], "note": "测试",
        "based_on": one["template"]["version"], "steps": one["steps"],
    })
}

/// What the database holds of templates: versions, steps and audit lines about them.
async fn written(pool: &PgPool) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM procedure_templates), (SELECT count(*) FROM procedure_template_steps),
                (SELECT count(*) FROM audit_log WHERE action = 'procedure_template')",
    )
    .fetch_one(pool)
    .await
    .expect("counts")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn staff_read_every_kinds_versions_and_a_versions_steps(pool: PgPool) {
    let app = state(&pool).await;
    let viewer = session(&pool, "viewer1", "viewer", None).await;
    let (status, list) = call(&app, "GET", "/api/procedure/templates", Some(&viewer), None).await;
    assert_eq!(status, 200, "{list}");
    let counts: Vec<(String, i64, i64, bool)> = list["templates"]
        .as_array()
        .expect("templates")
        .iter()
        .map(|t| {
            (
                t["kind"].as_str().expect("the answer's shape").to_owned(),
                t["version"].as_i64().expect("the answer's shape"),
                t["steps"].as_i64().expect("the answer's shape"),
                t["newest"] == true,
            )
        })
        .collect();
    assert_eq!(
        counts,
        vec![
            ("house_expropriation".into(), 1, 22, true),
            ("land_acquisition".into(), 1, 22, true),
            ("shantytown".into(), 1, 13, true),
            ("land_readiness".into(), 1, 13, true),
        ]
    );
    let house = newest(&app, &viewer, "house_expropriation").await;
    let (_, one) = call(
        &app,
        "GET",
        &format!("/api/procedure/templates/{}", house["id"]),
        Some(&viewer),
        None,
    )
    .await;
    let comment = &one["steps"][5];
    assert_eq!(comment["key"], "plan_comment");
    assert_eq!(
        (
            comment["min_period"].as_i64(),
            comment["period_unit"].as_str()
        ),
        (Some(30), Some("days"))
    );
    assert_eq!(comment["publishes"], json!(["compensation_plan", "policy"]));
    let window = &one["steps"][11];
    assert_eq!(
        (
            &window["key"],
            &window["max_period"],
            &window["period_unit"],
            &window["clock_from"],
            &window["is_window"]
        ),
        (
            &json!("litigation_window"),
            &json!(6),
            &json!("months"),
            &json!("decision"),
            &json!(true)
        )
    );
    // none but staff: no session, and an id that is none
    assert_eq!(
        call(&app, "GET", "/api/procedure/templates", None, None)
            .await
            .0,
        401
    );
    let (status, missing) = call(
        &app,
        "GET",
        "/api/procedure/templates/9999",
        Some(&viewer),
        None,
    )
    .await;
    assert_eq!(
        (status, &missing["code"]),
        (404, &json!("template_not_found"))
    );
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn a_new_version_goes_to_projects_created_after_it_and_older_projects_keep_theirs(
    pool: PgPool,
) {
    let app = state(&pool).await;
    let admin = session(&pool, "boss", "admin", None).await;
    let before = project(&pool, "TPL-OLD", "house_expropriation").await;
    let operator = session(&pool, "clerk", "operator", Some("430700")).await;
    let v1 = newest(&app, &admin, "house_expropriation").await;
    let mut body = copy_of(&app, &admin, &v1["id"]).await;
    // the comment period made 45 days, one step renamed, and a step added at the end
    body["steps"][5]["min_period"] = json!(45);
    body["steps"][0]["name"] = json!("前期审批");
    body["note"] = json!("征求意见期延长至45日");
    let mut added = body["steps"][21].clone();
    added["key"] = json!("audit_review");
    added["name"] = json!("审计复核");
    added["prerequisites"] = json!(["archive"]);
    added["seq"] = json!(23);
    body["steps"]
        .as_array_mut()
        .expect("the answer's shape")
        .push(added);

    // an operator may not, and writes nothing
    let counts = written(&pool).await;
    let (status, _) = call(
        &app,
        "POST",
        "/api/procedure/templates",
        Some(&operator),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(written(&pool).await, counts);

    let (status, v2) = call(
        &app,
        "POST",
        "/api/procedure/templates",
        Some(&admin),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 201, "{v2}");
    assert_eq!(
        (
            v2["template"]["version"].as_i64(),
            v2["template"]["newest"].as_bool()
        ),
        (Some(2), Some(true))
    );
    assert_eq!(v2["steps"].as_array().map(Vec::len), Some(23));
    assert_eq!(v2["template"]["created_by"], "boss");
    let after = project(&pool, "TPL-NEW", "house_expropriation").await;

    // the old project keeps version 1 (its comment period 30 days), the new one takes version 2
    let rules: Vec<(i64, i32, Option<i16>, i64)> = sqlx::query_as(
        "SELECT pp.project_id, t.version, s.min_period, (SELECT count(*) FROM project_steps ps WHERE ps.project_id = pp.project_id)
           FROM project_procedures pp JOIN procedure_templates t ON t.id = pp.template_id
           JOIN procedure_template_steps s ON s.template_id = t.id AND s.key = 'plan_comment'
          WHERE pp.project_id IN ($1, $2) ORDER BY pp.project_id",
    )
    .bind(before)
    .bind(after)
    .fetch_all(&pool)
    .await
    .expect("rules");
    assert_eq!(
        rules,
        vec![(before, 1, Some(30), 22), (after, 2, Some(45), 23)]
    );

    // the list counts the projects of each version; the audit trail names the version
    let list = call(&app, "GET", "/api/procedure/templates", Some(&admin), None)
        .await
        .1;
    let house: Vec<(i64, i64, bool)> = list["templates"]
        .as_array()
        .expect("the answer's shape")
        .iter()
        .filter(|t| t["kind"] == "house_expropriation")
        .map(|t| {
            (
                t["version"].as_i64().expect("the answer's shape"),
                t["projects"].as_i64().expect("the answer's shape"),
                t["newest"] == true,
            )
        })
        .collect();
    assert_eq!(house, vec![(2, 1, true), (1, 1, false)], "newest first");
    let subject: String =
        sqlx::query_scalar("SELECT subject FROM audit_log WHERE action = 'procedure_template'")
            .fetch_one(&pool)
            .await
            .expect("audited");
    assert_eq!(subject, "procedure template house_expropriation v2");

    // the same copy of version 1 again: version 2 came meanwhile, so it is refused (409)
    let counts = written(&pool).await;
    let (status, moved) = call(
        &app,
        "POST",
        "/api/procedure/templates",
        Some(&admin),
        Some(body),
    )
    .await;
    assert_eq!(
        (status, &moved["code"], &moved["values"]["version"]),
        (409, &json!("template_version_moved"), &json!(2))
    );
    assert_eq!(written(&pool).await, counts);
    // the tables themselves refuse to change a version in place
    let app_pool = crate::helpers::role_pool(&pool, "app").await;
    let edit = sqlx::query(
        "UPDATE procedure_template_steps SET min_period = 10 WHERE key = 'plan_comment'",
    )
    .execute(&app_pool)
    .await;
    assert!(
        edit.is_err(),
        "the service may not edit a template in place"
    );
}

/// A change to a copy of version 1 and the refusal it must meet.
struct Case {
    what: &'static str,
    change: fn(&mut Value),
    code: &'static str,
    /// the refusal's values that must be as given (seq, key, field, rule …)
    values: Value,
}

fn step(body: &mut Value, i: usize) -> &mut Value {
    &mut body["steps"][i]
}

#[allow(clippy::too_many_lines)] // one table of every rule
fn cases() -> Vec<Case> {
    let refused = |seq: u64, key: &str, field: &str, rule: &str| json!({ "seq": seq, "key": key, "field": field, "rule": rule });
    vec![
        Case {
            what: "a key with capitals",
            change: |b| step(b, 2)["key"] = json!("Survey-1"),
            code: "template_step_invalid",
            values: refused(3, "Survey-1", "key", "key_format"),
        },
        Case {
            what: "a key given twice",
            change: |b| step(b, 5)["key"] = json!("organization"),
            code: "template_step_invalid",
            values: json!({ "seq": 6, "key": "organization", "field": "key", "rule": "key_twice", "other": 2 }),
        },
        Case {
            what: "a seq that is not the step's place",
            change: |b| step(b, 0)["seq"] = json!(5),
            code: "template_step_invalid",
            values: refused(1, "approval", "seq", "seq_place"),
        },
        Case {
            what: "an empty name",
            change: |b| step(b, 3)["name"] = json!("  "),
            code: "template_step_invalid",
            values: refused(4, "freeze_notice", "name", "name_length"),
        },
        Case {
            what: "a name of 61 characters",
            change: |b| step(b, 3)["name"] = json!("名".repeat(61)),
            code: "template_step_invalid",
            values: refused(4, "freeze_notice", "name", "name_length"),
        },
        Case {
            what: "no legal basis",
            change: |b| step(b, 4)["legal_basis"] = json!(""),
            code: "template_step_invalid",
            values: refused(5, "plan_drafted", "legal_basis", "legal_basis_length"),
        },
        Case {
            what: "a legal basis of 401 characters",
            change: |b| step(b, 4)["legal_basis"] = json!("法".repeat(401)),
            code: "template_step_invalid",
            values: refused(5, "plan_drafted", "legal_basis", "legal_basis_length"),
        },
        Case {
            what: "the stage `closed`",
            change: |b| step(b, 1)["stage"] = json!("closed"),
            code: "template_step_invalid",
            values: refused(2, "organization", "stage", "unknown_choice"),
        },
        Case {
            what: "an output not in the list",
            change: |b| step(b, 1)["produces"] = json!("memo"),
            code: "template_step_invalid",
            values: refused(2, "organization", "produces", "unknown_choice"),
        },
        Case {
            what: "a unit of weeks",
            change: |b| step(b, 5)["period_unit"] = json!("weeks"),
            code: "template_step_invalid",
            values: refused(6, "plan_comment", "period_unit", "unknown_choice"),
        },
        Case {
            what: "a period of 0 days",
            change: |b| step(b, 5)["min_period"] = json!(0),
            code: "template_step_invalid",
            values: refused(6, "plan_comment", "min_period", "period_range"),
        },
        Case {
            what: "a window of 121 months",
            change: |b| step(b, 11)["max_period"] = json!(121),
            code: "template_step_invalid",
            values: refused(12, "litigation_window", "max_period", "period_range"),
        },
        Case {
            what: "a minimum above the maximum",
            change: |b| {
                step(b, 5)["max_period"] = json!(20);
            },
            code: "template_step_invalid",
            values: refused(6, "plan_comment", "min_period", "min_above_max"),
        },
        Case {
            what: "a prerequisite that comes later",
            change: |b| step(b, 1)["prerequisites"] = json!(["survey"]),
            code: "template_step_invalid",
            values: refused(2, "organization", "prerequisites", "not_earlier"),
        },
        Case {
            what: "a prerequisite that is no step",
            change: |b| step(b, 1)["prerequisites"] = json!(["nothing_here"]),
            code: "template_step_invalid",
            values: refused(2, "organization", "prerequisites", "not_earlier"),
        },
        Case {
            what: "a step its own prerequisite",
            change: |b| step(b, 1)["prerequisites"] = json!(["organization"]),
            code: "template_step_invalid",
            values: refused(2, "organization", "prerequisites", "not_earlier"),
        },
        Case {
            what: "a prerequisite named twice",
            change: |b| step(b, 9)["prerequisites"] = json!(["plan_revised", "plan_revised"]),
            code: "template_step_invalid",
            values: refused(10, "decision", "prerequisites", "named_twice"),
        },
        Case {
            what: "a clock from a later step",
            change: |b| step(b, 10)["clock_from"] = json!("signing_period"),
            code: "template_step_invalid",
            values: refused(11, "reconsideration_window", "clock_from", "not_earlier"),
        },
        Case {
            what: "a window without a clock",
            change: |b| step(b, 10)["clock_from"] = Value::Null,
            code: "template_step_invalid",
            values: refused(
                11,
                "reconsideration_window",
                "clock_from",
                "window_needs_clock",
            ),
        },
        Case {
            what: "a window without a maximum",
            change: |b| step(b, 10)["max_period"] = Value::Null,
            code: "template_step_invalid",
            values: refused(
                11,
                "reconsideration_window",
                "max_period",
                "window_needs_max",
            ),
        },
        Case {
            what: "a window with prerequisites",
            change: |b| step(b, 10)["prerequisites"] = json!(["decision"]),
            code: "template_step_invalid",
            values: refused(
                11,
                "reconsideration_window",
                "prerequisites",
                "window_prerequisites",
            ),
        },
        Case {
            what: "a window opening a gate",
            change: |b| {
                step(b, 10)["opens"] = json!("demolition");
            },
            code: "template_step_invalid",
            values: refused(11, "reconsideration_window", "opens", "window_opens"),
        },
        Case {
            what: "an item not of the nine",
            change: |b| step(b, 0)["publishes"] = json!(["overview", "gossip"]),
            code: "template_step_invalid",
            values: refused(1, "approval", "publishes", "unknown_choice"),
        },
        Case {
            what: "an item named twice",
            change: |b| step(b, 0)["publishes"] = json!(["overview", "overview"]),
            code: "template_step_invalid",
            values: refused(1, "approval", "publishes", "named_twice"),
        },
        Case {
            what: "publishing while not published",
            change: |b| step(b, 0)["published"] = json!(false),
            code: "template_step_invalid",
            values: refused(1, "approval", "published", "publishes_unpublished"),
        },
        Case {
            what: "a gate not of the three",
            change: |b| step(b, 17)["opens"] = json!("eviction"),
            code: "template_step_invalid",
            values: refused(18, "demolition_filing", "opens", "unknown_choice"),
        },
        Case {
            what: "a gate opened twice",
            change: |b| step(b, 17)["opens"] = json!("signing"),
            code: "template_step_invalid",
            values: json!({ "seq": 18, "key": "demolition_filing", "field": "opens", "rule": "gate_twice", "other": 10 }),
        },
        Case {
            what: "a gate none opens",
            change: |b| step(b, 17)["opens"] = Value::Null,
            code: "template_gate_missing",
            values: json!({ "gate": "demolition" }),
        },
        Case {
            what: "61 steps",
            change: |b| {
                let last = b["steps"][21].clone();
                let steps = b["steps"].as_array_mut().expect("the answer's shape");
                for n in 0..39 {
                    let mut s = last.clone();
                    s["key"] = json!(format!("extra_{n}"));
                    s["seq"] = Value::Null;
                    steps.push(s);
                }
            },
            code: "invalid_field",
            values: json!({ "field": "steps" }),
        },
        Case {
            what: "no steps",
            change: |b| b["steps"] = json!([]),
            code: "invalid_field",
            values: json!({ "field": "steps" }),
        },
        Case {
            what: "a kind that is none",
            change: |b| b["kind"] = json!("airport"),
            code: "invalid_field",
            values: json!({ "field": "kind" }),
        },
        Case {
            what: "a version without a name",
            change: |b| b["name"] = json!(" "),
            code: "invalid_field",
            values: json!({ "field": "name" }),
        },
    ]
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn every_validation_refusal_names_the_step_and_field_and_writes_nothing(pool: PgPool) {
    let app = state(&pool).await;
    let admin = session(&pool, "boss", "admin", None).await;
    let v1 = newest(&app, &admin, "house_expropriation").await;
    let copy = copy_of(&app, &admin, &v1["id"]).await;
    let counts = written(&pool).await;
    for case in cases() {
        let mut body = copy.clone();
        (case.change)(&mut body);
        let (status, answer) = call(
            &app,
            "POST",
            "/api/procedure/templates",
            Some(&admin),
            Some(body),
        )
        .await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (422, Some(case.code)),
            "{}: {answer}",
            case.what
        );
        for (name, value) in case.values.as_object().expect("the answer's shape") {
            assert_eq!(
                &answer["values"][name], value,
                "{}: values.{name} of {answer}",
                case.what
            );
        }
        if case.code == "template_step_invalid" {
            // the English message names the field as the admin page finds it: steps[i].field
            let i = case.values["seq"].as_u64().expect("the answer's shape") - 1;
            let field = case.values["field"].as_str().expect("the answer's shape");
            assert!(
                answer["message"]
                    .as_str()
                    .expect("the answer's shape")
                    .starts_with(&format!("steps[{i}].{field}: step {}", i + 1)),
                "{answer}"
            );
        }
        assert_eq!(
            written(&pool).await,
            counts,
            "{}: nothing written",
            case.what
        );
    }
    // every first version passes its own rules: a copy saved unchanged is the next version
    for kind in [
        "house_expropriation",
        "land_acquisition",
        "shantytown",
        "land_readiness",
    ] {
        let v = newest(&app, &admin, kind).await;
        let body = copy_of(&app, &admin, &v["id"]).await;
        let (status, answer) = call(
            &app,
            "POST",
            "/api/procedure/templates",
            Some(&admin),
            Some(body),
        )
        .await;
        assert_eq!(status, 201, "{kind}: {answer}");
    }
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn two_admins_saving_from_the_same_version_at_once_leave_one_new_version(pool: PgPool) {
    let app = state(&pool).await;
    let first = session(&pool, "boss", "admin", None).await;
    let second = session(&pool, "boss2", "admin", None).await;
    let v1 = newest(&app, &first, "shantytown").await;
    let body = copy_of(&app, &first, &v1["id"]).await;
    let (a, b) = tokio::join!(
        call(
            &app,
            "POST",
            "/api/procedure/templates",
            Some(&first),
            Some(body.clone())
        ),
        call(
            &app,
            "POST",
            "/api/procedure/templates",
            Some(&second),
            Some(body)
        ),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [201, 409],
        "one wins, the other is told to read again: {} {}",
        a.1,
        b.1
    );
    let versions: Vec<i32> = sqlx::query_scalar(
        "SELECT version FROM procedure_templates WHERE kind = 'shantytown' ORDER BY version",
    )
    .fetch_all(&pool)
    .await
    .expect("versions");
    assert_eq!(versions, [1, 2]);
}
