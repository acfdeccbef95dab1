//! What every change of a relationship leaves behind in its transaction: the customer's
//! `adminAccess` summary recomputed, an `adminRelationship.*` event of that customer, and an audit
//! record. Also the actor the audit log names when nobody acted: the server's clock.

use rusqlite::Transaction;

use super::summary;
use crate::api::{EventKind, Role};
use crate::server::store::sqlite::customers;
use crate::server::store::sqlite::resources::{record_change, record_event};
use crate::server::store::{Principal, StoreResult};

/// `resourceType` of audit records about relationships.
pub(super) const RESOURCE: &str = "AdminRelationship";

/// One change, in the audit log's words.
pub(super) struct Change<'a> {
    pub kind: EventKind,
    /// camelCase (`expireAdminRelationship`).
    pub operation: &'a str,
    pub before: String,
    pub after: String,
}

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
        RESOURCE,
        &change.before,
        &change.after,
    )
}

/// The lifecycle as the audit log names it: not an agent, so no agent id a person could have.
pub(super) fn system(partner_id: &str) -> Principal {
    Principal {
        partner_id: partner_id.to_string(),
        partner_name: String::new(),
        cloud: String::new(),
        agent_id: "system".to_string(),
        agent_name: "cspdash (system, by the calendar)".to_string(),
        // Never checked: the audit log records only the id and the name.
        role: Role::HelpdeskAgent,
    }
}
