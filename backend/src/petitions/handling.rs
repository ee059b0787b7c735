//! What staff do with a registered petition: decide it (受理 / 不予受理 with a reason), assign it to
//! a work group or an office, reply (published to the ticket; the final reply ends the handling)
//! and link it to the matter it repeats. Each in one transaction with its audit line; an objection's
//! petition also writes the answer to the objection, so its old list and the resident's look-up agree.
use serde::Deserialize;
use serde_json::json;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};

use super::{authorized, detail, required_text, usable_category};
use crate::audit::audit;
use crate::auth::User;
use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub accept: bool,
    pub reason: Option<String>,
    pub category_id: Option<i16>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    pub body: String,
    #[serde(default = "yes")]
    pub r#final: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assign {
    pub group_id: Option<i32>,
    pub office: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// the petition this one repeats; null: unlink
    pub repeat_of: Option<i64>,
}

/// The petition's status, locked for the change; 422 naming `status` unless it is one of `allowed`.
async fn status_for(
    tx: &mut PgConnection,
    id: i64,
    allowed: &[&str],
    act: &str,
) -> AppResult<String> {
    let status: String =
        sqlx::query_scalar("SELECT status::text FROM petitions WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if allowed.contains(&status.as_str()) {
        Ok(status)
    } else {
        Err(AppError::Unprocessable(format!(
            "status: petition {id} is {status}; {act}"
        )))
    }
}

/// Writes `answer` to the objection this petition is (if any): the resident's look-up shows it.
async fn answer_objection(
    tx: &mut PgConnection,
    user: &User,
    id: i64,
    answer: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE objections SET answer = $2, status = 'answered', answered_by = $3, answered_at = now()
          WHERE id = (SELECT objection_id FROM petitions WHERE id = $1)",
    )
    .bind(id)
    .bind(answer)
    .bind(user.id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn accept(pool: &PgPool, user: &User, id: i64, d: &Decision) -> AppResult<Value> {
    authorized(pool, user, id).await?;
    let reason = match (&d.accept, &d.reason) {
        (false, Some(r)) => Some(required_text(
            "reason",
            r,
            1000,
            "say why it is not accepted (不予受理的理由)",
        )?),
        (false, None) => {
            return Err(AppError::Unprocessable(
                "reason: say why it is not accepted (不予受理的理由)".into(),
            ))
        }
        (true, _) => None,
    };
    let mut tx = pool.begin().await?;
    status_for(&mut tx, id, &["registered"], "it was decided already").await?;
    usable_category(&mut *tx, d.category_id).await?;
    // the handling period of its (perhaps now known) category, as the rules say today
    sqlx::query(
        "UPDATE petitions p SET status = $2::petition_status, decided_at = now(), decided_by = $3, reject_reason = $4,
                category_id = coalesce($5, p.category_id), handle_n = r.handle_n, handle_unit = r.handle_unit
           FROM petition_period((SELECT project_id FROM petitions WHERE id = $1), (SELECT channel FROM petitions WHERE id = $1),
                                coalesce($5, (SELECT category_id FROM petitions WHERE id = $1))) r
          WHERE p.id = $1",
    )
    .bind(id)
    .bind(if d.accept { "accepted" } else { "rejected" })
    .bind(user.id)
    .bind(&reason)
    .bind(d.category_id)
    .execute(&mut *tx)
    .await?;
    if let Some(r) = &reason {
        answer_objection(&mut tx, user, id, &format!("不予受理：{r}")).await?;
    }
    let action = if d.accept {
        "petition_accepted"
    } else {
        "petition_rejected"
    };
    audit(
        &mut tx,
        user,
        action,
        &format!("petition {id}"),
        json!({ "reason": reason, "category_id": d.category_id }),
    )
    .await?;
    tx.commit().await?;
    detail(pool, user, id).await
}

pub async fn reply(pool: &PgPool, user: &User, id: i64, r: &Reply) -> AppResult<Value> {
    authorized(pool, user, id).await?;
    let body = required_text(
        "body",
        &r.body,
        4000,
        "write the reply the petitioner will read",
    )?;
    let mut tx = pool.begin().await?;
    status_for(
        &mut tx,
        id,
        &["accepted"],
        "only an accepted petition is replied to (accept it first)",
    )
    .await?;
    sqlx::query(
        "INSERT INTO petition_replies (petition_id, body, final, by_user) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(&body)
    .bind(r.r#final)
    .bind(user.id)
    .execute(&mut *tx)
    .await?;
    if r.r#final {
        sqlx::query("UPDATE petitions SET status = 'replied', replied_at = now() WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    answer_objection(&mut tx, user, id, &body).await?;
    audit(
        &mut tx,
        user,
        "petition_replied",
        &format!("petition {id}"),
        json!({ "body": body, "final": r.r#final }),
    )
    .await?;
    tx.commit().await?;
    detail(pool, user, id).await
}

pub async fn assign(pool: &PgPool, user: &User, id: i64, a: &Assign) -> AppResult<Value> {
    let project = authorized(pool, user, id).await?;
    let office = a.office.as_deref().map(str::trim).filter(|o| !o.is_empty());
    match (a.group_id, office) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(AppError::Unprocessable(
                "group_id: give a work group or an office, one of them".into(),
            ))
        }
        (Some(g), None) => {
            let ours: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM work_groups WHERE id = $1 AND project_id = $2)",
            )
            .bind(g)
            .bind(project)
            .fetch_one(pool)
            .await?;
            if !ours {
                return Err(AppError::Unprocessable(format!(
                    "group_id: work group {g} is not a group of this petition's project"
                )));
            }
        }
        (None, Some(o)) => {
            let held: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM user_offices WHERE office = $1)")
                    .bind(o)
                    .fetch_one(pool)
                    .await?;
            if !held {
                return Err(AppError::Unprocessable(format!(
                    "office: nobody holds the office `{o}`"
                )));
            }
        }
    }
    let mut tx = pool.begin().await?;
    status_for(
        &mut tx,
        id,
        &["registered", "accepted"],
        "a closed petition keeps its owner",
    )
    .await?;
    sqlx::query("UPDATE petitions SET group_id = $2, office = $3 WHERE id = $1")
        .bind(id)
        .bind(a.group_id)
        .bind(office)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        user,
        "petition_assigned",
        &format!("petition {id}"),
        json!({ "group_id": a.group_id, "office": office }),
    )
    .await?;
    tx.commit().await?;
    detail(pool, user, id).await
}

/// Links the petition to the matter `repeat_of` belongs to (its first petition), so a chain is
/// always one level: the petitions that repeated this one follow it to the first.
pub async fn link(pool: &PgPool, user: &User, id: i64, l: &Link) -> AppResult<Value> {
    authorized(pool, user, id).await?;
    let root = match l.repeat_of {
        None => None,
        Some(other) => {
            if other == id {
                return Err(AppError::Unprocessable(
                    "repeat_of: a petition does not repeat itself".into(),
                ));
            }
            authorized(pool, user, other).await.map_err(|e| match e {
                AppError::NotFound(_) => {
                    AppError::Unprocessable(format!("repeat_of: petition {other} does not exist"))
                }
                e => e,
            })?;
            let root: i64 =
                sqlx::query_scalar("SELECT coalesce(repeat_of, id) FROM petitions WHERE id = $1")
                    .bind(other)
                    .fetch_one(pool)
                    .await?;
            if root == id {
                return Err(AppError::Unprocessable(format!(
                    "repeat_of: petition {other} repeats this one already"
                )));
            }
            Some(root)
        }
    };
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE petitions SET repeat_of = $2 WHERE id = $1")
        .bind(id)
        .bind(root)
        .execute(&mut *tx)
        .await?;
    if let Some(root) = root {
        sqlx::query("UPDATE petitions SET repeat_of = $2 WHERE repeat_of = $1")
            .bind(id)
            .bind(root)
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut tx,
        user,
        "petition_linked",
        &format!("petition {id}"),
        json!({ "repeat_of": root }),
    )
    .await?;
    tx.commit().await?;
    detail(pool, user, id).await
}
