//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes).
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::AppError;

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("password: cannot be hashed ({e})")))
}

#[must_use]
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of a password nobody has, made once: verifying against it costs what a real check
/// costs, so an unknown username answers in the same time as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash_password("no account has this password").expect("argon2 hashes a constant")
});

/// Spends one verification's time and fails, for usernames that do not exist.
pub fn verify_nobody(password: &str) -> bool {
    let _ = verify_password(&DUMMY_HASH, password);
    false
}
