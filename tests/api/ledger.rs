//! Household ledger imports (XLSX and CSV with Chinese headers): written all or nothing,
//! bad rows named by their spreadsheet row, re-imports update by code, the template.
use std::sync::Arc;

use onemap::auth::{Role, User};
use onemap::import::{import, CrsChoice, Invalid, Options, Progress, Report, Target};
use onemap::xlsx::{workbook, Cell};
use sqlx::PgPool;

use crate::helpers::{demo_city, get};

fn id_number(seq: u32) -> String {
    let body = format!("43070219800101{seq:03}");
    format!("{body}{}", onemap::id_number::check_char(&body))
}

async fn run(pool: &PgPool, path: &std::path::Path, project: &str) -> Report {
    let admin = User {
        id: 0,
        username: "test".into(),
        role: Role::Admin,
        region_id: None,
        region_code: None,
        kiosk: false,
    };
    let options = Options {
        target: Target::Households,
        project: project.into(),
        invalid: Invalid::Repair,
        crs: CrsChoice::FromFile,
        accept_valid: false,
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name")
        .to_owned();
    import(
        pool,
        &admin,
        path,
        &name,
        &options,
        Arc::new(Progress::default()),
    )
    .await
    .expect("reads")
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count")
}

#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn ledger_from_csv_and_xlsx(pool: PgPool) {
    demo_city(&pool).await;
    let (project, building): (String, String) = sqlx::query_as(
        "SELECT p.code, b.code FROM buildings b JOIN projects p ON p.id = b.project_id \
        ORDER BY b.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a building");
    let dir = tempfile::tempdir().expect("dir");
    let header = "户编码,房屋编码,户主姓名,身份证号,家庭人口,登记面积,安置方式,困难户";
    let good = [
        format!("L-1,{building},王一,{},3,80.5,货币补偿,否", id_number(1)),
        format!("L-2,{building},李二,{},2,60,产权调换,是", id_number(2)),
        format!("L-3,{building},赵三,{},1,45.25,,", id_number(3)),
    ];
    let csv = dir.path().join("ledger.csv");
    std::fs::write(&csv, format!("{header}\n{}\n", good.join("\n"))).expect("write");
    let households_before = count(
        &pool,
        &format!("SELECT households::bigint FROM buildings WHERE code = '{building}'"),
    )
    .await;
    let report = run(&pool, &csv, &project).await;
    assert!(report.written && report.inserted == 3, "{report:?}");
    assert_eq!(
        count(
            &pool,
            &format!("SELECT households::bigint FROM buildings WHERE code = '{building}'")
        )
        .await,
        households_before + 3
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM households WHERE code = 'L-2' AND difficult AND resettlement = 'property_swap'").await, 1);
    assert!(
        onemap::figures::verify(&pool)
            .await
            .expect("verify")
            .is_empty(),
        "figures follow the new households"
    );

    // the same ledger again changes nothing; a corrected name updates one household
    let report = run(&pool, &csv, &project).await;
    assert_eq!(
        (report.inserted, report.updated, report.unchanged),
        (0, 0, 3),
        "{report:?}"
    );
    let mut fixed = good.clone();
    fixed[0] = fixed[0].replace("王一", "王壹");
    std::fs::write(&csv, format!("{header}\n{}\n", fixed.join("\n"))).expect("write");
    let report = run(&pool, &csv, &project).await;
    assert_eq!(
        (report.inserted, report.updated, report.unchanged),
        (0, 1, 2),
        "{report:?}"
    );

    // bad rows: each named by its spreadsheet row (the header is row 1), nothing written
    let bad = [
        format!("L-4,{building},钱四,430702198001010041,2,50,,"),
        format!("L-5,{building},孙五,{},0,50,,", id_number(5)),
        format!("L-6,NO-SUCH-BUILDING,周六,{},2,50,,", id_number(6)),
        format!("L-7,{building},吴七,{},2,50,现金,", id_number(7)),
        format!("L-4,{building},郑八,{},2,50,,", id_number(8)),
    ];
    let csv_bad = dir.path().join("bad.csv");
    std::fs::write(&csv_bad, format!("{header}\n{}\n", bad.join("\n"))).expect("write");
    let total = count(&pool, "SELECT count(*) FROM households").await;
    let report = run(&pool, &csv_bad, &project).await;
    assert!(!report.written, "{report:?}");
    let has = |row: usize, words: &str| {
        report
            .rejected
            .iter()
            .any(|i| i.row == row && i.problem.contains(words))
    };
    assert!(
        has(2, "身份证号")
            && has(3, "家庭人口")
            && has(4, "NO-SUCH-BUILDING")
            && has(5, "安置方式"),
        "{report:?}"
    );
    assert!(has(6, "also in rows 2"), "{report:?}");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM households").await,
        total,
        "nothing written"
    );

    // the same rows as XLSX, written with the template's headers
    let (response, template) = get(&pool, "/api/imports/template/households.xlsx", &[]).await;
    assert_eq!(response.status(), 200);
    assert!(template.starts_with(b"PK"), "an XLSX (zip) file");
    let headers: Vec<String> = header.split(',').map(str::to_owned).collect();
    let rows: Vec<Vec<Cell>> = (10..12)
        .map(|i| {
            vec![
                Cell::Text(format!("X-{i}")),
                Cell::Text(building.clone()),
                Cell::Text("冯九".into()),
                Cell::Text(id_number(i)),
                Cell::Number(4.0),
                Cell::Number(99.5),
                Cell::Text("货币补偿".into()),
                Cell::Text("否".into()),
            ]
        })
        .collect();
    let xlsx = dir.path().join("ledger.xlsx");
    std::fs::write(&xlsx, workbook("台账", &headers, &rows).expect("xlsx")).expect("write");
    let report = run(&pool, &xlsx, &project).await;
    assert!(report.written && report.inserted == 2, "{report:?}");
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM households WHERE code LIKE 'X-%' AND members = 4"
        )
        .await,
        2
    );
}

/// A rejected import rolls its staging table back; the next import on the same connection
/// (a pool of one makes it so) stages afresh, and so does the one after.
#[sqlx::test(migrator = "onemap::db::MIGRATOR")]
async fn an_import_after_a_rejected_one_on_the_same_connection(pool: PgPool) {
    demo_city(&pool).await;
    let (project, building): (String, String) = sqlx::query_as(
        "SELECT p.code, b.code FROM buildings b JOIN projects p ON p.id = b.project_id \
        ORDER BY b.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a building");
    let single = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(pool.connect_options().as_ref().clone())
        .await
        .expect("pool");
    let dir = tempfile::tempdir().expect("dir");
    let header = "户编码,房屋编码,户主姓名,身份证号,家庭人口,登记面积,安置方式,困难户";
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "{header}\nR-1,NO-SUCH-BUILDING,王一,{},3,80,,\n",
            id_number(21)
        ),
    )
    .expect("write");
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!("{header}\nR-2,{building},王二,{},3,80,,\n", id_number(22)),
    )
    .expect("write");
    assert!(!run(&single, &bad, &project).await.written);
    assert!(
        run(&single, &good, &project).await.written,
        "the second import works on the same connection"
    );
    assert!(!run(&single, &bad, &project).await.written);
    assert!(run(&single, &good, &project).await.unchanged == 1);
}
