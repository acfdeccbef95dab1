//! What every change of a relationship leaves behind in its transaction: the customer's
//! `adminAccess` summary recomputed, an `adminRelationship.*` event of that customer, and an audit
//! record (in the store-neutral `gdap::clock`'s words).

use deadpool_postgres::Transaction;

use super::summary;
use crate::server::store::gdap::clock::Change;
use crate::server::store::gdap::rules::RESOURCE_TYPE;
use crate::server::store::postgres::resources::{AuditText, insert_audit, record_event, row};
use crate::server::store::{Principal, StoreError, StoreResult};

/// What an audit record names of a customer.
pub(super) struct CustomerRef {
    pub id: String,
    pub name: String,
}

/// The partner's customer `customer_id` (for its audit records).
pub(super) async fn customer(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<CustomerRef> {
    let found = row(
        tx,
        "SELECT id, company_name FROM customers WHERE partner_id = $1 AND id = $2",
        &[&partner_id, &customer_id],
    )
    .await?;
    found
        .map(|r| CustomerRef {
            id: r.get(0),
            name: r.get(1),
        })
        .ok_or(StoreError::NotFound)
}

/// An audit record of a change to one of `customer`'s relationships (as `record_change` writes
/// it for a whole customer).
pub(super) async fn audit(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer: &CustomerRef,
    operation: &str,
    resource_type: &str,
    before: &str,
    after: &str,
) -> StoreResult<()> {
    insert_audit(
        tx,
        actor,
        (&customer.id, &customer.name),
        AuditText {
            operation,
            resource_type,
            before,
            after,
            details: "",
        },
    )
    .await
}

/// Keeps the summary, the event log and the audit log in step with a change to one of
/// `customer_id`'s relationships.
pub(super) async fn record(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    change: &Change<'_>,
) -> StoreResult<()> {
    let partner_id = &actor.partner_id;
    summary::refresh(tx, partner_id, customer_id).await?;
    record_event(tx, partner_id, change.kind, customer_id).await?;
    let customer = customer(tx, partner_id, customer_id).await?;
    audit(
        tx,
        actor,
        &customer,
        change.operation,
        RESOURCE_TYPE,
        &change.before,
        &change.after,
    )
    .await
}
