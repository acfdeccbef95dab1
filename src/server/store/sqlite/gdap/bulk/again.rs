//! `requestAgain`: an expired (or soon expiring) relationship can't be revived, so the partner
//! sends a new one for the same customer with the same roles, sent for approval at once.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::server::store::gdap::bulk::Done;
use crate::server::store::gdap::bulk::again::{candidates, no_free_name, terms};
use crate::server::store::sqlite::gdap::relationships::{self, Loaded};
use crate::server::store::{Principal, StoreResult};

pub(super) fn request_again(
    tx: &Transaction<'_>,
    actor: &Principal,
    old: &Loaded,
    duration_days: Option<u32>,
    now: &str,
) -> StoreResult<Done> {
    let r = &old.stored.value;
    let Some(name) = free_name(tx, &actor.partner_id, &r.display_name)? else {
        return Ok(no_free_name());
    };
    let new = terms(r, name, duration_days);
    let made = relationships::insert_new(tx, actor, &new, now)?;
    let locked = relationships::lock(tx, actor, &made.stored.value.id, now)?;
    let code = locked.stored.approval_code.clone().unwrap_or_default();
    Ok(Done::Made(locked, code))
}

/// The first of `name`'s candidates no relationship of the partner has, in any case.
fn free_name(tx: &Transaction<'_>, partner_id: &str, name: &str) -> StoreResult<Option<String>> {
    let mut taken = tx.prepare_cached(
        "SELECT 1 FROM admin_relationships WHERE partner_id = ?1 AND name_key = ?2",
    )?;
    for candidate in candidates(name) {
        let held = taken
            .query_row(params![partner_id, candidate.to_lowercase()], |_| Ok(()))
            .optional()?;
        if held.is_none() {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}
