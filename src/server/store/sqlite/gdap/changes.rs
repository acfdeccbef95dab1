//! What every change of a relationship leaves behind in its transaction: the customer's
//! `adminAccess` summary recomputed, an `adminRelationship.*` event of that customer, and an audit
//! record (in the store-neutral `gdap::clock`'s words).

use rusqlite::Transaction;

use super::summary;
use crate::server::store::gdap::clock::Change;
use crate::server::store::gdap::rules::RESOURCE_TYPE;
use crate::server::store::sqlite::customers;
use crate::server::store::sqlite::resources::{record_change, record_event};
use crate::server::store::{Principal, StoreResult};

/// Keeps the summary, the event log and the audit log in step with a change to one of
/// `customer_id`'s relationships.
pub(super) fn record(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    change: &Change<'_>,
) -> StoreResult<()> {
    let partner_id = &actor.partner_id;
    summary::refresh(tx, partner_id, customer_id)?;
    record_event(tx, partner_id, change.kind, customer_id)?;
    let customer = customers::get(tx, partner_id, customer_id)?.value;
    record_change(
        tx,
        actor,
        &customer,
        change.operation,
        RESOURCE_TYPE,
        &change.before,
        &change.after,
    )
}
