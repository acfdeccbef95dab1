//! Changes to one customer under `If-Match`: ending or reinstating the relationship, and whether
//! the customer may buy its own products. Each real change bumps the customer's version (its
//! ETag, shared with its purchase permission), is recorded as an event and audited; a change to
//! what already holds leaves all three alone.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::super::audit::relationship_change;
use super::super::now;
use super::super::resources::{record_change, record_event};
use super::get;
use crate::api::{Customer, EventKind, Relationship};
use crate::server::store::{IfMatch, Principal, StoreError, StoreResult, Versioned};

/// The customer, if `if_match` admits its current version; else `Stale` (412).
fn checked(
    tx: &Transaction<'_>,
    partner_id: &str,
    id: &str,
    if_match: &IfMatch,
) -> StoreResult<Versioned<Customer>> {
    let current = get(tx, partner_id, id)?;
    if !if_match.admits(current.version) {
        return Err(StoreError::Stale {
            current: current.version,
        });
    }
    Ok(current)
}

/// Checks `if_match` against the stored version and bumps the version.
pub(in crate::server::store::sqlite) fn bump_version(
    tx: &Transaction<'_>,
    partner_id: &str,
    id: &str,
    if_match: &IfMatch,
) -> StoreResult<Customer> {
    let current = checked(tx, partner_id, id, if_match)?;
    tx.prepare_cached(
        "UPDATE customers SET version = version + 1, updated_at = ?3 WHERE partner_id = ?1 AND id = ?2",
    )?
    .execute(params![partner_id, id, now()])?;
    Ok(current.value)
}

/// Ending also ends the partner's admin access (DESIGN.md §3); reinstating restores the
/// relationship only: admin access comes back through a customer-bound link or GDAP.
pub(in crate::server::store::sqlite) fn set_relationship(
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
    let current = checked(tx, &actor.partner_id, id, if_match)?;
    let before = &current.value;
    if before.relationship_to_partner == relationship {
        return Ok(current);
    }
    bump_version(tx, &actor.partner_id, id, &IfMatch::Any)?;
    let operation = match relationship {
        Relationship::None => {
            tx.prepare_cached(
                "UPDATE customers SET relationship = 'none', allow_delegated_access = 0 \
                 WHERE partner_id = ?1 AND id = ?2",
            )?
            .execute(params![actor.partner_id, id])?;
            "endRelationship"
        }
        _ => {
            tx.prepare_cached(
                "UPDATE customers SET relationship = 'reseller' WHERE partner_id = ?1 AND id = ?2",
            )?
            .execute(params![actor.partner_id, id])?;
            "reinstateRelationship"
        }
    };
    let after = get(tx, &actor.partner_id, id)?;
    record_event(tx, &actor.partner_id, EventKind::CustomerUpdated, id)?;
    // In plain words, only what changed: "relationshipToPartner reseller, allowDelegatedAccess
    // true" → "relationshipToPartner none, allowDelegatedAccess false".
    let (was, now) = relationship_change(before, &after.value);
    record_change(tx, actor, &after.value, operation, "customer", &was, &now)?;
    Ok(after)
}

pub(in crate::server::store::sqlite) fn purchase_permission(
    conn: &Connection,
    partner_id: &str,
    id: &str,
) -> StoreResult<Versioned<bool>> {
    conn.prepare_cached(
        "SELECT allow_customer_purchase, version FROM customers WHERE partner_id = ?1 AND id = ?2",
    )?
    .query_row(params![partner_id, id], |r| {
        Ok(Versioned {
            value: r.get(0)?,
            version: r.get(1)?,
        })
    })
    .optional()?
    .ok_or(StoreError::NotFound)
}

pub(in crate::server::store::sqlite) fn set_purchase_permission(
    tx: &Transaction<'_>,
    actor: &Principal,
    id: &str,
    allow: bool,
    if_match: &IfMatch,
) -> StoreResult<Versioned<bool>> {
    let current = purchase_permission(tx, &actor.partner_id, id)?;
    if !if_match.admits(current.version) {
        return Err(StoreError::Stale {
            current: current.version,
        });
    }
    if current.value == allow {
        return Ok(current);
    }
    let customer = bump_version(tx, &actor.partner_id, id, &IfMatch::Any)?;
    tx.prepare_cached(
        "UPDATE customers SET allow_customer_purchase = ?3 WHERE partner_id = ?1 AND id = ?2",
    )?
    .execute(params![actor.partner_id, id, allow])?;
    record_event(
        tx,
        &actor.partner_id,
        EventKind::PurchasePermissionUpdated,
        id,
    )?;
    record_change(
        tx,
        actor,
        &customer,
        "updatePurchasePermission",
        "purchasePermission",
        &format!("allowCustomerPurchase {}", current.value),
        &format!("allowCustomerPurchase {allow}"),
    )?;
    purchase_permission(tx, &actor.partner_id, id)
}
