//! Access assignments (security group → granted roles) and the partner's security groups.
//! (Stub: the server helper fills this in.)

use rusqlite::{Connection, Transaction};

use crate::api::gdap::{AccessAssignment, NewAccessAssignment, SecurityGroup};
use crate::server::store::gdap::RespondAssignment;
use crate::server::store::{Created, Principal, RequestKey, StoreError, StoreResult, Versioned};

fn not_built() -> StoreError {
    StoreError::Schema("admin relationships are not built yet".into())
}

pub(super) fn security_groups(
    _c: &Connection,
    _partner_id: &str,
) -> StoreResult<Vec<SecurityGroup>> {
    Err(not_built())
}

pub(super) fn list(
    _c: &Connection,
    _partner_id: &str,
    _relationship_id: &str,
) -> StoreResult<Vec<Versioned<AccessAssignment>>> {
    Err(not_built())
}

pub(super) fn create(
    _tx: &Transaction<'_>,
    _actor: &Principal,
    _relationship_id: &str,
    _new: &NewAccessAssignment,
    _key: Option<&RequestKey>,
    _respond: RespondAssignment<'_>,
    _now: &str,
) -> StoreResult<Created<Versioned<AccessAssignment>>> {
    Err(not_built())
}
