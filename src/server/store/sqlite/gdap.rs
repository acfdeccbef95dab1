//! Admin relationships (GDAP) in SQLite: one file per concern, the `AdminStore` impl here only
//! picks the connection (reader or write transaction) and hands over.

mod approval;
mod assignments;
mod bulk;
mod changes;
mod lifecycle;
mod relationships;
pub(crate) mod summary;

use super::{SqliteStore, idempotency};
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

impl AdminStore for SqliteStore {
    fn security_groups(&self, partner_id: &str) -> StoreResult<Vec<SecurityGroup>> {
        self.read(|c| assignments::security_groups(c, partner_id))
    }

    fn admin_relationships(
        &self,
        partner_id: &str,
        query: &RelationshipQuery,
    ) -> StoreResult<RelationshipPage> {
        self.read(|c| relationships::list(c, partner_id, query))
    }

    fn admin_relationship(&self, partner_id: &str, id: &str) -> StoreResult<StoredRelationship> {
        self.read(|c| relationships::get(c, partner_id, id))
    }

    fn create_admin_relationship(
        &self,
        actor: &Principal,
        new: &CheckedRelationship,
        key: Option<&RequestKey>,
        respond: RespondRelationship<'_>,
        now: &str,
    ) -> StoreResult<Created<StoredRelationship>> {
        self.write(|tx| relationships::create(tx, actor, new, key, respond, now))
    }

    fn update_admin_relationship(
        &self,
        actor: &Principal,
        id: &str,
        patch: &AdminRelationshipPatch,
        if_match: &IfMatch,
        now: &str,
    ) -> StoreResult<StoredRelationship> {
        self.write(|tx| relationships::update(tx, actor, id, patch, if_match, now))
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
        self.write(|tx| relationships::request(tx, actor, id, action, key, respond, now))
    }

    fn access_assignments(
        &self,
        partner_id: &str,
        relationship_id: &str,
    ) -> StoreResult<Vec<Versioned<AccessAssignment>>> {
        self.read(|c| assignments::list(c, partner_id, relationship_id))
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
        self.write(|tx| assignments::create(tx, actor, relationship_id, new, key, respond, now))
    }

    fn bulk_admin_relationships(
        &self,
        actor: &Principal,
        request: &BulkRequest,
        now: &str,
    ) -> StoreResult<Vec<(BulkResult, Option<String>)>> {
        self.write(|tx| bulk::apply(tx, actor, request, now))
    }

    fn bulk_admin_relationships_once(
        &self,
        actor: &Principal,
        request: &BulkRequest,
        key: Option<&RequestKey>,
        respond: RespondBulk<'_>,
        now: &str,
    ) -> StoreResult<Created<BulkOutcomes>> {
        self.write(|tx| {
            if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key)? {
                return Ok(Created::Replayed(first));
            }
            let results = bulk::apply(tx, actor, request, now)?;
            idempotency::remember(tx, &actor.partner_id, key, &respond(&results))?;
            Ok(Created::New(results))
        })
    }

    fn approval(&self, code: &str, now: &str) -> StoreResult<Approval> {
        self.read(|c| approval::resolve(c, code, now))
    }

    fn answer_approval(
        &self,
        code: &str,
        approve: bool,
        now: &str,
    ) -> StoreResult<ApprovalOutcome> {
        self.write(|tx| approval::answer(tx, code, approve, now))
    }

    fn advance_admin_relationships(&self, now: &str) -> StoreResult<Vec<String>> {
        if !self.read(|c| lifecycle::anything_due(c, now))? {
            return Ok(Vec::new());
        }
        self.write(|tx| lifecycle::advance(tx, now))
    }
}
