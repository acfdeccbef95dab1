//! Changes to one customer under `If-Match`: ending or reinstating the relationship, and whether
//! the customer may buy its own products. Each real change bumps the customer's version (its
//! ETag, shared with its purchase permission), is recorded as an event and audited; a change to
//! what already holds leaves all three alone.

use deadpool_postgres::Transaction;

use super::super::now;
use super::super::resources::{execute, record_change, record_event, row};
use super::get;
use crate::api::{Customer, EventKind, Relationship};
use crate::server::store::sqlite::relationship_change;
use crate::server::store::{IfMatch, Principal, StoreError, StoreResult, Versioned};

/// The customer, if `if_match` admits its current version; else `Stale` (412).
async fn checked(
    tx: &Transaction<'_>,
    partner_id: &str,
    id: &str,
    if_match: &IfMatch,
) -> StoreResult<Versioned<Customer>> {
    let current = get(tx, partner_id, id).await?;
    if !if_match.admits(current.version) {
        return Err(StoreError::Stale {
            current: current.version,
        });
    }
    Ok(current)
}

/// Checks `if_match` against the stored version and bumps the version; the customer as it was.
pub(in crate::server::store::postgres) async fn bump_version(
    tx: &Transaction<'_>,
    partner_id: &str,
    id: &str,
    if_match: &IfMatch,
) -> StoreResult<Customer> {
    let current = checked(tx, partner_id, id, if_match).await?;
    execute(
        tx,
        "UPDATE customers SET version = version + 1, updated_at = $3 WHERE partner_id = $1 AND id = $2",
        &[&partner_id, &id, &now()],
    )
    .await?;
    Ok(current.value)
}

/// Ending also ends the partner's admin access (DESIGN.md §3); reinstating restores the
/// relationship only: admin access comes back through a customer-bound link or GDAP.
pub(in crate::server::store::postgres) async fn set_relationship(
    tx: &Transaction<'_>,
    actor: &Principal,
    id: &str,
    relationship: Relationship,
    if_match: &IfMatch,
) -> StoreResult<Versioned<Customer>> {
    if relationship == Relationship::Unknown {
        return Err(StoreError::Invalid {
            field: "relationshipToPartner".into(),
            message: "must be \"reseller\" or \"none\"".into(),
        });
    }
    let current = checked(tx, &actor.partner_id, id, if_match).await?;
    let before = &current.value;
    if before.relationship_to_partner == relationship {
        return Ok(current);
    }
    bump_version(tx, &actor.partner_id, id, &IfMatch::Any).await?;
    let operation = match relationship {
        Relationship::None => {
            execute(
                tx,
                "UPDATE customers SET relationship = 'none', allow_delegated_access = FALSE \
                 WHERE partner_id = $1 AND id = $2",
                &[&actor.partner_id, &id],
            )
            .await?;
            "endRelationship"
        }
        _ => {
            execute(
                tx,
                "UPDATE customers SET relationship = 'reseller' WHERE partner_id = $1 AND id = $2",
                &[&actor.partner_id, &id],
            )
            .await?;
            "reinstateRelationship"
        }
    };
    let after = get(tx, &actor.partner_id, id).await?;
    record_event(tx, &actor.partner_id, EventKind::CustomerUpdated, id).await?;
    // Only what changed, in plain words (as on SQLite).
    let (was, now) = relationship_change(before, &after.value);
    record_change(tx, actor, &after.value, operation, "customer", &was, &now).await?;
    Ok(after)
}

pub(in crate::server::store::postgres) async fn purchase_permission(
    tx: &Transaction<'_>,
    partner_id: &str,
    id: &str,
) -> StoreResult<Versioned<bool>> {
    row(
        tx,
        "SELECT allow_customer_purchase, version FROM customers WHERE partner_id = $1 AND id = $2",
        &[&partner_id, &id],
    )
    .await?
    .map(|r| Versioned {
        value: r.get(0),
        version: r.get(1),
    })
    .ok_or(StoreError::NotFound)
}

pub(in crate::server::store::postgres) async fn set_purchase_permission(
    tx: &Transaction<'_>,
    actor: &Principal,
    id: &str,
    allow: bool,
    if_match: &IfMatch,
) -> StoreResult<Versioned<bool>> {
    let current = purchase_permission(tx, &actor.partner_id, id).await?;
    if !if_match.admits(current.version) {
        return Err(StoreError::Stale {
            current: current.version,
        });
    }
    if current.value == allow {
        return Ok(current);
    }
    let customer = bump_version(tx, &actor.partner_id, id, &IfMatch::Any).await?;
    execute(
        tx,
        "UPDATE customers SET allow_customer_purchase = $3 WHERE partner_id = $1 AND id = $2",
        &[&actor.partner_id, &id, &allow],
    )
    .await?;
    record_event(
        tx,
        &actor.partner_id,
        EventKind::PurchasePermissionUpdated,
        id,
    )
    .await?;
    record_change(
        tx,
        actor,
        &customer,
        "updatePurchasePermission",
        "purchasePermission",
        &format!("allowCustomerPurchase {}", current.value),
        &format!("allowCustomerPurchase {allow}"),
    )
    .await?;
    purchase_permission(tx, &actor.partner_id, id).await
}
