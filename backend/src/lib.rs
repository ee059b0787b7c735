//! onemap: PostGIS-backed status tiles and the map cockpit for land acquisition and demolition.
pub mod auth;
pub mod client;
pub mod config;
pub mod db;
pub mod demo;
pub mod disclosure;
pub mod error;
pub mod figures;
pub mod funds;
pub mod geopackage;
pub mod households;
pub mod http;
pub mod id_number;
pub mod import;
pub mod live;
pub mod ogc;
pub mod refusals;
pub mod state;
pub mod status;
pub mod tiles;
pub mod validate;
pub mod xlsx;

pub use error::AppError;
pub use http::app;
pub use state::AppState;
