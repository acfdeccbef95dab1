//! The approval page's answers, the same on both stores: what the customer can still do with a
//! link, who the audit log says acted, and the words of an answer.
//!
//! The code stays on its row after the answer (and the row records which), so a used link can say
//! what became of it. A request nobody answered for 90 days is expired by the calendar, not by
//! the lifecycle sweep: the link reads as expired (and refuses an answer) even before the sweep
//! ran.

use chrono::{DateTime, TimeDelta, Utc};

use super::clock::{Change, parse_time};
use crate::api::gdap::{APPROVAL_DAYS, AdminRelationship, RelationshipStatus};
use crate::api::{EventKind, Role};
use crate::server::store::gdap::ApprovalState;
use crate::server::store::{Principal, StoreResult};

/// The `answer` column's values.
pub(crate) const APPROVED: &str = "approved";
pub(crate) const DECLINED: &str = "declined";

/// What the customer can still do with the link, as of `now`.
pub(crate) fn state(
    relationship: &AdminRelationship,
    answer: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<ApprovalState> {
    match answer {
        Some(APPROVED) => return Ok(ApprovalState::Approved),
        Some(DECLINED) => return Ok(ApprovalState::Declined),
        _ => {}
    }
    Ok(match relationship.status {
        RelationshipStatus::ApprovalPending => {
            let locked = match &relationship.locked_date_time {
                Some(at) => parse_time(at)?,
                None => parse_time(&relationship.created_date_time)?,
            };
            if locked + TimeDelta::days(APPROVAL_DAYS) <= now {
                ApprovalState::Expired
            } else {
                ApprovalState::Open
            }
        }
        // Made active without this page (demo data, another tool): it was approved.
        RelationshipStatus::Active => ApprovalState::Approved,
        RelationshipStatus::Expired => ApprovalState::Expired,
        RelationshipStatus::Terminated | RelationshipStatus::TerminationRequested => {
            if relationship.activated_date_time.is_some() {
                ApprovalState::Approved
            } else {
                ApprovalState::Withdrawn
            }
        }
        // A code exists only once locked; anything else is a link nobody can answer.
        RelationshipStatus::Created | RelationshipStatus::Unknown => ApprovalState::Withdrawn,
    })
}

/// The audit log names the customer as the one who acted, as invitation acceptance does.
pub(crate) fn customer_as_agent(
    partner_id: &str,
    partner_name: &str,
    customer_id: &str,
    relationship: &AdminRelationship,
) -> Principal {
    Principal {
        partner_id: partner_id.to_string(),
        partner_name: partner_name.to_string(),
        cloud: String::new(),
        agent_id: customer_id.to_string(),
        agent_name: format!(
            "{} (customer, via the admin approval link)",
            relationship.customer.display_name
        ),
        role: Role::HelpdeskAgent,
    }
}

/// The end date of a relationship of `duration_days` approved at `now`.
pub(crate) fn end_if_approved(now: &str, duration_days: i64) -> StoreResult<String> {
    Ok(super::clock::text(
        parse_time(now)? + TimeDelta::days(duration_days),
    ))
}

/// The audit record of the customer's approval (active until `end`).
pub(crate) fn approved(id: &str, end: &str) -> Change<'static> {
    Change {
        kind: EventKind::AdminRelationshipUpdated,
        operation: "approveAdminRelationship",
        before: format!("{id}: status approvalPending"),
        after: format!("{id}: status active, endDateTime {end} (approved by the customer)"),
    }
}

/// The audit record of the customer's refusal.
pub(crate) fn declined(id: &str) -> Change<'static> {
    Change {
        kind: EventKind::AdminRelationshipUpdated,
        operation: "declineAdminRelationship",
        before: format!("{id}: status approvalPending"),
        after: format!("{id}: status expired (declined by the customer)"),
    }
}
