//! `onemap.toml`: every flag as a key (its environment variable's name, lower case, without
//! `ONEMAP_`), read before the flags are parsed; flags win over the environment, the
//! environment over the file, the file over the defaults. `onemap config check` checks it all.
use std::collections::BTreeSet;
use std::path::PathBuf;

use clap::{CommandFactory, Parser};

use crate::config::{Cli, ServeArgs};

/// The file named by `--config FILE` (or `ONEMAP_CONFIG`), if any.
#[must_use]
pub fn named(args: &[String]) -> Option<PathBuf> {
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--config" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = arg.strip_prefix("--config=") {
            return Some(PathBuf::from(path));
        }
    }
    std::env::var_os("ONEMAP_CONFIG").map(PathBuf::from)
}

/// Every environment variable a flag of any command reads.
fn known_variables() -> BTreeSet<String> {
    fn walk(command: &clap::Command, out: &mut BTreeSet<String>) {
        for arg in command.get_arguments() {
            if let Some(env) = arg.get_env() {
                out.insert(env.to_string_lossy().into_owned());
            }
        }
        for sub in command.get_subcommands() {
            walk(sub, out);
        }
    }
    let mut out = BTreeSet::new();
    walk(&Cli::command(), &mut out);
    out
}

/// The variable a key sets: `database_url` is `DATABASE_URL`, any other `ONEMAP_<KEY>`.
fn variable_of(key: &str) -> String {
    if key == "database_url" {
        "DATABASE_URL".to_owned()
    } else {
        format!("ONEMAP_{}", key.to_uppercase())
    }
}

/// Reads the file into (variable, value) pairs; an unknown key or a value of the wrong shape
/// is an error naming it (a typo must not silently leave a default in force).
pub fn read(path: &std::path::Path) -> anyhow::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("config {}: {e}", path.display()))?;
    let table: toml::Table =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("config {}: {e}", path.display()))?;
    let known = known_variables();
    let mut pairs = Vec::new();
    for (key, value) in table {
        let variable = variable_of(&key);
        anyhow::ensure!(
            known.contains(&variable) && variable != "ONEMAP_CONFIG",
            "config {}: `{key}` is no setting of onemap (see docs/operations.md)",
            path.display()
        );
        let text = match value {
            // structured settings (the basemaps) travel as JSON
            toml::Value::Array(items)
                if !items.is_empty() && items.iter().all(toml::Value::is_table) =>
            {
                serde_json::to_string(&items)?
            }
            toml::Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or(()))
                .collect::<Result<Vec<_>, ()>>()
                .map_err(|()| anyhow::anyhow!("config: `{key}` is a list of strings"))?
                .join(" "),
            toml::Value::String(s) => s,
            toml::Value::Integer(n) => n.to_string(),
            toml::Value::Float(n) => n.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            _ => anyhow::bail!("config: `{key}` is not a string, number, boolean or list"),
        };
        pairs.push((variable, text));
    }
    Ok(pairs)
}

/// Puts the file's settings into the environment, under what is set there already. Called
/// first thing, before the runtime's threads and before the flags are parsed.
pub fn apply(args: &[String]) -> anyhow::Result<Option<PathBuf>> {
    let Some(path) = named(args) else {
        return Ok(None);
    };
    for (variable, value) in read(&path)? {
        if std::env::var_os(&variable).is_none() {
            std::env::set_var(variable, value);
        }
    }
    Ok(Some(path))
}

/// `onemap config check`: the settings `serve` would run with, checked as `serve` checks them
/// and more (the database reachable and migrated, the time zone known, every local basemap
/// file readable); prints what it found; an error names the setting.
pub async fn check(database_url: &str) -> anyhow::Result<()> {
    let cli = Cli::try_parse_from(["onemap", "serve"])
        .map_err(|e| anyhow::anyhow!("the settings of serve: {e}"))?;
    let crate::config::Command::Serve(serve) = cli.command else {
        unreachable!("parsed as serve")
    };
    let site = super::Site::from_args(&serve.ops)?;
    for source in serve.csp_sources.iter().chain(&serve.wall_frame_ancestors) {
        anyhow::ensure!(
            crate::config::is_origin(source),
            "`{source}` is not an origin like https://host[:port]"
        );
    }
    for basemap in &site.basemaps {
        if let Some(file) = super::local_tiles::LocalTiles::open(basemap).await? {
            println!(
                "basemap {}: {} tiles up to zoom {}",
                basemap.id,
                file.content_type(),
                file.max_zoom()
            );
        }
    }
    let pool = crate::db::connect(database_url, 1).await?;
    crate::db::check_migrated(&pool).await?;
    site.check_time_zone(&pool).await?;
    let public = crate::db::connect(&serve.public_database_url, 1).await?;
    crate::db::check_public_role(&public).await?;
    print_summary(&serve, &site);
    Ok(())
}

fn print_summary(serve: &ServeArgs, site: &super::Site) {
    println!("bind {}", serve.bind);
    match (serve.ops.metrics_addr, &site.metrics_token) {
        (Some(addr), _) => println!("metrics on {addr}"),
        (None, Some(_)) => println!("metrics at /metrics with a token"),
        (None, None) => println!("metrics off (set metrics_addr or metrics_token)"),
    }
    println!("time zone {}", site.time_zone);
    println!(
        "{} basemaps, wall: {}",
        site.basemaps.len(),
        site.wall_basemap.as_deref().unwrap_or("none")
    );
    println!("{} trusted proxies", site.trusted_proxies.len());
    println!("config ok");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ops/onemap.toml names every setting of `serve` (and the global ones), and nothing else.
    #[test]
    fn the_shipped_example_names_every_setting_of_serve() {
        let example = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/ops/onemap.toml"));
        let text = std::fs::read_to_string(example).expect("ops/onemap.toml");
        let named: BTreeSet<String> = read(example)
            .expect("every key is a setting")
            .into_iter()
            .map(|(variable, _)| variable)
            .collect();
        let command = Cli::command();
        let serve = command.find_subcommand("serve").expect("serve");
        for arg in command.get_arguments().chain(serve.get_arguments()) {
            let Some(variable) = arg.get_env().map(|e| e.to_string_lossy().into_owned()) else {
                continue;
            };
            // commented out in the example: one of two ways to the same thing
            let commented = text.contains(&format!(
                "# {} =",
                variable.trim_start_matches("ONEMAP_").to_lowercase()
            ));
            assert!(
                named.contains(&variable) || commented || variable == "ONEMAP_CONFIG",
                "ops/onemap.toml lacks {variable}"
            );
        }
    }
}
