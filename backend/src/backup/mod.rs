//! `onemap backup` and `onemap restore --to TIME`: pgBackRest (base backups, continuous WAL
//! archiving, point-in-time recovery) for the database, and a content-addressed copy of the
//! attachment store beside its repository.
mod files;
mod pgbackrest;

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

pub use files::{check_referenced, sync_store, Referenced, Synced};
pub use pgbackrest::parse_target;

/// Where the backups are and who takes them; `scripts/run` sets this up for the project cluster.
#[derive(Args, Debug, Clone)]
pub struct Repository {
    /// The backup directory: pgBackRest's configuration (`pgbackrest.conf`, which names the
    /// repository and the cluster) and the attachments' copies (`files/`).
    #[arg(long, env = "ONEMAP_BACKUP_DIR", default_value = ".local/backup")]
    pub backup_dir: PathBuf,
    /// pgBackRest's stanza: the cluster's name in the repository.
    #[arg(long, env = "ONEMAP_BACKUP_STANZA", default_value = "onemap")]
    pub stanza: String,
    /// The system user pgBackRest and PostgreSQL run as (the data directory's owner); onemap
    /// switches to it when started as root.
    #[arg(long, env = "ONEMAP_BACKUP_OS_USER", default_value = "postgres")]
    pub os_user: String,
    /// Where household attachments are stored (as for `serve`).
    #[arg(long, env = "ONEMAP_FILES_DIR", default_value = crate::state::DEFAULT_FILES_DIR)]
    pub files_dir: PathBuf,
}

impl Repository {
    fn files_copy(&self) -> PathBuf {
        self.backup_dir.join("files")
    }
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    #[command(flatten)]
    pub repository: Repository,
    /// full, diff (changes since the last full) or incr (since the last backup; a full when there is none).
    #[arg(long = "type", default_value = "incr", value_parser = ["full", "diff", "incr"])]
    pub kind: String,
    /// Copy only the attachments added since the last run (cheap: run it every few minutes).
    #[arg(long)]
    pub files_only: bool,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub repository: Repository,
    /// The moment to restore to, with its offset: `2026-12-02T14:05:00+08:00`; every
    /// transaction committed up to it is kept, none after it.
    #[arg(long)]
    pub to: String,
    /// A new, empty (or absent) data directory to restore into.
    #[arg(long)]
    pub pgdata: PathBuf,
    /// The port the restored cluster listens on (its socket is in its data directory).
    #[arg(long)]
    pub port: u16,
    /// The database whose attachments are restored and checked.
    #[arg(long, default_value = "onemap")]
    pub database: String,
    /// Keep WAL archiving on in the restored cluster: when it replaces the server; off for a
    /// copy beside the live one, which must not write into the live one's archive.
    #[arg(long)]
    pub keep_archiving: bool,
}

/// A base backup of the cluster (WAL is archived continuously), then the attachments added
/// since the last run: after the base backup, so every file its rows name is copied.
pub async fn backup(args: &BackupArgs) -> anyhow::Result<()> {
    let repo = &args.repository;
    if !args.files_only {
        let started = Instant::now();
        pgbackrest::run(repo, &[&format!("--type={}", args.kind), "backup"]).await?;
        let last = pgbackrest::last_backup(repo).await?;
        println!(
            "base backup {} ({}): {} of database, {} stored in the repository, {:.1} s",
            last.label,
            last.kind,
            megabytes(last.database_bytes),
            megabytes(last.repository_bytes),
            started.elapsed().as_secs_f64()
        );
        println!(
            "WAL archived continuously, up to segment {}",
            last.archived_to
        );
    }
    let started = Instant::now();
    let synced = sync_store(&repo.files_dir, &repo.files_copy())?;
    println!(
        "attachments: {} stored, {} copied ({}), {:.1} s",
        synced.stored,
        synced.copied,
        megabytes(synced.copied_bytes),
        started.elapsed().as_secs_f64()
    );
    anyhow::ensure!(
        synced.corrupt.is_empty(),
        "attachments whose bytes no longer match their SHA-256 (not copied): {}",
        synced.corrupt.join(", ")
    );
    Ok(())
}

/// Restores the cluster as it was at `--to` into a new data directory, starts it, waits until
/// it has replayed the archived WAL to that moment and opened for writes, then brings back
/// every attachment its rows name and checks each one's SHA-256.
pub async fn restore(args: &RestoreArgs) -> anyhow::Result<()> {
    let repo = &args.repository;
    let target = parse_target(&args.to)?;
    let started = Instant::now();
    pgbackrest::restore(repo, &args.pgdata, &target, args.keep_archiving).await?;
    let restored = started.elapsed();
    let replaying = Instant::now();
    pgbackrest::start_and_promote(repo, &args.pgdata, args.port).await?;
    let replayed = replaying.elapsed();
    println!(
        "restored to {target}: files {:.1} s, WAL replay to the moment {:.1} s; serving on port {}",
        restored.as_secs_f64(),
        replayed.as_secs_f64(),
        args.port
    );
    let url = format!(
        "postgres://{}@localhost:{}/{}?host={}",
        repo.os_user,
        args.port,
        args.database,
        std::path::absolute(&args.pgdata)?.display()
    );
    let pool = crate::db::connect(&url, 2).await?;
    // the operator checks this is the moment they meant: the last status write kept
    let newest: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, to_char(at, 'YYYY-MM-DD HH24:MI:SS TZH:TZM'), actor FROM status_events ORDER BY id DESC LIMIT 1")
            .fetch_optional(&pool)
            .await?;
    if let Some((id, at, actor)) = newest {
        println!("newest status write kept: event {id} at {at} by {actor}");
    }
    let checked = check_referenced(&pool, &repo.files_dir, Some(&repo.files_copy())).await?;
    println!(
        "attachments: {} named by the rows, every SHA-256 checked, {} copied from the backup ({:.1} s in all)",
        checked.named,
        checked.copied,
        started.elapsed().as_secs_f64()
    );
    anyhow::ensure!(
        checked.missing.is_empty(),
        "attachments missing or damaged in the store and in the backup: {}",
        checked.missing.join(", ")
    );
    Ok(())
}

fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_048_576.0;
    format!("{mb:.1} MB")
}
