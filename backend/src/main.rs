//! The `onemap` binary: migrate, generate the demo city, serve, verify, import, add users.
use clap::Parser;
use onemap::config::{
    ArchiveCommand, Cli, Command, ConfigCommand, KioskCommand, ServeArgs, UserCommand,
};
use onemap::reports::weekly;
use onemap::{auth, db, demo, live, AppState};
use tokio::io::AsyncReadExt;

/// Every request allocates and frees its small pieces on whichever worker runs it: glibc's
/// malloc spent a tenth of a warm tile's time in its arenas (issue 19), mimalloc a fraction.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // onemap.toml first: its settings fill what flags and environment leave unset
    onemap::ops::config_file::apply(&std::env::args().collect::<Vec<_>>())?;
    let cli = Cli::parse();
    onemap::ops::init_logging(cli.log_format, matches!(cli.command, Command::Serve(_)));
    // before any command can touch GDAL: only the drivers onemap uses, no network
    onemap::import::sandbox::harden();
    match cli.command {
        Command::Migrate => {
            let pool = db::connect(&cli.database_url, 2).await?;
            db::migrate(&pool).await?;
        }
        Command::Demo(args) => {
            let pool = db::connect(&cli.database_url, 4).await?;
            db::migrate(&pool).await?;
            demo::run(&pool, &args).await?;
        }
        Command::Serve(args) => serve(&cli.database_url, args).await?,
        Command::Verify => {
            let pool = db::connect(&cli.database_url, 2).await?;
            let started = std::time::Instant::now();
            let differences = onemap::figures::verify(&pool).await?;
            for (what, subject, difference) in &differences {
                println!("{what} {subject}: {difference}");
            }
            println!(
                "{} differences ({:.1} s)",
                differences.len(),
                started.elapsed().as_secs_f64()
            );
            if !differences.is_empty() {
                std::process::exit(1);
            }
        }
        Command::Import(args) => {
            let pool = db::connect(&cli.database_url, 2).await?;
            db::migrate(&pool).await?;
            if !onemap::import::cli::run(&pool, &args).await? {
                std::process::exit(1);
            }
        }
        Command::User(command) => user(&cli.database_url, command).await?,
        Command::Kiosk(command) => kiosk(&cli.database_url, command).await?,
        Command::Archive(command) => archive(&cli.database_url, command).await?,
        Command::Backup(args) => onemap::backup::backup(&args).await?,
        Command::Restore(args) => onemap::backup::restore(&args).await?,
        Command::Config(ConfigCommand::Check) => {
            onemap::ops::config_file::check(&cli.database_url).await?;
        }
    }
    Ok(())
}

/// Serves the API and the pages until Ctrl-C, after checking both connections' roles.
async fn serve(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let pool = db::connect(database_url, args.pool).await?;
    db::check_service_role(&pool).await?;
    db::check_migrated(&pool).await?;
    // the residents' pages share few connections: their look-ups are rate-limited anyway
    let public_pool = db::connect(&args.public_database_url, 4).await?;
    db::check_public_role(&public_pool).await?;
    for source in args.csp_sources.iter().chain(&args.wall_frame_ancestors) {
        anyhow::ensure!(
            onemap::config::is_origin(source),
            "`{source}` is not an origin like https://host[:port]"
        );
    }
    let mut state =
        AppState::with_cache(pool.clone(), public_pool, args.tile_cache_mb << 20).await?;
    if args.live_pool > 0 {
        state.live_pool = db::warm::connect_warm(database_url, args.live_pool).await?;
    }
    // as many connections as the gate lets tile queries run at once
    state.tile_pool = db::tile_pool::connect(database_url, args.tile_queries).await?;
    state.tile_gate = std::sync::Arc::new(onemap::tiles::TileGate::new(
        onemap::tiles::TileGateLimits {
            running: args.tile_queries as usize,
            waiting: args.tile_queue,
            deadline: std::time::Duration::from_millis(args.tile_queue_ms),
            writes_crowding: args.tile_yield_writes,
            yield_to_writes: std::time::Duration::from_millis(args.tile_yield_ms),
            running_crowded: args.tile_queries_crowded,
        },
    ));
    state.secure_cookies = args.secure_cookies;
    state.request_timeout = std::time::Duration::from_secs(args.request_timeout_secs);
    state.feed_flush = std::time::Duration::from_millis(args.feed_flush_ms);
    state.csp_sources = args.csp_sources;
    state.wall_frame_ancestors = args.wall_frame_ancestors;
    state.frontend_dir = Some(args.frontend);
    state.public_url = args.public_url;
    state.kiosk_token = args.kiosk_token.filter(|t| !t.is_empty());
    state.files = std::sync::Arc::new(onemap::households::files::FileStore::new(args.files_dir));
    state.weekly = std::sync::Arc::new(weekly::store::WeeklyReports::new(weekly::FontSlot::new(
        args.report_font,
    )));
    // read now, so a missing font shows at start; the reports answer 503 with the same words
    if let Err(why) = state.weekly.font.get() {
        tracing::error!("weekly reports are off: {why}");
    }
    onemap::ops::serve::prepare(&mut state, &args.ops).await?;
    weekly::store::spawn_scheduler(pool.clone(), state.files.clone(), state.weekly.clone());
    // the escalation job (docs/cases.md): every instance runs it; the database moves a case once
    onemap::cases::escalation::spawn(pool.clone());
    live::spawn_listener(state.live_pool.clone(), state.hub.clone());
    let listener = tokio::net::TcpListener::bind(args.bind).await?;
    tracing::info!("serving on http://{}", listener.local_addr()?);
    // peer addresses rate-limit the residents' look-ups
    axum::serve(
        listener,
        onemap::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        tokio::signal::ctrl_c().await.ok();
    })
    .await?;
    Ok(())
}

/// `onemap user add|unlock|revoke-sessions`.
async fn user(database_url: &str, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            username,
            role,
            region,
            password_stdin: _,
        } => {
            let pool = db::connect(database_url, 2).await?;
            db::check_migrated(&pool).await?;
            let role: auth::Role = role.parse().map_err(anyhow::Error::msg)?;
            let mut password = String::new();
            tokio::io::stdin().read_to_string(&mut password).await?;
            let password = password.trim_end_matches(['\n', '\r']);
            let user =
                auth::create_user(&pool, &username, password, role, region.as_deref()).await?;
            println!(
                "created {} ({:?}{})",
                user.username,
                user.role,
                user.region_code
                    .map(|c| format!(", region {c}"))
                    .unwrap_or_default()
            );
        }
        UserCommand::Unlock { username } => {
            let pool = db::connect(database_url, 2).await?;
            let failures = auth::throttle::unlock(&pool, &username, None).await?;
            println!("unlocked {username} ({failures} recent failed logins forgotten)");
        }
        UserCommand::RevokeSessions { username } => {
            let pool = db::connect(database_url, 2).await?;
            let n = auth::revoke_sessions(&pool, &username).await?;
            println!("ended {n} sessions of {username} on every instance");
        }
    }
    Ok(())
}

/// `onemap kiosk issue|rotate|revoke`: the wall displays' tokens.
async fn kiosk(database_url: &str, command: KioskCommand) -> anyhow::Result<()> {
    let pool = db::connect(database_url, 2).await?;
    match command {
        KioskCommand::Issue { label } => {
            println!("{}", auth::kiosk::issue(&pool, &label, false).await?);
        }
        KioskCommand::Rotate { label } => {
            println!("{}", auth::kiosk::issue(&pool, &label, true).await?);
        }
        KioskCommand::Revoke { label } => {
            let n = auth::kiosk::revoke(&pool, &label).await?;
            anyhow::ensure!(n > 0, "no live kiosk token has label `{label}`");
            println!("revoked {n} token(s) labelled {label}; their walls are logged out");
        }
    }
    Ok(())
}

/// `onemap archive export|import`.
async fn archive(database_url: &str, command: ArchiveCommand) -> anyhow::Result<()> {
    use onemap::households::files::FileStore;
    let pool = db::connect(database_url, 2).await?;
    db::check_migrated(&pool).await?;
    let started = std::time::Instant::now();
    match command {
        ArchiveCommand::Export {
            project,
            out,
            files_dir,
        } => {
            let file = std::fs::File::create(&out)?;
            let (file, entries) = onemap::archive::export::export(
                &pool,
                &FileStore::new(files_dir),
                &project,
                std::io::BufWriter::new(file),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            let size = file.into_inner()?.metadata()?.len();
            println!(
                "wrote {} ({} files, {size} bytes) in {:.1} s",
                out.display(),
                entries.len(),
                started.elapsed().as_secs_f64()
            );
        }
        ArchiveCommand::Import { file, files_dir } => {
            onemap::archive::import::check_path(&file)?;
            let restored =
                onemap::archive::import::import(&pool, &FileStore::new(files_dir), &file).await?;
            for (table, rows) in &restored.rows {
                println!("{table}: {rows}");
            }
            println!(
                "restored project {} ({} files) in {:.1} s",
                restored.project,
                restored.files,
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}
