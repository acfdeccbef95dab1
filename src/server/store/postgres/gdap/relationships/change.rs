//! Changing a relationship: PATCH by the rules of its status, lock for approval, terminate. Each
//! is a tx-level step the bulk actions reuse; every status change refreshes the customer's
//! summary, and every change is an event and an audit record.

use deadpool_postgres::Transaction;

use super::{Loaded, ensure_name_free, load};
use crate::api::EventKind;
use crate::api::gdap::{AdminRelationshipPatch, RelationshipStatus, RequestAction, days_to_iso};
use crate::server::signing;
use crate::server::store::gdap::rules::{
    CODE_BYTES, RESOURCE_TYPE, check_lock, name_key, partner_action, roles_json, status_words,
    termination_next,
};
use crate::server::store::gdap::terms::{Terms, patched};
use crate::server::store::gdap::{RespondRelationship, StoredRelationship};
use crate::server::store::postgres::gdap::changes::{audit, customer};
use crate::server::store::postgres::gdap::summary;
use crate::server::store::postgres::idempotency;
use crate::server::store::postgres::resources::{execute, record_event};
use crate::server::store::{Created, IfMatch, Principal, RequestKey, StoreError, StoreResult};

pub(in crate::server::store::postgres::gdap) async fn update(
    tx: &Transaction<'_>,
    actor: &Principal,
    id: &str,
    patch: &AdminRelationshipPatch,
    if_match: &IfMatch,
    now: &str,
) -> StoreResult<StoredRelationship> {
    Ok(apply_patch(tx, actor, id, patch, if_match, now)
        .await?
        .stored)
}

/// Auto-extend on (`days` = 180) or off (0), by the PATCH rules: `Invalid` naming
/// `autoExtendDuration` while Global Administrator is among the roles.
pub(in crate::server::store::postgres::gdap) async fn set_auto_extend(
    tx: &Transaction<'_>,
    actor: &Principal,
    id: &str,
    days: u32,
    if_match: &IfMatch,
    now: &str,
) -> StoreResult<Loaded> {
    let patch = AdminRelationshipPatch {
        auto_extend_duration: Some(days_to_iso(days)),
        ..AdminRelationshipPatch::default()
    };
    apply_patch(tx, actor, id, &patch, if_match, now).await
}

async fn apply_patch(
    tx: &Transaction<'_>,
    actor: &Principal,
    id: &str,
    patch: &AdminRelationshipPatch,
    if_match: &IfMatch,
    now: &str,
) -> StoreResult<Loaded> {
    let partner_id = &actor.partner_id;
    let current = load(tx, partner_id, id).await?;
    if !if_match.admits(current.stored.version) {
        return Err(StoreError::Stale {
            current: current.stored.version,
        });
    }
    let before = Terms::of(&current.stored.value);
    let after = patched(&current.stored.value, patch)?;
    if after == before {
        return Ok(current);
    }
    if name_key(&after.display_name) != name_key(&before.display_name) {
        ensure_name_free(tx, partner_id, &after.display_name, Some(id)).await?;
    }
    // The version read above: a writer that changed it meanwhile (none can, under the write
    // lock) would leave this a no-op rather than a lost update.
    let changed = execute(
        tx,
        "UPDATE admin_relationships SET display_name = $3, name_key = $4, duration_days = $5, \
         auto_extend_days = $6, roles = $7, updated_at = $8, version = version + 1 \
         WHERE partner_id = $1 AND id = $2 AND version = $9",
        &[
            partner_id,
            &id,
            &after.display_name,
            &name_key(&after.display_name),
            &i64::from(after.duration_days),
            &i64::from(after.auto_extend_days),
            &roles_json(&after.role_ids),
            &now,
            &current.stored.version,
        ],
    )
    .await?;
    if changed == 0 {
        return Err(StoreError::Stale {
            current: load(tx, partner_id, id).await?.stored.version,
        });
    }
    record_event(
        tx,
        partner_id,
        EventKind::AdminRelationshipUpdated,
        &current.customer_id,
    )
    .await?;
    let customer = customer(tx, partner_id, &current.customer_id).await?;
    let (was, is) = after.differences(&before);
    let name = &current.stored.value.display_name;
    audit(
        tx,
        actor,
        &customer,
        "updateAdminRelationship",
        RESOURCE_TYPE,
        &format!("{name}: {was}"),
        &format!("{name}: {is}"),
    )
    .await?;
    load(tx, partner_id, id).await
}

/// `POST .../requests`: applies `action`, idempotent under `key` (a repeat answers the first
/// request again and changes nothing).
pub(in crate::server::store::postgres::gdap) async fn request(
    tx: &Transaction<'_>,
    actor: &Principal,
    id: &str,
    action: RequestAction,
    key: Option<&RequestKey>,
    respond: RespondRelationship<'_>,
    now: &str,
) -> StoreResult<Created<StoredRelationship>> {
    if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key).await? {
        return Ok(Created::Replayed(first));
    }
    let changed = match partner_action(action)? {
        RequestAction::LockForApproval => lock(tx, actor, id, now).await?,
        _ => terminate(tx, actor, id, now).await?,
    };
    idempotency::remember(tx, &actor.partner_id, key, &respond(&changed.stored)).await?;
    Ok(Created::New(changed.stored))
}

/// created → approvalPending, with a new approval code; the 90 days count from `now`.
pub(in crate::server::store::postgres::gdap) async fn lock(
    tx: &Transaction<'_>,
    actor: &Principal,
    id: &str,
    now: &str,
) -> StoreResult<Loaded> {
    let current = load(tx, &actor.partner_id, id).await?;
    check_lock(current.status())?;
    let code = signing::random_text(CODE_BYTES)?;
    set_status(
        tx,
        &current,
        "UPDATE admin_relationships SET status = 'approvalPending', locked_at = $3, \
         approval_code = $4, updated_at = $3, version = version + 1 \
         WHERE partner_id = $1 AND id = $2 AND status = $5",
        &[
            &actor.partner_id,
            &id,
            &now,
            &code,
            &current.status().as_str(),
        ],
    )
    .await?;
    status_changed(
        tx,
        actor,
        &current,
        RelationshipStatus::ApprovalPending,
        "lockAdminRelationship",
    )
    .await
}

/// active → terminationRequested (the lifecycle completes it); created or approvalPending →
/// terminated at once (an approval link then says the request was withdrawn).
pub(in crate::server::store::postgres::gdap) async fn terminate(
    tx: &Transaction<'_>,
    actor: &Principal,
    id: &str,
    now: &str,
) -> StoreResult<Loaded> {
    let current = load(tx, &actor.partner_id, id).await?;
    let next = termination_next(current.status())?;
    set_status(
        tx,
        &current,
        "UPDATE admin_relationships SET status = $3, updated_at = $4, version = version + 1 \
         WHERE partner_id = $1 AND id = $2 AND status = $5",
        &[
            &actor.partner_id,
            &id,
            &next.as_str(),
            &now,
            &current.status().as_str(),
        ],
    )
    .await?;
    status_changed(tx, actor, &current, next, "terminateAdminRelationship").await
}

/// Runs a status change guarded by the status `current` was read in (`$5`): one that moved
/// meanwhile is a conflict, never a second transition.
async fn set_status(
    tx: &Transaction<'_>,
    current: &Loaded,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> StoreResult<()> {
    match execute(tx, sql, params).await? {
        0 => Err(StoreError::Conflict(format!(
            "the relationship {} changed meanwhile: reload it",
            current.stored.value.id
        ))),
        _ => Ok(()),
    }
}

/// After a status change: the customer's summary, the event, the audit record; the row as now.
async fn status_changed(
    tx: &Transaction<'_>,
    actor: &Principal,
    before: &Loaded,
    status: RelationshipStatus,
    operation: &str,
) -> StoreResult<Loaded> {
    let partner_id = &actor.partner_id;
    summary::refresh(tx, partner_id, &before.customer_id).await?;
    record_event(
        tx,
        partner_id,
        EventKind::AdminRelationshipUpdated,
        &before.customer_id,
    )
    .await?;
    let customer = customer(tx, partner_id, &before.customer_id).await?;
    let (was, is) = status_words(&before.stored.value.display_name, before.status(), status);
    audit(tx, actor, &customer, operation, RESOURCE_TYPE, &was, &is).await?;
    load(tx, partner_id, &before.stored.value.id).await
}
