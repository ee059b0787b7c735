//! `onemap import`: the importer on the command line, with a progress bar (stderr) and the
//! report (stdout); the rejected rows written to a file to correct and import again.
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use sqlx::PgPool;

use super::{import, CrsChoice, Options, Progress, Report};
use crate::auth::{Role, User};
use crate::config::ImportArgs;

/// Runs the import as the local administrator (whoever may run the binary against the
/// database); returns whether it was written.
pub async fn run(pool: &PgPool, args: &ImportArgs) -> anyhow::Result<bool> {
    let operator = User {
        id: 0,
        username: "cli".into(),
        role: Role::Admin,
        region_id: None,
        region_code: None,
        kiosk: false,
    };
    let options = Options {
        target: args.target,
        project: args.project.clone(),
        invalid: args.invalid,
        crs: CrsChoice::parse(args.crs.as_deref())?,
        accept_valid: args.accept_valid,
    };
    let name = args
        .file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let progress = Arc::new(Progress::default());
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:9} [{bar:40}] {pos}/{len} {elapsed}")
            .expect("template")
            .progress_chars("=> "),
    );
    let work = import(
        pool,
        &operator,
        &args.file,
        &name,
        &options,
        progress.clone(),
    );
    tokio::pin!(work);
    let report = loop {
        tokio::select! {
            result = &mut work => break result?,
            () = tokio::time::sleep(Duration::from_millis(100)) => {
                bar.set_message(*progress.phase.lock().expect("progress lock"));
                bar.set_length(progress.total.load(Ordering::Relaxed) as u64);
                bar.set_position(progress.done.load(Ordering::Relaxed) as u64);
            }
        }
    };
    bar.finish_and_clear();
    print_report(&report);
    if !report.rejected_rows.is_empty() {
        let path = args.rejected.clone().unwrap_or_else(|| {
            let mut name = args.file.as_os_str().to_owned();
            name.push(".rejected.geojson");
            name.into()
        });
        let xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        let body = if xlsx {
            super::rejected::xlsx(&report.rejected_rows)?
        } else {
            super::rejected::geojson(&report.rejected_rows)
        };
        std::fs::write(&path, body).map_err(|e| {
            anyhow::anyhow!("{}: cannot write the rejected rows: {e}", path.display())
        })?;
        println!(
            "rejected rows: {} in {}",
            report.rejected_rows.len(),
            path.display()
        );
    }
    Ok(report.written)
}

fn print_report(report: &Report) {
    println!(
        "{}: {} features read in {} (layers: {})",
        report.file,
        report.read,
        report.crs,
        report.layers.join(", ")
    );
    for issue in report
        .repaired
        .iter()
        .chain(&report.warnings)
        .chain(&report.rejected)
    {
        println!(
            "  row {} ({}): {} — {}",
            issue.row,
            issue.id.as_deref().unwrap_or("no code"),
            issue.problem,
            issue.action
        );
    }
    if report.written {
        println!(
            "written: {} inserted, {} updated, {} unchanged, {} repaired, {} warnings, {} rows left out",
            report.inserted,
            report.updated,
            report.unchanged,
            report.repaired.len(),
            report.warnings.len(),
            report.rejected_rows.len()
        );
        let s = &report.seconds;
        println!(
            "seconds: reading and staging {:.1}, checking {:.1}, writing {:.1}",
            s.reading, s.checking, s.writing
        );
    } else {
        println!("nothing written: {} rows rejected", report.rejected.len());
    }
}
