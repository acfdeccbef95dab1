//! What happens by the clock on PostgreSQL: approval links lapse, relationships expire or
//! auto-extend, requested terminations complete. Every replica's housekeeping loop calls
//! [`advance`] every second, so a sweep with nothing due reads only the partial indexes
//! (admin_relationships_due_*) and takes no write lock.
//!
//! Two replicas may find the same row due at once. The write lock serialises their sweeps, and
//! each reads what is due inside its own write transaction, after the lock (under read
//! committed every statement sees the other's commit); every update is also conditional on the
//! state it read, and a change is recorded only when its update took. So a relationship is
//! extended (or expired) once, whichever replica gets there first.

use deadpool_postgres::Transaction;
use tokio_postgres::types::ToSql;

use super::changes;
use crate::server::store::StoreResult;
use crate::server::store::gdap::clock::{
    ANY_TIME, at_end, lapsed, lapsed_before, parse_time, system, termination_done,
};
use crate::server::store::postgres::resources::{execute, row, rows};

const DUE_PENDING: &str = "SELECT id, partner_id, customer_id, locked_at FROM admin_relationships \
    WHERE status = 'approvalPending' AND locked_at <= $1 ORDER BY locked_at, id";
const DUE_ACTIVE: &str = "SELECT id, partner_id, customer_id, end_at, auto_extend_days \
    FROM admin_relationships WHERE status = 'active' AND end_at <= $1 ORDER BY end_at, id";
const DUE_TERMINATION: &str = "SELECT id, partner_id, customer_id, updated_at \
    FROM admin_relationships \
    WHERE status = 'terminationRequested' AND updated_at <= $1 ORDER BY updated_at, id";

/// Each update names the status (and, for an end date, the end) it was due in: a row another
/// sweep changed first is left alone.
const EXPIRE_PENDING: &str = "UPDATE admin_relationships \
    SET status = 'expired', updated_at = $2, version = version + 1 \
    WHERE id = $1 AND status = 'approvalPending' AND locked_at = $3";
const EXPIRE_ACTIVE: &str = "UPDATE admin_relationships \
    SET status = 'expired', updated_at = $2, version = version + 1 \
    WHERE id = $1 AND status = 'active' AND end_at = $3";
const EXTEND: &str = "UPDATE admin_relationships \
    SET end_at = $4, updated_at = $2, version = version + 1 \
    WHERE id = $1 AND status = 'active' AND end_at = $3";
const COMPLETE_TERMINATION: &str = "UPDATE admin_relationships \
    SET status = 'terminated', updated_at = $2, version = version + 1 \
    WHERE id = $1 AND status = 'terminationRequested' AND updated_at = $3";

/// Whether [`advance`] would change anything: read first, so the every-second sweep takes the
/// write lock only when something is due (a write would make requests wait for it).
pub(super) async fn anything_due(tx: &Transaction<'_>, now: &str) -> StoreResult<bool> {
    let lapsed_before = lapsed_before(parse_time(now)?);
    for (sql, bound) in [
        (DUE_PENDING, lapsed_before.as_str()),
        (DUE_ACTIVE, now),
        (DUE_TERMINATION, ANY_TIME),
    ] {
        if row(tx, &format!("{sql} LIMIT 1"), &[&bound])
            .await?
            .is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(super) async fn advance(tx: &Transaction<'_>, now: &str) -> StoreResult<Vec<String>> {
    let now_at = parse_time(now)?;
    let mut changed = Vec::new();

    for r in rows(tx, DUE_PENDING, &[&lapsed_before(now_at)]).await? {
        let (id, partner, customer, locked): (String, String, String, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        if took(tx, EXPIRE_PENDING, &[&id, &now, &locked]).await? {
            changes::record(tx, &system(&partner), &customer, &lapsed(&id)).await?;
            changed.push(partner);
        }
    }

    for r in rows(tx, DUE_ACTIVE, &[&now]).await? {
        let (id, partner, customer, end, extend_days): (String, String, String, String, i64) =
            (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        let (new_end, change) = at_end(&id, &end, extend_days, now_at)?;
        let done = match &new_end {
            Some(new_end) => took(tx, EXTEND, &[&id, &now, &end, new_end]).await?,
            None => took(tx, EXPIRE_ACTIVE, &[&id, &now, &end]).await?,
        };
        if done {
            changes::record(tx, &system(&partner), &customer, &change).await?;
            changed.push(partner);
        }
    }

    for r in rows(tx, DUE_TERMINATION, &[&ANY_TIME]).await? {
        let (id, partner, customer, asked): (String, String, String, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        if took(tx, COMPLETE_TERMINATION, &[&id, &now, &asked]).await? {
            changes::record(tx, &system(&partner), &customer, &termination_done(&id)).await?;
            changed.push(partner);
        }
    }

    changed.sort_unstable();
    changed.dedup();
    Ok(changed)
}

/// Whether the conditional update changed its row.
async fn took(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> StoreResult<bool> {
    Ok(execute(tx, sql, params).await? == 1)
}

#[cfg(test)]
mod tests;
