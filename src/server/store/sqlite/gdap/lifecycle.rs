//! What happens by the clock: approval links lapse, relationships expire or auto-extend, requested
//! terminations complete. (Stub: the server helper fills this in.)

use rusqlite::Transaction;

use crate::server::store::StoreResult;

pub(super) fn advance(_tx: &Transaction<'_>, _now: &str) -> StoreResult<Vec<String>> {
    Ok(Vec::new())
}
