//! The tile pool: the connections tile queries run on, each planning a tile statement once.
use sqlx::PgPool;

/// The session setting that makes a prepared tile statement keep one (generic) plan.
///
/// Why: with custom plans PostgreSQL plans a tile statement again for every tile, 0.25–0.37 ms
/// of a dense z16 building tile's 6.5 ms, work Martin also does for each tile. The generic plan
/// reads the same features by the same index, and measured as fast or faster for every layer
/// and zoom (`bench/tiles.py`) and for tiles as of past days (`bench/as_of_tiles.py`). Only this
/// pool plans so: the other reads, whose best plan depends on their values, keep custom plans.
const GENERIC_PLANS: (&str, &str) = ("plan_cache_mode", "force_generic_plan");

/// A pool of `size` connections for tile queries (`--tile-queries`: the gate lets no more run at
/// once), apart from the service's pool, so tiles and the other reads never wait for each other's
/// connections.
pub async fn connect(url: &str, size: u32) -> Result<PgPool, sqlx::Error> {
    super::pool_options(size)
        .connect_with(super::connect_options(url)?.options([GENERIC_PLANS]))
        .await
}
