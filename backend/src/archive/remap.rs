//! The archive import's id mapping: an archive's regions, people, templates and approval
//! chains matched to the rows this onemap has (by code, name, version and steps) or written
//! beside them, and every row's references given the ids they have here.
use std::collections::HashMap;

use anyhow::Context;
use serde_json::Value;
use sqlx::PgConnection;

use super::layout;

/// Ids of the archive's rows mapped to the ids they have here.
#[derive(Default)]
pub(super) struct Maps {
    pub(super) users: HashMap<i64, i64>,
    pub(super) regions: HashMap<i64, i64>,
    pub(super) lineages: HashMap<i64, Vec<i64>>,
    pub(super) templates: HashMap<i64, i64>,
    /// templates this onemap already had: their steps are not written again
    pub(super) templates_kept: Vec<i64>,
    pub(super) chains: HashMap<i64, i64>,
    pub(super) chains_written: Vec<i64>,
    /// petition categories by name: this onemap's of the same name, else added
    pub(super) petition_categories: HashMap<i64, i64>,
    /// the project's id (kept): other onemaps' chains are kept with it
    pub(super) project: i64,
    /// the project's households (ids kept): a unit held by anyone else arrives reserved
    pub(super) households: std::collections::HashSet<i64>,
}

pub(super) fn map_id(row: &mut Value, column: &str, map: &HashMap<i64, i64>) {
    if let Some(old) = row[column].as_i64() {
        row[column] = map.get(&old).map_or(Value::Null, |new| Value::from(*new));
    }
}

pub(super) async fn next_id(tx: &mut PgConnection, table: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
    ))
    .fetch_one(tx)
    .await?)
}

/// Gives a row the ids it has here; false: the row is here already (a region, user, template
/// or chain this onemap had) and is not written.
pub(super) async fn remap(
    tx: &mut PgConnection,
    part: &layout::Part,
    row: &mut Value,
    maps: &mut Maps,
    steps: &[Value],
) -> anyhow::Result<bool> {
    let props = if part.geometry {
        &mut row["properties"]
    } else {
        &mut *row
    };
    for column in part.users {
        map_id(props, column, &maps.users);
    }
    match part.table {
        "regions" => return remap_region(tx, props, maps).await,
        "users" => return remap_user(tx, props, maps).await,
        "procedure_templates" => {
            let old = props["id"].as_i64().context("a template without id")?;
            let here: Option<i32> = sqlx::query_scalar(
                "SELECT id FROM procedure_templates WHERE kind::text = $1 AND version = $2",
            )
            .bind(props["kind"].as_str())
            .bind(props["version"].as_i64())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = here {
                maps.templates.insert(old, id.into());
                maps.templates_kept.push(old);
                return Ok(false);
            }
            let id = next_id(tx, "procedure_templates").await?;
            maps.templates.insert(old, id);
            props["id"] = id.into();
        }
        "procedure_template_steps" => {
            let old = props["template_id"].as_i64().unwrap_or_default();
            if maps.templates_kept.contains(&old) {
                return Ok(false);
            }
            map_id(props, "template_id", &maps.templates);
        }
        "approval_chains" => return remap_chain(tx, props, maps, steps).await,
        "approval_steps" => {
            map_id(props, "chain_id", &maps.chains);
            let id = props["chain_id"].as_i64().unwrap_or_default();
            if !maps.chains_written.contains(&id) {
                return Ok(false);
            }
        }
        "projects" | "estates" => map_id(props, "region_id", &maps.regions),
        "households" => {
            maps.households
                .insert(props["id"].as_i64().context("a household without id")?);
        }
        "estate_units" => {
            // a unit another project's household holds: not available here, and nobody's
            let held = props["household_id"].as_i64();
            if held.is_some_and(|h| !maps.households.contains(&h)) {
                props["household_id"] = Value::Null;
                props["status"] = "reserved".into();
            }
        }
        "project_procedures" => map_id(props, "template_id", &maps.templates),
        "payment_batches" => map_id(props, "chain_id", &maps.chains),
        "petition_categories" => return remap_petition_category(tx, props, maps).await,
        "petitions" => map_id(props, "category_id", &maps.petition_categories),
        "case_conferences" => {
            // the participants are people: an array of user ids
            let people: Vec<Value> = props["participants"]
                .as_array()
                .map(|ids| {
                    ids.iter()
                        .filter_map(|id| id.as_i64().and_then(|old| maps.users.get(&old)))
                        .map(|new| Value::from(*new))
                        .collect()
                })
                .unwrap_or_default();
            props["participants"] = Value::Array(people);
        }
        "audit_log" => {
            if let Some(o) = props.as_object_mut() {
                o.remove("id");
            }
        }
        _ => {}
    }
    Ok(true)
}

/// A petition category: the one of the same name here, else added with a new id.
async fn remap_petition_category(
    tx: &mut PgConnection,
    props: &mut Value,
    maps: &mut Maps,
) -> anyhow::Result<bool> {
    let old = props["id"]
        .as_i64()
        .context("a petition category without id")?;
    let here: Option<i16> =
        sqlx::query_scalar("SELECT id FROM petition_categories WHERE name = $1")
            .bind(props["name"].as_str())
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(id) = here {
        maps.petition_categories.insert(old, id.into());
        return Ok(false);
    }
    let id = next_id(tx, "petition_categories").await?;
    maps.petition_categories.insert(old, id);
    props["id"] = id.into();
    Ok(true)
}

/// A region: the one of the same code here, else written with its own id where that is free.
async fn remap_region(
    tx: &mut PgConnection,
    props: &mut Value,
    maps: &mut Maps,
) -> anyhow::Result<bool> {
    let old = props["id"].as_i64().context("a region without id")?;
    let here: Option<(i64, Vec<i32>)> =
        sqlx::query_as("SELECT id::int8, lineage FROM regions WHERE code = $1")
            .bind(props["code"].as_str())
            .fetch_optional(&mut *tx)
            .await?;
    if let Some((id, lineage)) = here {
        maps.regions.insert(old, id);
        maps.lineages
            .insert(id, lineage.into_iter().map(i64::from).collect());
        return Ok(false);
    }
    // its own id where this onemap has none by it: a second export gives the same bytes
    let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM regions WHERE id = $1)")
        .bind(old as i32)
        .fetch_one(&mut *tx)
        .await?;
    let id = if taken {
        next_id(tx, "regions").await?
    } else {
        old
    };
    maps.regions.insert(old, id);
    map_id(props, "parent_id", &maps.regions);
    let mut lineage = props["parent_id"]
        .as_i64()
        .and_then(|p| maps.lineages.get(&p))
        .cloned()
        .unwrap_or_default();
    lineage.push(id);
    props["id"] = id.into();
    props["lineage"] = lineage.clone().into();
    maps.lineages.insert(id, lineage);
    Ok(true)
}

/// A person of the history: the one of the same name here, else added, unable to log in.
async fn remap_user(
    tx: &mut PgConnection,
    props: &mut Value,
    maps: &mut Maps,
) -> anyhow::Result<bool> {
    let old = props["id"].as_i64().context("a user without id")?;
    map_id(props, "region_id", &maps.regions);
    let here: Option<i32> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(props["username"].as_str())
        .fetch_optional(&mut *tx)
        .await?;
    let id = match here {
        Some(id) => i64::from(id),
        // the handing-over office's people, named in the history; they cannot log in here.
        // Their own id where it is free (as regions), so a restored project's rows name the
        // same ids; the sequence moves past them afterwards.
        None => sqlx::query_scalar::<_, i32>(
            "INSERT INTO users (id, username, password_hash, role, region_id, created_at, disabled_at) OVERRIDING SYSTEM VALUE
             SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE id = $5) THEN (SELECT max(id) + 1 FROM users) ELSE $5 END,
                    $1, '!', $2::user_role, $3, $4::timestamptz, now() RETURNING id",
        )
        .bind(props["username"].as_str())
        .bind(props["role"].as_str())
        .bind(props["region_id"].as_i64().map(|r| r as i32))
        .bind(props["created_at"].as_str())
        .bind(i32::try_from(old).unwrap_or(0))
        .fetch_one(&mut *tx)
        .await?
        .into(),
    };
    maps.users.insert(old, id);
    Ok(false)
}

/// An approval chain: this onemap's global one of the same version and steps, else written
/// (another onemap's global chain is kept with the project, numbered after its own).
async fn remap_chain(
    tx: &mut PgConnection,
    props: &mut Value,
    maps: &mut Maps,
    steps: &[Value],
) -> anyhow::Result<bool> {
    let old = props["id"].as_i64().context("a chain without id")?;
    if props["project_id"].is_null() {
        let own: Vec<&Value> = steps
            .iter()
            .filter(|s| s["chain_id"].as_i64() == Some(old))
            .collect();
        if let Some(id) =
            same_global_chain(tx, props["version"].as_i64().unwrap_or_default(), &own).await?
        {
            maps.chains.insert(old, id);
            return Ok(false);
        }
        // another onemap's chain: kept with the project, numbered after its own
        props["version"] = (props["version"].as_i64().unwrap_or(1) + 1000).into();
        props["project_id"] = maps.project.into();
    }
    let id = next_id(tx, "approval_chains").await?;
    maps.chains.insert(old, id);
    maps.chains_written.push(id);
    props["id"] = id.into();
    Ok(true)
}

/// The id of this onemap's global chain of `version` with the same steps, if it has one.
async fn same_global_chain(
    tx: &mut PgConnection,
    version: i64,
    steps: &[&Value],
) -> anyhow::Result<Option<i64>> {
    let here: Option<(i64, Value)> = sqlx::query_as(
        "SELECT c.id, coalesce(jsonb_agg(jsonb_build_array(s.position, s.key, s.name, s.role, s.office) ORDER BY s.position), '[]')
           FROM approval_chains c LEFT JOIN approval_steps s ON s.chain_id = c.id
          WHERE c.project_id IS NULL AND c.version = $1 GROUP BY c.id",
    )
    .bind(version as i32)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, theirs)) = here else {
        return Ok(None);
    };
    let ours: Vec<Value> = steps
        .iter()
        .map(|s| {
            Value::from(vec![
                s["position"].clone(),
                s["key"].clone(),
                s["name"].clone(),
                s["role"].clone(),
                s["office"].clone(),
            ])
        })
        .collect();
    Ok((theirs == Value::from(ours)).then_some(id))
}
