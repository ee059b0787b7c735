//! Administration (`/admin/`, admins only): people's accounts and the audit trail. Kiosk tokens
//! live with the other login code in `auth::kiosk`.
pub mod trail;
pub mod users;

use crate::auth::{Role, User};
use crate::error::{AppError, AppResult};

/// Refuses everyone but an admin (a 403 naming what was asked).
pub fn admins_only(user: &User, what: &str) -> AppResult<()> {
    if user.role == Role::Admin && !user.kiosk {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("{what}: only an admin may")))
    }
}
