//! Integration tests against a real PostGIS: each `#[sqlx::test]` gets a fresh, migrated
//! database. One test binary, so one link step on a 2-core machine.
mod admin;
mod bad_input;
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
mod map_tools;
mod ogc;
mod page_fixes;
mod public;
mod restart;
mod schema;
mod schema_objects;
mod sse;
mod status_screens;
mod tiles;
mod trust;
mod uploads;
mod weekly_report;
mod writes;
