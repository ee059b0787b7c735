//! The `onemap` binary: migrate, generate the demo city, or serve.
use clap::Parser;
use onemap::config::{Cli, Command};
use onemap::{db, demo, AppState};
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
            let mut state = AppState::new(pool);
            state.frontend_dir = Some(args.frontend);
            state.public_url = args.public_url;
            let listener = tokio::net::TcpListener::bind(args.bind).await?;
            tracing::info!("serving on http://{}", listener.local_addr()?);
            axum::serve(listener, onemap::app(state))
                .with_graceful_shutdown(async {
                    tokio::signal::ctrl_c().await.ok();
                })
                .await?;
        }
    }
    Ok(())
}
