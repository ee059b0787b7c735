//! A project's compensation standard (补偿标准): rates by use and legality, subsidies, signing
//! incentives by date and the agreement template; read by staff, changed by admins (audited).
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use super::agreement_doc::check_template;
use crate::audit::audit;
use crate::auth::{authorize, Role, User};
use crate::error::{AppError, AppResult};
use crate::projects::{self, Project};
use crate::validate;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    pub r#use: String,
    pub legality: String,
    pub yuan_per_m2: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incentive {
    pub until: chrono::NaiveDate,
    pub yuan: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub rates: Vec<Rate>,
    pub relocation_yuan: f64,
    pub transition_yuan_per_m2_month: f64,
    pub transition_months: i16,
    pub incentives: Vec<Incentive>,
    pub agreement_template: Option<String>,
}

const USES: [&str; 5] = ["residential", "commercial", "industrial", "public", "mixed"];

pub async fn read(pool: &PgPool, user: &User, code: &str) -> AppResult<Value> {
    let Project { id, lineage, .. } = projects::by_code(pool, code).await?;
    authorize(user, &lineage, &format!("project {code}"))?;
    let standard: Value = sqlx::query_scalar(
        "SELECT json_build_object(
             'relocation_yuan', coalesce(s.relocation_yuan, 0),
             'transition_yuan_per_m2_month', coalesce(s.transition_yuan_per_m2_month, 0),
             'transition_months', coalesce(s.transition_months, 0),
             'rates', coalesce((SELECT json_agg(json_build_object('use', r.use, 'legality', r.legality, 'yuan_per_m2', r.yuan_per_m2)
                                                ORDER BY r.use, r.legality) FROM compensation_rates r WHERE r.project_id = $1), '[]'),
             'incentives', coalesce((SELECT json_agg(json_build_object('until', i.until, 'yuan', i.yuan) ORDER BY i.until)
                                       FROM compensation_incentives i WHERE i.project_id = $1), '[]'),
             'agreement_template', s.agreement_template)
           FROM (SELECT $1::bigint AS id) p LEFT JOIN compensation_standards s ON s.project_id = p.id",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(
        json!({ "project": code, "standard": standard, "default_agreement_template": super::agreement_doc::DEFAULT_TEMPLATE }),
    )
}

fn money(field: &str, v: f64, max: f64) -> AppResult<f64> {
    validate::yuan(field, v, max).map_err(AppError::Unprocessable)
}

/// The most signing-incentive tiers a standard may have (real ones have two or three).
const MAX_INCENTIVES: usize = 50;

/// The longest agreement template: many pages of text, far from a body-size attack.
const MAX_TEMPLATE_CHARS: usize = 100_000;

/// Every field of a standard within its bounds, named when it is not.
fn check_standard(s: &Standard) -> AppResult<()> {
    money(
        "relocation_yuan",
        s.relocation_yuan,
        validate::MAX_HOUSEHOLD_YUAN,
    )?;
    money(
        "transition_yuan_per_m2_month",
        s.transition_yuan_per_m2_month,
        validate::MAX_RATE_YUAN,
    )?;
    if !(0..=120).contains(&s.transition_months) {
        return Err(AppError::Unprocessable(format!(
            "transition_months: {} is not between 0 and 120",
            s.transition_months
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, r) in s.rates.iter().enumerate() {
        if !USES.contains(&r.r#use.as_str()) {
            return Err(AppError::Unprocessable(format!(
                "rates[{i}].use: `{}` is not one of {}",
                r.r#use,
                USES.join(", ")
            )));
        }
        if !matches!(r.legality.as_str(), "legal" | "illegal") {
            return Err(AppError::Unprocessable(format!(
                "rates[{i}].legality: `{}` is not legal or illegal",
                r.legality
            )));
        }
        if !seen.insert((r.r#use.as_str(), r.legality.as_str())) {
            return Err(AppError::Unprocessable(format!(
                "rates[{i}]: {} {} is given twice",
                r.r#use, r.legality
            )));
        }
        money(
            &format!("rates[{i}].yuan_per_m2"),
            r.yuan_per_m2,
            validate::MAX_RATE_YUAN,
        )?;
    }
    if s.incentives.len() > MAX_INCENTIVES {
        return Err(AppError::Unprocessable(format!(
            "incentives: at most {MAX_INCENTIVES} tiers, got {}",
            s.incentives.len()
        )));
    }
    let mut days = std::collections::HashSet::new();
    for (i, x) in s.incentives.iter().enumerate() {
        validate::day_in_range(&format!("incentives[{i}].until"), x.until)
            .map_err(AppError::Unprocessable)?;
        if !days.insert(x.until) {
            return Err(AppError::Unprocessable(format!(
                "incentives[{i}].until: {} is given twice",
                x.until
            )));
        }
        money(
            &format!("incentives[{i}].yuan"),
            x.yuan,
            validate::MAX_HOUSEHOLD_YUAN,
        )?;
    }
    if let Some(t) = &s.agreement_template {
        validate::max_chars("agreement_template", t, MAX_TEMPLATE_CHARS)
            .map_err(AppError::Unprocessable)?;
        check_template(t)?;
    }
    Ok(())
}

/// Replaces the standard. Agreements already signed keep the sum they were signed at.
pub async fn write(pool: &PgPool, user: &User, code: &str, s: &Standard) -> AppResult<Value> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(
            "compensation standard: only an admin may change it".into(),
        ));
    }
    let Project { id, .. } = projects::by_code(pool, code).await?;
    check_standard(s)?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO compensation_standards (project_id, relocation_yuan, transition_yuan_per_m2_month, transition_months, agreement_template)
         VALUES ($1, round($2::numeric, 2), round($3::numeric, 2), $4, $5)
         ON CONFLICT (project_id) DO UPDATE SET relocation_yuan = EXCLUDED.relocation_yuan,
             transition_yuan_per_m2_month = EXCLUDED.transition_yuan_per_m2_month,
             transition_months = EXCLUDED.transition_months, agreement_template = EXCLUDED.agreement_template",
    )
    .bind(id).bind(s.relocation_yuan).bind(s.transition_yuan_per_m2_month).bind(s.transition_months).bind(&s.agreement_template)
    .execute(&mut *tx).await?;
    sqlx::query("DELETE FROM compensation_rates WHERE project_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM compensation_incentives WHERE project_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for r in &s.rates {
        sqlx::query("INSERT INTO compensation_rates (project_id, use, legality, yuan_per_m2) VALUES ($1, $2, $3, round($4::numeric, 2))")
            .bind(id).bind(&r.r#use).bind(&r.legality).bind(r.yuan_per_m2).execute(&mut *tx).await?;
    }
    for x in &s.incentives {
        sqlx::query("INSERT INTO compensation_incentives (project_id, until, yuan) VALUES ($1, $2, round($3::numeric, 2))")
            .bind(id).bind(x.until).bind(x.yuan).execute(&mut *tx).await?;
    }
    audit(&mut tx, user, "compensation_standard", &format!("project {code}"), json!({
        "relocation_yuan": s.relocation_yuan, "transition_yuan_per_m2_month": s.transition_yuan_per_m2_month,
        "transition_months": s.transition_months, "rates": s.rates.len(), "incentives": s.incentives.len(),
    })).await?;
    tx.commit().await?;
    read(pool, user, code).await
}
