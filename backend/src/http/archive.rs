//! `/api/projects/{code}/closeout|settle|archive|archive.zip`: a project's close-out for
//! admins (docs/procedure.md, "Close-out and archive"); the domain code is `archive::*`.
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use axum::Json;
use serde_json::{json, Value};

use super::extract::Path;
use crate::admin::admins_only;
use crate::archive;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Settled and archived (when, by whom) and what is still open.
pub async fn closeout(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    admins_only(&user, "close-out")?;
    let project = crate::projects::by_code(&state.pool, &code).await?;
    Ok(Json(archive::state(&state.pool, project.id).await?))
}

pub async fn settle(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    admins_only(&user, "settle")?;
    let project = crate::projects::by_code(&state.pool, &code).await?;
    Ok(Json(
        archive::settle(&state.pool, &user, project.id, &code).await?,
    ))
}

pub async fn archive(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<Value>> {
    admins_only(&user, "archive")?;
    let project = crate::projects::by_code(&state.pool, &code).await?;
    Ok(Json(
        archive::archive(&state.pool, &user, project.id, &code).await?,
    ))
}

/// The archive ZIP (personal data: admins only; each download audited). Written to a
/// temporary file first, then streamed from it: memory stays flat whatever the project's size.
pub async fn download(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Response> {
    admins_only(&user, "project archive")?;
    let project = crate::projects::by_code(&state.pool, &code).await?;
    let temp = tempfile::tempfile()
        .map_err(|e| AppError::Internal(format!("archive: no temporary file: {e}")))?;
    let (temp, entries) = archive::export::export(
        &state.pool,
        &state.files,
        &code,
        std::io::BufWriter::new(temp),
    )
    .await?;
    let mut temp = temp
        .into_inner()
        .map_err(|e| AppError::Internal(format!("archive: {e}")))?;
    let size = std::io::Seek::seek(&mut temp, std::io::SeekFrom::Start(0))
        .and_then(|_| temp.metadata())
        .map(|m| m.len());
    let size = size.map_err(|e| AppError::Internal(format!("archive: {e}")))?;
    let mut tx = state.pool.begin().await?;
    crate::audit::audit(
        &mut tx,
        &user,
        "project_archive_exported",
        &format!("project {code}"),
        json!({ "files": entries.len(), "bytes": size }),
    )
    .await?;
    tx.commit().await?;
    let _ = project;
    let file = tokio::fs::File::from_std(temp);
    let stream = async_stream::stream! {
        let mut file = file;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            match tokio::io::AsyncReadExt::read(&mut file, &mut buf).await {
                Ok(0) => break,
                Ok(n) => yield Ok::<_, std::io::Error>(buf[..n].to_vec()),
                Err(e) => { yield Err(e); break; }
            }
        }
    };
    let name = format!("{code}-项目档案.zip");
    let mut response = super::exports::attachment("application/zip", &name, Vec::new());
    *response.body_mut() = Body::from_stream(stream);
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, size.into());
    Ok(response)
}

/// This area's routes, composed with the others' (and the shared layers) in `http::app`.
pub(super) fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/projects/{code}/closeout", get(closeout))
        .route("/api/projects/{code}/settle", post(settle))
        .route("/api/projects/{code}/archive", post(archive))
        .route("/api/projects/{code}/archive.zip", get(download))
}
