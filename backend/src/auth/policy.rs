//! What a password must be: long enough to resist guessing, and not the username.
use crate::error::AppError;

pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn check_password_policy(username: &str, password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::Unprocessable(format!(
            "password: at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let (lower, name) = (password.to_lowercase(), username.to_lowercase());
    if lower == name || lower.chars().rev().collect::<String>() == name {
        return Err(AppError::Unprocessable(
            "password: must not be the username".into(),
        ));
    }
    let first = password.chars().next().unwrap_or_default();
    if password.chars().all(|c| c == first) {
        return Err(AppError::Unprocessable(
            "password: must not repeat one character".into(),
        ));
    }
    Ok(())
}
