//! Receives one uploaded file (multipart field `file`) into a private temporary directory
//! under a name of our own, counting its bytes against the route's cap as they stream in: the
//! client's name is kept only for messages and the extension.
use axum::extract::multipart::MultipartError;
use tempfile::TempDir;

use crate::error::{AppError, AppResult};
use crate::import::limits::{bytes, Limits, IMPORT};

/// Largest request body on the upload routes: the largest per-route cap plus room for the
/// multipart framing, so the route's own count (which names the cap) is what refuses.
/// How long an upload may take to arrive: a gigabyte over a slow office line.
pub const UPLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15 * 60);

pub const MAX_UPLOAD_BYTES: usize = IMPORT.upload_bytes as usize + (1 << 20);

pub struct Upload {
    /// Deleted when the upload is dropped.
    _dir: TempDir,
    pub path: std::path::PathBuf,
    /// The client's file name, for messages and reports.
    pub name: String,
}

fn too_large(name: &str, limits: &Limits) -> AppError {
    AppError::TooLarge(format!(
        "file: `{name}` is larger than the {} {} may upload",
        bytes(limits.upload_bytes),
        limits.route
    ))
    .coded(
        crate::error::Code::UploadTooLarge,
        serde_json::json!({ "file": name, "limit": bytes(limits.upload_bytes) }),
    )
}

/// Receives the file if its name ends with one of `extensions` and it is at most
/// `limits.upload_bytes`; past the cap the request is refused (413) and nothing is kept.
pub async fn receive(
    super::extract::Multipart(mut multipart): super::extract::Multipart,
    extensions: &[&str],
    limits: &Limits,
) -> AppResult<Upload> {
    let mut name = String::from("upload");
    // the body limit of the route (MAX_UPLOAD_BYTES) also answers 413
    let bad = |e: MultipartError, name: &str| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            too_large(name, limits)
        } else {
            AppError::BadRequest(format!("file: the upload broke off: {e}"))
                .coded(crate::error::Code::UploadBrokenOff, serde_json::json!({}))
        }
    };
    while let Some(mut field) = multipart.next_field().await.map_err(|e| bad(e, &name))? {
        if field.name() != Some("file") {
            continue;
        }
        field.file_name().unwrap_or("upload").clone_into(&mut name);
        let lower = name.to_lowercase();
        let extension = extensions
            .iter()
            .find(|e| lower.ends_with(*e))
            .ok_or_else(|| {
                AppError::Unprocessable(format!(
                    "file: `{name}` is not one of {}",
                    extensions.join(", ")
                ))
                .coded(
                    crate::error::Code::UploadWrongType,
                    serde_json::json!({ "file": name, "allowed": extensions.join(" ") }),
                )
            })?;
        let dir = tempfile::Builder::new()
            .prefix("onemap-upload-")
            .tempdir()
            // our own disk failing is the server's fault, not the upload's
            .map_err(|e| AppError::Internal(format!("file: no room to receive it: {e}")))?;
        let path = dir.path().join(format!("upload{extension}"));
        let cannot_store =
            |e: std::io::Error| AppError::Internal(format!("file: cannot store it: {e}"));
        let mut file = tokio::fs::File::create(&path).await.map_err(cannot_store)?;
        let mut received = 0u64;
        while let Some(chunk) = field.chunk().await.map_err(|e| bad(e, &name))? {
            received += chunk.len() as u64;
            if received > limits.upload_bytes {
                // dropping `dir` deletes what was received
                return Err(too_large(&name, limits));
            }
            tokio::io::AsyncWriteExt::write_all(&mut file, &chunk)
                .await
                .map_err(cannot_store)?;
        }
        tokio::io::AsyncWriteExt::flush(&mut file)
            .await
            .map_err(cannot_store)?;
        return Ok(Upload {
            _dir: dir,
            path,
            name,
        });
    }
    Err(
        AppError::Unprocessable("file: send the file as the multipart field `file`".into())
            .coded(crate::error::Code::UploadMissing, serde_json::json!({})),
    )
}

/// A POST route for files: its body may be as large as an upload and take as long to arrive.
pub(super) fn upload_route<H: axum::handler::Handler<T, crate::state::AppState>, T: 'static>(
    handler: H,
) -> axum::routing::MethodRouter<crate::state::AppState> {
    axum::routing::post(handler).layer(
        tower::ServiceBuilder::new()
            .layer(super::timeout(UPLOAD_TIMEOUT))
            .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
    )
}

/// A document received whole (a household's attachment, a step's document): the small text
/// fields sent with it and the file, its plain name checked and its size counted against
/// `MAX_ATTACHMENT_BYTES` as it arrives.
pub struct Received {
    pub fields: std::collections::HashMap<String, String>,
    file: Option<(String, Vec<u8>)>,
}

/// A checked document: a plain name, bytes that are not empty, and the type they really are.
pub struct Document {
    pub name: String,
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

/// Reads the multipart body: the text fields named in `fields`, and the field `file`.
pub async fn receive_document(
    super::extract::Multipart(mut multipart): super::extract::Multipart,
    fields: &[&str],
) -> AppResult<Received> {
    use crate::households::files::{plain_name, MAX_ATTACHMENT_BYTES};
    let bad = |e: MultipartError| {
        AppError::BadRequest(format!("file: the upload broke off: {e}"))
            .coded(crate::error::Code::UploadBrokenOff, serde_json::json!({}))
    };
    let mut received = Received {
        fields: std::collections::HashMap::new(),
        file: None,
    };
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                let name = plain_name(field.file_name().unwrap_or(""))?;
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    if bytes.len() + chunk.len() > MAX_ATTACHMENT_BYTES {
                        let limit = format!("{} MiB", MAX_ATTACHMENT_BYTES >> 20);
                        return Err(AppError::TooLarge(format!(
                            "file: `{name}` is larger than {limit}"
                        ))
                        .coded(
                            crate::error::Code::UploadTooLarge,
                            serde_json::json!({ "file": name, "limit": limit }),
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                received.file = Some((name, bytes));
            }
            Some(name) if fields.contains(&name) => {
                let name = name.to_owned();
                let text = field.text().await.map_err(bad)?.trim().to_owned();
                received.fields.insert(name, text);
            }
            _ => {}
        }
    }
    Ok(received)
}

impl Received {
    /// The file, or 422 when it is missing, empty, or not the PDF, JPEG or PNG its name says.
    pub fn document(self) -> AppResult<Document> {
        let (name, bytes) = self.file.ok_or_else(|| {
            AppError::Unprocessable("file: send the file as the multipart field `file`".into())
                .coded(crate::error::Code::UploadMissing, serde_json::json!({}))
        })?;
        if bytes.is_empty() {
            return Err(
                AppError::Unprocessable(format!("file: `{name}` is empty")).coded(
                    crate::error::Code::UploadEmpty,
                    serde_json::json!({ "file": name }),
                ),
            );
        }
        let content_type = crate::households::files::content_type(&name, &bytes)?;
        Ok(Document {
            name,
            bytes,
            content_type,
        })
    }
}
