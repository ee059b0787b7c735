//! Integration tests against a real PostGIS: each `#[sqlx::test]` gets a fresh, migrated
//! database. One test binary, so one link step on a 2-core machine.
mod bad_input;
mod error_codes;
mod exports;
mod feed;
mod figures;
mod funds;
mod gdal_box;
mod generator;
mod helpers;
mod households;
mod import;
mod ledger;
mod ogc;
mod public;
mod restart;
mod schema;
mod schema_objects;
mod sse;
mod tiles;
mod trust;
mod uploads;
mod writes;
