//! What the calendar does to relationships, in words both stores write: the times (RFC 3339 UTC
//! with seconds, as stored and sent), how far an auto-extension moves an end date, each
//! transition's audit record, and the actor the audit log names when nobody acted.

use chrono::{DateTime, TimeDelta, Utc};

use crate::api::gdap::APPROVAL_DAYS;
use crate::api::{EventKind, Role};
use crate::server::store::{Principal, StoreError, StoreResult};

/// One change, in the audit log's words.
pub(crate) struct Change<'a> {
    pub kind: EventKind,
    /// camelCase (`expireAdminRelationship`).
    pub operation: &'a str,
    pub before: String,
    pub after: String,
}

/// Every requested termination completes on the next tick, whenever it was asked for.
pub(crate) const ANY_TIME: &str = "9999";

/// The `locked_at` before which an unanswered approval has lapsed, as of `now`.
pub(crate) fn lapsed_before(now: DateTime<Utc>) -> String {
    text(now - TimeDelta::days(APPROVAL_DAYS))
}

/// An approval nobody answered in time.
pub(crate) fn lapsed(id: &str) -> Change<'static> {
    Change {
        kind: EventKind::AdminRelationshipUpdated,
        operation: "expireAdminRelationship",
        before: format!("{id}: status approvalPending"),
        after: format!("{id}: status expired (no answer within {APPROVAL_DAYS} days)"),
    }
}

/// An active relationship at its end: the new end date when it auto-extends (else it expires),
/// and the audit record.
pub(crate) fn at_end(
    id: &str,
    end: &str,
    extend_days: i64,
    now: DateTime<Utc>,
) -> StoreResult<(Option<String>, Change<'static>)> {
    if extend_days > 0 {
        let new_end = text(extended_end(parse_time(end)?, now, extend_days));
        let change = Change {
            kind: EventKind::AdminRelationshipUpdated,
            operation: "extendAdminRelationship",
            before: format!("{id}: endDateTime {end}"),
            after: format!("{id}: endDateTime {new_end} (auto-extended)"),
        };
        Ok((Some(new_end), change))
    } else {
        let change = Change {
            kind: EventKind::AdminRelationshipUpdated,
            operation: "expireAdminRelationship",
            before: format!("{id}: status active, endDateTime {end}"),
            after: format!("{id}: status expired"),
        };
        Ok((None, change))
    }
}

/// A requested termination completed.
pub(crate) fn termination_done(id: &str) -> Change<'static> {
    Change {
        kind: EventKind::AdminRelationshipUpdated,
        operation: "terminateAdminRelationship",
        before: format!("{id}: status terminationRequested"),
        after: format!("{id}: status terminated"),
    }
}

/// The lifecycle as the audit log names it: not an agent, so no agent id a person could have.
pub(crate) fn system(partner_id: &str) -> Principal {
    Principal {
        partner_id: partner_id.to_string(),
        partner_name: String::new(),
        cloud: String::new(),
        agent_id: "system".to_string(),
        agent_name: "cspdash (system, by the calendar)".to_string(),
        // Never checked: the audit log records only the id and the name.
        role: Role::HelpdeskAgent,
    }
}

/// `end` moved on by `extend_days` as often as it takes to lie after `now` (a server that was
/// down for a year catches up in one step, as the relationship would have been extended twice).
pub(crate) fn extended_end(
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    extend_days: i64,
) -> DateTime<Utc> {
    let step = TimeDelta::days(extend_days.max(1));
    let mut end = end;
    while end <= now {
        end += step;
    }
    end
}

pub(crate) fn parse_time(text: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Schema(format!("not an RFC 3339 time: {text:?} ({e})")))
}

/// As stored and sent: RFC 3339 UTC with seconds.
pub(crate) fn text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_long_outage_extends_as_often_as_it_takes() {
        let end = parse_time("2026-01-01T00:00:00Z").unwrap();
        let now = parse_time("2026-12-01T00:00:00Z").unwrap();
        // Two steps: 2026-06-30 is still before now.
        assert_eq!(text(extended_end(end, now, 180)), "2026-12-27T00:00:00Z");
        assert_eq!(extended_end(end, end, 180) - end, TimeDelta::days(180));
    }
}
