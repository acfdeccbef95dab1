//! One admin relationship as the screen keeps it: 150,000 of Graph's full objects (a dozen strings
//! each, a GUID per role) would cost far more than the screen shows, so each is read once — off
//! the UI thread, in the call that fetched it — into this compact form: times in seconds, roles
//! as bits over the role catalog, display strings sanitized, a lowercase key for the filter.

use crate::api::gdap::roles::{GLOBAL_ADMINISTRATOR, REQUESTABLE};
use crate::api::gdap::{AdminRelationship, RelationshipStatus};
use crate::tui::sanitize::sanitize;

const DAY_SECS: i64 = 86_400;

/// RFC 3339 → Unix seconds.
fn secs(rfc3339: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.timestamp())
}

/// The roles a relationship grants: bits over [`REQUESTABLE`], and any id this build does not
/// know (a backend may know more roles) verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roles {
    known: u64,
    other: Box<[Box<str>]>,
}

impl Roles {
    pub fn of<'a>(ids: impl Iterator<Item = &'a str>) -> Self {
        let mut known = 0u64;
        let mut other = Vec::new();
        for id in ids {
            match REQUESTABLE
                .iter()
                .position(|r| r.id.eq_ignore_ascii_case(id))
                .filter(|&i| i < 64)
            {
                Some(i) => known |= 1 << i,
                None => other.push(Box::from(id)),
            }
        }
        Self {
            known,
            other: other.into_boxed_slice(),
        }
    }

    pub fn count(&self) -> usize {
        self.known.count_ones() as usize + self.other.len()
    }

    /// Role template ids, catalog order first.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        REQUESTABLE
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 64 && self.known & (1 << i) != 0)
            .map(|(_, r)| r.id)
            .chain(self.other.iter().map(|s| &**s))
    }

    pub fn has(&self, id: &str) -> bool {
        self.ids().any(|r| r.eq_ignore_ascii_case(id))
    }

    pub fn has_global_administrator(&self) -> bool {
        self.has(GLOBAL_ADMINISTRATOR)
    }
}

/// A relationship in compact form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rel {
    pub id: Box<str>,
    pub etag: Box<str>,
    /// Sanitized.
    pub name: Box<str>,
    /// The customer's tenant id, verbatim (it addresses the API).
    pub tenant: Box<str>,
    /// Sanitized.
    pub customer: Box<str>,
    /// Lowercase `customer\nname`, for the filter.
    pub key: Box<str>,
    pub status: RelationshipStatus,
    pub auto_extend: bool,
    pub duration_days: u32,
    pub roles: Roles,
    pub created_secs: i64,
    /// Sent for approval (the 90 days count from here).
    pub locked_secs: Option<i64>,
    pub end_secs: Option<i64>,
    pub approval_url: Option<Box<str>>,
    pub assignments: u32,
}

impl Rel {
    pub fn of(r: &AdminRelationship) -> Self {
        let name = sanitize(&r.display_name).into_owned();
        let customer = sanitize(&r.customer.display_name).into_owned();
        let key = format!("{customer}\n{name}").to_lowercase();
        Self {
            id: r.id.as_str().into(),
            etag: r.etag.as_str().into(),
            name: name.into(),
            tenant: r.customer.tenant_id.as_str().into(),
            customer: customer.into(),
            key: key.into(),
            status: r.status,
            auto_extend: r.auto_extends(),
            duration_days: r.duration_days().unwrap_or(0),
            roles: Roles::of(r.access_details.role_ids()),
            created_secs: secs(&r.created_date_time).unwrap_or(0),
            locked_secs: r.locked_date_time.as_deref().and_then(secs),
            end_secs: r.end_date_time.as_deref().and_then(secs),
            approval_url: r
                .approval_url
                .as_deref()
                .map(|u| sanitize(u).into_owned().into()),
            assignments: r.access_assignment_count,
        }
    }

    /// The screen's order: by end date (none last), then id — the backend's.
    pub fn order_key(&self) -> (i64, &str) {
        (self.end_secs.unwrap_or(i64::MAX), &self.id)
    }

    /// Whole days until the end (negative once past); None without an end date.
    pub fn days_left(&self, now_secs: i64) -> Option<i64> {
        self.end_secs
            .map(|end| (end - now_secs).div_euclid(DAY_SECS))
    }

    /// Whole days since it was sent for approval (or made, if not sent yet).
    pub fn pending_days(&self, now_secs: i64) -> i64 {
        let since = self.locked_secs.unwrap_or(self.created_secs);
        (now_secs - since).max(0) / DAY_SECS
    }

    pub fn is_pending(&self) -> bool {
        matches!(
            self.status,
            RelationshipStatus::ApprovalPending | RelationshipStatus::Created
        )
    }

    /// Active with at most `EXPIRING_DAYS` left.
    pub fn is_expiring(&self, now_secs: i64) -> bool {
        self.status == RelationshipStatus::Active
            && self
                .days_left(now_secs)
                .is_some_and(|d| d <= crate::api::gdap::EXPIRING_DAYS)
    }

    /// The status column: `active`, `pending 85d/90`, `expired`, …
    pub fn status_text(&self, now_secs: i64) -> String {
        match self.status {
            RelationshipStatus::ApprovalPending => format!(
                "pending {}d/{}",
                self.pending_days(now_secs),
                crate::api::gdap::APPROVAL_DAYS
            ),
            RelationshipStatus::Created => "created, not sent".into(),
            RelationshipStatus::TerminationRequested => "terminating".into(),
            RelationshipStatus::Active if self.is_expiring(now_secs) => "expiring".into(),
            other => other.as_str().into(),
        }
    }

    /// The days column: `412d left`, `ended 3d ago`, or blank.
    pub fn days_text(&self, now_secs: i64) -> String {
        match (self.status, self.days_left(now_secs)) {
            (RelationshipStatus::Active | RelationshipStatus::TerminationRequested, Some(d))
                if d >= 0 =>
            {
                format!("{d}d left")
            }
            (_, Some(d)) if d < 0 => format!("{}d ago", -d),
            (_, Some(d)) => format!("{d}d left"),
            (_, None) => String::new(),
        }
    }

    /// The roles column: how many, and whether Global Administrator is one of them (`5 incl. GA`).
    pub fn roles_text(&self) -> String {
        let n = self.roles.count();
        match self.roles.has_global_administrator() {
            true => format!("{n} incl. GA"),
            false => n.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_fits_the_bits() {
        assert!(REQUESTABLE.len() <= 64);
    }

    #[test]
    fn roles_keep_known_and_unknown_ids() {
        let roles = Roles::of([GLOBAL_ADMINISTRATOR, "not-a-known-role"].into_iter());
        assert_eq!(roles.count(), 2);
        assert!(roles.has_global_administrator());
        assert!(roles.has("not-a-known-role"));
        assert_eq!(roles.ids().count(), 2);
    }
}
