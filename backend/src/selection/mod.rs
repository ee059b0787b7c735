//! 选房: each project's selection rules (entitlement, order, swap money) as data, its selection
//! days with their queue and the public lottery, the clerks' console and the swap money (差价结算)
//! a confirmed selection settles. See docs/selection.md.
pub mod days;
pub mod desk;
pub mod live;
pub mod lottery;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::audit::audit;
use crate::auth::{Role, User};
use crate::error::{AppError, AppResult};
use crate::message::Message;

/// A project's rules: entitled area = recorded area × `area_ratio` + `incentive_area`; up to
/// `beyond_max_area` m² more at the market price, in at most `max_units` units; unused
/// entitlement paid at `unused_yuan_per_m2` (None: the household's own compensation rate);
/// order by signing (签约顺序号) or lottery (摇号); an absent household goes to the end `recalls` times.
#[derive(Serialize, Deserialize, sqlx::FromRow, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub area_ratio: f64,
    pub incentive_area: f64,
    pub beyond_max_area: f64,
    pub max_units: i16,
    pub unused_yuan_per_m2: Option<f64>,
    pub order_by: String,
    pub recalls: i16,
}

/// The project's rules (the defaults where it has none), with who saved them last.
pub async fn rules(pool: &PgPool, project_id: i64) -> AppResult<Value> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        rules: Rules,
        updated_by: Option<String>,
        updated_at: Option<chrono::DateTime<chrono::Utc>>,
    }
    let row: Row = sqlx::query_as(include_str!("../../sql/selection/rules.sql"))
        .bind(project_id)
        .fetch_one(pool)
        .await?;
    let mut value =
        serde_json::to_value(&row.rules).map_err(|e| AppError::Internal(e.to_string()))?;
    value["updated_by"] = json!(row.updated_by);
    value["updated_at"] = json!(row.updated_at);
    Ok(value)
}

/// The rules as the project holds them now, for the writers.
pub(crate) async fn rules_of(db: &mut sqlx::PgConnection, project_id: i64) -> AppResult<Rules> {
    Ok(
        sqlx::query_as(include_str!("../../sql/selection/rules.sql"))
            .bind(project_id)
            .fetch_one(db)
            .await?,
    )
}

/// `field: …` when `value` is outside `[min, max]` or has more than `decimals` decimals.
fn in_range(field: &str, value: f64, min: f64, max: f64, decimals: i32) -> AppResult<()> {
    let scaled = value * 10f64.powi(decimals);
    if !value.is_finite() || value < min || value > max || (scaled - scaled.round()).abs() > 1e-6 {
        return Err(AppError::Unprocessable(format!(
            "{field}: {value} is not a number from {min} to {max} with at most {decimals} decimals"
        )));
    }
    Ok(())
}

/// Refuses rules a selection day could not follow, naming the field.
pub fn check(rules: &Rules) -> AppResult<()> {
    if rules.area_ratio <= 0.0 {
        return Err(AppError::Unprocessable(
            "area_ratio: must be more than 0".into(),
        ));
    }
    in_range("area_ratio", rules.area_ratio, 0.0, 5.0, 3)?;
    in_range("incentive_area", rules.incentive_area, 0.0, 999.99, 2)?;
    in_range("beyond_max_area", rules.beyond_max_area, 0.0, 999.99, 2)?;
    in_range("max_units", f64::from(rules.max_units), 1.0, 5.0, 0)?;
    if let Some(rate) = rules.unused_yuan_per_m2 {
        in_range("unused_yuan_per_m2", rate, 0.0, 1_000_000.0, 2)?;
    }
    if !matches!(rules.order_by.as_str(), "signing" | "lottery") {
        return Err(AppError::Unprocessable(format!(
            "order_by: `{}` is neither `signing` (签约顺序号) nor `lottery` (摇号)",
            rules.order_by
        )));
    }
    in_range("recalls", f64::from(rules.recalls), 0.0, 5.0, 0)
}

/// An admin saves a project's rules, audited with what they were before. Selection days made
/// earlier keep the entitlements they were made with.
pub async fn save_rules(pool: &PgPool, user: &User, code: &str, new: &Rules) -> AppResult<Value> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(
            "selection rules: only admins change them".into(),
        ));
    }
    check(new)?;
    let project = crate::projects::by_code(pool, code).await?;
    let before = rules(pool, project.id).await?;
    let mut tx = pool.begin().await?;
    sqlx::query(include_str!("../../sql/selection/rules_put.sql"))
        .bind(project.id)
        .bind(new.area_ratio)
        .bind(new.incentive_area)
        .bind(new.beyond_max_area)
        .bind(new.max_units)
        .bind(new.unused_yuan_per_m2)
        .bind(&new.order_by)
        .bind(new.recalls)
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        user,
        "selection_rules",
        &format!("project:{code}"),
        json!({ "before": before, "after": new }),
    )
    .await?;
    tx.commit().await?;
    rules(pool, project.id).await
}

/// One 套型's demand against supply in a project (demand.sql).
#[derive(sqlx::FromRow, Serialize)]
pub struct Demand {
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub region_code: String,
    pub name: String,
    pub area: f64,
    pub units: i64,
    pub supply: i64,
    pub demand: i64,
}

/// Demand against supply per type for the projects `ids`.
pub async fn demand(pool: &PgPool, ids: &[i64]) -> Result<Vec<Demand>, sqlx::Error> {
    sqlx::query_as(include_str!("../../sql/selection/demand.sql"))
        .bind(ids)
        .fetch_all(pool)
        .await
}

/// A 套型 short of units for the households still to choose (`housing_shortfall`).
#[derive(Serialize)]
pub struct ShortfallAlert {
    pub kind: &'static str,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub region_code: String,
    pub type_name: String,
    pub area: f64,
    pub demand: i64,
    pub supply: i64,
    pub message: Message,
}

/// Every type short of units in the projects `within` (all projects that draw on an estate
/// when None): joins the other alerts (reports::alerts).
pub async fn shortfalls(
    pool: &PgPool,
    within: Option<&[i64]>,
) -> Result<Vec<ShortfallAlert>, sqlx::Error> {
    let ids: Vec<i64> = match within {
        Some(ids) => ids.to_vec(),
        None => {
            sqlx::query_scalar("SELECT DISTINCT project_id FROM project_estates ORDER BY 1")
                .fetch_all(pool)
                .await?
        }
    };
    Ok(demand(pool, &ids)
        .await?
        .into_iter()
        .filter(|d| d.demand > d.supply)
        .map(|d| ShortfallAlert {
            kind: "housing_shortfall",
            message: Message {
                key: "alert.housing_shortfall".into(),
                values: json!({ "project": d.project_name, "type": d.name, "area": d.area,
                                "demand": d.demand, "supply": d.supply }),
            },
            project_id: d.project_id,
            project_code: d.project_code,
            project_name: d.project_name,
            region_code: d.region_code,
            type_name: d.name,
            area: d.area,
            demand: d.demand,
            supply: d.supply,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            area_ratio: 1.0,
            incentive_area: 10.0,
            beyond_max_area: 10.0,
            max_units: 2,
            unused_yuan_per_m2: None,
            order_by: "lottery".into(),
            recalls: 1,
        }
    }

    #[test]
    fn rules_name_the_field_they_refuse() {
        assert!(check(&rules()).is_ok());
        let refused = |r: Rules| check(&r).expect_err("refused").to_string();
        assert!(refused(Rules {
            area_ratio: 0.0,
            ..rules()
        })
        .starts_with("area_ratio:"));
        assert!(refused(Rules {
            incentive_area: 1.234,
            ..rules()
        })
        .starts_with("incentive_area:"));
        assert!(refused(Rules {
            max_units: 9,
            ..rules()
        })
        .starts_with("max_units:"));
        assert!(refused(Rules {
            unused_yuan_per_m2: Some(-1.0),
            ..rules()
        })
        .starts_with("unused_yuan_per_m2:"));
        assert!(refused(Rules {
            order_by: "age".into(),
            ..rules()
        })
        .starts_with("order_by:"));
        assert!(refused(Rules {
            recalls: 6,
            ..rules()
        })
        .starts_with("recalls:"));
    }
}
