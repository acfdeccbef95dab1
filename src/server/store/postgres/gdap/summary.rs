//! Each customer's `adminAccess` summary (customers.admin_status, admin_end_at,
//! admin_requested_at), recomputed from its relationships in the transaction that changed one,
//! so the customers list reads it for free. The precedence is the store-neutral `summary::best`.

use deadpool_postgres::Transaction;

use crate::api::gdap::RelationshipStatus;
use crate::server::store::StoreResult;
use crate::server::store::gdap::summary::best;
use crate::server::store::postgres::resources::{execute, rows};

/// Recomputes one customer's summary.
pub(crate) async fn refresh(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<()> {
    let found = rows(
        tx,
        "SELECT status, end_at, coalesce(locked_at, created_at) FROM admin_relationships \
         WHERE partner_id = $1 AND customer_id = $2",
        &[&partner_id, &customer_id],
    )
    .await?;
    let (status, end, requested) = best(found.iter().map(|r| {
        let status: &str = r.get(0);
        (
            RelationshipStatus::parse(status).unwrap_or(RelationshipStatus::Unknown),
            r.get::<_, Option<String>>(1),
            r.get::<_, String>(2),
        )
    }));
    execute(
        tx,
        "UPDATE customers SET admin_status = $3, admin_end_at = $4, admin_requested_at = $5 \
         WHERE partner_id = $1 AND id = $2",
        &[
            &partner_id,
            &customer_id,
            &status.as_str(),
            &end,
            &requested,
        ],
    )
    .await?;
    Ok(())
}
