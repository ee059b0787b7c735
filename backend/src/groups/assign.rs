//! Who holds what (包干): households given to a group by building codes, household codes or a
//! drawn outline (the lasso), taken back (unassigned), or read from a spreadsheet. All or
//! nothing; an unknown code is a 422 naming it; every move is audited and kept in the
//! assignment history, which the rankings read; the tiles and pages are told on commit.
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

use super::{by_id, may_manage};
use crate::audit::audit;
use crate::auth::User;
use crate::error::{AppError, AppResult};
use crate::projects;

/// Most codes one request may name: a whole project's buildings, not a city's.
pub const MAX_CODES: usize = 20_000;

/// What a request names: building codes, household codes, or an outline (GeoJSON Polygon).
pub enum Target {
    Buildings(Vec<String>),
    Households(Vec<String>),
    Within(Value),
}

impl Target {
    /// The one of `buildings`, `households` or `within` the body carries.
    pub fn of_body(body: &Value, within_allowed: bool) -> AppResult<Target> {
        let keys: Vec<&str> = ["buildings", "households", "within"]
            .into_iter()
            .filter(|k| body.get(*k).is_some())
            .collect();
        let codes = |key: &str| -> AppResult<Vec<String>> {
            let list = body[key]
                .as_array()
                .ok_or_else(|| AppError::Unprocessable(format!("{key}: a list of codes")))?;
            if list.is_empty() || list.len() > MAX_CODES {
                return Err(AppError::Unprocessable(format!(
                    "{key}: between 1 and {MAX_CODES} codes, got {}",
                    list.len()
                )));
            }
            list.iter()
                .map(|c| {
                    c.as_str()
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty() && s.len() <= 100)
                        .ok_or_else(|| {
                            AppError::Unprocessable(format!("{key}: every code is a text, got {c}"))
                        })
                })
                .collect()
        };
        match keys.as_slice() {
            ["buildings"] => Ok(Target::Buildings(codes("buildings")?)),
            ["households"] => Ok(Target::Households(codes("households")?)),
            ["within"] if within_allowed => Ok(Target::Within(body["within"].clone())),
            _ => Err(AppError::Unprocessable(if within_allowed {
                "body: send exactly one of buildings, households (lists of codes) or within (a GeoJSON Polygon)".into()
            } else {
                "body: send exactly one of buildings or households (lists of codes)".into()
            })),
        }
    }
}

/// A group households came from, and how many.
#[derive(Serialize, Debug, Clone)]
pub struct MovedFrom {
    pub group_id: i32,
    pub name: String,
    pub households: i64,
}

/// The answer of an assignment: households newly held, and the groups they were taken from.
#[derive(Serialize, Debug, Default)]
pub struct Assigned {
    pub assigned: i64,
    pub moved_from: Vec<MovedFrom>,
    /// Households that were held by no group before (not in `moved_from`).
    pub unheld_before: i64,
    /// The `groups` notification sent on commit (`live::Hub::groups_changed`).
    #[serde(skip)]
    pub announced: String,
}

impl Assigned {
    fn add(&mut self, other: Assigned) {
        self.assigned += other.assigned;
        self.unheld_before += other.unheld_before;
        for m in other.moved_from {
            match self
                .moved_from
                .iter_mut()
                .find(|x| x.group_id == m.group_id)
            {
                Some(x) => x.households += m.households,
                None => self.moved_from.push(m),
            }
        }
        self.moved_from.sort_by_key(|m| m.group_id);
    }
}

/// The household ids codes name in project `project`; a code naming nothing there is a 422.
async fn households_named(
    tx: &mut PgConnection,
    project: i64,
    project_code: &str,
    kind: &str,
    codes: &[String],
) -> AppResult<Vec<i64>> {
    let rows: Vec<(String, Vec<i64>, bool)> =
        sqlx::query_as(include_str!("../../sql/groups/targets.sql"))
            .bind(project)
            .bind(kind)
            .bind(codes)
            .fetch_all(&mut *tx)
            .await?;
    let unknown: Vec<&str> = rows.iter().filter(|r| !r.2).map(|r| r.0.as_str()).collect();
    if let Some(first) = unknown.first() {
        let what = if kind == "buildings" {
            "building"
        } else {
            "household"
        };
        return Err(AppError::Unprocessable(format!(
            "{kind}: `{first}` is not a {what} of project {project_code}{}",
            if unknown.len() > 1 {
                format!(
                    " (nor are {} more: {})",
                    unknown.len() - 1,
                    unknown[1..].join(", ")
                )
            } else {
                String::new()
            }
        ))
        .coded(
            crate::error::Code::InvalidField,
            json!({ "field": kind, "code": first, "codes": unknown }),
        ));
    }
    let mut ids: Vec<i64> = rows.into_iter().flat_map(|r| r.1).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

async fn resolve(
    pool: &PgPool,
    tx: &mut PgConnection,
    project: i64,
    project_code: &str,
    target: &Target,
) -> AppResult<Vec<i64>> {
    match target {
        Target::Buildings(codes) => {
            households_named(tx, project, project_code, "buildings", codes).await
        }
        Target::Households(codes) => {
            households_named(tx, project, project_code, "households", codes).await
        }
        Target::Within(outline) => {
            let boundary = crate::maptools::boundary::check(pool, outline).await?;
            Ok(
                sqlx::query_scalar(include_str!("../../sql/groups/within.sql"))
                    .bind(project)
                    .bind(&boundary.geojson)
                    .fetch_all(&mut *tx)
                    .await?,
            )
        }
    }
}

/// Moves households `ids` to `group` (None: to no group) inside `tx`, with the history.
async fn apply(
    tx: &mut PgConnection,
    user: &User,
    group: Option<i32>,
    ids: &[i64],
) -> AppResult<Assigned> {
    // the status writers' queue before the households' rows, as the writers take it: the
    // history's trigger (work_group_assignments_recredit.sql) takes it too, after these rows
    sqlx::query("SELECT pg_advisory_xact_lock(writers_queue_lock())")
        .execute(&mut *tx)
        .await?;
    let rows: Vec<(Option<i32>, Option<String>, i64)> =
        sqlx::query_as(include_str!("../../sql/groups/assign.sql"))
            .bind(group)
            .bind(ids)
            .bind(user.id)
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| crate::refusals::refusal(e, "group"))?;
    let mut answer = Assigned::default();
    for (from, name, households) in rows {
        answer.assigned += households;
        match from {
            Some(group_id) => answer.moved_from.push(MovedFrom {
                group_id,
                name: name.unwrap_or_default(),
                households,
            }),
            None => answer.unheld_before += households,
        }
    }
    Ok(answer)
}

/// Tells every instance (on commit) which tiles and pages the change touched; answers what it said.
async fn announce(
    tx: &mut PgConnection,
    project: i64,
    groups: &[i32],
    ids: &[i64],
) -> AppResult<String> {
    let payload: String = sqlx::query_scalar(include_str!("../../sql/groups/notify.sql"))
        .bind(project)
        .bind(groups)
        .bind(ids)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(crate::live::GROUPS_CHANNEL)
        .bind(&payload)
        .execute(&mut *tx)
        .await?;
    Ok(payload)
}

/// Gives the households `target` names in the group's project to group `id`.
pub async fn assign(pool: &PgPool, user: &User, id: i32, target: &Target) -> AppResult<Assigned> {
    let group = by_id(pool, id).await?;
    may_manage(pool, user, &group.lineage, &format!("group {id}")).await?;
    let mut tx = pool.begin().await?;
    // a group being deleted meanwhile waits, or is gone
    sqlx::query("SELECT 1 FROM work_groups WHERE id = $1 FOR SHARE")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let ids = resolve(pool, &mut tx, group.project_id, &group.project_code, target).await?;
    let mut answer = apply(&mut tx, user, Some(id), &ids).await?;
    let mut touched: Vec<i32> = answer.moved_from.iter().map(|m| m.group_id).collect();
    touched.push(id);
    answer.announced = announce(&mut tx, group.project_id, &touched, &ids).await?;
    audit(
        &mut tx,
        user,
        "group_assigned",
        &format!("group {id}"),
        json!({ "project": group.project_code, "to": { "id": id, "name": group.name }, "by": how(target),
                "assigned": answer.assigned, "from": answer.moved_from, "unheld_before": answer.unheld_before }),
    )
    .await?;
    tx.commit().await?;
    Ok(answer)
}

fn how(target: &Target) -> &'static str {
    match target {
        Target::Buildings(_) => "buildings",
        Target::Households(_) => "households",
        Target::Within(_) => "within",
    }
}

/// Takes the households `target` names (codes of one project) from whatever group holds them.
pub async fn unassign(pool: &PgPool, user: &User, target: &Target) -> AppResult<Assigned> {
    let (kind, codes) = match target {
        Target::Buildings(c) => ("buildings", c),
        Target::Households(c) => ("households", c),
        Target::Within(_) => {
            return Err(AppError::Unprocessable("within: unassign by codes".into()))
        }
    };
    let project_code: Option<String> = sqlx::query_scalar(
        "SELECT p.code FROM projects p WHERE p.id = (SELECT b.project_id FROM buildings b WHERE b.code = $1
            UNION ALL SELECT b.project_id FROM households h JOIN buildings b ON b.id = h.building_id WHERE h.code = $1 LIMIT 1)",
    )
    .bind(&codes[0])
    .fetch_optional(pool)
    .await?;
    let project_code = project_code.ok_or_else(|| {
        AppError::Unprocessable(format!(
            "{kind}: `{}` is not a code of any project",
            codes[0]
        ))
    })?;
    let project = projects::by_code(pool, &project_code).await?;
    may_manage(
        pool,
        user,
        &project.lineage,
        &format!("project {project_code}"),
    )
    .await?;
    let mut tx = pool.begin().await?;
    let ids = resolve(pool, &mut tx, project.id, &project_code, target).await?;
    let mut answer = apply(&mut tx, user, None, &ids).await?;
    let touched: Vec<i32> = answer.moved_from.iter().map(|m| m.group_id).collect();
    answer.announced = announce(&mut tx, project.id, &touched, &ids).await?;
    audit(
        &mut tx,
        user,
        "group_unassigned",
        &format!("project {project_code}"),
        json!({ "project": project_code, "by": kind, "unassigned": answer.assigned, "from": answer.moved_from }),
    )
    .await?;
    tx.commit().await?;
    Ok(answer)
}

/// One row of a spreadsheet of assignments: its number, the code, whether it names a
/// building (else a household), and the group's name.
struct SheetRow {
    row: usize,
    code: String,
    building: bool,
    group: String,
}

/// The column names a row's building code, household code and group go under.
const BUILDING_COLUMNS: [&str; 3] = ["房屋编号", "房屋编码", "building"];
const HOUSEHOLD_COLUMNS: [&str; 4] = ["户编号", "户编码", "户号", "household"];
const GROUP_COLUMNS: [&str; 3] = ["工作组", "工作组名称", "group"];

fn sheet_row(row: usize, fields: &BTreeMap<String, String>) -> Result<SheetRow, String> {
    let find = |names: &[&str]| {
        crate::import::fields::find(fields, names)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let group = find(&GROUP_COLUMNS).ok_or("工作组: missing")?;
    match (find(&BUILDING_COLUMNS), find(&HOUSEHOLD_COLUMNS)) {
        (Some(code), None) => Ok(SheetRow {
            row,
            code,
            building: true,
            group,
        }),
        (None, Some(code)) => Ok(SheetRow {
            row,
            code,
            building: false,
            group,
        }),
        (Some(_), Some(_)) => Err("房屋编号: give either 房屋编号 or 户编号, not both".into()),
        (None, None) => Err("房屋编号: missing (or 户编号)".into()),
    }
}

/// The rows of a spreadsheet of assignments, each checked: readable, a group of the project,
/// a code not given twice and of the project. Every refused row is named in one 422.
async fn checked_rows(
    tx: &mut PgConnection,
    project: i64,
    code: &str,
    groups: &BTreeMap<String, i32>,
    table: &[crate::import::ledger::TableRow],
) -> AppResult<Vec<SheetRow>> {
    let mut problems: Vec<(usize, String)> = Vec::new();
    let mut rows = Vec::with_capacity(table.len());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (row, fields) in table {
        match sheet_row(*row, fields) {
            Ok(r) if !groups.contains_key(&r.group) => {
                problems.push((
                    r.row,
                    format!("工作组: project {code} has no group named `{}`", r.group),
                ));
            }
            Ok(r) => match seen.insert(r.code.clone(), r.row) {
                Some(first) => problems.push((
                    r.row,
                    format!("房屋编号: `{}` is also in row {first}", r.code),
                )),
                None => rows.push(r),
            },
            Err(problem) => problems.push((*row, problem)),
        }
    }
    for building in [true, false] {
        let kind = if building { "buildings" } else { "households" };
        let named: Vec<&SheetRow> = rows.iter().filter(|r| r.building == building).collect();
        let codes: Vec<String> = named.iter().map(|r| r.code.clone()).collect();
        let known: Vec<(String, Vec<i64>, bool)> =
            sqlx::query_as(include_str!("../../sql/groups/targets.sql"))
                .bind(project)
                .bind(kind)
                .bind(&codes)
                .fetch_all(&mut *tx)
                .await?;
        for (r, (_, _, ok)) in named.iter().zip(&known) {
            if !ok {
                let what = if building {
                    "房屋编号: building"
                } else {
                    "户编号: household"
                };
                problems.push((
                    r.row,
                    format!("{what} `{}` is not in project {code}", r.code),
                ));
            }
        }
    }
    problems.sort_by_key(|p| p.0);
    let Some(&(first, _)) = problems.first() else {
        return Ok(rows);
    };
    let listed: Vec<String> = problems
        .iter()
        .take(20)
        .map(|(row, p)| format!("row {row}: {p}"))
        .collect();
    Err(AppError::Unprocessable(format!(
        "row {first}: {} (nothing was written; {} rows refused)",
        listed.join("; "),
        problems.len()
    ))
    .coded(
        crate::error::Code::ImportRow,
        json!({ "row": first, "rows": problems.iter().map(|p| json!({ "row": p.0, "problem": p.1 })).collect::<Vec<_>>() }),
    ))
}

/// Reads a spreadsheet of (房屋编号 or 户编号, 工作组) and assigns every row, all or nothing: a
/// row that cannot be read, names an unknown code or group, or repeats a code refuses the whole
/// file with 422 naming the rows.
pub async fn import(
    pool: &PgPool,
    user: &User,
    code: &str,
    table: Vec<crate::import::ledger::TableRow>,
) -> AppResult<Assigned> {
    let project = projects::by_code(pool, code).await?;
    may_manage(pool, user, &project.lineage, &format!("project {code}")).await?;
    if table.is_empty() {
        return Err(AppError::Unprocessable(
            "file: no rows under the header".into(),
        ));
    }
    let groups: BTreeMap<String, i32> = sqlx::query_as::<_, (String, i32)>(
        "SELECT name, id FROM work_groups WHERE project_id = $1",
    )
    .bind(project.id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let mut tx = pool.begin().await?;
    let rows = checked_rows(&mut tx, project.id, code, &groups, &table).await?;
    let mut answer = Assigned::default();
    let mut all_ids = Vec::new();
    for (name, group) in &groups {
        let mine: Vec<&SheetRow> = rows.iter().filter(|r| &r.group == name).collect();
        let mut ids = Vec::new();
        for building in [true, false] {
            let codes: Vec<String> = mine
                .iter()
                .filter(|r| r.building == building)
                .map(|r| r.code.clone())
                .collect();
            if !codes.is_empty() {
                let kind = if building { "buildings" } else { "households" };
                ids.extend(households_named(&mut tx, project.id, code, kind, &codes).await?);
            }
        }
        if !ids.is_empty() {
            answer.add(apply(&mut tx, user, Some(*group), &ids).await?);
            all_ids.extend(ids);
        }
    }
    let touched: Vec<i32> = groups.values().copied().collect();
    answer.announced = announce(&mut tx, project.id, &touched, &all_ids).await?;
    audit(
        &mut tx,
        user,
        "group_imported",
        &format!("project {code}"),
        json!({ "project": code, "rows": rows.len(), "assigned": answer.assigned, "from": answer.moved_from }),
    )
    .await?;
    tx.commit().await?;
    Ok(answer)
}
