//! Who may see personal files (households, compensation lines): admins, and operators in the region.
use super::{may_write_in, User};
use crate::error::{AppError, AppResult};

/// Refuses a user who may not see personal files in the region of `lineage`.
pub fn authorize(user: &User, lineage: &[i32], what: &str) -> AppResult<()> {
    if may_write_in(user, lineage) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "{what}: only admins and the operators of its region may see household files"
        ))
        .coded(
            crate::error::Code::OutsideRegion,
            serde_json::json!({ "region": user.region_code }),
        ))
    }
}
