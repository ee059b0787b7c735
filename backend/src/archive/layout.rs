//! The archive's layout: which rows of which table make up one project, in which file, and
//! the columns that name users, regions, templates and chains (remapped on import).

/// One table's share of a project: `data/<table>.jsonl` (one row a line, as `to_jsonb`
/// writes it) or, for tables with a geometry, `data/<table>.geojson` (one feature a line).
pub struct Part {
    pub table: &'static str,
    /// The rows of project `$1` (`t` is the table).
    pub rows: &'static str,
    /// The order: the primary key, so two exports of the same data are the same bytes.
    pub order: &'static str,
    pub geometry: bool,
    /// Columns holding a user's id: written as they are, mapped by user name on import.
    pub users: &'static [&'static str],
}

/// The estates project `$1`'s swap households draw on or chose from (选房).
macro_rules! estates {
    () => {
        "SELECT estate_id FROM project_estates WHERE project_id = $1 UNION SELECT estate_id FROM estate_units WHERE "
    };
}

/// Every part, in the order the import writes them (what rows refer to comes first).
pub const PARTS: &[Part] = &[
    // the project's region and those of its estates, each with its lineage
    Part { table: "regions", rows: concat!("id IN (SELECT unnest(r.lineage) FROM regions r WHERE r.id = (SELECT region_id FROM projects WHERE id = $1) \
        OR r.id IN (SELECT region_id FROM estates WHERE id IN (", estates!(), include_str!("../../sql/archive/units.sql"), ")))"),
           order: "cardinality(lineage), id", geometry: true, users: &[] },
    Part { table: "users", rows: include_str!("../../sql/archive/users.sql"), order: "id", geometry: false, users: &[] },
    Part { table: "procedure_templates", rows: "id = (SELECT template_id FROM project_procedures WHERE project_id = $1)",
           order: "id", geometry: false, users: &[] },
    Part { table: "procedure_template_steps", rows: "template_id = (SELECT template_id FROM project_procedures WHERE project_id = $1)",
           order: "template_id, seq", geometry: false, users: &[] },
    Part { table: "approval_chains", rows: "project_id = $1 OR id IN (SELECT chain_id FROM payment_batches WHERE project_id = $1)",
           order: "id", geometry: false, users: &["created_by"] },
    Part { table: "approval_steps", rows: "chain_id IN (SELECT id FROM approval_chains WHERE project_id = $1
                                            UNION SELECT chain_id FROM payment_batches WHERE project_id = $1)",
           order: "chain_id, position", geometry: false, users: &[] },
    Part { table: "projects", rows: "id = $1", order: "id", geometry: true, users: &["settled_by", "archived_by"] },
    Part { table: "project_procedures", rows: "project_id = $1", order: "project_id", geometry: false, users: &[] },
    Part { table: "project_steps", rows: "project_id = $1", order: "project_id, key", geometry: false,
           users: &["responsible", "updated_by"] },
    Part { table: "step_events", rows: "project_id = $1", order: "id", geometry: false, users: &["user_id"] },
    Part { table: "step_documents", rows: "project_id = $1", order: "id", geometry: false, users: &["uploaded_by"] },
    Part { table: "work_groups", rows: "project_id = $1", order: "id", geometry: false, users: &["leader_id"] },
    Part { table: "work_group_members", rows: "group_id IN (SELECT id FROM work_groups WHERE project_id = $1)",
           order: "group_id, user_id", geometry: false, users: &["user_id"] },
    Part { table: "parcels", rows: "project_id = $1", order: "id", geometry: true, users: &[] },
    Part { table: "buildings", rows: "project_id = $1", order: "id", geometry: true, users: &[] },
    Part { table: "households", rows: "building_id IN (SELECT id FROM buildings WHERE project_id = $1)", order: "id",
           geometry: false, users: &[] },
    Part { table: "status_events", rows: "household_id IN (SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1)
                                           OR parcel_id IN (SELECT id FROM parcels WHERE project_id = $1)",
           order: "id", geometry: false, users: &["user_id"] },
    Part { table: "work_group_assignments", rows: "household_id IN (SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id \
        WHERE b.project_id = $1)", order: "id", geometry: false, users: &["user_id"] },
    Part { table: "compensation_standards", rows: "project_id = $1", order: "project_id", geometry: false, users: &[] },
    Part { table: "compensation_rates", rows: "project_id = $1", order: "project_id, use, legality", geometry: false, users: &[] },
    Part { table: "compensation_incentives", rows: "project_id = $1", order: "project_id, until", geometry: false, users: &[] },
    Part { table: "compensation_overrides", rows: "household_id IN (SELECT h.id FROM households h JOIN buildings b \
        ON b.id = h.building_id WHERE b.project_id = $1)",
           order: "household_id", geometry: false, users: &["user_id"] },
    Part { table: "compensation_decisions", rows: "household_id IN (SELECT h.id FROM households h JOIN buildings b \
        ON b.id = h.building_id WHERE b.project_id = $1)",
           order: "id", geometry: false, users: &["user_id", "revoked_by"] },
    Part { table: "gate_overrides", rows: "project_id = $1", order: "id", geometry: false, users: &["user_id"] },
    Part { table: "agreements", rows: "project_id = $1", order: "household_id", geometry: false, users: &[] },
    // 安置房源 and 选房: the estates the project draws on (outline, types, buildings), the units its
    // households chose or hold (a unit another project's household holds now arrives reserved),
    // their status history as far as it is this project's, the rules, days, queues, choices and
    // the swap money (差价结算) its agreements were settled with
    Part { table: "estates", rows: concat!("id IN (", estates!(), include_str!("../../sql/archive/units.sql"), ")"), order: "id",
           geometry: true, users: &[] },
    Part { table: "estate_unit_types", rows: concat!("estate_id IN (", estates!(), include_str!("../../sql/archive/units.sql"), ")"),
           order: "id", geometry: false, users: &[] },
    Part { table: "estate_buildings", rows: concat!("estate_id IN (", estates!(), include_str!("../../sql/archive/units.sql"), ")"),
           order: "id", geometry: true, users: &[] },
    Part { table: "estate_units", rows: include_str!("../../sql/archive/units.sql"), order: "id", geometry: false, users: &[] },
    Part { table: "unit_status_events", rows: concat!("unit_id IN (SELECT id FROM estate_units WHERE ", include_str!("../../sql/archive/units.sql"),
        ") AND (household_id IS NULL OR household_id IN (SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1))"),
           order: "id", geometry: false, users: &["actor_id"] },
    Part { table: "project_estates", rows: "project_id = $1", order: "project_id, estate_id", geometry: false, users: &[] },
    Part { table: "selection_rules", rows: "project_id = $1", order: "project_id", geometry: false, users: &["updated_by"] },
    Part { table: "selection_days", rows: "project_id = $1", order: "id", geometry: false, users: &["created_by"] },
    Part { table: "selection_queue", rows: "day_id IN (SELECT id FROM selection_days WHERE project_id = $1)", order: "day_id, household_id",
           geometry: false, users: &["called_by"] },
    Part { table: "selection_choices", rows: "day_id IN (SELECT id FROM selection_days WHERE project_id = $1)", order: "id",
           geometry: false, users: &["chosen_by"] },
    Part { table: "swap_settlements", rows: "day_id IN (SELECT id FROM selection_days WHERE project_id = $1)", order: "household_id",
           geometry: false, users: &["settled_by"] },
    Part { table: "project_funds", rows: "project_id = $1", order: "project_id", geometry: false, users: &[] },
    Part { table: "fund_allocations", rows: "project_id = $1", order: "id", geometry: false, users: &["user_id"] },
    Part { table: "payment_batches", rows: "project_id = $1", order: "id", geometry: false,
           users: &["submitted_by", "paid_by", "returned_by"] },
    Part { table: "payments", rows: "batch_id IN (SELECT id FROM payment_batches WHERE project_id = $1)", order: "id",
           geometry: false, users: &[] },
    Part { table: "batch_steps", rows: "batch_id IN (SELECT id FROM payment_batches WHERE project_id = $1)",
           order: "batch_id, position", geometry: false, users: &["user_id"] },
    Part { table: "attachments", rows: "household_id IN (SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1)",
           order: "id", geometry: false, users: &["uploaded_by"] },
    Part { table: "disclosures", rows: "project_id = $1", order: "id", geometry: false, users: &["user_id"] },
    Part { table: "objections", rows: "household_id IN (SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1)",
           order: "id", geometry: false, users: &["answered_by"] },
    // 疑难个案: each case with its events, its conferences (研判, their files) and the status events it led to
    Part { table: "cases", rows: "project_id = $1", order: "id", geometry: false, users: &["opened_by", "closed_by"] },
    Part { table: "case_events", rows: "case_id IN (SELECT id FROM cases WHERE project_id = $1)", order: "id", geometry: false,
           users: &["user_id"] },
    Part { table: "case_conferences", rows: "case_id IN (SELECT id FROM cases WHERE project_id = $1)", order: "id", geometry: false,
           users: &["recorded_by"] },
    Part { table: "case_conference_attachments", rows: "conference_id IN (SELECT f.id FROM case_conferences f JOIN cases c ON c.id = f.case_id \
        WHERE c.project_id = $1)", order: "conference_id, attachment_id", geometry: false, users: &[] },
    Part { table: "case_status_events", rows: "case_id IN (SELECT id FROM cases WHERE project_id = $1)", order: "case_id, status_event_id",
           geometry: false, users: &[] },
    // 信访: every petition of the project, whatever its channel, with its replies; the categories they name (matched by name)
    Part { table: "petition_categories", rows: "id IN (SELECT category_id FROM petitions WHERE project_id = $1)", order: "id",
           geometry: false, users: &[] },
    Part { table: "petitions", rows: "project_id = $1", order: "id", geometry: false, users: &["registered_by", "decided_by"] },
    Part { table: "petition_replies", rows: "petition_id IN (SELECT id FROM petitions WHERE project_id = $1)", order: "id",
           geometry: false, users: &["by_user"] },
    Part { table: "audit_log", rows: include_str!("../../sql/archive/audit.sql"), order: "id", geometry: false, users: &["user_id"] },
];

/// The file of a part inside the archive.
#[must_use]
pub fn path(part: &Part) -> String {
    let ending = if part.geometry { "geojson" } else { "jsonl" };
    format!("data/{}.{ending}", part.table)
}
