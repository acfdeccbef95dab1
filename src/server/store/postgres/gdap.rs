//! Admin relationships (GDAP) on PostgreSQL: one file per concern, the `AdminStore` impl here
//! only picks the transaction (read-only, or a write under the write lock) and hands over. The
//! rules are the store-neutral `store::gdap`'s, shared with SQLite.

mod approval;
mod assignments;
mod bulk;
mod changes;
mod lifecycle;
mod relationships;
pub(crate) mod summary;

#[cfg(test)]
mod fixture;

use super::{PgStore, idempotency};
use crate::api::gdap::validate::CheckedRelationship;
use crate::api::gdap::{
    AccessAssignment, AdminRelationshipPatch, BulkRequest, BulkResult, NewAccessAssignment,
    RequestAction, SecurityGroup,
};
use crate::server::store::gdap::{
    AdminStore, Approval, ApprovalOutcome, BulkOutcomes, RelationshipPage, RelationshipQuery,
    RespondAssignment, RespondBulk, RespondRelationship, StoredRelationship,
};
use crate::server::store::{Created, IfMatch, Principal, RequestKey, StoreResult, Versioned};

impl AdminStore for PgStore {
    fn security_groups(&self, partner_id: &str) -> StoreResult<Vec<SecurityGroup>> {
        self.read(async |tx| assignments::security_groups(tx, partner_id).await)
    }

    fn admin_relationships(
        &self,
        partner_id: &str,
        query: &RelationshipQuery,
    ) -> StoreResult<RelationshipPage> {
        self.read(async |tx| relationships::list(tx, partner_id, query).await)
    }

    fn admin_relationship(&self, partner_id: &str, id: &str) -> StoreResult<StoredRelationship> {
        self.read(async |tx| relationships::get(tx, partner_id, id).await)
    }

    fn create_admin_relationship(
        &self,
        actor: &Principal,
        new: &CheckedRelationship,
        key: Option<&RequestKey>,
        respond: RespondRelationship<'_>,
        now: &str,
    ) -> StoreResult<Created<StoredRelationship>> {
        self.write(async |tx| relationships::create(tx, actor, new, key, respond, now).await)
    }

    fn update_admin_relationship(
        &self,
        actor: &Principal,
        id: &str,
        patch: &AdminRelationshipPatch,
        if_match: &IfMatch,
        now: &str,
    ) -> StoreResult<StoredRelationship> {
        self.write(async |tx| relationships::update(tx, actor, id, patch, if_match, now).await)
    }

    fn request_admin_action(
        &self,
        actor: &Principal,
        id: &str,
        action: RequestAction,
        key: Option<&RequestKey>,
        respond: RespondRelationship<'_>,
        now: &str,
    ) -> StoreResult<Created<StoredRelationship>> {
        self.write(async |tx| {
            relationships::request(tx, actor, id, action, key, respond, now).await
        })
    }

    fn access_assignments(
        &self,
        partner_id: &str,
        relationship_id: &str,
    ) -> StoreResult<Vec<Versioned<AccessAssignment>>> {
        self.read(async |tx| assignments::list(tx, partner_id, relationship_id).await)
    }

    fn create_access_assignment(
        &self,
        actor: &Principal,
        relationship_id: &str,
        new: &NewAccessAssignment,
        key: Option<&RequestKey>,
        respond: RespondAssignment<'_>,
        now: &str,
    ) -> StoreResult<Created<Versioned<AccessAssignment>>> {
        self.write(async |tx| {
            assignments::create(tx, actor, relationship_id, new, key, respond, now).await
        })
    }

    fn bulk_admin_relationships(
        &self,
        actor: &Principal,
        request: &BulkRequest,
        now: &str,
    ) -> StoreResult<Vec<(BulkResult, Option<String>)>> {
        self.write(async |tx| bulk::apply(tx, actor, request, now).await)
    }

    fn bulk_admin_relationships_once(
        &self,
        actor: &Principal,
        request: &BulkRequest,
        key: Option<&RequestKey>,
        respond: RespondBulk<'_>,
        now: &str,
    ) -> StoreResult<Created<BulkOutcomes>> {
        self.write(async |tx| {
            if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key).await? {
                return Ok(Created::Replayed(first));
            }
            let results = bulk::apply(tx, actor, request, now).await?;
            idempotency::remember(tx, &actor.partner_id, key, &respond(&results)).await?;
            Ok(Created::New(results))
        })
    }

    fn approval(&self, code: &str, now: &str) -> StoreResult<Approval> {
        self.read(async |tx| approval::resolve(tx, code, now).await)
    }

    fn answer_approval(
        &self,
        code: &str,
        approve: bool,
        now: &str,
    ) -> StoreResult<ApprovalOutcome> {
        self.write(async |tx| approval::answer(tx, code, approve, now).await)
    }

    fn advance_admin_relationships(&self, now: &str) -> StoreResult<Vec<String>> {
        // Every replica sweeps every second: only one with something due takes the write lock.
        if !self.read(async |tx| lifecycle::anything_due(tx, now).await)? {
            return Ok(Vec::new());
        }
        self.write(async |tx| lifecycle::advance(tx, now).await)
    }
}
