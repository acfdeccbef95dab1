//! Each customer's `adminAccess` summary (customers.admin_*), recomputed from its relationships
//! in the transaction that changed one, so the customers list reads it for free.

use rusqlite::{Transaction, params};

use crate::api::gdap::RelationshipStatus;
use crate::server::store::StoreResult;
// The seeding computes a summary without the rows in the database yet.
pub(crate) use crate::server::store::gdap::summary::best;

/// Recomputes one customer's summary.
pub(crate) fn refresh(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<()> {
    let mut read = tx.prepare_cached(
        "SELECT status, end_at, coalesce(locked_at, created_at) FROM admin_relationships \
         WHERE partner_id = ?1 AND customer_id = ?2",
    )?;
    let rows = read
        .query_map(params![partner_id, customer_id], |row| {
            let status: String = row.get(0)?;
            Ok((
                RelationshipStatus::parse(&status).unwrap_or(RelationshipStatus::Unknown),
                row.get::<_, Option<String>>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let (status, end, requested) = best(rows);
    tx.prepare_cached(
        "UPDATE customers SET admin_status = ?3, admin_end_at = ?4, admin_requested_at = ?5 \
         WHERE partner_id = ?1 AND id = ?2",
    )?
    .execute(params![
        partner_id,
        customer_id,
        status.as_str(),
        end,
        requested
    ])?;
    Ok(())
}
