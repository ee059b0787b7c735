//! Runs pgBackRest (as the data directory's owner) and the restored cluster's pg_ctl.
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, FixedOffset, NaiveDateTime};

use super::Repository;

/// The moment as pgBackRest and PostgreSQL read it (`2026-12-02 06:05:00.000000+00:00`); an
/// offset is required: a wall clock without its zone names a different moment on every server.
pub fn parse_target(to: &str) -> anyhow::Result<String> {
    let at = DateTime::parse_from_rfc3339(to)
        .or_else(|_| DateTime::parse_from_str(to, "%Y-%m-%d %H:%M:%S%.f%#z"))
        .map_err(|_| {
            let hint = if NaiveDateTime::parse_from_str(to, "%Y-%m-%d %H:%M:%S%.f").is_ok() {
                "add the offset, e.g. +08:00"
            } else {
                "write it as 2026-12-02T14:05:00+08:00"
            };
            anyhow::anyhow!("--to `{to}` is not a moment with its offset: {hint}")
        })?;
    Ok(format_target(at))
}

fn format_target(at: DateTime<FixedOffset>) -> String {
    at.format("%Y-%m-%d %H:%M:%S%.6f%:z").to_string()
}

/// pgBackRest with the backup directory's configuration and the stanza, then `args`; fails
/// with its own words when it does.
pub async fn run(repo: &Repository, args: &[&str]) -> anyhow::Result<String> {
    let config = std::path::absolute(repo.backup_dir.join("pgbackrest.conf"))?;
    anyhow::ensure!(
        config.exists(),
        "no pgBackRest configuration at {}: scripts/run writes it for the project cluster (see docs/operations.md, Backups)",
        config.display()
    );
    let mut all = vec![
        format!("--config={}", config.display()),
        format!("--stanza={}", repo.stanza),
    ];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    as_owner(&repo.os_user, "pgbackrest", &all).await
}

/// Runs a program as `user` (switching with runuser when onemap runs as root) and returns its output.
async fn as_owner(user: &str, program: &str, args: &[String]) -> anyhow::Result<String> {
    let mut command = if running_as_root()? && user != "root" {
        let mut c = tokio::process::Command::new("runuser");
        c.args(["-u", user, "--", program]);
        c
    } else {
        tokio::process::Command::new(program)
    };
    let output = command.args(args).output().await.with_context(|| {
        format!("cannot run {program} (is it installed? Debian: apt-get install pgbackrest)")
    })?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    anyhow::ensure!(
        output.status.success(),
        "{program} {} failed ({}):\n{}{}",
        args.last().map_or("", String::as_str),
        output.status,
        stdout,
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(stdout)
}

fn running_as_root() -> std::io::Result<bool> {
    Ok(std::fs::metadata("/proc/self")?.uid() == 0)
}

pub struct LastBackup {
    pub label: String,
    pub kind: String,
    pub database_bytes: u64,
    pub repository_bytes: u64,
    /// The newest WAL segment in the archive: a restore reaches up to its end.
    pub archived_to: String,
}

/// The newest backup in the repository, as `pgbackrest info` describes it.
pub async fn last_backup(repo: &Repository) -> anyhow::Result<LastBackup> {
    let info: serde_json::Value =
        serde_json::from_str(&run(repo, &["--output=json", "info"]).await?)?;
    let last = info[0]["backup"]
        .as_array()
        .and_then(|b| b.last())
        .context("pgBackRest lists no backup")?;
    Ok(LastBackup {
        label: last["label"].as_str().unwrap_or_default().to_owned(),
        kind: last["type"].as_str().unwrap_or_default().to_owned(),
        database_bytes: last["info"]["size"].as_u64().unwrap_or_default(),
        repository_bytes: last["info"]["repository"]["delta"]
            .as_u64()
            .unwrap_or_default(),
        archived_to: info[0]["archive"][0]["max"]
            .as_str()
            .unwrap_or("nothing yet")
            .to_owned(),
    })
}

/// The newest base backup before `target`, with the recovery settings that replay the archived
/// WAL up to it and then open the cluster for writes.
pub async fn restore(
    repo: &Repository,
    pgdata: &Path,
    target: &str,
    keep_archiving: bool,
) -> anyhow::Result<()> {
    let pgdata = fresh_data_directory(repo, pgdata).await?;
    let mut args = vec![
        format!("--pg1-path={}", pgdata.display()),
        "--type=time".to_owned(),
        format!("--target={target}"),
        "--target-action=promote".to_owned(),
    ];
    if !keep_archiving {
        args.push("--archive-mode=off".to_owned());
    }
    args.push("restore".to_owned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(repo, &args).await?;
    Ok(())
}

/// Creates the data directory (owned by the cluster's user, mode 700) or checks an existing one is empty.
async fn fresh_data_directory(repo: &Repository, pgdata: &Path) -> anyhow::Result<PathBuf> {
    let pgdata = std::path::absolute(pgdata)?;
    if pgdata.exists() {
        anyhow::ensure!(
            std::fs::read_dir(&pgdata)?.next().is_none(),
            "{} is not empty: restore into a new directory (move the old one aside to replace it)",
            pgdata.display()
        );
    }
    std::fs::create_dir_all(&pgdata)?;
    std::fs::set_permissions(&pgdata, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    if running_as_root()? && repo.os_user != "root" {
        let path = pgdata.display().to_string();
        as_owner("root", "chown", &[format!("{}:", repo.os_user), path]).await?;
    }
    Ok(pgdata)
}

/// Starts the restored cluster on `port` with its socket in its data directory, and waits
/// until recovery has reached the target and the cluster accepts writes.
pub async fn start_and_promote(repo: &Repository, pgdata: &Path, port: u16) -> anyhow::Result<()> {
    let pgdata = std::path::absolute(pgdata)?;
    let version = std::fs::read_to_string(pgdata.join("PG_VERSION"))?;
    let pg_ctl = format!("/usr/lib/postgresql/{}/bin/pg_ctl", version.trim());
    // the restored configuration is the original's: this copy must not take its port or socket
    let overrides = format!(
        "port = {port}\nunix_socket_directories = '{}'\n",
        pgdata.display()
    );
    let mut auto = std::fs::OpenOptions::new()
        .append(true)
        .open(pgdata.join("postgresql.auto.conf"))?;
    std::io::Write::write_all(&mut auto, overrides.as_bytes())?;
    let log = pgdata.join("restore.log").display().to_string();
    let start = [
        "-D".into(),
        pgdata.display().to_string(),
        "-l".into(),
        log.clone(),
        "-w".into(),
        "-t".into(),
        "86400".into(),
        "start".into(),
    ];
    if let Err(error) = as_owner(&repo.os_user, &pg_ctl, &start).await {
        // the server's own last words say why (a target before the backup's end, WAL missing):
        // said here, as a drill removes its directory when it fails
        let said = std::fs::read_to_string(&log).unwrap_or_default();
        let tail: Vec<&str> = said.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(error.context(format!(
            "the restored cluster did not start; the end of {log}:\n{}",
            tail.join("\n")
        )));
    }
    let url = format!(
        "postgres://{}@localhost:{port}/postgres?host={}",
        repo.os_user,
        pgdata.display()
    );
    let pool = crate::db::connect(&url, 1).await?;
    loop {
        let recovering: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
            .fetch_one(&pool)
            .await?;
        if !recovering {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::parse_target;

    #[test]
    fn restore_targets_need_their_offset() {
        assert_eq!(
            parse_target("2026-12-02T14:05:00+08:00").expect("RFC 3339"),
            "2026-12-02 14:05:00.000000+08:00"
        );
        assert_eq!(
            parse_target("2026-12-02 06:05:00.25+00").expect("PostgreSQL's form"),
            "2026-12-02 06:05:00.250000+00:00"
        );
        let naive = parse_target("2026-12-02 14:05:00")
            .expect_err("no offset")
            .to_string();
        assert!(naive.contains("add the offset"), "{naive}");
        assert!(parse_target("yesterday").is_err());
    }
}
