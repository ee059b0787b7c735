//! The attachment store's backup: its files are named by their SHA-256 and never change, so a
//! copy is incremental by name (a file already copied is never read again) and checkable by content.
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::households::files::FileStore;

pub struct Synced {
    pub stored: usize,
    pub copied: usize,
    pub copied_bytes: u64,
    /// Files whose bytes no longer hash to their name: not copied, so the backup keeps a good copy if it has one.
    pub corrupt: Vec<String>,
}

/// Copies every stored file the backup lacks, each checked against its name first.
pub fn sync_store(store: &Path, copy: &Path) -> anyhow::Result<Synced> {
    let (from, to) = (FileStore::new(store), FileStore::new(copy));
    let mut synced = Synced {
        stored: 0,
        copied: 0,
        copied_bytes: 0,
        corrupt: Vec::new(),
    };
    for sha256 in stored_names(store)? {
        synced.stored += 1;
        if to.path(&sha256).exists() {
            continue;
        }
        match copy_checked(&from.path(&sha256), &to.path(&sha256), &sha256)? {
            Some(bytes) => {
                synced.copied += 1;
                synced.copied_bytes += bytes;
            }
            None => synced.corrupt.push(sha256),
        }
    }
    Ok(synced)
}

/// The content addresses under a store's two levels of fan-out (temporary `.` files left out).
fn stored_names(store: &Path) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    if !store.exists() {
        return Ok(names);
    }
    for first in std::fs::read_dir(store)? {
        let first = first?.path();
        if !first.is_dir() {
            continue;
        }
        for second in std::fs::read_dir(&first)? {
            let second = second?.path();
            if !second.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&second)? {
                let name = file?.file_name().to_string_lossy().into_owned();
                if is_address(&name) {
                    names.push(name);
                }
            }
        }
    }
    names.sort_unstable();
    Ok(names)
}

fn is_address(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Copies `from` to `to` (through a temporary name, synced) if its bytes hash to `sha256`;
/// `None` when they do not or it is absent.
fn copy_checked(from: &Path, to: &Path, sha256: &str) -> anyhow::Result<Option<u64>> {
    let Ok(bytes) = std::fs::read(from) else {
        return Ok(None);
    };
    if crate::hex::encode(&Sha256::digest(&bytes)) != sha256 {
        return Ok(None);
    }
    let dir = to.parent().expect("a fanned-out path has a parent");
    std::fs::create_dir_all(dir)?;
    let partial = dir.join(format!(".{sha256}.{}", rand::random::<u64>()));
    std::fs::write(&partial, &bytes)?;
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, to)?;
    Ok(Some(bytes.len() as u64))
}

fn intact(path: &Path, sha256: &str) -> bool {
    std::fs::read(path).is_ok_and(|bytes| crate::hex::encode(&Sha256::digest(&bytes)) == sha256)
}

pub struct Referenced {
    /// Distinct contents the rows name.
    pub named: usize,
    /// Brought back from the backup (absent or damaged in the store).
    pub copied: usize,
    /// Neither in the store nor in the backup with the right bytes.
    pub missing: Vec<String>,
}

/// Checks the SHA-256 of every file the database's rows name; one absent or damaged in the
/// store is copied back from `backup` when it holds it intact.
pub async fn check_referenced(
    pool: &PgPool,
    store: &Path,
    backup: Option<&Path>,
) -> anyhow::Result<Referenced> {
    let union: Option<String> =
        sqlx::query_scalar(include_str!("../../sql/backup/named_attachments.sql"))
            .fetch_one(pool)
            .await?;
    let names: Vec<String> = match union {
        Some(union) => {
            sqlx::query_scalar(&format!(
                "SELECT DISTINCT sha256 FROM ({union}) named ORDER BY 1"
            ))
            .fetch_all(pool)
            .await?
        }
        None => Vec::new(),
    };
    let (live, copy) = (FileStore::new(store), backup.map(FileStore::new));
    let mut referenced = Referenced {
        named: names.len(),
        copied: 0,
        missing: Vec::new(),
    };
    for sha256 in names {
        let path: PathBuf = live.path(&sha256);
        if intact(&path, &sha256) {
            continue;
        }
        let restored = match &copy {
            Some(copy) => copy_checked(&copy.path(&sha256), &path, &sha256)?.is_some(),
            None => false,
        };
        if restored {
            referenced.copied += 1;
        } else {
            referenced.missing.push(sha256);
        }
    }
    Ok(referenced)
}

#[cfg(test)]
mod tests {
    use super::sync_store;
    use crate::households::files::FileStore;

    #[tokio::test]
    async fn attachment_copies_are_incremental_and_checked() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (store, copy) = (dir.path().join("store"), dir.path().join("copy"));
        let files = FileStore::new(&store);
        let first = files.put(b"%PDF-1.4 one").await.expect("stored");
        files.put(b"%PDF-1.4 two").await.expect("stored");
        let synced = sync_store(&store, &copy).expect("synced");
        assert_eq!(
            (synced.stored, synced.copied, synced.copied_bytes),
            (2, 2, 24)
        );
        // a second run reads nothing already copied
        let again = sync_store(&store, &copy).expect("synced");
        assert_eq!((again.stored, again.copied), (2, 0));
        // a file whose bytes changed under its name is reported, never copied over a good copy
        let third = files.put(b"%PDF-1.4 three").await.expect("stored");
        std::fs::write(files.path(&third), b"bit rot").expect("damaged");
        std::fs::write(files.path(&first), b"bit rot").expect("damaged");
        let damaged = sync_store(&store, &copy).expect("synced");
        assert_eq!(
            (damaged.stored, damaged.copied, damaged.corrupt),
            (3, 0, vec![third])
        );
        assert_eq!(
            std::fs::read(FileStore::new(&copy).path(&first)).expect("kept"),
            b"%PDF-1.4 one"
        );
    }
}
