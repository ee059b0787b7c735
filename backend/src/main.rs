//! The `onemap` binary: migrate, generate the demo city, serve, verify, import, add users.
use clap::Parser;
use onemap::config::{Cli, Command, UserCommand};
use onemap::{auth, db, demo, live, AppState};
use tokio::io::AsyncReadExt;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let cli = Cli::parse();
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
        Command::Serve(args) => {
            let pool = db::connect(&cli.database_url, args.pool).await?;
            db::migrate(&pool).await?;
            let mut state = AppState::with_cache(pool.clone(), args.tile_cache_mb << 20).await?;
            state.frontend_dir = Some(args.frontend);
            state.public_url = args.public_url;
            state.kiosk_token = args.kiosk_token.filter(|t| !t.is_empty());
            state.files = std::sync::Arc::new(onemap::households::files::FileStore::new(args.files_dir));
            live::spawn_listener(pool, state.hub.clone());
            let listener = tokio::net::TcpListener::bind(args.bind).await?;
            tracing::info!("serving on http://{}", listener.local_addr()?);
            // peer addresses rate-limit the residents' look-ups
            axum::serve(listener, onemap::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
                .with_graceful_shutdown(async {
                    tokio::signal::ctrl_c().await.ok();
                })
                .await?;
        }
        Command::Verify => {
            let pool = db::connect(&cli.database_url, 2).await?;
            let started = std::time::Instant::now();
            let differences = onemap::figures::verify(&pool).await?;
            for (what, subject, difference) in &differences {
                println!("{what} {subject}: {difference}");
            }
            println!("{} differences ({:.1} s)", differences.len(), started.elapsed().as_secs_f64());
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
        Command::User(UserCommand::Add { username, role, region, password_stdin: _ }) => {
            let pool = db::connect(&cli.database_url, 2).await?;
            db::migrate(&pool).await?;
            let role: auth::Role = role.parse().map_err(anyhow::Error::msg)?;
            let mut password = String::new();
            tokio::io::stdin().read_to_string(&mut password).await?;
            let password = password.trim_end_matches(['\n', '\r']);
            let user = auth::create_user(&pool, &username, password, role, region.as_deref()).await?;
            println!("created {} ({:?}{})", user.username, user.role, user.region_code.map(|c| format!(", region {c}")).unwrap_or_default());
        }
    }
    Ok(())
}
