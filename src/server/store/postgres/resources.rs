//! A customer's services and licenses; writing audit records and events (every module's changes
//! go through these); reading the event log.

use deadpool_postgres::Transaction;
use tokio_postgres::types::ToSql;

use super::now;
use crate::api::{Customer, EventKind, ProductSku, SubscribedSku, Subscription};
use crate::server::store::{Principal, StoreError, StoreResult, StoredEvent};

/// Runs `sql` (prepared once per connection) and returns its rows.
pub(super) async fn rows(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> StoreResult<Vec<tokio_postgres::Row>> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.query(&statement, params).await?)
}

/// The row `sql` returns, if any (more than one is a bug in the query).
pub(super) async fn row(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> StoreResult<Option<tokio_postgres::Row>> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.query_opt(&statement, params).await?)
}

/// Runs `sql` (prepared once per connection); how many rows it changed.
pub(super) async fn execute(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> StoreResult<u64> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.execute(&statement, params).await?)
}

/// Sub-resources are only reachable through a customer of the caller's partner.
pub(super) async fn ensure_customer(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<()> {
    let found = row(
        tx,
        "SELECT 1 FROM customers WHERE partner_id = $1 AND id = $2",
        &[&partner_id, &customer_id],
    )
    .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound),
    }
}

pub(super) async fn subscriptions(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<Vec<Subscription>> {
    ensure_customer(tx, partner_id, customer_id).await?;
    let found = rows(
        tx,
        "SELECT id, offer_id, offer_name, friendly_name, quantity, unit_type, status, \
         auto_renew_enabled, billing_cycle, term_duration, creation_date, commitment_end_date \
         FROM subscriptions WHERE customer_id = $1 ORDER BY friendly_name, id",
        &[&customer_id],
    )
    .await?;
    Ok(found
        .iter()
        .map(|r| Subscription {
            id: r.get(0),
            offer_id: r.get(1),
            offer_name: r.get(2),
            friendly_name: r.get(3),
            quantity: r.get(4),
            unit_type: r.get(5),
            status: r.get(6),
            auto_renew_enabled: r.get(7),
            billing_cycle: r.get(8),
            term_duration: r.get(9),
            creation_date: r.get(10),
            commitment_end_date: r.get(11),
        })
        .collect())
}

/// A customer's licenses. Consumed units are the active users holding the SKU, counted from the
/// assignments themselves, so the count can never disagree with them.
const SUBSCRIBED_SKUS: &str = "SELECT s.sku_id, s.name, s.sku_part_number, s.status, s.active_units, \
    (SELECT count(*) FROM user_licenses l JOIN customer_users u ON u.id = l.user_id \
     WHERE l.customer_id = s.customer_id AND l.sku_id = s.sku_id AND u.state = 'active'), \
    s.suspended_units, s.warning_units \
    FROM subscribed_skus s WHERE s.customer_id = $1 ORDER BY s.name, s.sku_id";

pub(super) async fn subscribed_skus(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
) -> StoreResult<Vec<SubscribedSku>> {
    ensure_customer(tx, partner_id, customer_id).await?;
    let found = rows(tx, SUBSCRIBED_SKUS, &[&customer_id]).await?;
    Ok(found
        .iter()
        .map(|r| SubscribedSku {
            product_sku: ProductSku {
                id: r.get(0),
                name: r.get(1),
                sku_part_number: r.get(2),
            },
            status: r.get(3),
            active_units: r.get(4),
            consumed_units: r.get(5),
            suspended_units: r.get(6),
            warning_units: r.get(7),
        })
        .collect())
}

/// Records an event; a trigger NOTIFYs every replica when the transaction commits.
pub(super) async fn record_event(
    tx: &Transaction<'_>,
    partner_id: &str,
    kind: EventKind,
    customer_id: &str,
) -> StoreResult<()> {
    execute(
        tx,
        "INSERT INTO events (partner_id, kind, customer_id, created_at) VALUES ($1, $2, $3, $4)",
        &[&partner_id, &kind.as_str(), &customer_id, &now()],
    )
    .await?;
    Ok(())
}

/// An audit record in free text only (`details`); [`record_change`] is the fuller form.
pub(super) async fn record_audit(
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
            resource_type: "",
            before: "",
            after: "",
            details,
        },
    )
    .await
}

/// An audit record of a change to one of `customer`'s resources (see the SQLite store's
/// `record_change` for the words).
pub(super) async fn record_change(
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
    .await
}

/// [`record_change`] for a change to the partner's own things: the record names no customer.
pub(super) async fn record_partner_change(
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
    .await
}

/// The words of one audit record.
pub(super) struct AuditText<'a> {
    pub operation: &'a str,
    pub resource_type: &'a str,
    pub before: &'a str,
    pub after: &'a str,
    pub details: &'a str,
}

/// Writes one audit record; `customer` is (id, name), empty for none.
pub(super) async fn insert_audit(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer: (&str, &str),
    text: AuditText<'_>,
) -> StoreResult<()> {
    execute(
        tx,
        "INSERT INTO audit_records (partner_id, agent_id, agent_name, customer_id, customer_name, \
         operation, resource_type, value_before, value_after, details, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            &actor.partner_id,
            &actor.agent_id,
            &actor.agent_name,
            &customer.0,
            &customer.1,
            &text.operation,
            &text.resource_type,
            &text.before,
            &text.after,
            &text.details,
            &now(),
        ],
    )
    .await?;
    Ok(())
}

pub(super) async fn events_after(
    tx: &Transaction<'_>,
    partner_id: &str,
    after_id: i64,
    limit: u32,
) -> StoreResult<Vec<StoredEvent>> {
    let found = rows(
        tx,
        "SELECT id, partner_id, kind, customer_id, created_at FROM events \
         WHERE partner_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        &[&partner_id, &after_id, &i64::from(limit)],
    )
    .await?;
    Ok(found
        .iter()
        .map(|r| {
            let kind: &str = r.get(2);
            StoredEvent {
                id: r.get(0),
                partner_id: r.get(1),
                // A kind a newer replica wrote reads as a customer change: listeners reload the
                // customer, which is always safe.
                kind: EventKind::from_name(kind).unwrap_or(EventKind::CustomerUpdated),
                customer_id: r.get(3),
                created_at: r.get(4),
            }
        })
        .collect())
}

pub(super) async fn latest_event_id(tx: &Transaction<'_>, partner_id: &str) -> StoreResult<i64> {
    let found = row(
        tx,
        "SELECT coalesce(max(id), 0)::BIGINT FROM events WHERE partner_id = $1",
        &[&partner_id],
    )
    .await?;
    Ok(found.map(|r| r.get(0)).unwrap_or(0))
}
