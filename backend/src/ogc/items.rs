//! Reads a collection's features a page at a time: filters, bbox, keyset paging by id, the
//! count of all matches, GeoJSON made by PostGIS in the requested CRS.
use sqlx::postgres::PgArguments;
use sqlx::{Arguments, PgPool};

use super::collections::Collection;
use super::crs::Crs;
use crate::error::{AppError, AppResult};

/// What the client asked for, already checked.
#[derive(Default)]
pub struct Filters {
    /// West, south, east, north in `bbox_crs` units, longitude (or easting) first.
    pub bbox: Option<([f64; 4], Crs)>,
    pub status: Option<String>,
    pub stage: Option<String>,
    pub project: Option<String>,
    pub region: Option<String>,
    pub code: Option<String>,
    /// A CQL2 text filter, already parsed.
    pub filter: Option<super::cql2::Expr>,
}

pub struct Page {
    /// The features, comma-separated GeoJSON objects (without the enclosing brackets).
    pub features: String,
    pub returned: i64,
    pub matched: i64,
    /// The id after which the next page starts, when there may be one.
    pub next_cursor: Option<i64>,
}

/// The WHERE clause and its arguments, built only from fixed fragments.
pub(super) struct Condition {
    sql: Vec<String>,
    args: PgArguments,
    count: usize,
}

impl Condition {
    pub(super) fn bind<T>(&mut self, value: T) -> String
    where
        T: for<'q> sqlx::Encode<'q, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send,
    {
        self.args.add(value).expect("encodable argument");
        self.count += 1;
        format!("${}", self.count)
    }

    fn where_sql(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.sql.join(" AND "))
        }
    }
}

async fn condition(
    pool: &PgPool,
    collection: &Collection,
    filters: &Filters,
) -> AppResult<Condition> {
    let mut c = Condition {
        sql: Vec::new(),
        args: PgArguments::default(),
        count: 0,
    };
    if let Some(([w, s, e, n], crs)) = filters.bbox {
        if w > e || s > n {
            return Err(AppError::BadRequest(format!(
                "bbox: west {w} must not exceed east {e}, nor south {s} north {n}"
            )));
        }
        let (pw, ps, pe, pn, srid) = (
            c.bind(w),
            c.bind(s),
            c.bind(e),
            c.bind(n),
            c.bind(crs.srid()),
        );
        // a longitude/latitude rectangle is a rectangle in Web Mercator too, where the index is
        let envelope =
            format!("ST_Transform(ST_MakeEnvelope({pw}, {ps}, {pe}, {pn}, {srid}), 3857)");
        c.sql.push(format!(
            "t.geom_3857 && {envelope} AND ST_Intersects(t.geom_3857, {envelope})"
        ));
    }
    if let Some(status) = &filters.status {
        let (column, allowed) = collection.status.ok_or_else(|| {
            AppError::BadRequest(format!(
                "status: collection `{}` has no status to filter on",
                collection.id
            ))
        })?;
        if !allowed.contains(&status.as_str()) {
            return Err(AppError::BadRequest(format!(
                "status: `{status}` is not one of {}",
                allowed.join(", ")
            )));
        }
        let p = c.bind(status.clone());
        c.sql.push(format!("{column}::text = {p}"));
    }
    if let Some(stage) = &filters.stage {
        let column = collection.stage.ok_or_else(|| {
            AppError::BadRequest(format!(
                "stage: collection `{}` has no stage to filter on",
                collection.id
            ))
        })?;
        if !super::collections::STAGES.contains(&stage.as_str()) {
            return Err(AppError::BadRequest(format!(
                "stage: `{stage}` is not one of {}",
                super::collections::STAGES.join(", ")
            )));
        }
        let p = c.bind(stage.clone());
        c.sql.push(format!("{column}::text = {p}"));
    }
    if let Some(project) = &filters.project {
        if !collection.by_project {
            return Err(AppError::BadRequest(format!(
                "project: collection `{}` cannot be filtered by project",
                collection.id
            )));
        }
        let known: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM projects WHERE code = $1)")
                .bind(project)
                .fetch_one(pool)
                .await?;
        if !known {
            return Err(AppError::BadRequest(format!(
                "project: no project has code `{project}`"
            )));
        }
        let p = c.bind(project.clone());
        c.sql.push(format!("p.code = {p}"));
    }
    if let Some(region) = &filters.region {
        let id: Option<i32> = sqlx::query_scalar("SELECT id FROM regions WHERE code = $1")
            .bind(region)
            .fetch_optional(pool)
            .await?;
        let id = id.ok_or_else(|| {
            AppError::BadRequest(format!("region: no region has code `{region}`"))
        })?;
        let p = c.bind(id);
        c.sql.push(format!("r.lineage @> ARRAY[{p}::integer]"));
    }
    if let Some(code) = &filters.code {
        let p = c.bind(code.clone());
        c.sql.push(format!("t.code = {p}"));
    }
    if let Some(filter) = &filters.filter {
        let sql = super::filter::sql(filter, collection, &mut c)?;
        c.sql.push(sql);
    }
    Ok(c)
}

/// One page of `limit` features after `cursor` (an id), in `crs`.
pub async fn page(
    pool: &PgPool,
    collection: &Collection,
    filters: &Filters,
    crs: Crs,
    limit: i64,
    cursor: Option<i64>,
) -> AppResult<Page> {
    let mut c = condition(pool, collection, filters).await?;
    let count_sql = format!("SELECT count(*) FROM {} {}", collection.from, c.where_sql());
    let matched: i64 = sqlx::query_scalar_with(&count_sql, c.args.clone())
        .fetch_one(pool)
        .await?;

    if let Some(after) = cursor {
        let p = c.bind(after);
        c.sql.push(format!("t.id > {p}"));
    }
    let l = c.bind(limit);
    let sql = format!(
        "SELECT coalesce(string_agg(feature, ',' ORDER BY id), ''), count(*), max(id)::bigint FROM (
             SELECT t.id, json_build_object('type', 'Feature', 'id', t.id,
                        'geometry', ST_AsGeoJSON({geom}, {decimals})::json, 'properties', {properties})::text AS feature
               FROM {from} {where_sql} ORDER BY t.id LIMIT {l}) s",
        geom = crs.output_sql(),
        decimals = crs.decimals(),
        properties = collection.properties,
        from = collection.from,
        where_sql = c.where_sql(),
    );
    let (features, returned, last): (String, i64, Option<i64>) =
        sqlx::query_as_with(&sql, c.args).fetch_one(pool).await?;
    let next_cursor = if returned == limit { last } else { None };
    Ok(Page {
        features,
        returned,
        matched,
        next_cursor,
    })
}

/// One feature by id, or None.
pub async fn item(
    pool: &PgPool,
    collection: &Collection,
    id: i64,
    crs: Crs,
) -> AppResult<Option<String>> {
    let sql = format!(
        "SELECT json_build_object('type', 'Feature', 'id', t.id,
                    'geometry', ST_AsGeoJSON({geom}, {decimals})::json, 'properties', {properties})::text
           FROM {from} WHERE t.id = $1",
        geom = crs.output_sql(),
        decimals = crs.decimals(),
        properties = collection.properties,
        from = collection.from,
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?)
}
