//! Hostile values for the sweep: the known troublemakers by hand, and more from a seeded
//! generator (the same every run), as query/path text and as raw JSON literals.
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::encode;

/// The generator's seed: a failure reproduces with the same values.
pub const SEED: u64 = 11;

/// Texts as a client may type them: control characters, sizes, numbers no column holds, dates
/// no calendar reaches, wrong types, injections.
fn texts() -> Vec<String> {
    let fixed = [
        " ",
        "\0",
        "a\0b",
        "\u{1}\u{7}\u{1b}[31m",
        "\t\n\r",
        "\u{7f}",
        "inf",
        "-inf",
        "NaN",
        "1e308",
        "-1e308",
        "1e309",
        "-1",
        "0",
        "-0",
        "1.5",
        "0x10",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "99999999999999999999999",
        "-100000-01-01",
        "99999-12-31",
        "0000-01-01",
        "-9999-01-01",
        "+99999-01-01",
        "2026-02-30",
        "2026-13-01",
        "true",
        "null",
        "[]",
        "{}",
        "'; SELECT pg_sleep(5); --",
        "\u{202e}",
        "\u{ffff}",
        "\u{feff}",
        "😀",
        "../../etc/passwd",
        "<script>",
        "a,b,c,d",
        "1,2,3,4,5,6,7",
        "-180,-90,180,90",
        "100,100,200,200",
    ];
    let mut all: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
    all.push("x".repeat(10_000));
    all.push("中".repeat(3_000));
    all
}

/// Text with characters a URL cannot carry unencoded: decoded, these are not valid UTF-8 or
/// not valid percent-escapes at all.
const RAW_ENCODED: [&str; 7] = [
    "%FF",
    "%C3%28",
    "%E2%82",
    "%ED%A0%80",
    "%",
    "%zz",
    "%2F..%2F..%2Fetc%2Fpasswd",
];

/// Query values and path segments, percent-encoded: the fixed ones, the raw escapes and
/// `random` generated ones. The empty text is left to the caller (it changes a path's route).
pub fn url_texts(random: usize) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut all: Vec<String> = texts().iter().map(|t| encode(t)).collect();
    all.extend(RAW_ENCODED.iter().map(|s| (*s).to_owned()));
    all.extend((0..random).map(|_| encode(&random_text(&mut rng))));
    all
}

/// How many of `json_literals` come first and stand for every JSON type.
pub const TYPE_LITERALS: usize = 25;

/// Raw JSON literals for a body field: every type, numbers past i64 and f64, strings as above,
/// escapes JSON forbids or PostgreSQL cannot store, and `random` generated ones.
pub fn json_literals(random: usize) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 1);
    let mut all: Vec<String> = [
        "null",
        "true",
        "false",
        "0",
        "-1",
        "-0.0",
        "0.004",
        "1.5",
        "1e12",
        "1e308",
        "-1e308",
        "1e400",
        "-1e400",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "[]",
        "{}",
        "[null]",
        "{\"a\":1}",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "\"\\u001b[31m\"",
        "\"\"",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    assert_eq!(all.len(), TYPE_LITERALS);
    all.extend(
        texts()
            .iter()
            .map(|t| serde_json::to_string(t).expect("a string")),
    );
    all.extend((0..random).map(|_| random_literal(&mut rng)));
    all
}

/// A short text drawn from a pool rich in what breaks parsers: controls, escapes, signs,
/// separators, digits and characters outside the BMP.
fn random_text(rng: &mut ChaCha8Rng) -> String {
    const POOL: [char; 32] = [
        '\0', '\u{1}', '\u{8}', '\u{1b}', '\t', '\n', '%', '&', '=', '+', '#', '/', '?', ',', '-',
        '.', 'e', 'E', '0', '1', '9', 'a', 'Z', ' ', '"', '\'', '\\', '中', 'é', '😀', '\u{fffd}',
        '\u{ffff}',
    ];
    match rng.random_range(0..4) {
        // a number of any size and sign
        0 => format!(
            "{}{}e{}",
            if rng.random_bool(0.5) { "-" } else { "" },
            rng.random_range(0..u64::MAX),
            rng.random_range(-400..400)
        ),
        // a date of any year
        1 => format!(
            "{}-{:02}-{:02}",
            rng.random_range(-300_000..300_000),
            rng.random_range(0..14),
            rng.random_range(0..33)
        ),
        _ => (0..rng.random_range(1..24))
            .map(|_| POOL[rng.random_range(0..POOL.len())])
            .collect(),
    }
}

/// A random JSON literal: a text as a string, or a number of any size, or a nested value.
fn random_literal(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..5) {
        0 => format!(
            "{}e{}",
            rng.random_range(i64::MIN..i64::MAX),
            rng.random_range(-330..330)
        ),
        1 => rng.random_range(i64::MIN..i64::MAX).to_string(),
        2 => format!("[{}]", random_literal(rng)),
        _ => serde_json::to_string(&random_text(rng)).expect("a string"),
    }
}
