//! The expanded row's admin section: each admin relationship (GDAP) of the customer — name,
//! status, roles by name, start and end, auto-extend — and its access assignments (security
//! group → roles); and, when admin access ended or never was, what `d` does about it.

use crate::api::gdap::{
    AccessAssignment, AdminAccess, AdminAccessStatus, AdminRelationship, RelationshipStatus, roles,
};
use crate::tui::sanitize::sanitize;
use crate::tui::theme::Tone;

/// One relationship and its access assignments, as fetched for the expanded row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminDetail {
    pub relationship: AdminRelationship,
    pub assignments: Vec<AccessAssignment>,
}

/// `2026-01-31T00:00:00Z` → `2026-01-31`.
fn day(s: &str) -> &str {
    s.get(..10).unwrap_or(s)
}

/// The account line's words for the customer's admin access (`None`: the backend keeps no
/// admin relationships, so only the legacy flag is known).
pub fn access_words(access: &AdminAccess) -> (String, Tone) {
    match access.status {
        AdminAccessStatus::Active => (
            match access.end_date_time.as_deref() {
                Some(end) => format!("admin access active until {}", day(end)),
                None => "admin access active".into(),
            },
            Tone::Normal,
        ),
        AdminAccessStatus::Pending => (
            match access.requested_date_time.as_deref() {
                Some(at) => format!("admin access waiting for approval since {}", day(at)),
                None => "admin access waiting for approval".into(),
            },
            Tone::Normal,
        ),
        AdminAccessStatus::Expired => ("admin access EXPIRED".into(), Tone::Bad),
        AdminAccessStatus::Terminated => ("admin access TERMINATED".into(), Tone::Bad),
        AdminAccessStatus::None => ("NO admin access".into(), Tone::Bad),
    }
}

fn status_words(status: RelationshipStatus) -> (&'static str, Tone) {
    match status {
        RelationshipStatus::Created => ("created, not sent for approval", Tone::Warn),
        RelationshipStatus::ApprovalPending => ("waiting for approval", Tone::Normal),
        RelationshipStatus::Active => ("active", Tone::Normal),
        RelationshipStatus::TerminationRequested => ("ending", Tone::Dim),
        RelationshipStatus::Terminated => ("terminated", Tone::Dim),
        RelationshipStatus::Expired => ("expired", Tone::Dim),
        RelationshipStatus::Unknown => ("unknown status", Tone::Warn),
    }
}

fn role_names<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = ids.map(roles::name_of).collect();
    if names.is_empty() {
        "no roles".into()
    } else {
        names.join(", ")
    }
}

/// The section's lines (label on the first), every backend string sanitized. `access` is the
/// customer's summary, if the backend sends one.
pub fn admin_lines(
    access: Option<&AdminAccess>,
    admin: &[AdminDetail],
    mut line: impl FnMut(String, Tone),
) {
    match access.map(|a| a.status) {
        Some(AdminAccessStatus::Expired | AdminAccessStatus::Terminated) => line(
            "admin access ended: d requests it again, proposing the roles it had".into(),
            Tone::Warn,
        ),
        Some(AdminAccessStatus::None) => line(
            "no admin access: d requests it (roles, duration, approval email)".into(),
            Tone::Warn,
        ),
        _ => {}
    }
    if admin.is_empty() {
        if access.is_some_and(|a| a.status != AdminAccessStatus::None) || access.is_none() {
            line("no admin relationships".into(), Tone::Dim);
        }
        return;
    }
    for a in admin {
        let r = &a.relationship;
        let (status, tone) = status_words(r.status);
        let start = r.activated_date_time.as_deref().map(day);
        let end = r.end_date_time.as_deref().map(day);
        let when = match (start, end) {
            (Some(s), Some(e)) => format!("{s} → {e}"),
            (None, Some(e)) => format!("ends {e}"),
            (Some(s), None) => format!("since {s}"),
            (None, None) => match r.duration_days() {
                Some(days) => format!("requested {}, {days} days", day(&r.created_date_time)),
                None => format!("requested {}", day(&r.created_date_time)),
            },
        };
        let extend = if r.auto_extends() {
            "auto-extends 180 days"
        } else {
            "no auto-extend"
        };
        line(
            format!(
                "{}  ·  {status}  ·  {when}  ·  {extend}",
                sanitize(&r.display_name)
            ),
            tone,
        );
        line(
            format!(
                "  roles: {}",
                sanitize(&role_names(r.access_details.role_ids()))
            ),
            Tone::Normal,
        );
        if r.status == RelationshipStatus::Active && a.assignments.is_empty() {
            line(
                "  no security group has its roles yet (a assigns one)".into(),
                Tone::Warn,
            );
        }
        for g in &a.assignments {
            let group = g
                .access_container_display_name
                .as_deref()
                .unwrap_or(&g.access_container.access_container_id);
            line(
                format!(
                    "  group {} → {}",
                    sanitize(group),
                    sanitize(&role_names(g.access_details.role_ids()))
                ),
                Tone::Normal,
            );
        }
    }
}
