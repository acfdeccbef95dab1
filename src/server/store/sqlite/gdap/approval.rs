//! The customer's side: an approval code resolved for its page, and the answer.
//! (Stub: the approval-page helper fills this in.)

use rusqlite::{Connection, Transaction};

use crate::server::store::gdap::{Approval, ApprovalOutcome};
use crate::server::store::{StoreError, StoreResult};

fn not_built() -> StoreError {
    StoreError::Schema("admin relationships are not built yet".into())
}

pub(super) fn resolve(_c: &Connection, _code: &str, _now: &str) -> StoreResult<Approval> {
    Err(not_built())
}

pub(super) fn answer(
    _tx: &Transaction<'_>,
    _code: &str,
    _approve: bool,
    _now: &str,
) -> StoreResult<ApprovalOutcome> {
    Err(not_built())
}
