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
use crate::error::{AppError, AppResult};
use crate::exports::{
    compensation as compensation_lines, features as project_features, ledger as household_ledger,
    progress,
};
use crate::figures::{history_lists, projects_in_region};
use crate::history;
use crate::projects::{self, Project};
use crate::state::AppState;

pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

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

/// A figure list's bytes as JSON, to read its rows back.
fn document(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or(Value::Null)
}

/// `?region=CODE` (that subtree only) and `?as_of=YYYY-MM-DD` (as the day ended).
#[derive(Deserialize)]
pub struct RegionQuery {
    region: Option<String>,
    as_of: Option<String>,
}

/// A download's name: `name.xlsx`, or `name-YYYY-MM-DD.xlsx` as of a past day.
fn dated(name: &str, as_of: Option<chrono::NaiveDate>) -> String {
    as_of.map_or_else(
        || format!("{name}.xlsx"),
        |day| format!("{name}-{day}.xlsx"),
    )
}

pub async fn projects(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<RegionQuery>,
) -> AppResult<Response> {
    let as_of = history::as_of(&state.pool, q.as_of.as_deref()).await?;
    let bytes = match as_of {
        None => projects_document(&state).await?,
        Some(day) => history_lists::all_projects(&state.pool, day).await?,
    };
    let only = match &q.region {
        Some(code) => {
            let region = crate::figures::scope::region(&state.pool, code).await?;
            Some(projects_in_region(&state.pool, region.id).await?)
        }
        None => None,
    };
    let body = progress::projects(&document(&bytes), only.as_deref())?;
    Ok(attachment(XLSX, &dated("projects", as_of), body))
}

pub async fn regions(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<RegionQuery>,
) -> AppResult<Response> {
    let as_of = history::as_of(&state.pool, q.as_of.as_deref()).await?;
    let bytes = match as_of {
        None => regions_document(&state).await?,
        Some(day) => history_lists::all_regions(&state.pool, day).await?,
    };
    let body = progress::regions(&document(&bytes), q.region.as_ref())?;
    Ok(attachment(XLSX, &dated("regions", as_of), body))
}

/// `?as_of=` and `?group=ID` (the households one work group holds).
#[derive(Deserialize)]
pub struct LedgerQuery {
    as_of: Option<String>,
    group: Option<i32>,
}

pub async fn ledger(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<LedgerQuery>,
) -> AppResult<Response> {
    let as_of = history::as_of(&state.pool, q.as_of.as_deref()).await?;
    let Project { id, lineage, .. } = projects::by_code(&state.pool, &code).await?;
    if let Some(group) = q.group {
        let of = crate::groups::by_id(&state.pool, group).await?;
        if of.project_id != id {
            return Err(AppError::Unprocessable(format!(
                "group: work group {group} is not of project {code}"
            )));
        }
    }
    // names and ID numbers for those who may write in the project's region; masked for the rest
    let personal = may_write_in(&user, &lineage);
    let body = household_ledger::ledger(&state.pool, id, personal, as_of, q.group).await?;
    let name = match q.group {
        Some(group) => format!("{code}-group{group}-ledger"),
        None => format!("{code}-ledger"),
    };
    Ok(attachment(XLSX, &dated(&name, as_of), body))
}

pub async fn features(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path((code, file)): Path<(String, String)>,
) -> AppResult<Response> {
    if file == "features.gpkg" {
        projects::by_code(&state.pool, &code).await?;
        let body = project_features::geopackage(&state.pool, &code).await?;
        return Ok(attachment(
            "application/geopackage+sqlite3",
            &format!("{code}.gpkg"),
            body,
        ));
    }
    let layer = file.strip_suffix(".geojson").filter(|l| project_features::LAYERS.contains(l)).ok_or_else(|| {
        AppError::NotFound(format!("`{file}`: a project's features export as parcels.geojson, buildings.geojson or features.gpkg"))
    })?;
    projects::by_code(&state.pool, &code).await?;
    let name = format!("{code}-{layer}");
    let body = project_features::geojson(&state.pool, &code, layer, &name).await?;
    Ok(attachment(
        "application/geo+json",
        &format!("{name}.geojson"),
        body,
    ))
}

/// 补偿明细表: every household's compensation line by line. Personal data and override
/// reasons: admins and the region's operators only.
pub async fn compensation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let Project { id, lineage, .. } = projects::by_code(&state.pool, &code).await?;
    authorize(&user, &lineage, &format!("project {code}"))?;
    let body = compensation_lines::compensation(&state.pool, id).await?;
    Ok(attachment(XLSX, &format!("{code}-compensation.xlsx"), body))
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
