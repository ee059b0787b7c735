//! The public lottery (摇号): a household's place is its code's rank by sha256(seed ‖ ":" ‖ code)
//! in lower-case hex, ascending, ties by code (bytewise). The seed and the list of codes are
//! published before the draw, so anyone can recompute the order (tools/selection-lottery.py).
use sha2::{Digest, Sha256};

/// The key a code is ranked by under `seed`.
#[must_use]
pub fn key(seed: &str, code: &str) -> String {
    crate::hex::encode(&Sha256::digest(format!("{seed}:{code}").as_bytes()))
}

/// The codes in the order the lottery with `seed` gives them.
#[must_use]
pub fn order(seed: &str, codes: &[String]) -> Vec<String> {
    let mut keyed: Vec<(String, &String)> = codes.iter().map(|c| (key(seed, c), c)).collect();
    keyed.sort();
    keyed.into_iter().map(|(_, c)| c.clone()).collect()
}

/// A new seed: 32 random bytes as hex, published when the day is made.
#[must_use]
pub fn new_seed() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    crate::hex::encode(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_a_function_of_seed_and_codes() {
        let codes: Vec<String> = ["A-1", "A-2", "A-3", "B-1"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let seed = "00".repeat(32);
        // computed apart: printf '%s:A-1' 000…000 | sha256sum
        assert_eq!(
            key(&seed, "A-1"),
            "9c882826499c4912a88697499545c5f97c8d0f5ab747c8e2e7bb9029cfdabc2a"
        );
        let first = order(&seed, &codes);
        let mut shuffled = codes.clone();
        shuffled.reverse();
        assert_eq!(
            order(&seed, &shuffled),
            first,
            "the list's order does not matter"
        );
        assert_ne!(
            order(&"11".repeat(32), &codes),
            first,
            "another seed, another order"
        );
    }
}
