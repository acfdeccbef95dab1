//! The customer's side: an approval code resolved for its page, and the answer.
//!
//! The code stays on its row after the answer (and `answer` records which), so a used link can
//! say what became of it. A request nobody answered for 90 days is expired by the calendar, not by
//! the lifecycle sweep: the link reads as expired (and refuses an answer) even before the sweep
//! ran.

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::changes::{self, Change};
use crate::api::gdap::{
    APPROVAL_DAYS, AccessDetails, AdminRelationship, RelationshipCustomer, RelationshipStatus,
    UnifiedRole, days_to_iso,
};
use crate::api::{EventKind, Role};
use crate::server::store::gdap::{Approval, ApprovalOutcome, ApprovalState};
use crate::server::store::{Principal, StoreError, StoreResult};

const APPROVED: &str = "approved";
const DECLINED: &str = "declined";

const BY_CODE: &str = "SELECT r.id, r.display_name, r.duration_days, r.auto_extend_days, r.roles, \
    r.status, r.created_at, r.locked_at, r.activated_at, r.end_at, r.updated_at, \
    r.access_assignment_count, r.answer, r.partner_id, r.customer_id, p.name, c.tenant_id, \
    c.company_name \
    FROM admin_relationships r JOIN partners p ON p.id = r.partner_id \
    JOIN customers c ON c.id = r.customer_id \
    WHERE r.approval_code = ?1";

/// A code's row with what the page and the answer need beside the wire value.
struct Found {
    approval: Approval,
    customer_id: String,
    duration_days: i64,
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<(Found, Option<String>)> {
    let duration_days: i64 = row.get(2)?;
    let auto_extend_days: i64 = row.get(3)?;
    let roles: String = row.get(4)?;
    let status: String = row.get(5)?;
    // A malformed role list reads as none rather than failing the customer's page.
    let roles: Vec<String> = serde_json::from_str(&roles).unwrap_or_default();
    let relationship = AdminRelationship {
        etag: String::new(),
        id: row.get(0)?,
        display_name: row.get(1)?,
        duration: days_to_iso(u32::try_from(duration_days).unwrap_or(0)),
        auto_extend_duration: days_to_iso(u32::try_from(auto_extend_days).unwrap_or(0)),
        customer: RelationshipCustomer {
            tenant_id: row.get(16)?,
            display_name: row.get(17)?,
        },
        access_details: AccessDetails {
            unified_roles: roles.iter().map(|id| UnifiedRole::new(id)).collect(),
        },
        status: RelationshipStatus::parse(&status).unwrap_or(RelationshipStatus::Unknown),
        created_date_time: row.get(6)?,
        locked_date_time: row.get(7)?,
        activated_date_time: row.get(8)?,
        end_date_time: row.get(9)?,
        last_modified_date_time: row.get(10)?,
        approval_url: None,
        access_assignment_count: row.get::<_, i64>(11)?.try_into().unwrap_or(0),
    };
    let found = Found {
        approval: Approval {
            partner_id: row.get(13)?,
            partner_name: row.get(15)?,
            relationship,
            // Decided by `state` once the row is read.
            state: ApprovalState::Open,
        },
        customer_id: row.get(14)?,
        duration_days,
    };
    Ok((found, row.get(12)?))
}

fn parse_time(text: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Schema(format!("bad time {text:?}: {e}")))
}

fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// What the customer can still do with the link, as of `now`.
fn state(
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

fn find(c: &Connection, code: &str, now: &str) -> StoreResult<Found> {
    let (mut found, answer) = c
        .prepare_cached(BY_CODE)?
        .query_row(params![code], from_row)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    found.approval.state = state(
        &found.approval.relationship,
        answer.as_deref(),
        parse_time(now)?,
    )?;
    Ok(found)
}

pub(super) fn resolve(c: &Connection, code: &str, now: &str) -> StoreResult<Approval> {
    Ok(find(c, code, now)?.approval)
}

/// The audit log names the customer as the one who acted, as invitation acceptance does.
fn customer_as_agent(found: &Found) -> Principal {
    let customer = &found.approval.relationship.customer;
    Principal {
        partner_id: found.approval.partner_id.clone(),
        partner_name: found.approval.partner_name.clone(),
        cloud: String::new(),
        agent_id: found.customer_id.clone(),
        agent_name: format!(
            "{} (customer, via the admin approval link)",
            customer.display_name
        ),
        role: Role::HelpdeskAgent,
    }
}

pub(super) fn answer(
    tx: &Transaction<'_>,
    code: &str,
    approve: bool,
    now: &str,
) -> StoreResult<ApprovalOutcome> {
    // Read inside the write transaction: a second answer or a termination may have won.
    let found = find(tx, code, now)?;
    if found.approval.state != ApprovalState::Open {
        return Ok(ApprovalOutcome::Closed(found.approval.state));
    }
    let id = &found.approval.relationship.id;
    let change = if approve {
        let end = format_time(parse_time(now)? + TimeDelta::days(found.duration_days));
        tx.prepare_cached(
            "UPDATE admin_relationships SET status = 'active', activated_at = ?2, end_at = ?3, \
             updated_at = ?2, answer = 'approved', version = version + 1 WHERE id = ?1",
        )?
        .execute(params![id, now, end])?;
        Change {
            kind: EventKind::AdminRelationshipUpdated,
            operation: "approveAdminRelationship",
            before: format!("{id}: status approvalPending"),
            after: format!("{id}: status active, endDateTime {end} (approved by the customer)"),
        }
    } else {
        tx.prepare_cached(
            "UPDATE admin_relationships SET status = 'expired', updated_at = ?2, \
             answer = 'declined', version = version + 1 WHERE id = ?1",
        )?
        .execute(params![id, now])?;
        Change {
            kind: EventKind::AdminRelationshipUpdated,
            operation: "declineAdminRelationship",
            before: format!("{id}: status approvalPending"),
            after: format!("{id}: status expired (declined by the customer)"),
        }
    };
    changes::record(tx, &customer_as_agent(&found), &found.customer_id, &change)?;
    let now_row = find(tx, code, now)?.approval.relationship;
    Ok(if approve {
        ApprovalOutcome::Approved(now_row)
    } else {
        ApprovalOutcome::Declined(now_row)
    })
}

#[cfg(test)]
mod tests;
