//! What the downloads hold: progress tables from the figure lists, a project's ledger (台账),
//! its compensation lines (补偿明细表) and its features; the HTTP side only names and sends them.
pub mod compensation;
pub mod features;
pub mod groups;
pub mod ledger;
pub mod progress;
