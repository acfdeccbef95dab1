//! What happens by the clock: approval links lapse, relationships expire or auto-extend, requested
//! terminations complete. The housekeeping loop calls [`advance`] every second, so a sweep with
//! nothing due must cost next to nothing: each query reads only one of migration 0009's partial
//! indexes (`INDEXED BY`, so a schema change that loses them fails loudly instead of scanning).

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::changes::{self, Change};
use crate::api::EventKind;
use crate::api::gdap::APPROVAL_DAYS;
use crate::server::store::{StoreError, StoreResult};

const DUE_PENDING: &str = "SELECT id, partner_id, customer_id FROM admin_relationships \
    INDEXED BY admin_relationships_due_pending \
    WHERE status = 'approvalPending' AND locked_at <= ?1 ORDER BY locked_at, id";
const DUE_ACTIVE: &str = "SELECT id, partner_id, customer_id, end_at, auto_extend_days \
    FROM admin_relationships INDEXED BY admin_relationships_due_active \
    WHERE status = 'active' AND end_at <= ?1 ORDER BY end_at, id";
const DUE_TERMINATION: &str = "SELECT id, partner_id, customer_id FROM admin_relationships \
    INDEXED BY admin_relationships_due_termination \
    WHERE status = 'terminationRequested' AND updated_at <= ?1 ORDER BY updated_at, id";
/// Every requested termination completes on the next tick, whenever it was asked for.
const ANY_TIME: &str = "9999";

const SET_STATUS: &str = "UPDATE admin_relationships \
    SET status = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1";
const SET_END: &str = "UPDATE admin_relationships \
    SET end_at = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1";

/// Whether [`advance`] would change anything: read first, so the every-second sweep takes the
/// writer only when something is due (a write transaction would make requests wait for it).
pub(super) fn anything_due(conn: &Connection, now: &str) -> StoreResult<bool> {
    let lapsed_before = text(parse_time(now)? - TimeDelta::days(APPROVAL_DAYS));
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

    let lapsed_before = text(now_at - TimeDelta::days(APPROVAL_DAYS));
    for (id, partner, customer) in due(tx, DUE_PENDING, &lapsed_before)? {
        tx.prepare_cached(SET_STATUS)?
            .execute(params![id, "expired", now])?;
        let change = Change {
            kind: EventKind::AdminRelationshipUpdated,
            operation: "expireAdminRelationship",
            before: format!("{id}: status approvalPending"),
            after: format!("{id}: status expired (no answer within {APPROVAL_DAYS} days)"),
        };
        changes::record(tx, &changes::system(&partner), &customer, &change)?;
        changed.push(partner);
    }

    let ended: Vec<(Due, String, i64)> = tx
        .prepare_cached(DUE_ACTIVE)?
        .query_map(params![now], |r| {
            Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    for ((id, partner, customer), end, extend_days) in ended {
        let change = if extend_days > 0 {
            let new_end = text(extended_end(parse_time(&end)?, now_at, extend_days));
            tx.prepare_cached(SET_END)?
                .execute(params![id, new_end, now])?;
            Change {
                kind: EventKind::AdminRelationshipUpdated,
                operation: "extendAdminRelationship",
                before: format!("{id}: endDateTime {end}"),
                after: format!("{id}: endDateTime {new_end} (auto-extended)"),
            }
        } else {
            tx.prepare_cached(SET_STATUS)?
                .execute(params![id, "expired", now])?;
            Change {
                kind: EventKind::AdminRelationshipUpdated,
                operation: "expireAdminRelationship",
                before: format!("{id}: status active, endDateTime {end}"),
                after: format!("{id}: status expired"),
            }
        };
        changes::record(tx, &changes::system(&partner), &customer, &change)?;
        changed.push(partner);
    }

    for (id, partner, customer) in due(tx, DUE_TERMINATION, ANY_TIME)? {
        tx.prepare_cached(SET_STATUS)?
            .execute(params![id, "terminated", now])?;
        let change = Change {
            kind: EventKind::AdminRelationshipUpdated,
            operation: "terminateAdminRelationship",
            before: format!("{id}: status terminationRequested"),
            after: format!("{id}: status terminated"),
        };
        changes::record(tx, &changes::system(&partner), &customer, &change)?;
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

/// `end` moved on by `extend_days` as often as it takes to lie after `now` (a server that was
/// down for a year catches up in one step, as the relationship would have been extended twice).
pub(crate) fn extended_end(
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    extend_days: i64,
) -> DateTime<Utc> {
    let step = TimeDelta::days(extend_days.max(1));
    let mut end = end;
    while end <= now {
        end += step;
    }
    end
}

pub(crate) fn parse_time(text: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Schema(format!("not an RFC 3339 time: {text:?} ({e})")))
}

/// As stored and sent: RFC 3339 UTC with seconds.
pub(crate) fn text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests;
