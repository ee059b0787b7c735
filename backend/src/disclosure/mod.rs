//! Public disclosure (阳光征收): published projects only, their documents and the five lists
//! (五榜公示) with names and ID numbers masked in the database, before anything leaves it.
pub mod landing;
pub mod objections;
pub mod procedure;
pub mod rate_limit;
pub mod residents;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::error::{AppError, AppResult};

/// A list and its columns by key: the frontend names them (frontend/src/i18n/, `list.*`).
pub struct List {
    pub key: &'static str,
    sql: &'static str,
    columns: &'static [&'static str],
}

const PERSON: [&str; 2] = ["holder", "id_number"];

pub static LISTS: [List; 5] = [
    List {
        key: "survey",
        sql: include_str!("../../sql/public/survey.sql"),
        columns: &[
            "code",
            PERSON[0],
            PERSON[1],
            "building",
            "members",
            "recorded_area",
            "legality",
        ],
    },
    List {
        key: "signed",
        sql: include_str!("../../sql/public/signed.sql"),
        columns: &[
            "code",
            PERSON[0],
            PERSON[1],
            "building",
            "signed_on",
            "resettlement",
            "agreed_yuan",
        ],
    },
    List {
        key: "paid",
        sql: include_str!("../../sql/public/paid.sql"),
        columns: &[
            "code",
            PERSON[0],
            PERSON[1],
            "agreed_yuan",
            "paid_yuan",
            "paid_on",
        ],
    },
    List {
        key: "incentives",
        sql: include_str!("../../sql/public/incentives.sql"),
        columns: &[
            "code",
            PERSON[0],
            PERSON[1],
            "signed_on",
            "incentive_yuan",
            "basis",
        ],
    },
    List {
        key: "progress",
        sql: include_str!("../../sql/public/progress.sql"),
        columns: &[
            "building",
            "status",
            "households",
            "surveyed",
            "signed",
            "vacated",
            "demolished",
        ],
    },
];

/// A published project's id, or the same 404 as for one that does not exist.
pub async fn published(pool: &PgPool, code: &str) -> AppResult<i64> {
    sqlx::query_scalar("SELECT id FROM projects WHERE code = $1 AND published")
        .bind(code)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("project: no published project has code `{code}`"))
        })
}

/// A published project as the public pages show it: where it is (its region and the city,
/// district and street above it, for the list's filters), its dates and its figures.
const PROJECT_JSON: &str = "json_build_object('code', p.code, 'name', p.name, 'region', r.name, 'kind', p.kind,
    'city', (SELECT a.name FROM regions a WHERE a.id = ANY (r.lineage) AND a.level = 'city'),
    'district', (SELECT a.name FROM regions a WHERE a.id = ANY (r.lineage) AND a.level = 'district'),
    'street', (SELECT a.name FROM regions a WHERE a.id = ANY (r.lineage) AND a.level = 'street'),
    'start_date', p.start_date, 'target_date', p.target_date, 'households', f.households, 'signed', f.signed,
    'vacated', f.vacated, 'demolished', f.demolished, 'floor_area', f.floor_area,
    'sign_rate', sign_rate(f.signed, f.households))";

/// Every published project as a JSON array, newest first: what the landing keeps and pages.
fn projects_sql() -> String {
    format!(
        "SELECT coalesce(json_agg({PROJECT_JSON} ORDER BY p.start_date DESC, p.code), '[]')
           FROM projects p JOIN regions r ON r.id = p.region_id JOIN project_figures f ON f.project_id = p.id WHERE p.published"
    )
}

pub async fn project(pool: &PgPool, code: &str) -> AppResult<Value> {
    let id = published(pool, code).await?;
    // the outline is the project's boundary only: no building, parcel or person
    let (project, outline, documents): (Value, Value, Value) = sqlx::query_as(&format!(
        "SELECT {PROJECT_JSON}, ST_AsGeoJSON(p.geom, 6)::json,
                coalesce((SELECT json_agg(json_build_object('kind', d.kind, 'title', d.title, 'body', d.body,
                                                            'published_at', d.published_at) ORDER BY d.kind, d.published_at DESC)
                            FROM disclosures d WHERE d.project_id = p.id), '[]')
           FROM projects p JOIN regions r ON r.id = p.region_id JOIN project_figures f ON f.project_id = p.id WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_one(pool)
    .await?;
    let lists: Vec<Value> = LISTS.iter().map(|l| json!({ "list": l.key })).collect();
    let procedure = procedure::published_steps(pool, id).await?;
    Ok(
        json!({ "project": project, "outline": outline, "documents": documents, "lists": lists,
               "steps": procedure["steps"], "nine": procedure["nine"] }),
    )
}

pub async fn list(
    pool: &PgPool,
    code: &str,
    key: &str,
    limit: Option<i64>,
    offset: Option<i64>,
) -> AppResult<Value> {
    let list = LISTS.iter().find(|l| l.key == key).ok_or_else(|| {
        AppError::NotFound(format!(
            "list: `{key}` is not one of {}",
            LISTS.iter().map(|l| l.key).collect::<Vec<_>>().join(", ")
        ))
    })?;
    let limit = limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "limit: {limit} is not between 1 and 200"
        )));
    }
    let offset = offset.unwrap_or(0);
    if !(0..=10_000_000).contains(&offset) {
        return Err(AppError::BadRequest(format!(
            "offset: {offset} is out of range"
        )));
    }
    let id = published(pool, code).await?;
    let (total, rows): (i64, Value) = sqlx::query_as(list.sql)
        .bind(id)
        .bind(limit)
        .bind(offset)
        .fetch_one(pool)
        .await?;
    let columns: Vec<Value> = list.columns.iter().map(|k| json!({ "key": k })).collect();
    Ok(json!({ "list": list.key, "columns": columns, "total": total, "rows": rows }))
}

/// A published document's title is a line; its body a few pages of notice or policy.
const MAX_TITLE_CHARS: usize = 200;
const MAX_BODY_CHARS: usize = 100_000;

const DOCUMENT_KINDS: [&str; 4] = ["overview", "policy", "compensation_plan", "announcement"];

/// Every document published for a project, newest first, with who published it (admins: the
/// admin page shows what is out before publishing more).
pub async fn documents(pool: &PgPool, user: &crate::auth::User, code: &str) -> AppResult<Value> {
    crate::admin::admins_only(user, "disclosures")?;
    let project = crate::projects::by_code(pool, code).await?;
    let documents: Value = sqlx::query_scalar(
        "SELECT coalesce(json_agg(json_build_object('id', d.id, 'kind', d.kind, 'title', d.title, 'body', d.body,
                    'published_at', d.published_at, 'username', u.username) ORDER BY d.published_at DESC, d.id DESC), '[]')
           FROM disclosures d LEFT JOIN users u ON u.id = d.user_id WHERE d.project_id = $1",
    )
    .bind(project.id)
    .fetch_one(pool)
    .await?;
    let published: bool = sqlx::query_scalar("SELECT published FROM projects WHERE id = $1")
        .bind(project.id)
        .fetch_one(pool)
        .await?;
    Ok(json!({ "project": code, "published": published, "documents": documents }))
}

/// 九公开 documents staff publish for a project.
pub async fn publish_document(
    pool: &PgPool,
    user: &crate::auth::User,
    code: &str,
    kind: &str,
    title: &str,
    body: &str,
) -> AppResult<Value> {
    if user.role != crate::auth::Role::Admin {
        return Err(AppError::Forbidden(
            "disclosures: only an admin publishes documents".into(),
        ));
    }
    let id = crate::projects::by_code(pool, code).await?.id;
    if !DOCUMENT_KINDS.contains(&kind) {
        return Err(AppError::Unprocessable(format!(
            "kind: `{kind}` is not one of {}",
            DOCUMENT_KINDS.join(", ")
        )));
    }
    if title.trim().is_empty() {
        return Err(AppError::Unprocessable(
            "title: a document needs a title".into(),
        ));
    }
    crate::validate::max_chars("title", title, MAX_TITLE_CHARS)
        .and_then(|_| crate::validate::max_chars("body", body, MAX_BODY_CHARS))
        .map_err(AppError::Unprocessable)?;
    let mut tx = pool.begin().await?;
    let document: Value = sqlx::query_scalar(
        "INSERT INTO disclosures (project_id, kind, title, body, user_id) VALUES ($1, $2::disclosure_kind, $3, $4, $5)
         RETURNING json_build_object('id', id, 'kind', kind, 'title', title, 'body', body, 'published_at', published_at)",
    )
    .bind(id).bind(kind).bind(title.trim()).bind(body).bind(user.id)
    .fetch_one(&mut *tx).await?;
    crate::audit::audit(
        &mut tx,
        user,
        "disclosure",
        &format!("project {code}"),
        json!({ "kind": kind, "title": title.trim() }),
    )
    .await?;
    tx.commit().await?;
    Ok(document)
}
