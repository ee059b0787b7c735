//! The cockpit map's tools on the server: the search box and "what lies inside this boundary".
pub mod boundary;
pub mod search;
pub mod within;
