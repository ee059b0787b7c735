//! `onemap import`: the importer on the command line, with a progress bar and the report.
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
    for issue in report.repaired.iter().chain(&report.rejected) {
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
            "written: {} inserted, {} updated, {} unchanged, {} repaired",
            report.inserted,
            report.updated,
            report.unchanged,
            report.repaired.len()
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
