//! A customer's services, licenses and users; the audit log and the event log.

use rusqlite::{Connection, Transaction, params};

use super::now;
use crate::api::{Customer, EventKind, ProductSku, SubscribedSku, Subscription};
use crate::server::store::{Principal, StoreError, StoreResult, StoredEvent};

/// Sub-resources are only reachable through a customer of the caller's partner.
pub(super) fn ensure_customer(
    conn: &Connection,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<()> {
    let found: i64 = conn
        .prepare_cached("SELECT count(*) FROM customers WHERE partner_id = ?1 AND id = ?2")?
        .query_row(params![partner_id, customer_id], |r| r.get(0))?;
    if found == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(super) fn subscriptions(
    conn: &Connection,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<Vec<Subscription>> {
    ensure_customer(conn, partner_id, customer_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, offer_id, offer_name, friendly_name, quantity, unit_type, status, auto_renew_enabled, \
         billing_cycle, term_duration, creation_date, commitment_end_date \
         FROM subscriptions WHERE customer_id = ?1 ORDER BY friendly_name, id",
    )?;
    let rows = stmt.query_map(params![customer_id], |r| {
        Ok(Subscription {
            id: r.get(0)?,
            offer_id: r.get(1)?,
            offer_name: r.get(2)?,
            friendly_name: r.get(3)?,
            quantity: r.get(4)?,
            unit_type: r.get(5)?,
            status: r.get(6)?,
            auto_renew_enabled: r.get(7)?,
            billing_cycle: r.get(8)?,
            term_duration: r.get(9)?,
            creation_date: r.get(10)?,
            commitment_end_date: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A customer's licenses. Consumed units are the active users holding the SKU, counted from the
/// assignments themselves (`user_licenses`), so the count can never disagree with them.
const SUBSCRIBED_SKUS: &str = "SELECT s.sku_id, s.name, s.sku_part_number, s.status, s.active_units, \
    (SELECT count(*) FROM user_licenses l JOIN customer_users u ON u.id = l.user_id \
     WHERE l.customer_id = s.customer_id AND l.sku_id = s.sku_id AND u.state = 'active'), \
    s.suspended_units, s.warning_units \
    FROM subscribed_skus s WHERE s.customer_id = ?1 ORDER BY s.name, s.sku_id";

pub(super) fn subscribed_skus(
    conn: &Connection,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<Vec<SubscribedSku>> {
    ensure_customer(conn, partner_id, customer_id)?;
    let mut stmt = conn.prepare_cached(SUBSCRIBED_SKUS)?;
    let rows = stmt.query_map(params![customer_id], |r| {
        Ok(SubscribedSku {
            product_sku: ProductSku {
                id: r.get(0)?,
                name: r.get(1)?,
                sku_part_number: r.get(2)?,
            },
            status: r.get(3)?,
            active_units: r.get(4)?,
            consumed_units: r.get(5)?,
            suspended_units: r.get(6)?,
            warning_units: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn record_event(
    tx: &Transaction<'_>,
    partner_id: &str,
    kind: EventKind,
    customer_id: &str,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO events (partner_id, kind, customer_id, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![partner_id, kind.as_str(), customer_id, now()])?;
    Ok(())
}

/// An audit record in free text only (`details`). Kept for callers that have no before/after to
/// say; [`record_change`] is the fuller form.
pub(super) fn record_audit(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer: &Customer,
    operation: &str,
    details: &str,
) -> StoreResult<()> {
    insert_audit(
        tx,
        actor,
        (&customer.id, &customer.company_profile.company_name),
        AuditText {
            operation,
            // Not said by this form: a caller about a user or a license says so with
            // record_change.
            resource_type: "",
            before: "",
            after: "",
            details,
        },
    )
}

/// An audit record of a change to one of `customer`'s resources: `operation` a short camelCase
/// name (`endRelationship`), `resource_type` what changed (`customer`, `purchasePermission`),
/// `before` and `after` the changed fields in plain words (`relationshipToPartner reseller` →
/// `relationshipToPartner none`; `before` empty for something new).
pub(super) fn record_change(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer: &Customer,
    operation: &str,
    resource_type: &str,
    before: &str,
    after: &str,
) -> StoreResult<()> {
    insert_audit(
        tx,
        actor,
        (&customer.id, &customer.company_profile.company_name),
        AuditText {
            operation,
            resource_type,
            before,
            after,
            details: "",
        },
    )
}

/// [`record_change`] for a change to the partner's own things (its invitation link): the record
/// names no customer.
pub(super) fn record_partner_change(
    tx: &Transaction<'_>,
    actor: &Principal,
    operation: &str,
    resource_type: &str,
    before: &str,
    after: &str,
) -> StoreResult<()> {
    insert_audit(
        tx,
        actor,
        ("", ""),
        AuditText {
            operation,
            resource_type,
            before,
            after,
            details: "",
        },
    )
}

/// The words of one audit record.
struct AuditText<'a> {
    operation: &'a str,
    resource_type: &'a str,
    before: &'a str,
    after: &'a str,
    details: &'a str,
}

/// Writes one audit record; `customer` is (id, name), empty for none.
fn insert_audit(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer: (&str, &str),
    text: AuditText<'_>,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO audit_records (partner_id, agent_id, agent_name, customer_id, customer_name, \
         operation, resource_type, value_before, value_after, details, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        actor.partner_id,
        actor.agent_id,
        actor.agent_name,
        customer.0,
        customer.1,
        text.operation,
        text.resource_type,
        text.before,
        text.after,
        text.details,
        now()
    ])?;
    Ok(())
}

pub(super) fn events_after(
    conn: &Connection,
    partner_id: &str,
    after_id: i64,
    limit: u32,
) -> StoreResult<Vec<StoredEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, partner_id, kind, customer_id, created_at FROM events \
         WHERE partner_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![partner_id, after_id, limit], |r| {
        let kind: String = r.get(2)?;
        Ok(StoredEvent {
            id: r.get(0)?,
            partner_id: r.get(1)?,
            // A kind a newer binary wrote (on a shared database) reads as a customer change:
            // listeners reload the customer, which is always safe.
            kind: EventKind::from_name(&kind).unwrap_or(EventKind::CustomerUpdated),
            customer_id: r.get(3)?,
            created_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn latest_event_id(conn: &Connection, partner_id: &str) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM events WHERE partner_id = ?1")?
        .query_row(params![partner_id], |r| r.get(0))?)
}
