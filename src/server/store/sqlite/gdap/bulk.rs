//! One action over many relationships in one transaction, a result per item.
//! (Stub: the bulk helper fills this in.)

use rusqlite::Transaction;

use crate::api::gdap::{BulkRequest, BulkResult};
use crate::server::store::{Principal, StoreError, StoreResult};

pub(super) fn apply(
    _tx: &Transaction<'_>,
    _actor: &Principal,
    _request: &BulkRequest,
    _now: &str,
) -> StoreResult<Vec<(BulkResult, Option<String>)>> {
    Err(StoreError::Schema(
        "admin relationships are not built yet".into(),
    ))
}
