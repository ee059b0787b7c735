//! `/api/exports/...`: progress tables as XLSX (the very numbers the screens get), a project's
//! household ledger (台账, personal data only for those who may write there) and its features.
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use super::extract::{Path, Query};
use super::figures::{projects_document, regions_document};
use crate::auth::{authorize, may_write_in, CurrentUser};
use crate::clock::beijing_today;
use crate::error::{AppError, AppResult};
use crate::figures::definitions::FIGURES;
use crate::ogc::collections::collection;
use crate::ogc::crs::Crs;
use crate::ogc::items::{page, Filters};
use crate::projects::{self, Project};
use crate::state::AppState;
use crate::xlsx::{workbook, Cell};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A download: the name plain where it is ASCII, and in RFC 6266's `filename*` for the rest.
pub(crate) fn attachment(kind: &str, name: &str, body: Vec<u8>) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    (
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The figure columns: Chinese name with unit, as the screens label them.
fn figure_headers() -> Vec<String> {
    FIGURES
        .iter()
        .map(|d| format!("{}({})", d.zh, d.unit.unwrap_or("-")))
        .collect()
}

pub async fn projects(State(state): State<AppState>, _user: CurrentUser) -> AppResult<Response> {
    let document: Value =
        serde_json::from_slice(&projects_document(&state).await?).unwrap_or(Value::Null);
    let mut headers = vec![
        "项目编码".to_owned(),
        "项目名称".to_owned(),
        "所在区划".to_owned(),
    ];
    headers.extend(figure_headers());
    let rows: Vec<Vec<Cell>> = document["projects"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| {
                    let mut row = vec![
                        Cell::from(&p["code"]),
                        Cell::from(&p["name"]),
                        Cell::from(&p["region_code"]),
                    ];
                    row.extend(p["values"].as_array().into_iter().flatten().map(Cell::from));
                    row
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(attachment(
        XLSX,
        "projects.xlsx",
        workbook("项目进度", &headers, &rows)?,
    ))
}

#[derive(Deserialize)]
pub struct RegionQuery {
    region: Option<String>,
}

pub async fn regions(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<RegionQuery>,
) -> AppResult<Response> {
    let document: Value =
        serde_json::from_slice(&regions_document(&state).await?).unwrap_or(Value::Null);
    let all = document["regions"].as_array().cloned().unwrap_or_default();
    // the region asked for and everything below it, by walking parent codes
    let mut keep: Vec<&Value> = Vec::new();
    match &q.region {
        None => keep.extend(all.iter()),
        Some(root) => {
            if !all.iter().any(|r| r["code"] == root.as_str()) {
                return Err(AppError::NotFound(format!(
                    "region: no region has code `{root}`"
                )));
            }
            let mut codes = vec![root.clone()];
            let mut i = 0;
            while i < codes.len() {
                let parent = codes[i].clone();
                codes.extend(
                    all.iter()
                        .filter(|r| r["parent_code"] == parent.as_str())
                        .filter_map(|r| r["code"].as_str().map(str::to_owned)),
                );
                i += 1;
            }
            keep.extend(all.iter().filter(|r| {
                r["code"]
                    .as_str()
                    .is_some_and(|c| codes.iter().any(|k| k == c))
            }));
        }
    }
    let mut headers = vec![
        "区划代码".to_owned(),
        "名称".to_owned(),
        "层级".to_owned(),
        "上级".to_owned(),
    ];
    headers.extend(figure_headers());
    let rows: Vec<Vec<Cell>> = keep
        .iter()
        .map(|r| {
            let mut row = vec![
                Cell::from(&r["code"]),
                Cell::from(&r["name"]),
                Cell::from(&r["level"]),
                Cell::from(&r["parent_code"]),
            ];
            row.extend(r["values"].as_array().into_iter().flatten().map(Cell::from));
            row
        })
        .collect();
    Ok(attachment(
        XLSX,
        "regions.xlsx",
        workbook("区域进度", &headers, &rows)?,
    ))
}

type LedgerRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    bool,
    i16,
    f64,
    String,
    String,
);

pub async fn ledger(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let Project {
        id: project,
        lineage,
        ..
    } = projects::by_code(&state.pool, &code).await?;
    // names and ID numbers for those who may write in the project's region; masked for the rest
    let personal = may_write_in(&user, &lineage);
    let rows: Vec<LedgerRow> = sqlx::query_as(
        "SELECT h.code, b.code, h.status::text, to_char(h.status_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
                h.resettlement::text, h.difficult, h.members, h.recorded_area::float8,
                CASE WHEN $2 THEN h.holder_name ELSE mask_name(h.holder_name) END,
                CASE WHEN $2 THEN h.holder_id_number ELSE mask_id_number(h.holder_id_number) END
           FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.project_id = $1 ORDER BY h.code",
    )
    .bind(project)
    .bind(personal)
    .fetch_all(&state.pool)
    .await?;
    let headers: Vec<String> = [
        "户编码",
        "房屋编码",
        "状态",
        "状态时间",
        "安置方式",
        "困难户",
        "人口",
        "登记面积(m²)",
        "户主",
        "身份证号",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    let cells: Vec<Vec<Cell>> = rows
        .into_iter()
        .map(
            |(h, b, status, at, resettlement, difficult, members, area, name, id)| {
                vec![
                    Cell::Text(h),
                    Cell::Text(b),
                    Cell::Text(status),
                    at.map_or(Cell::Empty, Cell::Text),
                    resettlement.map_or(Cell::Empty, Cell::Text),
                    Cell::Text(if difficult { "是" } else { "否" }.into()),
                    Cell::Number(f64::from(members)),
                    Cell::Number(area),
                    Cell::Text(name),
                    Cell::Text(id),
                ]
            },
        )
        .collect();
    Ok(attachment(
        XLSX,
        &format!("{code}-ledger.xlsx"),
        workbook("台账", &headers, &cells)?,
    ))
}

pub async fn features(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path((code, file)): Path<(String, String)>,
) -> AppResult<Response> {
    if file == "features.gpkg" {
        return geopackage(&state, &code).await;
    }
    // one file per layer: parcel and building ids would collide in one collection
    let layer = file.strip_suffix(".geojson").filter(|l| matches!(*l, "parcels" | "buildings")).ok_or_else(|| {
        AppError::NotFound(format!("`{file}`: a project's features export as parcels.geojson, buildings.geojson or features.gpkg"))
    })?;
    projects::by_code(&state.pool, &code).await?;
    let c = collection(layer).expect("a known collection");
    let filters = Filters {
        project: Some(code.clone()),
        ..Filters::default()
    };
    let features = page(&state.pool, c, &filters, Crs::Crs84, i64::MAX, None)
        .await?
        .features;
    let name = format!("{code}-{layer}");
    let body = format!(
        r#"{{"type":"FeatureCollection","name":{},"features":[{features}]}}"#,
        serde_json::to_string(&name).expect("string")
    );
    Ok(attachment(
        "application/geo+json",
        &format!("{name}.geojson"),
        body.into_bytes(),
    ))
}

/// The project's parcels and buildings as a GeoPackage, a layer each.
async fn geopackage(state: &AppState, code: &str) -> AppResult<Response> {
    projects::by_code(&state.pool, code).await?;
    let mut layers = Vec::new();
    for layer in ["parcels", "buildings"] {
        let c = collection(layer).expect("a known collection");
        let sql = format!(
            "SELECT {}, ST_AsBinary(t.geom) FROM {} WHERE p.code = $1 ORDER BY t.id",
            c.properties, c.from
        );
        let rows: Vec<(serde_json::Value, Vec<u8>)> = sqlx::query_as(&sql)
            .bind(code)
            .fetch_all(&state.pool)
            .await?;
        layers.push((
            c,
            rows.into_iter()
                .map(|(properties, wkb)| crate::geopackage::Row { properties, wkb })
                .collect(),
        ));
    }
    let name = code.to_owned();
    let bytes = tokio::task::spawn_blocking(move || crate::geopackage::write(&name, &layers))
        .await
        .map_err(|e| AppError::thread("export", e))??;
    Ok(attachment(
        "application/geopackage+sqlite3",
        &format!("{code}.gpkg"),
        bytes,
    ))
}

#[derive(sqlx::FromRow)]
struct CompensationRow {
    household: String,
    building: String,
    name: String,
    id_number: String,
    building_use: String,
    legality: String,
    area: f64,
    rate: f64,
    house: f64,
    relocation: f64,
    transition: f64,
    incentive: f64,
    computed: f64,
    overridden: Option<f64>,
    reason: Option<String>,
    total: f64,
    signed: Option<String>,
    paid: f64,
}

/// 补偿明细表: every household's compensation line by line, as its agreement holds it (or as
/// it would be signed today). Personal data and override reasons: admins and the region's
/// operators only.
pub async fn compensation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let Project {
        id: project,
        lineage,
        ..
    } = projects::by_code(&state.pool, &code).await?;
    authorize(&user, &lineage, &format!("project {code}"))?;
    let rows: Vec<CompensationRow> =
        sqlx::query_as(include_str!("../../sql/exports/compensation.sql"))
            .bind(project)
            .bind(beijing_today())
            .fetch_all(&state.pool)
            .await?;
    let headers: Vec<String> = [
        "户编码",
        "房屋编码",
        "户主",
        "身份证号",
        "用途",
        "合法性",
        "登记面积(m²)",
        "房屋补偿单价(元/m²)",
        "房屋补偿(元)",
        "搬迁补助(元)",
        "临时安置补助(元)",
        "签约奖励(元)",
        "计算合计(元)",
        "一事一议核定(元)",
        "核定理由",
        "补偿合计(元)",
        "签约日期",
        "已支付(元)",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    let money = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Number);
    let cells: Vec<Vec<Cell>> = rows
        .into_iter()
        .map(|r| {
            vec![
                Cell::Text(r.household),
                Cell::Text(r.building),
                Cell::Text(r.name),
                Cell::Text(r.id_number),
                Cell::Text(r.building_use),
                Cell::Text(r.legality),
                Cell::Number(r.area),
                Cell::Number(r.rate),
                Cell::Number(r.house),
                Cell::Number(r.relocation),
                Cell::Number(r.transition),
                Cell::Number(r.incentive),
                Cell::Number(r.computed),
                money(r.overridden),
                r.reason.map_or(Cell::Empty, Cell::Text),
                Cell::Number(r.total),
                r.signed.map_or(Cell::Empty, Cell::Text),
                Cell::Number(r.paid),
            ]
        })
        .collect();
    Ok(attachment(
        XLSX,
        &format!("{code}-compensation.xlsx"),
        workbook("补偿明细表", &headers, &cells)?,
    ))
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/exports/projects.xlsx", get(projects))
        .route("/api/exports/regions.xlsx", get(regions))
        .route("/api/exports/projects/{code}/ledger.xlsx", get(ledger))
        .route("/api/exports/projects/{code}/{file}", get(features))
        .route(
            "/api/exports/projects/{code}/compensation.xlsx",
            get(compensation),
        )
}
