//! Removing a user (inactive, its licenses freed, restorable for 30 days) and restoring one.

use deadpool_postgres::Transaction;

use super::super::now;
use super::super::resources::{execute, record_change, record_event};
use super::{bump, get, license_names, manageable, restore_cutoff};
use crate::api::EventKind;
use crate::api::users::{RESTORE_DAYS, User};
use crate::server::store::{IfMatch, Principal, StoreError, StoreResult, Versioned};

pub(super) async fn remove(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    user_id: &str,
    if_match: &IfMatch,
) -> StoreResult<Versioned<User>> {
    let customer = manageable(tx, &actor.partner_id, customer_id).await?;
    let before = bump(tx, &actor.partner_id, customer_id, user_id, if_match)
        .await?
        .value;
    if before.is_removed() {
        return Err(StoreError::Conflict(format!(
            "{} was already removed",
            before.user_principal_name
        )));
    }
    execute(
        tx,
        "UPDATE customer_users SET state = 'inactive', removed_at = $2 WHERE id = $1",
        &[&user_id, &now()],
    )
    .await?;
    let freed = license_names(tx, customer_id, &before.assigned_licenses).await?;
    execute(
        tx,
        "DELETE FROM user_licenses WHERE customer_id = $1 AND user_id = $2",
        &[&customer_id, &user_id],
    )
    .await?;
    record_event(tx, &actor.partner_id, EventKind::UserDeleted, customer_id).await?;
    let upn = &before.user_principal_name;
    record_change(
        tx,
        actor,
        &customer,
        "removeUser",
        "user",
        &format!("userPrincipalName {upn}, state active, licenses {freed}"),
        &format!(
            "userPrincipalName {upn}, state removed (restorable for {RESTORE_DAYS} days), \
             licenses none"
        ),
    )
    .await?;
    get(tx, &actor.partner_id, customer_id, user_id).await
}

pub(super) async fn restore(
    tx: &Transaction<'_>,
    actor: &Principal,
    customer_id: &str,
    user_id: &str,
    if_match: &IfMatch,
) -> StoreResult<Versioned<User>> {
    let customer = manageable(tx, &actor.partner_id, customer_id).await?;
    let before = bump(tx, &actor.partner_id, customer_id, user_id, if_match)
        .await?
        .value;
    if !before.is_removed() {
        return Err(StoreError::Conflict(format!(
            "{} is active: only a removed user can be restored",
            before.user_principal_name
        )));
    }
    let removed_at = before.soft_deletion_time.clone().unwrap_or_default();
    if removed_at < restore_cutoff() {
        return Err(StoreError::Conflict(format!(
            "{} was removed on {}, more than {RESTORE_DAYS} days ago: it can no longer be restored \
             (add the user again instead)",
            before.user_principal_name,
            removed_at.get(..10).unwrap_or("an unknown day")
        )));
    }
    execute(
        tx,
        "UPDATE customer_users SET state = 'active', removed_at = NULL WHERE id = $1",
        &[&user_id],
    )
    .await?;
    record_event(tx, &actor.partner_id, EventKind::UserUpdated, customer_id).await?;
    let upn = &before.user_principal_name;
    record_change(
        tx,
        actor,
        &customer,
        "restoreUser",
        "user",
        &format!("userPrincipalName {upn}, state removed"),
        &format!("userPrincipalName {upn}, state active, licenses none"),
    )
    .await?;
    get(tx, &actor.partner_id, customer_id, user_id).await
}
