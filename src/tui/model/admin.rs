//! A customer's admin access (GDAP) at a glance, in compact form for the list's rows: the
//! backend's `adminAccess` summary with its time read once into seconds.

use crate::api::gdap::{AdminAccess, AdminAccessStatus};

/// `adminAccess` of a customer: its status and, for `active`, when it ends, for `pending`, when it
/// was requested (Unix seconds, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminSummary {
    pub status: AdminAccessStatus,
    pub at_secs: Option<i64>,
}

impl Default for AdminSummary {
    fn default() -> Self {
        Self {
            status: AdminAccessStatus::None,
            at_secs: None,
        }
    }
}

impl AdminSummary {
    /// The summary a backend sent; none when it sent none (an older backend).
    pub fn of(access: Option<&AdminAccess>) -> Self {
        let Some(access) = access else {
            return Self::default();
        };
        let at = match access.status {
            AdminAccessStatus::Active => access.end_date_time.as_deref(),
            AdminAccessStatus::Pending => access.requested_date_time.as_deref(),
            _ => None,
        };
        Self {
            status: access.status,
            at_secs: at.and_then(secs),
        }
    }

    pub fn is_active(self) -> bool {
        self.status == AdminAccessStatus::Active
    }
}

/// RFC 3339 → Unix seconds.
pub fn secs(rfc3339: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.timestamp())
}
