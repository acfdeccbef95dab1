//! The part of the [`Store`](super::Store) that keeps admin relationships (GDAP), their access
//! assignments and the partner's security groups. Same rules as the rest: every method takes the
//! caller's partner (through `actor` for changes); another partner's relationship is `NotFound`.
//!
//! Time comes in as `now` (RFC 3339 UTC) from the server's [`Clock`](crate::server::clock::Clock),
//! never from the system clock, so tests can move it: expiry, auto-extend and the 90-day approval
//! limit are decided by it. Every change is audited and recorded as an `adminRelationship.*` event
//! of the relationship's customer, and keeps that customer's `adminAccess` summary in step.

// The rules both stores follow; each store only reads and writes its rows.
pub(crate) mod approval;
pub(crate) mod assign;
pub(crate) mod bulk;
pub(crate) mod clock;
pub(crate) mod rules;
pub(crate) mod summary;
pub(crate) mod terms;

use super::{Created, IfMatch, Principal, RequestKey, StoreResult, StoredResponse, Versioned};
use crate::api::gdap::validate::CheckedRelationship;
use crate::api::gdap::{
    AccessAssignment, AdminRelationship, AdminRelationshipPatch, BulkRequest, BulkResult,
    NewAccessAssignment, RelationshipStatus, RequestAction, SecurityGroup,
};

/// A relationship as stored: the wire value (without `@odata.etag` and `approvalUrl`, which the
/// HTTP layer adds), its version, and its approval code while the customer may still answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRelationship {
    pub value: AdminRelationship,
    pub version: i64,
    /// Set only while `approvalPending`.
    pub approval_code: Option<String>,
}

/// Where the previous page ended in the admin screen's order (end date, none last; then id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationshipCursor {
    /// `end_at`, or `9999` for a relationship without an end date.
    pub end_key: String,
    pub id: String,
}

/// Which relationships to list (`$filter` terms joined by `and`), by end date.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RelationshipQuery {
    pub size: u32,
    /// `status eq '...'`
    pub status: Option<RelationshipStatus>,
    /// `customer/tenantId eq '...'`
    pub tenant_id: Option<String>,
    /// `endDateTime le '...'` (RFC 3339): ending at or before.
    pub end_before: Option<String>,
    pub after: Option<RelationshipCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationshipPage {
    pub items: Vec<StoredRelationship>,
    /// Set when more rows follow.
    pub next: Option<RelationshipCursor>,
}

/// Renders the answer stored for an idempotent POST.
pub type RespondRelationship<'a> = &'a dyn Fn(&StoredRelationship) -> StoredResponse;
pub type RespondAssignment<'a> = &'a dyn Fn(&Versioned<AccessAssignment>) -> StoredResponse;
/// A bulk request's results in item order, each with the approval code of what it made.
pub type BulkOutcomes = Vec<(BulkResult, Option<String>)>;
pub type RespondBulk<'a> = &'a dyn Fn(&[(BulkResult, Option<String>)]) -> StoredResponse;

/// An approval link's code, resolved for the customer's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// Whose listeners an answer wakes.
    pub partner_id: String,
    pub partner_name: String,
    pub relationship: AdminRelationship,
    pub state: ApprovalState,
}

/// Whether the customer can still answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalState {
    Open,
    /// Answered: approved (the relationship is or was active).
    Approved,
    /// Answered: declined.
    Declined,
    /// Nobody answered within 90 days, or the relationship ran out.
    Expired,
    /// The partner terminated it before an answer.
    Withdrawn,
}

/// What an answer on the approval page did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApprovalOutcome {
    /// Now active.
    Approved(AdminRelationship),
    /// Now expired.
    Declined(AdminRelationship),
    /// The link was no longer open: nothing changed.
    Closed(ApprovalState),
}

pub trait AdminStore {
    /// The partner's security groups, by name.
    fn security_groups(&self, partner_id: &str) -> StoreResult<Vec<SecurityGroup>>;

    /// A page of the partner's relationships by end date (none last), then id.
    fn admin_relationships(
        &self,
        partner_id: &str,
        query: &RelationshipQuery,
    ) -> StoreResult<RelationshipPage>;
    fn admin_relationship(&self, partner_id: &str, id: &str) -> StoreResult<StoredRelationship>;

    /// Makes a relationship (`created`) for the customer whose tenant id the request names (one
    /// of the actor's partner's, else `Invalid` naming `customer.tenantId`). A name the partner
    /// already uses (any case) is `Taken` naming `displayName`. With a request key, a repeat
    /// returns the first answer and makes nothing. Audited, `adminRelationship.created`.
    fn create_admin_relationship(
        &self,
        actor: &Principal,
        new: &CheckedRelationship,
        key: Option<&RequestKey>,
        respond: RespondRelationship<'_>,
        now: &str,
    ) -> StoreResult<Created<StoredRelationship>>;

    /// Changes what `patch` names if `if_match` admits the current version: while `created`
    /// anything (checked as a new request is); while `active` only `autoExtendDuration`, or
    /// `accessDetails` that only remove Global Administrator; otherwise `Conflict`.
    fn update_admin_relationship(
        &self,
        actor: &Principal,
        id: &str,
        patch: &AdminRelationshipPatch,
        if_match: &IfMatch,
        now: &str,
    ) -> StoreResult<StoredRelationship>;

    /// `lockForApproval` (created → approvalPending, with a new approval code) or `terminate`
    /// (active → terminationRequested; the lifecycle then makes it terminated; approvalPending or
    /// created → terminated at once). Any other action, or one the status does not allow, is
    /// `Conflict`; `approve` (the customer's) is `Invalid` naming `action`. With a request key, a
    /// repeat returns the first answer and changes nothing (a retried lock is no conflict).
    fn request_admin_action(
        &self,
        actor: &Principal,
        id: &str,
        action: RequestAction,
        key: Option<&RequestKey>,
        respond: RespondRelationship<'_>,
        now: &str,
    ) -> StoreResult<Created<StoredRelationship>>;

    fn access_assignments(
        &self,
        partner_id: &str,
        relationship_id: &str,
    ) -> StoreResult<Vec<Versioned<AccessAssignment>>>;

    /// Gives roles of an active relationship to one of the partner's security groups. A group
    /// that is not the partner's is `Invalid` naming `accessContainer.accessContainerId`; a role
    /// the relationship does not grant, `Invalid` naming
    /// `accessDetails.unifiedRoles[N].roleDefinitionId`. A group that already has an assignment
    /// there gets the new roles added to it.
    fn create_access_assignment(
        &self,
        actor: &Principal,
        relationship_id: &str,
        new: &NewAccessAssignment,
        key: Option<&RequestKey>,
        respond: RespondAssignment<'_>,
        now: &str,
    ) -> StoreResult<Created<Versioned<AccessAssignment>>>;

    /// Applies one action to up to `MAX_BULK_ITEMS` relationships in one transaction: one result
    /// per item, in order; an item that can't (not found, Global Administrator for auto-extend,
    /// stale etag) is skipped or failed with its reason and the others go ahead. Beside each
    /// result: the approval code of the relationship it made (`requestAgain`), for its link.
    fn bulk_admin_relationships(
        &self,
        actor: &Principal,
        request: &BulkRequest,
        now: &str,
    ) -> StoreResult<Vec<(BulkResult, Option<String>)>>;

    /// [`bulk_admin_relationships`](AdminStore::bulk_admin_relationships) under an
    /// `MS-RequestId`: a repeat with `key` returns the first answer (`respond`'s) and changes
    /// nothing, in the same transaction as the changes.
    fn bulk_admin_relationships_once(
        &self,
        actor: &Principal,
        request: &BulkRequest,
        key: Option<&RequestKey>,
        respond: RespondBulk<'_>,
        now: &str,
    ) -> StoreResult<Created<BulkOutcomes>>;

    /// Resolves an approval code, whatever became of it; an unknown code is `NotFound`.
    fn approval(&self, code: &str, now: &str) -> StoreResult<Approval>;
    /// The customer's answer: approve (→ active, `activatedDateTime` now, `endDateTime` now +
    /// duration) or decline (→ expired). Audited with the customer as the agent.
    fn answer_approval(&self, code: &str, approve: bool, now: &str)
    -> StoreResult<ApprovalOutcome>;

    /// The lifecycle, as of `now`: approvalPending for 90 days → expired; active past its end →
    /// extended by its auto-extend, else expired; terminationRequested → terminated. Returns
    /// the partner ids that changed (their listeners are woken).
    fn advance_admin_relationships(&self, now: &str) -> StoreResult<Vec<String>>;
}
