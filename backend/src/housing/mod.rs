//! 安置房源: resettlement estates, their 套型, buildings and units, the 楼盘表 and the housing
//! figures (docs/housing.md). Every change of a unit's status goes through the database's one
//! path (`estate_units_record_status`): `units` is the desk's writer of it.
pub mod estate_write;
pub mod estates;
pub mod figures;
pub mod floor_plans;
pub mod grid;
pub mod inventory;
pub mod units;

use serde::{Deserialize, Serialize};

/// A unit's status, as `unit_status` in the database: the 楼盘表's colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "unit_status", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum UnitStatus {
    Available,
    Reserved,
    Selected,
    Contracted,
    Delivered,
}

impl UnitStatus {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            UnitStatus::Available => "available",
            UnitStatus::Reserved => "reserved",
            UnitStatus::Selected => "selected",
            UnitStatus::Contracted => "contracted",
            UnitStatus::Delivered => "delivered",
        }
    }

    /// Whether the status names the household the unit went to (a CHECK of estate_units).
    #[must_use]
    pub fn has_household(self) -> bool {
        matches!(
            self,
            UnitStatus::Selected | UnitStatus::Contracted | UnitStatus::Delivered
        )
    }
}
