//! What happens by the clock: approval links lapse, relationships expire or auto-extend, requested
//! terminations complete. The housekeeping loop calls [`advance`] every second, so a sweep with
//! nothing due must cost next to nothing: each query reads only one of migration 0009's partial
//! indexes (`INDEXED BY`, so a schema change that loses them fails loudly instead of scanning).

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::changes;
use crate::server::store::StoreResult;
#[cfg(test)]
use crate::server::store::gdap::clock::text;
use crate::server::store::gdap::clock::{
    ANY_TIME, at_end, lapsed, lapsed_before, parse_time, system, termination_done,
};

const DUE_PENDING: &str = "SELECT id, partner_id, customer_id FROM admin_relationships \
    INDEXED BY admin_relationships_due_pending \
    WHERE status = 'approvalPending' AND locked_at <= ?1 ORDER BY locked_at, id";
const DUE_ACTIVE: &str = "SELECT id, partner_id, customer_id, end_at, auto_extend_days \
    FROM admin_relationships INDEXED BY admin_relationships_due_active \
    WHERE status = 'active' AND end_at <= ?1 ORDER BY end_at, id";
const DUE_TERMINATION: &str = "SELECT id, partner_id, customer_id FROM admin_relationships \
    INDEXED BY admin_relationships_due_termination \
    WHERE status = 'terminationRequested' AND updated_at <= ?1 ORDER BY updated_at, id";

const SET_STATUS: &str = "UPDATE admin_relationships \
    SET status = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1";
const SET_END: &str = "UPDATE admin_relationships \
    SET end_at = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1";

/// Whether [`advance`] would change anything: read first, so the every-second sweep takes the
/// writer only when something is due (a write transaction would make requests wait for it).
pub(super) fn anything_due(conn: &Connection, now: &str) -> StoreResult<bool> {
    let lapsed_before = lapsed_before(parse_time(now)?);
    for (sql, bound) in [
        (DUE_PENDING, lapsed_before.as_str()),
        (DUE_ACTIVE, now),
        (DUE_TERMINATION, ANY_TIME),
    ] {
        let found = conn
            .prepare_cached(&format!("{sql} LIMIT 1"))?
            .query_row(params![bound], |_| Ok(()))
            .optional()?;
        if found.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A relationship that is due: (id, partner id, customer id).
type Due = (String, String, String);

pub(super) fn advance(tx: &Transaction<'_>, now: &str) -> StoreResult<Vec<String>> {
    let now_at = parse_time(now)?;
    let mut changed = Vec::new();

    for (id, partner, customer) in due(tx, DUE_PENDING, &lapsed_before(now_at))? {
        tx.prepare_cached(SET_STATUS)?
            .execute(params![id, "expired", now])?;
        changes::record(tx, &system(&partner), &customer, &lapsed(&id))?;
        changed.push(partner);
    }

    let ended: Vec<(Due, String, i64)> = tx
        .prepare_cached(DUE_ACTIVE)?
        .query_map(params![now], |r| {
            Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    for ((id, partner, customer), end, extend_days) in ended {
        let (new_end, change) = at_end(&id, &end, extend_days, now_at)?;
        match new_end {
            Some(new_end) => tx
                .prepare_cached(SET_END)?
                .execute(params![id, new_end, now])?,
            None => tx
                .prepare_cached(SET_STATUS)?
                .execute(params![id, "expired", now])?,
        };
        changes::record(tx, &system(&partner), &customer, &change)?;
        changed.push(partner);
    }

    for (id, partner, customer) in due(tx, DUE_TERMINATION, ANY_TIME)? {
        tx.prepare_cached(SET_STATUS)?
            .execute(params![id, "terminated", now])?;
        changes::record(tx, &system(&partner), &customer, &termination_done(&id))?;
        changed.push(partner);
    }

    changed.sort_unstable();
    changed.dedup();
    Ok(changed)
}

fn due(tx: &Transaction<'_>, sql: &str, bound: &str) -> StoreResult<Vec<Due>> {
    Ok(tx
        .prepare_cached(sql)?
        .query_map(params![bound], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests;
