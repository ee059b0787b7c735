//! What `serve` does with the operator's flags before it listens: checks them, opens the local
//! basemap files, lets the pages load the configured basemaps (CSP), starts the metrics address.
use std::sync::Arc;

use super::{local_tiles::LocalTiles, OpsArgs, Site};
use crate::state::AppState;

pub async fn prepare(state: &mut AppState, args: &OpsArgs) -> anyhow::Result<()> {
    let site = Site::from_args(args)?;
    site.check_time_zone(&state.pool).await?;
    let mut files = std::collections::HashMap::new();
    for basemap in &site.basemaps {
        if let Some(file) = LocalTiles::open(basemap).await? {
            files.insert(basemap.id.clone(), file);
        }
        if let Some(origin) = basemap.origin() {
            if !state.csp_sources.contains(&origin) {
                state.csp_sources.push(origin);
            }
        }
    }
    state.basemap_files = Arc::new(files);
    state.site = Arc::new(site);
    if let Some(addr) = args.metrics_addr {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        tracing::info!("metrics on http://{}/metrics", listener.local_addr()?);
        let app = crate::http::metrics_app(state.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!("the metrics address stopped: {error}");
            }
        });
    }
    Ok(())
}
