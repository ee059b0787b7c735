//! 工作组: per project, a leader and members (onemap users) holding (包干) households. The
//! groups are a dimension (figures, rankings, tiles, exports) and a write scope (`scope`); who
//! holds what changes by assignment (`assign`), each change kept in the assignment history.
pub mod assign;
pub mod scope;

use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

use crate::audit::audit;
use crate::auth::{may_write_in, User};
use crate::error::{AppError, AppResult, Code};
use crate::projects::{self, Project};

/// Most members one group may have: a 工作组 is a handful of people, not a department.
pub const MAX_MEMBERS: usize = 50;

/// A group as its writers need it: its project and that project's region.
#[derive(sqlx::FromRow)]
pub struct Group {
    pub id: i32,
    pub name: String,
    pub project_id: i64,
    pub project_code: String,
    pub lineage: Vec<i32>,
}

/// The group `id`, or 404 naming it.
pub async fn by_id(db: impl sqlx::PgExecutor<'_>, id: i32) -> AppResult<Group> {
    sqlx::query_as(
        "SELECT g.id, g.name, g.project_id, p.code AS project_code, r.lineage
           FROM work_groups g JOIN projects p ON p.id = g.project_id JOIN regions r ON r.id = p.region_id
          WHERE g.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("group: no work group has id {id}")))
}

/// Refuses whoever may not manage the groups of a project in the region of `lineage`: admins,
/// and operators of the region whose own writes are not limited to their groups.
pub async fn may_manage(pool: &PgPool, user: &User, lineage: &[i32], what: &str) -> AppResult<()> {
    if !may_write_in(user, lineage) {
        return Err(AppError::Forbidden(format!(
            "{what}: work groups are managed by admins and the operators of the project's region"
        ))
        .coded(Code::OutsideRegion, json!({ "region": user.region_code })));
    }
    if scope::limited_to_groups(pool, user).await? {
        return Err(AppError::Forbidden(format!(
            "{what}: {} writes only for their groups' households and does not manage groups",
            user.username
        ))
        .coded(Code::ForbiddenRole, json!({})));
    }
    Ok(())
}

/// A project's groups with their figures, for anyone who may read its region.
pub async fn list(pool: &PgPool, user: &User, code: &str) -> AppResult<Value> {
    let project = readable(pool, user, code).await?;
    Ok(
        sqlx::query_scalar(include_str!("../../sql/groups/list.sql"))
            .bind(project.id)
            .fetch_one(pool)
            .await?,
    )
}

/// The project `code` for a reader of its region (wall displays too: groups name no residents).
async fn readable(pool: &PgPool, user: &User, code: &str) -> AppResult<Project> {
    if user.kiosk {
        return projects::by_code(pool, code).await;
    }
    projects::readable(pool, user, code, "work groups").await
}

/// One group as `list` shows it, without figures.
pub async fn one(db: impl sqlx::PgExecutor<'_>, id: i32) -> AppResult<Value> {
    Ok(sqlx::query_scalar(include_str!("../../sql/groups/one.sql"))
        .bind(id)
        .fetch_one(db)
        .await?)
}

/// A new group or a change to one. `leader_id`: absent leaves it, `null` removes the leader.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct GroupFields {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub leader_id: Option<Option<i32>>,
    pub member_ids: Option<Vec<i32>>,
}

/// Tells a field sent as `null` (Some(None)) from one not sent (None).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i32>>, D::Error> {
    Option::<i32>::deserialize(d).map(Some)
}

fn checked_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    crate::validate::text("name", name).map_err(AppError::Unprocessable)?;
    if name.is_empty() || name.chars().count() > 40 {
        return Err(AppError::Unprocessable(
            "name: a group's name is 1 to 40 characters".into(),
        ));
    }
    Ok(name.to_owned())
}

/// Refuses people who are not enabled accounts (the wall displays' account is none).
async fn check_people(tx: &mut PgConnection, fields: &GroupFields) -> AppResult<()> {
    let mut ids: Vec<(i32, &str)> = Vec::new();
    if let Some(Some(leader)) = fields.leader_id {
        ids.push((leader, "leader_id"));
    }
    if let Some(members) = &fields.member_ids {
        if members.len() > MAX_MEMBERS {
            return Err(AppError::Unprocessable(format!(
                "member_ids: at most {MAX_MEMBERS} members, got {}",
                members.len()
            )));
        }
        ids.extend(members.iter().map(|m| (*m, "member_ids")));
    }
    for (id, field) in ids {
        let known: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND disabled_at IS NULL AND username <> $2)",
        )
        .bind(id)
        .bind(crate::auth::KIOSK_ACCOUNT)
        .fetch_one(&mut *tx)
        .await?;
        if !known {
            return Err(AppError::Unprocessable(format!(
                "{field}: no enabled account has id {id}"
            )));
        }
    }
    Ok(())
}

fn name_taken(name: &str, e: sqlx::Error) -> AppError {
    match &e {
        sqlx::Error::Database(db) if db.constraint() == Some("work_groups_project_id_name_key") => {
            AppError::Conflict {
                message: format!("name: the project already has a group named `{name}`"),
                current: Value::Null,
            }
        }
        _ => AppError::Database(e),
    }
}

async fn set_members(tx: &mut PgConnection, group: i32, members: &[i32]) -> AppResult<()> {
    sqlx::query("DELETE FROM work_group_members WHERE group_id = $1")
        .bind(group)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO work_group_members (group_id, user_id) SELECT $1, u FROM unnest($2::integer[]) u ON CONFLICT DO NOTHING",
    )
    .bind(group)
    .bind(members)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Creates a group in project `code`; audited.
pub async fn create(
    pool: &PgPool,
    user: &User,
    code: &str,
    fields: &GroupFields,
) -> AppResult<Value> {
    let project = projects::by_code(pool, code).await?;
    may_manage(pool, user, &project.lineage, &format!("project {code}")).await?;
    let name = checked_name(fields.name.as_deref().ok_or_else(|| {
        AppError::Unprocessable("name: a group needs a name (e.g. 第一工作组)".into())
    })?)?;
    let mut tx = pool.begin().await?;
    check_people(&mut tx, fields).await?;
    let id: i32 = sqlx::query_scalar(
        "INSERT INTO work_groups (project_id, name, leader_id) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(project.id)
    .bind(&name)
    .bind(fields.leader_id.flatten())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| name_taken(&name, e))?;
    set_members(
        &mut tx,
        id,
        fields.member_ids.as_deref().unwrap_or_default(),
    )
    .await?;
    let group = one(&mut *tx, id).await?;
    audit(
        &mut tx,
        user,
        "group_created",
        &format!("group {id}"),
        json!({ "project": code, "group": group }),
    )
    .await?;
    tx.commit().await?;
    Ok(group)
}

/// Renames a group, changes its leader or its members; audited with before and after.
pub async fn update(pool: &PgPool, user: &User, id: i32, fields: &GroupFields) -> AppResult<Value> {
    let group = by_id(pool, id).await?;
    may_manage(pool, user, &group.lineage, &format!("group {id}")).await?;
    let name = fields.name.as_deref().map(checked_name).transpose()?;
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT 1 FROM work_groups WHERE id = $1 FOR UPDATE")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let before = one(&mut *tx, id).await?;
    check_people(&mut tx, fields).await?;
    if let Some(name) = &name {
        sqlx::query("UPDATE work_groups SET name = $2 WHERE id = $1")
            .bind(id)
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(|e| name_taken(name, e))?;
    }
    if let Some(leader) = fields.leader_id {
        sqlx::query("UPDATE work_groups SET leader_id = $2 WHERE id = $1")
            .bind(id)
            .bind(leader)
            .execute(&mut *tx)
            .await?;
    }
    if let Some(members) = &fields.member_ids {
        set_members(&mut tx, id, members).await?;
    }
    let after = one(&mut *tx, id).await?;
    audit(
        &mut tx,
        user,
        "group_updated",
        &format!("group {id}"),
        json!({ "project": group.project_code, "before": before, "after": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes a group that holds no household (409 while it holds some); its past spans in the
/// assignment history become unassigned. Audited.
pub async fn delete(pool: &PgPool, user: &User, id: i32) -> AppResult<()> {
    let group = by_id(pool, id).await?;
    may_manage(pool, user, &group.lineage, &format!("group {id}")).await?;
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT 1 FROM work_groups WHERE id = $1 FOR UPDATE")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let before = one(&mut *tx, id).await?;
    let held: i64 = sqlx::query_scalar("SELECT count(*) FROM households WHERE group_id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if held > 0 {
        return Err(AppError::Conflict {
            message: format!("group {id} ({}) holds {held} households: hand them to another group or unassign them first", group.name),
            current: json!({ "households": held }),
        });
    }
    sqlx::query("DELETE FROM work_groups WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        user,
        "group_deleted",
        &format!("group {id}"),
        json!({ "project": group.project_code, "group": before }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The region and project a group ranking covers for `user`: the project `project` (a code)
/// when given, else the region asked for, else the caller's own region (a wall display, an
/// admin and staff without a region: the whole city).
pub async fn ranking_scope(
    pool: &PgPool,
    user: &User,
    region: Option<&str>,
    project: Option<&str>,
) -> AppResult<(Option<String>, Option<i64>)> {
    let project = match project {
        Some(code) => Some(readable(pool, user, code).await?.id),
        None => None,
    };
    if region.is_some() || project.is_some() || user.kiosk {
        return Ok((region.map(str::to_owned), project));
    }
    Ok((user.region_code.clone(), None))
}
