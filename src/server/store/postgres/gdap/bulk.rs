//! One action over many relationships in one transaction, a result per item in item order. Each
//! item is the same tx-level step the single routes take (`relationships::{lock, terminate,
//! set_auto_extend, insert_new}`, `assignments::give`), so the rules, events, audit records and
//! summaries are theirs; when an item is skipped and how a step reads as its result is the
//! store-neutral `gdap::bulk`'s.

mod again;

use deadpool_postgres::Transaction;

use super::assignments;
use super::relationships::{self, Loaded};
use crate::api::gdap::{
    AUTO_EXTEND_DAYS, AccessContainer, AccessDetails, BulkAction, BulkItem, BulkRequest,
};
use crate::server::store::gdap::bulk::{
    Done, ItemResult, assign_split, assigned, auto_extend_off_skip, auto_extend_skip, check_action,
    group_to_check, not_found, outcome, stale,
};
use crate::server::store::postgres::resources::row;
use crate::server::store::{IfMatch, Principal, StoreError, StoreResult};

pub(super) async fn apply(
    tx: &Transaction<'_>,
    actor: &Principal,
    request: &BulkRequest,
    now: &str,
) -> StoreResult<Vec<ItemResult>> {
    // What is wrong for every item is the request's fault: a 400 naming the field, nothing done.
    let group_known = match group_to_check(&request.action) {
        Some(group_id) => row(
            tx,
            "SELECT 1 FROM security_groups WHERE partner_id = $1 AND id = $2",
            &[&actor.partner_id, &group_id],
        )
        .await?
        .is_some(),
        None => true,
    };
    check_action(&request.action, group_known)?;
    let mut results = Vec::with_capacity(request.items.len());
    for item in &request.items {
        results.push(one(tx, actor, &request.action, item, now).await?);
    }
    Ok(results)
}

async fn one(
    tx: &Transaction<'_>,
    actor: &Principal,
    action: &BulkAction,
    item: &BulkItem,
    now: &str,
) -> StoreResult<ItemResult> {
    let current = match relationships::load(tx, &actor.partner_id, &item.id).await {
        Ok(current) => current,
        Err(StoreError::NotFound) => return Ok(not_found(item)),
        Err(other) => return Err(other),
    };
    if let Some(refused) = stale(item, &current) {
        return Ok(refused);
    }
    let done = match action {
        BulkAction::EnableAutoExtend => auto_extend(tx, actor, &current, now, true).await,
        BulkAction::DisableAutoExtend => auto_extend(tx, actor, &current, now, false).await,
        BulkAction::Terminate => relationships::terminate(tx, actor, &item.id, now)
            .await
            .map(Done::Ok),
        BulkAction::RequestAgain { duration_days } => {
            again::request_again(tx, actor, &current, *duration_days, now).await
        }
        BulkAction::AssignSecurityGroup {
            security_group_id,
            roles: chosen,
        } => assign(tx, actor, &current, security_group_id, chosen, now).await,
    };
    outcome(item, &current, done)
}

async fn auto_extend(
    tx: &Transaction<'_>,
    actor: &Principal,
    current: &Loaded,
    now: &str,
    on: bool,
) -> StoreResult<Done> {
    let skip = if on {
        auto_extend_skip(current)
    } else {
        auto_extend_off_skip(current)
    };
    if let Some(skipped) = skip {
        return Ok(skipped);
    }
    let id = &current.stored.value.id;
    let days = if on { AUTO_EXTEND_DAYS } else { 0 };
    relationships::set_auto_extend(tx, actor, id, days, &IfMatch::Any, now)
        .await
        .map(Done::Ok)
}

async fn assign(
    tx: &Transaction<'_>,
    actor: &Principal,
    current: &Loaded,
    group_id: &str,
    chosen: &[String],
    now: &str,
) -> StoreResult<Done> {
    let (given, left_out) = match assign_split(current, chosen) {
        Ok(split) => split,
        Err((status, why)) => return Ok(Done::Skipped(status, why)),
    };
    let id = &current.stored.value.id;
    assignments::give(
        tx,
        actor,
        id,
        &AccessContainer::security_group(group_id),
        &AccessDetails::of(&given),
        now,
    )
    .await?;
    let changed = relationships::load(tx, &actor.partner_id, id).await?;
    Ok(assigned(changed, &left_out))
}
