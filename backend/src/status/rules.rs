//! Which moves a user may make: one step forward for anyone who may write; back or a skip
//! only for an admin, with a reason (the database refuses the latter without one too).
use crate::auth::{Role, User};
use crate::error::AppError;

pub type Scale = [&'static str];

pub const HOUSEHOLD_SCALE: [&str; 5] = ["pending", "surveyed", "signed", "vacated", "demolished"];
pub const LAND_SCALE: [&str; 4] = ["pending", "acquired", "cleared", "delivered"];

pub fn check_move(
    scale: &Scale,
    user: &User,
    from: &str,
    to: &str,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let rank = |s: &str| scale.iter().position(|v| *v == s);
    let (Some(a), Some(b)) = (rank(from), rank(to)) else {
        return Err(AppError::Unprocessable(format!(
            "to: `{to}` is not on the scale {}",
            scale.join(" → ")
        )));
    };
    if a == b {
        return Err(AppError::Unprocessable(format!("already {to}")));
    }
    if b == a + 1 {
        return Ok(());
    }
    let how = if b < a {
        "back"
    } else {
        "forward more than one step"
    };
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(format!(
            "{from} → {to} moves {how}: only an admin may, with a reason"
        )));
    }
    if reason.is_none() {
        return Err(AppError::Unprocessable(format!(
            "reason: {from} → {to} moves {how} and needs a reason"
        )));
    }
    Ok(())
}
