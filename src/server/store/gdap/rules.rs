//! The rules of a relationship's rows that do not depend on the database: how a row reads, which
//! names clash, which status may go where, and the refusals' words. Both stores use these, so a
//! client sees the same answer from either.

use crate::api::gdap::validate::DISPLAY_NAME;
use crate::api::gdap::{
    AccessDetails, AdminRelationship, RelationshipCustomer, RelationshipStatus, RequestAction,
    UnifiedRole, days_to_iso,
};
use crate::server::store::gdap::StoredRelationship;
use crate::server::store::{StoreError, StoreResult};

/// A customer with this many relationships gets no more: nothing a client sends grows the
/// database without bound (a partner re-requesting every 90 days for 30 years makes 120).
pub(crate) const MAX_RELATIONSHIPS_PER_CUSTOMER: i64 = 1000;

/// The admin screen's sort key of a relationship without an end date: after every date (the
/// indexes admin_relationships_by_end and _by_status_end sort by `coalesce(end_at, '9999')`).
pub(crate) const NO_END: &str = "9999";

/// The audit log's resource type of a relationship.
pub(crate) const RESOURCE_TYPE: &str = "AdminRelationship";

/// An approval code: 256 random bits, base64url (43 characters).
pub(crate) const CODE_BYTES: usize = 32;

/// A relationship with the id of its customer (whose summary and events a change touches).
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub stored: StoredRelationship,
    pub customer_id: String,
}

impl Loaded {
    pub fn status(&self) -> RelationshipStatus {
        self.stored.value.status
    }
}

/// A relationship row's columns as read (the stores' `COLUMNS`, in that order).
pub(crate) struct RawRelationship {
    pub id: String,
    pub display_name: String,
    pub duration_days: u32,
    pub auto_extend_days: u32,
    pub tenant_id: String,
    pub company_name: String,
    /// JSON array of role template ids.
    pub roles: String,
    pub status: String,
    pub created_at: String,
    pub activated_at: Option<String>,
    pub end_at: Option<String>,
    pub updated_at: String,
    pub locked_at: Option<String>,
    pub access_assignment_count: u32,
    pub version: i64,
    pub approval_code: Option<String>,
    pub customer_id: String,
}

impl RawRelationship {
    pub(crate) fn loaded(self) -> Loaded {
        // A row we wrote ourselves; unreadable roles degrade to none rather than failing the page.
        let role_ids: Vec<String> = serde_json::from_str(&self.roles).unwrap_or_default();
        let status = RelationshipStatus::parse(&self.status).unwrap_or(RelationshipStatus::Unknown);
        let value = AdminRelationship {
            etag: String::new(),
            id: self.id,
            display_name: self.display_name,
            duration: days_to_iso(self.duration_days),
            auto_extend_duration: days_to_iso(self.auto_extend_days),
            customer: RelationshipCustomer {
                tenant_id: self.tenant_id,
                display_name: self.company_name,
            },
            access_details: access(&role_ids),
            status,
            created_date_time: self.created_at,
            activated_date_time: self.activated_at,
            end_date_time: self.end_at,
            last_modified_date_time: self.updated_at,
            approval_url: None,
            locked_date_time: self.locked_at,
            access_assignment_count: self.access_assignment_count,
        };
        Loaded {
            stored: StoredRelationship {
                value,
                version: self.version,
                approval_code: self
                    .approval_code
                    .filter(|_| status == RelationshipStatus::ApprovalPending),
            },
            customer_id: self.customer_id,
        }
    }
}

/// Role ids as the wire's access details.
pub(crate) fn access(role_ids: &[String]) -> AccessDetails {
    AccessDetails {
        unified_roles: role_ids.iter().map(|id| UnifiedRole::new(id)).collect(),
    }
}

/// Role ids as stored (a JSON array).
pub(crate) fn roles_json(ids: &[String]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

/// Role ids a stored JSON array names; a malformed one reads as none.
pub(crate) fn roles_from_json(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// Case-insensitive uniqueness of names within a partner.
pub(crate) fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// The refusal of a name another of the partner's relationships holds (in any case).
pub(crate) fn name_taken(name: &str) -> StoreError {
    StoreError::Taken {
        field: DISPLAY_NAME,
        message: format!(
            "you already have an admin relationship named \"{name}\" (names are unique, \
             whatever their case): choose another name"
        ),
    }
}

/// The refusal of one more relationship for a customer that has `count`.
pub(crate) fn too_many(company_name: &str, count: i64) -> Option<StoreError> {
    (count >= MAX_RELATIONSHIPS_PER_CUSTOMER).then(|| {
        StoreError::Conflict(format!(
            "{company_name} already has {count} admin relationships, the most cspdash keeps for \
             one customer"
        ))
    })
}

/// The refusal of a tenant id none of the partner's customers has.
pub(crate) fn unknown_tenant(tenant_id: &str) -> StoreError {
    StoreError::Invalid {
        field: crate::api::gdap::validate::TENANT_ID.to_string(),
        message: format!("{tenant_id} is not the tenant id of one of your customers"),
    }
}

/// `POST .../requests`: a partner may lock or terminate; the customer approves on the page.
pub(crate) fn partner_action(action: RequestAction) -> StoreResult<RequestAction> {
    match action {
        RequestAction::LockForApproval | RequestAction::Terminate => Ok(action),
        RequestAction::Approve | RequestAction::Unknown => Err(StoreError::Invalid {
            field: "action".into(),
            message: "a partner may send lockForApproval or terminate (the customer approves on \
                      the approval page)"
                .into(),
        }),
    }
}

/// Only a relationship not sent yet can be locked for approval.
pub(crate) fn check_lock(status: RelationshipStatus) -> StoreResult<()> {
    match status {
        RelationshipStatus::Created => Ok(()),
        other => Err(StoreError::Conflict(format!(
            "only a relationship that was not sent yet can be locked for approval; this one is {}",
            other.as_str()
        ))),
    }
}

/// Where a termination takes a relationship: active → terminationRequested (the lifecycle
/// completes it); created or approvalPending → terminated at once (an approval link then says
/// the request was withdrawn).
pub(crate) fn termination_next(status: RelationshipStatus) -> StoreResult<RelationshipStatus> {
    match status {
        RelationshipStatus::Active => Ok(RelationshipStatus::TerminationRequested),
        RelationshipStatus::Created | RelationshipStatus::ApprovalPending => {
            Ok(RelationshipStatus::Terminated)
        }
        RelationshipStatus::TerminationRequested => Err(StoreError::Conflict(
            "the relationship is already being terminated".into(),
        )),
        other => Err(StoreError::Conflict(format!(
            "the relationship is {} already; an ended relationship can't be revived: \
             request a new one",
            other.as_str()
        ))),
    }
}

/// The audit record's (before, after) of a status change of relationship `name`.
pub(crate) fn status_words(
    name: &str,
    before: RelationshipStatus,
    after: RelationshipStatus,
) -> (String, String) {
    (
        format!("{name}: status {}", before.as_str()),
        format!("{name}: status {}", after.as_str()),
    )
}
