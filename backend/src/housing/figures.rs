//! The housing figures of the cockpit, wall and phone: units by status per estate and per 套型,
//! days to deliver and late deliveries against each estate's plan, and the entitlement demand
//! of the households still to choose against the units left, per 套型.
use serde::Serialize;
use serde_json::Value;
use sqlx::PgPool;

use crate::error::AppResult;

/// One 套型's demand against supply across a scope's estates.
#[derive(Serialize, Debug, PartialEq)]
pub struct TypeDemand {
    pub name: String,
    pub area: f64,
    pub units: i64,
    /// units still available
    pub supply: i64,
    /// households still to choose whose entitlement is nearest this type
    pub demand: i64,
    /// demand beyond supply (0 when there are enough)
    pub shortfall: i64,
}

/// The figures of the estates within `region` (all when None), as of `today`.
pub async fn figures(
    pool: &PgPool,
    region: Option<&str>,
    today: chrono::NaiveDate,
) -> AppResult<Value> {
    let sqlx::types::Json(mut value): sqlx::types::Json<Value> =
        sqlx::query_scalar(include_str!("../../sql/housing/figures.sql"))
            .bind(region)
            .bind(today)
            .fetch_one(pool)
            .await?;
    value["demand"] = serde_json::to_value(demand(pool, region).await?)
        .map_err(|e| crate::error::AppError::Internal(format!("housing demand: {e}")))?;
    Ok(value)
}

/// Demand against supply per 套型 for the projects within `region` that draw on estates.
pub async fn demand(pool: &PgPool, region: Option<&str>) -> AppResult<Vec<TypeDemand>> {
    let projects: Vec<i64> =
        sqlx::query_scalar(include_str!("../../sql/housing/scope_projects.sql"))
            .bind(region)
            .fetch_all(pool)
            .await?;
    let wanted = crate::selection::demand(pool, &projects).await?;
    let supply: Vec<(String, f64, i64, i64)> =
        sqlx::query_as(include_str!("../../sql/housing/demand_supply.sql"))
            .bind(&projects)
            .fetch_all(pool)
            .await?;
    Ok(supply
        .into_iter()
        .map(|(name, area, units, supply)| {
            let demand: i64 = wanted
                .iter()
                .filter(|w| w.name == name && (w.area - area).abs() < 0.005)
                .map(|w| w.demand)
                .sum();
            TypeDemand {
                shortfall: (demand - supply).max(0),
                name,
                area,
                units,
                supply,
                demand,
            }
        })
        .collect())
}
