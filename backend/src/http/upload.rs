//! Receives one uploaded file (multipart field `file`) into a private temporary directory
//! under a name of our own: the client's name is kept only for messages and the extension.
use axum::extract::Multipart;
use tempfile::TempDir;

use crate::error::{AppError, AppResult};

/// Largest upload: a million building footprints as GeoJSON fit.
pub const MAX_UPLOAD_BYTES: usize = 1 << 30;

pub struct Upload {
    /// Deleted when the upload is dropped.
    _dir: TempDir,
    pub path: std::path::PathBuf,
    /// The client's file name, for messages and reports.
    pub name: String,
}

pub async fn receive(mut multipart: Multipart, extensions: &[&str]) -> AppResult<Upload> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(format!("file: the upload broke off: {e}"));
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("upload").to_owned();
        let lower = name.to_lowercase();
        let extension = extensions.iter().find(|e| lower.ends_with(*e)).ok_or_else(|| {
            AppError::Unprocessable(format!("file: `{name}` is not one of {}", extensions.join(", ")))
        })?;
        let dir = tempfile::Builder::new().prefix("onemap-upload-").tempdir().map_err(|e| AppError::Unprocessable(format!("file: no room to receive it: {e}")))?;
        let path = dir.path().join(format!("upload{extension}"));
        let mut file = tokio::fs::File::create(&path).await.map_err(|e| AppError::Unprocessable(format!("file: cannot store it: {e}")))?;
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            tokio::io::AsyncWriteExt::write_all(&mut file, &chunk).await.map_err(|e| AppError::Unprocessable(format!("file: cannot store it: {e}")))?;
        }
        tokio::io::AsyncWriteExt::flush(&mut file).await.map_err(|e| AppError::Unprocessable(format!("file: cannot store it: {e}")))?;
        return Ok(Upload { _dir: dir, path, name });
    }
    Err(AppError::Unprocessable("file: send the file as the multipart field `file`".into()))
}
