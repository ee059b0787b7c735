//! Command-line and environment configuration of the binary.
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "onemap", about = "One map for land acquisition and demolition")]
pub struct Cli {
    /// PostgreSQL + PostGIS connection string.
    #[arg(
        long,
        env = "DATABASE_URL",
        global = true,
        default_value = "postgres://postgres@127.0.0.1:54329/onemap"
    )]
    pub database_url: String,
    /// A configuration file (onemap.toml): its keys are the flags' environment variables (docs/operations.md).
    #[arg(long, env = "ONEMAP_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Log lines as text or as JSON objects (one per line, with the request's id).
    #[arg(
        long,
        env = "ONEMAP_LOG_FORMAT",
        global = true,
        value_enum,
        default_value = "text"
    )]
    pub log_format: crate::ops::LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

// parsed once at start: the size of `serve`'s many flags costs nothing worth boxing them for
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Apply pending migrations.
    Migrate,
    /// Generate the demo city (deterministic for a seed and a reference date).
    Demo(DemoArgs),
    /// Serve tiles, TileJSON, the live feed, the API and the map page.
    Serve(ServeArgs),
    /// Recount every figure from the rows and events and report any difference from the
    /// maintained ones (exit status 1 if there is one).
    Verify,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage the kiosk tokens wall displays log in with (`/?kiosk=TOKEN`).
    #[command(subcommand)]
    Kiosk(KioskCommand),
    /// Import surveyed parcels or buildings (GeoJSON, zipped Shapefile, GeoPackage, DXF) or a
    /// household ledger (XLSX, CSV) into a project: all or nothing, re-imports update by code.
    Import(ImportArgs),
    /// A project's archive (项目档案): export it as one ZIP, or import one into an empty onemap.
    #[command(subcommand)]
    Archive(ArchiveCommand),
    /// Take a base backup with pgBackRest (WAL is archived continuously) and copy the new attachments.
    Backup(crate::backup::BackupArgs),
    /// Restore the database as it was at a moment into a new cluster, with its attachments checked.
    Restore(crate::backup::RestoreArgs),
    /// The configuration: `onemap config check` checks what `serve` would run with.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Check the settings (file, environment, flags) `serve` would run with, and the database.
    Check,
}

#[derive(Subcommand, Debug)]
pub enum ArchiveCommand {
    /// Write project CODE's archive (reproducible: the same data, the same bytes).
    Export {
        #[arg(long)]
        project: String,
        #[arg(long)]
        out: PathBuf,
        /// Where the attachments are stored (as for `serve`).
        #[arg(long, env = "ONEMAP_FILES_DIR", default_value = onemap_files_default())]
        files_dir: PathBuf,
    },
    /// Restore a project from its archive into an empty onemap (migrated, no projects); every
    /// file is checked against the manifest first.
    Import {
        file: PathBuf,
        #[arg(long, env = "ONEMAP_FILES_DIR", default_value = onemap_files_default())]
        files_dir: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(long, value_enum)]
    pub target: crate::import::Target,
    /// Code of the project the features belong to.
    #[arg(long)]
    pub project: String,
    /// The file's CRS when it names none or names it wrongly: EPSG:<code> or GCJ02.
    #[arg(long)]
    pub crs: Option<String>,
    /// Invalid geometries: repair them (and report each) or reject them.
    #[arg(long, value_enum, default_value = "repair")]
    pub invalid: crate::import::Invalid,
    /// Write the rows that pass and leave out the rejected ones (written to --rejected);
    /// without it a single rejected row writes nothing.
    #[arg(long)]
    pub accept_valid: bool,
    /// Where the rejected rows go, to correct and import again: `.geojson` (default
    /// `<file>.rejected.geojson` beside the file) or `.xlsx` (a table with the reasons).
    #[arg(long)]
    pub rejected: Option<std::path::PathBuf>,
    /// The file to import.
    pub file: std::path::PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account (the first admin, say); the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        /// admin, operator (needs --region) or viewer
        #[arg(long)]
        role: String,
        /// Code of the region an operator works in (writes only there).
        #[arg(long)]
        region: Option<String>,
        /// Read the password from standard input (the only way: it never shows in `ps`).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Unlock an account locked after failed logins.
    Unlock {
        #[arg(long)]
        username: String,
    },
    /// End every session of an account on every instance.
    RevokeSessions {
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum KioskCommand {
    /// Issue a token under a label (one per wall, say); printed once.
    Issue {
        #[arg(long)]
        label: String,
    },
    /// Revoke the label's token (its walls are logged out at once) and print a new one.
    Rotate {
        #[arg(long)]
        label: String,
    },
    /// Revoke the label's token; its walls are logged out at once.
    Revoke {
        #[arg(long)]
        label: String,
    },
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; keep it on loopback unless a proxy sits in front.
    #[arg(long, env = "ONEMAP_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Directory of the built frontend.
    #[arg(long, env = "ONEMAP_FRONTEND", default_value = "frontend/dist")]
    pub frontend: PathBuf,
    /// Base URL clients reach this server at (written into TileJSON); default: the request's Host.
    #[arg(long, env = "ONEMAP_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Database connections; keep below the server's max_connections.
    #[arg(long, env = "ONEMAP_POOL", default_value_t = 16)]
    pub pool: u32,
    /// Connections kept for status writes and the live feed, besides `--pool` (0: they share it).
    #[arg(long, env = "ONEMAP_LIVE_POOL", default_value_t = 4)]
    pub live_pool: u32,
    /// Tiles read from the database at once (cache misses), each on a connection of its own
    /// (the tile pool, besides `--pool`); more wait their turn.
    #[arg(long, env = "ONEMAP_TILE_QUERIES", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub tile_queries: u32,
    /// Tile requests that may wait for a turn; one more is answered 503 at once.
    #[arg(long, env = "ONEMAP_TILE_QUEUE", default_value_t = 64)]
    pub tile_queue: usize,
    /// Longest a tile request waits for its turn, milliseconds; then 503 with Retry-After.
    #[arg(long, env = "ONEMAP_TILE_QUEUE_MS", default_value_t = 2000)]
    pub tile_queue_ms: u64,
    /// Status writes in flight from which every tile request first yields `--tile-yield-ms`.
    #[arg(long, env = "ONEMAP_TILE_YIELD_WRITES", default_value_t = 4)]
    pub tile_yield_writes: usize,
    /// How long a tile request yields to crowding status writes, milliseconds (0: never).
    #[arg(long, env = "ONEMAP_TILE_YIELD_MS", default_value_t = 2)]
    pub tile_yield_ms: u64,
    /// Tile queries starting at once while status writes crowd in (`--tile-yield-writes`).
    #[arg(long, env = "ONEMAP_TILE_QUERIES_CROWDED", default_value_t = 1)]
    pub tile_queries_crowded: usize,
    /// While events crowd in, each live feed stream writes at most once per this many
    /// milliseconds, the events of the meantime together (0: each event at once).
    #[arg(long, env = "ONEMAP_FEED_FLUSH_MS", default_value_t = 20, value_parser = clap::value_parser!(u64).range(0..=1000))]
    pub feed_flush_ms: u64,
    /// Connection for the residents' pages: a role that cannot read names or ID numbers
    /// (`onemap_public`); the server refuses one that can.
    #[arg(long, env = "ONEMAP_PUBLIC_DATABASE_URL")]
    pub public_database_url: String,
    /// A kiosk token given at start (besides those issued with `onemap kiosk issue`); unset: none.
    #[arg(long, env = "ONEMAP_KIOSK_TOKEN")]
    pub kiosk_token: Option<String>,
    /// Longest a request may take, seconds (408 past it); the live feed and uploads have their own bounds.
    #[arg(long, env = "ONEMAP_REQUEST_TIMEOUT_SECS", default_value_t = 60)]
    pub request_timeout_secs: u64,
    /// Mark the session cookie `Secure`: set it when clients reach the service over TLS.
    #[arg(long, env = "ONEMAP_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Another source the pages may load from (a basemap server, e.g. `https://tiles.example`); repeat for more.
    #[arg(long = "csp-source", env = "ONEMAP_CSP_SOURCES", value_delimiter = ' ')]
    pub csp_sources: Vec<String>,
    /// An origin allowed to frame the wall display (a hall's signage system); repeat for more. None by default.
    #[arg(
        long = "wall-frame-ancestor",
        env = "ONEMAP_WALL_FRAME_ANCESTORS",
        value_delimiter = ' '
    )]
    pub wall_frame_ancestors: Vec<String>,
    /// Memory bound of the tile cache, MiB; 0 turns it off.
    #[arg(long, env = "ONEMAP_TILE_CACHE_MB", default_value_t = 256)]
    pub tile_cache_mb: usize,
    /// Where household attachments are stored (content-addressed); every instance must share it.
    #[arg(long, env = "ONEMAP_FILES_DIR", default_value = onemap_files_default())]
    pub files_dir: PathBuf,
    /// The CJK font the weekly reports (PDF) are set in: a TrueType/OpenType file or collection
    /// (Debian: fonts-noto-cjk); only the glyphs used are embedded.
    #[arg(long, env = "ONEMAP_REPORT_FONT", default_value = crate::reports::weekly::DEFAULT_REPORT_FONT)]
    pub report_font: PathBuf,
    #[command(flatten)]
    pub ops: crate::ops::OpsArgs,
}

const fn onemap_files_default() -> &'static str {
    crate::state::DEFAULT_FILES_DIR
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// Number of buildings to generate.
    #[arg(long, default_value_t = 30_000)]
    pub buildings: usize,
    /// Random seed: the same seed and date give the same city.
    #[arg(long, default_value_t = 20_261_121)]
    pub seed: u64,
    /// Reference date the history runs up to (YYYY-MM-DD); default today.
    #[arg(long)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Do nothing if the database already has projects.
    #[arg(long)]
    pub if_empty: bool,
}

/// Whether `value` is an origin fit for a CSP source list: `http(s)://host[:port]`, nothing more.
#[must_use]
pub fn is_origin(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && r.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*'))
    })
}
