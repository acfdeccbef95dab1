//! A customer's users and their licenses (Partner Center's CustomerUser, License, LicenseUpdate).
//!
//! A removed user is `inactive` with a `softDeletionTime` and can be restored for
//! [`RESTORE_DAYS`], as Partner Center allows; removing frees their licenses.

mod password;
pub mod validate;

use serde::{Deserialize, Serialize};

use super::resources::ProductSku;

pub use password::{TEMPORARY_PASSWORD_CHARS, temporary_password};

/// How long a removed user can be restored.
pub const RESTORE_DAYS: i64 = 30;

/// `state` of a user who can sign in.
pub const ACTIVE: &str = "active";
/// `state` of a removed user (restorable within [`RESTORE_DAYS`]).
pub const INACTIVE: &str = "inactive";

/// A user account in the customer's tenant, with the licenses it holds.
///
/// `assignedLicenses` (as Microsoft Graph names it) and `attributes.etag` are what the dashboard
/// needs to show and change a user straight from the list, without one read per user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub user_principal_name: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub usage_location: String,
    /// `active` or `inactive` (removed).
    #[serde(default)]
    pub state: String,
    /// When the user was removed (RFC 3339), for removed users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_deletion_time: Option<String>,
    #[serde(default)]
    pub assigned_licenses: Vec<AssignedLicense>,
    #[serde(default)]
    pub attributes: UserAttributes,
}

impl User {
    pub fn is_removed(&self) -> bool {
        self.state == INACTIVE
    }

    /// Whole days left to restore a removed user at `now` (0 when it can no longer be restored);
    /// None for an active user or an unreadable removal time.
    pub fn restore_days_left(&self, now: chrono::DateTime<chrono::Utc>) -> Option<i64> {
        let removed = self.soft_deletion_time.as_deref()?;
        let removed = chrono::DateTime::parse_from_rfc3339(removed).ok()?;
        let until = removed.with_timezone(&chrono::Utc) + chrono::Duration::days(RESTORE_DAYS);
        let left = until - now;
        Some(if left <= chrono::Duration::zero() {
            0
        } else {
            // A part-day counts: "1 day left" until the very end.
            (left.num_seconds() + 86_399) / 86_400
        })
    }

    pub fn holds(&self, sku_id: &str) -> bool {
        self.assigned_licenses.iter().any(|l| l.sku_id == sku_id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAttributes {
    #[serde(default)]
    pub object_type: String,
    /// The same value as the `ETag` a single read of this user carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

impl Default for UserAttributes {
    fn default() -> Self {
        Self {
            object_type: "CustomerUser".into(),
            etag: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignedLicense {
    pub sku_id: String,
}

/// `POST /v1/customers/{id}/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    #[serde(default)]
    pub user_principal_name: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub usage_location: String,
    #[serde(default)]
    pub password_profile: PasswordProfile,
}

/// The first password: sent once when the user is made, never stored, never echoed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PasswordProfile {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub force_change_password: bool,
}

impl std::fmt::Debug for PasswordProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Debug output ends up in logs: never the password.
        f.debug_struct("PasswordProfile")
            .field("password", &"<redacted>")
            .field("force_change_password", &self.force_change_password)
            .finish()
    }
}

/// `PATCH /v1/customers/{id}/users/{uid}`: `{"state": "active"}` restores a removed user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// One license a user holds (`GET .../users/{uid}/licenses`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct License {
    #[serde(default)]
    pub product_sku: ProductSku,
    #[serde(default = "license_attributes")]
    pub attributes: super::Attributes,
}

fn license_attributes() -> super::Attributes {
    super::Attributes::new("License")
}

impl License {
    pub fn new(product_sku: ProductSku) -> Self {
        Self {
            product_sku,
            attributes: license_attributes(),
        }
    }
}

/// `POST .../users/{uid}/licenseupdates`: licenses to give and to take away, in one change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LicenseUpdate {
    #[serde(default)]
    pub licenses_to_assign: Vec<AssignedLicense>,
    #[serde(default)]
    pub licenses_to_remove: Vec<String>,
}

impl LicenseUpdate {
    pub fn new(assign: &[&str], remove: &[&str]) -> Self {
        Self {
            licenses_to_assign: assign
                .iter()
                .map(|id| AssignedLicense {
                    sku_id: (*id).to_string(),
                })
                .collect(),
            licenses_to_remove: remove.iter().map(|id| (*id).to_string()).collect(),
        }
    }
}

/// The `filter` of `GET .../users` that lists removed users, as Partner Center spells it.
pub fn removed_users_filter() -> String {
    serde_json::json!({"Field": "UserState", "Value": "Inactive", "Operator": "equals"}).to_string()
}

#[cfg(test)]
mod tests;
