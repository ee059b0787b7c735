//! Response encoding of tiles: gzip and strong ETags per representation.
use std::io::Write;

use axum::http::HeaderValue;
use flate2::write::GzEncoder;
use flate2::Compression;

/// Whether an Accept-Encoding header admits gzip (a `q=0` refuses it).
#[must_use]
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|part| {
        let mut pieces = part.split(';').map(str::trim);
        let coding = pieces.next().unwrap_or_default();
        let refused = pieces.any(|p| p.replace(' ', "") == "q=0" || p.replace(' ', "") == "q=0.0");
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
    })
}

#[must_use]
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    // Level 5, not the usual 6: on dense z16 building tiles (75–120 KB, zlib-rs) the bytes
    // are the same within 0.05 % and the time a sixth less (1.3 ms instead of 1.6 at 120 KB),
    // time every cold gzip tile spends (issue 19).
    let mut encoder = GzEncoder::new(
        Vec::with_capacity(bytes.len() / 2 + 64),
        Compression::new(5),
    );
    encoder
        .write_all(bytes)
        .expect("writing to a Vec cannot fail");
    encoder.finish().expect("finishing a Vec cannot fail")
}

/// Strong ETag of the uncompressed bytes; the gzip representation gets its own tag.
#[must_use]
pub fn etag_of(bytes: &[u8], gzipped: bool) -> String {
    tag(xxhash_rust::xxh3::xxh3_64(bytes), gzipped)
}

fn tag(hash: u64, gzipped: bool) -> String {
    if gzipped {
        format!("\"{hash:016x}-gz\"")
    } else {
        format!("\"{hash:016x}\"")
    }
}

/// Both ETags of a tile (plain, gzip) from one pass over its bytes, as header values ready
/// to send: a dense tile is hashed once, not once per representation and request.
#[must_use]
pub fn etags_of(bytes: &[u8]) -> [HeaderValue; 2] {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    [false, true].map(|gzipped| {
        HeaderValue::try_from(tag(hash, gzipped)).expect("hex in quotes is a valid header")
    })
}

/// Whether an If-None-Match header names `etag` (or `*`): then the client's copy is current.
#[must_use]
pub fn etag_matches(if_none_match: &str, etag: &HeaderValue) -> bool {
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/").as_bytes() == etag.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_acceptance_follows_q_values() {
        assert!(accepts_gzip("gzip, deflate, br"));
        assert!(accepts_gzip("br;q=1.0, gzip;q=0.8"));
        assert!(!accepts_gzip("gzip;q=0"));
        assert!(!accepts_gzip("identity"));
        assert!(!accepts_gzip(""));
    }

    #[test]
    fn etags_differ_per_representation_and_content() {
        assert_ne!(etag_of(b"a", false), etag_of(b"a", true));
        assert_ne!(etag_of(b"a", false), etag_of(b"b", false));
        assert_eq!(etag_of(b"a", false), etag_of(b"a", false));
        assert_eq!(etags_of(b"a"), [etag_of(b"a", false), etag_of(b"a", true)]);
    }
}
