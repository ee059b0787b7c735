//! Integration tests against a real PostGIS: each `#[sqlx::test]` gets a fresh, migrated
//! database. One test binary, so one link step on a 2-core machine.
mod helpers;
mod bad_input;
mod exports;
mod gdal_box;
mod generator;
mod import;
mod ledger;
mod ogc;
mod schema;
mod feed;
mod figures;
mod funds;
mod households;
mod public;
mod restart;
mod sse;
mod tiles;
mod trust;
mod uploads;
mod writes;
