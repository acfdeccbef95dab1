//! Admin relationships (GDAP) on PostgreSQL.
#![allow(unused_variables)] // TODO(pg): stubs until ported

use super::PgStore;
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
        unimplemented!("postgres: gdap::security_groups")
    }

    fn admin_relationships(
        &self,
        partner_id: &str,
        query: &RelationshipQuery,
    ) -> StoreResult<RelationshipPage> {
        unimplemented!("postgres: gdap::admin_relationships")
    }

    fn admin_relationship(&self, partner_id: &str, id: &str) -> StoreResult<StoredRelationship> {
        unimplemented!("postgres: gdap::admin_relationship")
    }

    fn create_admin_relationship(
        &self,
        actor: &Principal,
        new: &CheckedRelationship,
        key: Option<&RequestKey>,
        respond: RespondRelationship<'_>,
        now: &str,
    ) -> StoreResult<Created<StoredRelationship>> {
        unimplemented!("postgres: gdap::create_admin_relationship")
    }

    fn update_admin_relationship(
        &self,
        actor: &Principal,
        id: &str,
        patch: &AdminRelationshipPatch,
        if_match: &IfMatch,
        now: &str,
    ) -> StoreResult<StoredRelationship> {
        unimplemented!("postgres: gdap::update_admin_relationship")
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
        unimplemented!("postgres: gdap::request_admin_action")
    }

    fn access_assignments(
        &self,
        partner_id: &str,
        relationship_id: &str,
    ) -> StoreResult<Vec<Versioned<AccessAssignment>>> {
        unimplemented!("postgres: gdap::access_assignments")
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
        unimplemented!("postgres: gdap::create_access_assignment")
    }

    fn bulk_admin_relationships(
        &self,
        actor: &Principal,
        request: &BulkRequest,
        now: &str,
    ) -> StoreResult<Vec<(BulkResult, Option<String>)>> {
        unimplemented!("postgres: gdap::bulk_admin_relationships")
    }

    fn bulk_admin_relationships_once(
        &self,
        actor: &Principal,
        request: &BulkRequest,
        key: Option<&RequestKey>,
        respond: RespondBulk<'_>,
        now: &str,
    ) -> StoreResult<Created<BulkOutcomes>> {
        unimplemented!("postgres: gdap::bulk_admin_relationships_once")
    }

    fn approval(&self, code: &str, now: &str) -> StoreResult<Approval> {
        unimplemented!("postgres: gdap::approval")
    }

    fn answer_approval(
        &self,
        code: &str,
        approve: bool,
        now: &str,
    ) -> StoreResult<ApprovalOutcome> {
        unimplemented!("postgres: gdap::answer_approval")
    }

    fn advance_admin_relationships(&self, now: &str) -> StoreResult<Vec<String>> {
        unimplemented!("postgres: gdap::advance_admin_relationships")
    }
}
