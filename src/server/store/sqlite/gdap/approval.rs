//! The customer's side: an approval code resolved for its page, and the answer (the rules are
//! the store-neutral `gdap::approval`'s).

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::changes;
use crate::api::gdap::{
    AccessDetails, AdminRelationship, RelationshipCustomer, RelationshipStatus, UnifiedRole,
    days_to_iso,
};
use crate::server::store::gdap::approval::{
    self as rules, APPROVED, DECLINED, customer_as_agent, end_if_approved, state,
};
use crate::server::store::gdap::clock::parse_time;
use crate::server::store::gdap::{Approval, ApprovalOutcome, ApprovalState};
use crate::server::store::{StoreError, StoreResult};

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
        let end = end_if_approved(now, found.duration_days)?;
        tx.prepare_cached(
            "UPDATE admin_relationships SET status = 'active', activated_at = ?2, end_at = ?3, \
             updated_at = ?2, answer = ?4, version = version + 1 WHERE id = ?1",
        )?
        .execute(params![id, now, end, APPROVED])?;
        rules::approved(id, &end)
    } else {
        tx.prepare_cached(
            "UPDATE admin_relationships SET status = 'expired', updated_at = ?2, \
             answer = ?3, version = version + 1 WHERE id = ?1",
        )?
        .execute(params![id, now, DECLINED])?;
        rules::declined(id)
    };
    let approval = &found.approval;
    let customer = customer_as_agent(
        &approval.partner_id,
        &approval.partner_name,
        &found.customer_id,
        &approval.relationship,
    );
    changes::record(tx, &customer, &found.customer_id, &change)?;
    let now_row = find(tx, code, now)?.approval.relationship;
    Ok(if approve {
        ApprovalOutcome::Approved(now_row)
    } else {
        ApprovalOutcome::Declined(now_row)
    })
}
