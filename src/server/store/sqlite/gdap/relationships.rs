//! Relationship rows: read, list (keyset by end date), create, change, lock and terminate.
//! (Stub: the server helper fills this in.)

use rusqlite::{Connection, Transaction};

use crate::api::gdap::validate::CheckedRelationship;
use crate::api::gdap::{AdminRelationshipPatch, RequestAction};
use crate::server::store::gdap::{
    RelationshipPage, RelationshipQuery, RespondRelationship, StoredRelationship,
};
use crate::server::store::{Created, IfMatch, Principal, RequestKey, StoreError, StoreResult};

fn not_built() -> StoreError {
    StoreError::Schema("admin relationships are not built yet".into())
}

pub(super) fn list(
    _c: &Connection,
    _partner_id: &str,
    _query: &RelationshipQuery,
) -> StoreResult<RelationshipPage> {
    Err(not_built())
}

pub(crate) fn get(
    _c: &Connection,
    _partner_id: &str,
    _id: &str,
) -> StoreResult<StoredRelationship> {
    Err(not_built())
}

pub(super) fn create(
    _tx: &Transaction<'_>,
    _actor: &Principal,
    _new: &CheckedRelationship,
    _key: Option<&RequestKey>,
    _respond: RespondRelationship<'_>,
    _now: &str,
) -> StoreResult<Created<StoredRelationship>> {
    Err(not_built())
}

pub(super) fn update(
    _tx: &Transaction<'_>,
    _actor: &Principal,
    _id: &str,
    _patch: &AdminRelationshipPatch,
    _if_match: &IfMatch,
    _now: &str,
) -> StoreResult<StoredRelationship> {
    Err(not_built())
}

pub(super) fn request(
    _tx: &Transaction<'_>,
    _actor: &Principal,
    _id: &str,
    _action: RequestAction,
    _now: &str,
) -> StoreResult<StoredRelationship> {
    Err(not_built())
}
