//! Response encoding of tiles: gzip and strong ETags per representation.
use std::io::Write;

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
    // Level 6 is the usual balance; tiles are small, so the time goes to the query, not here.
    let mut encoder = GzEncoder::new(
        Vec::with_capacity(bytes.len() / 2 + 64),
        Compression::new(6),
    );
    encoder
        .write_all(bytes)
        .expect("writing to a Vec cannot fail");
    encoder.finish().expect("finishing a Vec cannot fail")
}

/// Strong ETag of the uncompressed bytes; the gzip representation gets its own tag.
#[must_use]
pub fn etag_of(bytes: &[u8], gzipped: bool) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    if gzipped {
        format!("\"{hash:016x}-gz\"")
    } else {
        format!("\"{hash:016x}\"")
    }
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
    }
}
