//! The schema's functions, triggers and views: one file each in `backend/sql/schema/`, applied
//! in the order below after the migrations on every `onemap migrate` (and in every test
//! database), so each object has one home and its current body is that file. Tables, types,
//! constraints, table grants and data backfills stay in `migrations/`.
//! See `backend/sql/schema/README.md`.

/// `FILES` from names: each file embedded at build time.
macro_rules! schema_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../sql/schema/", $name, ".sql")))),*]
    };
}

/// `(name, SQL)` of every schema file, in the order they are applied: an object comes after
/// what it needs when it is created (SQL functions and views are checked then; plpgsql bodies
/// only when they run). The one list of them: a test checks it names every file.
pub const FILES: &[(&str, &str)] = schema_files![
    // shared pieces
    "status_rank",
    "sign_rate",
    "writers_queue_lock",
    // regions, statuses and events
    "regions_set_lineage",
    "status_events_refuse_change",
    "status_events_apply",
    "status_events_notify",
    "households_guard_status",
    "parcels_guard_status",
    // figures: kept by triggers, recounted by views
    "bump_figures",
    "household_stages",
    "households_roll_up",
    "households_keep_building_group",
    "households_group_in_project",
    "parcels_roll_up",
    "project_figures_recount",
    "region_figures_recount",
    "recount_figures",
    "stage_delta",
    "event_daily_deltas",
    "bump_daily_figures",
    "daily_figures_recount",
    "recount_daily_figures",
    // the groups' figures: kept by triggers, recounted by views
    "group_holding",
    "group_event_credits",
    "group_daily_figures_recount",
    "group_holdings_recount",
    "recount_group_figures",
    "group_daily_figures_add",
    "status_events_credit_groups",
    "work_group_assignments_recredit",
    "households_keep_group_holdings",
    // households, compensation, agreements
    "refuse_change",
    "mask_name",
    "mask_id_number",
    "compensation",
    "compensation_lines",
    "compensation_detail",
    "agreements_need_signing",
    "households_agree",
    "households_unagree",
    "overrides_reagree",
    "swap_settlements_reagree",
    "swap_settle",
    "selection_queue_fill",
    "standards_reagree_zero",
    "kept_by_triggers",
    // funds, batches and their approval chains
    "projects_fund_row",
    "fund_allocations_add",
    "approval_steps_with_chain",
    "approval_chain_numbered",
    "approval_chain_in_force",
    "holds_approval_step",
    "payments_commit",
    "payment_batches_insert",
    "payment_batches_submitted",
    "payment_batches_step",
    "batch_steps_take",
    "fund_differences",
    // the residents' side, with its grants; sessions
    "public_holders",
    "public_households_of",
    "public_compensation",
    // 选房: the hall's big screen and the lottery's publication
    "selection_hall",
    "selection_lottery",
    "sessions_revoked_notify",
    // the legal procedure: working days, deadlines, stage
    "is_working_day",
    "period_end",
    "procedure_stage",
    "project_steps_keep",
    "projects_start_procedure",
    "project_steps_due",
    // the procedure's gates on the data: signing, 补偿决定, demolition
    "gate_state",
    "households_status_gates",
    "gate_overrides_append_only",
    "public_project_steps",
    // close-out: an archived project is read-only
    "projects_refuse_archived",
    "step_events_notify",
    "step_events_queue",
    // petitions (信访): their periods, and every public objection one of them
    "petition_period",
    "objections_become_petitions",
    "petition_deadlines",
    "petition_timeliness",
    // 疑难个案: due rule, escalation job, the difficult flag, live events
    "case_due",
    "escalate_due_cases",
    "cases_keep_difficult",
    "households_difficult_opens_case",
    "case_events_queue",
    "case_events_notify",
    "cases_append_only",
    // 安置房源: every unit status change through one path, live
    "estate_units_stamp_status",
    "estate_units_record_status",
    "unit_status_events_notify",
];

/// A migration line `-- schema: <name>.sql` stands for that file, applied there: for the few
/// objects a migration needs before the schema step runs (a CHECK that calls a function, a
/// backfill). The migration's checksum stays that of the line, not of the file.
const DIRECTIVE: &str = "-- schema: ";

/// The SQL of one schema file, by its name with or without `.sql`.
#[must_use]
pub fn file(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".sql").unwrap_or(name);
    FILES.iter().find(|(n, _)| *n == name).map(|(_, sql)| *sql)
}

/// Every schema file, in order: the schema step. (Quiet: on a new database each
/// `DROP TRIGGER IF EXISTS` before a constraint trigger would say it skipped.)
#[must_use]
pub fn all() -> String {
    let mut sql = String::from("SET LOCAL client_min_messages = warning;\n");
    for (_, file) in FILES {
        sql.push_str(file);
        sql.push('\n');
    }
    sql
}

/// A migration's SQL with its `-- schema:` lines replaced by the files they name.
///
/// # Panics
/// On a line naming no schema file: a build that cannot migrate is caught by every test.
#[must_use]
pub fn expand(migration: &str) -> String {
    migration
        .lines()
        .map(|line| match line.strip_prefix(DIRECTIVE) {
            Some(name) => file(name.trim())
                .unwrap_or_else(|| panic!("`{line}`: no such file in backend/sql/schema/"))
                .trim_end()
                .to_owned(),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the schema files define: "function x", "view x" and "trigger x" for every
/// `CREATE OR REPLACE FUNCTION|VIEW|TRIGGER` and `CREATE CONSTRAINT TRIGGER` in them.
#[must_use]
pub fn defined_names() -> Vec<String> {
    let mut names: Vec<String> = FILES
        .iter()
        .flat_map(|(_, sql)| sql.lines())
        .filter_map(|line| {
            let rest = line
                .strip_prefix("CREATE OR REPLACE ")
                .or_else(|| line.strip_prefix("CREATE CONSTRAINT "))?;
            let (kind, rest) = rest.split_once(' ')?;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            ["FUNCTION", "VIEW", "TRIGGER"]
                .contains(&kind)
                .then(|| format!("{} {name}", kind.to_lowercase()))
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The database's functions, views and triggers that no schema file defines: made by a
/// migration instead, or left behind when their file was removed without a migration that
/// drops them.
pub async fn outside_files(pool: &sqlx::PgPool) -> Result<Vec<String>, sqlx::Error> {
    let defined = defined_names();
    let in_database: Vec<String> = sqlx::query_scalar(include_str!("../../sql/db/objects.sql"))
        .fetch_all(pool)
        .await?;
    Ok(in_database
        .into_iter()
        .filter(|name| !defined.contains(name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_names_every_schema_file_once() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/backend/sql/schema");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("backend/sql/schema")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".sql").map(str::to_owned))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = FILES.iter().map(|(n, _)| (*n).to_owned()).collect();
        listed.sort();
        assert_eq!(
            listed, on_disk,
            "db::schema::FILES and backend/sql/schema/*.sql differ"
        );
    }

    #[test]
    fn every_file_says_what_it_is_for() {
        for (name, sql) in FILES {
            assert!(
                sql.starts_with("-- "),
                "{name}.sql starts with a header comment"
            );
        }
    }

    #[test]
    fn a_directive_becomes_its_file() {
        let sql = expand("SELECT 1;\n-- schema: status_rank.sql\nSELECT 2;");
        assert!(sql.starts_with("SELECT 1;\n-- Rank of a status"));
        assert!(sql.contains("FUNCTION status_rank(status text)"));
        assert!(sql.ends_with("$$;\nSELECT 2;"));
    }
}
