//! Running the service for years: the operator's flags of `serve` (metrics, proxy, time zone,
//! basemaps, readiness), the log format, the configuration file and its check.
pub mod basemaps;
pub mod config_file;
pub mod local_tiles;
pub mod mbtiles;
pub mod pmtiles;
pub mod proxy;
pub mod serve;

use std::net::SocketAddr;

use clap::{Args, ValueEnum};
use tracing_subscriber::EnvFilter;

/// The operator's flags of `serve`, flattened into `ServeArgs`.
#[derive(Args, Debug, Clone)]
pub struct OpsArgs {
    /// Serve `/metrics` (Prometheus text) on this address alone; keep it off the clients' network.
    #[arg(long, env = "ONEMAP_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
    /// Serve `/metrics` on the main address too, to requests with `Authorization: Bearer TOKEN`.
    #[arg(long, env = "ONEMAP_METRICS_TOKEN")]
    pub metrics_token: Option<String>,
    /// A reverse proxy (address or CIDR) whose `X-Forwarded-For` names the client; repeat for
    /// more. None by default: the peer address is the client.
    #[arg(
        long = "trusted-proxy",
        env = "ONEMAP_TRUSTED_PROXIES",
        value_delimiter = ' '
    )]
    pub trusted_proxies: Vec<String>,
    /// The city's time zone (IANA name): every time the pages show is in it, whatever the browser's.
    #[arg(long, env = "ONEMAP_TIME_ZONE", default_value = "Asia/Shanghai")]
    pub time_zone: String,
    /// The basemaps the pages offer, as a JSON array (onemap.toml: `[[basemaps]]` tables; see
    /// docs/operations.md). None by default: the map stays offline.
    #[arg(long, env = "ONEMAP_BASEMAPS")]
    pub basemaps: Option<String>,
    /// The basemap the wall shows (an `id` of `--basemaps`); unset: the wall draws none.
    #[arg(long, env = "ONEMAP_WALL_BASEMAP")]
    pub wall_basemap: Option<String>,
    /// `/readyz` fails while the live feed has been behind the event tables this many seconds.
    #[arg(long, env = "ONEMAP_READY_MAX_LAG_SECS", default_value_t = 30)]
    pub ready_max_lag_secs: u64,
}

/// How log lines are written.
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Text,
    /// One JSON object per line, with the request's id in `span.request_id`.
    Json,
}

/// Installs the process's log subscriber (`RUST_LOG` filters, default `info`).
pub fn init_logging(format: LogFormat, server: bool) {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // the server logs to stdout (the service manager's journal); the other commands print their
    // report there, so their log goes to stderr; colours only on a terminal, never in JSON
    let terminal = if server {
        std::io::stdout().is_terminal()
    } else {
        std::io::stderr().is_terminal()
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(terminal && matches!(format, LogFormat::Text))
        .with_writer(move || -> Box<dyn std::io::Write> {
            if server {
                Box::new(std::io::stdout())
            } else {
                Box::new(std::io::stderr())
            }
        });
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

/// The operator's settings the handlers read, checked.
#[derive(Clone, Debug)]
pub struct Site {
    pub time_zone: String,
    pub basemaps: Vec<basemaps::Basemap>,
    pub wall_basemap: Option<String>,
    pub trusted_proxies: Vec<proxy::Network>,
    pub metrics_token: Option<String>,
    pub ready_max_lag: std::time::Duration,
}

impl Default for Site {
    fn default() -> Self {
        Self {
            time_zone: "Asia/Shanghai".to_owned(),
            basemaps: Vec::new(),
            wall_basemap: None,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            ready_max_lag: std::time::Duration::from_secs(30),
        }
    }
}

impl Site {
    /// Checks the flags and reads them into the settings: every basemap well-formed (a local
    /// file present and readable), the wall's basemap one of them, every proxy an address.
    pub fn from_args(args: &OpsArgs) -> anyhow::Result<Self> {
        let basemaps = match &args.basemaps {
            Some(json) if !json.trim().is_empty() => basemaps::parse(json)?,
            _ => Vec::new(),
        };
        if let Some(wall) = &args.wall_basemap {
            anyhow::ensure!(
                basemaps.iter().any(|b| &b.id == wall),
                "wall_basemap `{wall}` is not the id of any basemap"
            );
        }
        let trusted_proxies = args
            .trusted_proxies
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| proxy::Network::parse(p))
            .collect::<anyhow::Result<_>>()?;
        anyhow::ensure!(
            !args.time_zone.is_empty() && !args.time_zone.contains(char::is_whitespace),
            "time_zone `{}` is not an IANA zone name like Asia/Shanghai",
            args.time_zone
        );
        Ok(Self {
            time_zone: args.time_zone.clone(),
            basemaps,
            wall_basemap: args.wall_basemap.clone(),
            trusted_proxies,
            metrics_token: args.metrics_token.clone().filter(|t| !t.is_empty()),
            ready_max_lag: std::time::Duration::from_secs(args.ready_max_lag_secs),
        })
    }

    /// Whether PostgreSQL knows the time zone (its zone database is the same IANA one the
    /// browsers use).
    pub async fn check_time_zone(&self, pool: &sqlx::PgPool) -> anyhow::Result<()> {
        let known: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)")
                .bind(&self.time_zone)
                .fetch_one(pool)
                .await?;
        anyhow::ensure!(
            known,
            "time_zone `{}` is not a known IANA zone",
            self.time_zone
        );
        Ok(())
    }
}
