//! Household attachments on disk, content-addressed: each content is stored once under its
//! SHA-256, and the client's file name never becomes a path.
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// Largest attachment: a scanned multi-page agreement fits.
pub const MAX_ATTACHMENT_BYTES: usize = 10 << 20;

/// Kinds of document a household file holds, as the database names them, with their labels.
pub const KINDS: [(&str, &str); 5] = [
    ("id_card", "身份证"),
    ("household_register", "户口簿"),
    ("agreement", "协议"),
    ("vacate_acceptance", "腾空验收单"),
    ("other", "其他"),
];

pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Where a content lives: two levels of fan-out keep directories small.
    #[must_use]
    pub fn path(&self, sha256: &str) -> PathBuf {
        self.root
            .join(&sha256[..2])
            .join(&sha256[2..4])
            .join(sha256)
    }

    /// Stores the bytes (once per content) and returns their SHA-256 in hex. Written to a
    /// temporary name and renamed, so a reader never sees half a file.
    pub async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha256 = crate::hex::encode(&Sha256::digest(bytes));
        let path = self.path(&sha256);
        if tokio::fs::try_exists(&path).await? {
            return Ok(sha256);
        }
        let dir = path.parent().expect("a fanned-out path has a parent");
        tokio::fs::create_dir_all(dir).await?;
        let partial = dir.join(format!(".{sha256}.{}", rand::random::<u64>()));
        let written = async {
            let mut file = tokio::fs::File::create(&partial).await?;
            tokio::io::AsyncWriteExt::write_all(&mut file, bytes).await?;
            // on disk before it takes its name: a crash never leaves a short file under the hash
            file.sync_all().await?;
            tokio::fs::rename(&partial, &path).await
        }
        .await;
        if written.is_err() {
            let _ = tokio::fs::remove_file(&partial).await;
        }
        written.map(|()| sha256)
    }

    /// The stored content `sha256` of `what` (an attachment, a document, a floor plan); a
    /// content missing from the store is logged with its hash and answered 404 naming `what`.
    pub async fn read(&self, sha256: &str, what: &str) -> AppResult<Vec<u8>> {
        tokio::fs::read(self.path(sha256)).await.map_err(|e| {
            tracing::error!("{what}: its content {sha256} is missing from the file store: {e}");
            AppError::NotFound(format!(
                "{what}: its content is missing from the file store"
            ))
        })
    }

    /// Every stored content, for checks that nothing was written.
    #[must_use]
    pub fn count(&self) -> usize {
        fn walk(dir: &Path) -> usize {
            std::fs::read_dir(dir).map_or(0, |entries| {
                entries
                    .flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            walk(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
        }
        walk(&self.root)
    }
}

/// The client's name if it is a plain file name: no directories, no hidden or control
/// characters, at most 200 characters.
pub fn plain_name(name: &str) -> AppResult<String> {
    let refuse = |why: &str| {
        Err(
            AppError::Unprocessable(format!("file: the name `{}` {why}", name.escape_debug()))
                .coded(crate::error::Code::UploadBadName, serde_json::json!({})),
        )
    };
    if name.is_empty() || name.chars().count() > 200 {
        return refuse("must have 1 to 200 characters");
    }
    if name.contains(['/', '\\']) || name.contains("..") {
        return refuse("is a path: send a plain file name");
    }
    if name.starts_with('.') || name.chars().any(char::is_control) {
        return refuse("is hidden or holds control characters");
    }
    Ok(name.to_owned())
}

/// The content type the bytes really are (PDF, JPEG or PNG), which the name's ending must agree with.
pub fn content_type(name: &str, bytes: &[u8]) -> AppResult<&'static str> {
    let sniffed = if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", &[".pdf"][..]))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", &[".jpg", ".jpeg"][..]))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", &[".png"][..]))
    } else {
        None
    };
    let lower = name.to_lowercase();
    match sniffed {
        Some((kind, endings)) if endings.iter().any(|e| lower.ends_with(e)) => Ok(kind),
        Some((kind, endings)) => Err(AppError::Unprocessable(format!(
            "file: `{name}` holds {kind} but its name does not end in {}",
            endings.join(" or ")
        ))
        .coded(
            crate::error::Code::UploadWrongType,
            serde_json::json!({ "file": name, "allowed": endings.join(" ") }),
        )),
        None => Err(AppError::Unprocessable(format!(
            "file: `{name}` is not a PDF, JPEG or PNG (by its content)"
        ))
        .coded(
            crate::error::Code::UploadWrongType,
            serde_json::json!({ "file": name, "allowed": "PDF JPG PNG" }),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_paths_are_refused() {
        for bad in [
            "../../etc/passwd",
            "a/b.png",
            "..\\x.png",
            ".hidden.png",
            "a\u{0}.png",
            "",
        ] {
            assert!(plain_name(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            plain_name("身份证 正面.png").expect("a plain name"),
            "身份证 正面.png"
        );
    }

    #[test]
    fn type_comes_from_content_and_name_agrees() {
        assert_eq!(
            content_type("a.PDF", b"%PDF-1.4 ...").expect("a PDF"),
            "application/pdf"
        );
        assert!(content_type("a.png", b"%PDF-1.4").is_err());
        assert!(content_type("a.txt", b"hello").is_err());
        assert!(content_type("a.png", b"hello").is_err());
    }
}
