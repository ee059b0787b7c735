//! Bytes as lower-case hex: content addresses of stored files, kiosk tokens.
use std::fmt::Write as _;

#[must_use]
pub fn encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
