//! One action over many relationships in one transaction, a result per item in item order: what
//! the partner portal makes an admin team do 25 at a time. Each item is the same tx-level step
//! the single routes take (`relationships::{lock, terminate, set_auto_extend, insert_new}`,
//! `assignments::assign`), so the rules, events, audit records and summaries are theirs; an item
//! that can't go ahead is skipped or failed with its reason, and the others go ahead.

mod again;

use rusqlite::{Transaction, params};

use super::assignments;
use super::relationships::{self, Loaded};
use crate::api::gdap::{
    AUTO_EXTEND_DAYS, AccessContainer, AccessDetails, BulkAction, BulkItem, BulkRequest,
};
use crate::server::store::gdap::bulk::{
    Done, ItemResult, assign_split, assigned, auto_extend_off_skip, auto_extend_skip, check_action,
    group_to_check, not_found, outcome, stale,
};
use crate::server::store::{IfMatch, Principal, StoreError, StoreResult};

pub(super) fn apply(
    tx: &Transaction<'_>,
    actor: &Principal,
    request: &BulkRequest,
    now: &str,
) -> StoreResult<Vec<ItemResult>> {
    // What is wrong for every item is the request's fault: a 400 naming the field, nothing done.
    let group_known = match group_to_check(&request.action) {
        Some(group_id) => {
            let known: i64 = tx
                .prepare_cached(
                    "SELECT count(*) FROM security_groups WHERE partner_id = ?1 AND id = ?2",
                )?
                .query_row(params![actor.partner_id, group_id], |r| r.get(0))?;
            known > 0
        }
        None => true,
    };
    check_action(&request.action, group_known)?;
    request
        .items
        .iter()
        .map(|item| one(tx, actor, &request.action, item, now))
        .collect()
}

fn one(
    tx: &Transaction<'_>,
    actor: &Principal,
    action: &BulkAction,
    item: &BulkItem,
    now: &str,
) -> StoreResult<ItemResult> {
    let current = match relationships::load(tx, &actor.partner_id, &item.id) {
        Ok(current) => current,
        Err(StoreError::NotFound) => return Ok(not_found(item)),
        Err(other) => return Err(other),
    };
    if let Some(refused) = stale(item, &current) {
        return Ok(refused);
    }
    let done = match action {
        BulkAction::EnableAutoExtend => auto_extend(tx, actor, &current, now, true),
        BulkAction::DisableAutoExtend => auto_extend(tx, actor, &current, now, false),
        BulkAction::Terminate => relationships::terminate(tx, actor, &item.id, now).map(Done::Ok),
        BulkAction::RequestAgain { duration_days } => {
            again::request_again(tx, actor, &current, *duration_days, now)
        }
        BulkAction::AssignSecurityGroup {
            security_group_id,
            roles: chosen,
        } => assign(tx, actor, &current, security_group_id, chosen, now),
    };
    outcome(item, &current, done)
}

fn auto_extend(
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
    relationships::set_auto_extend(tx, actor, id, days, &IfMatch::Any, now).map(Done::Ok)
}

fn assign(
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
    assignments::assign(
        tx,
        actor,
        id,
        &AccessContainer::security_group(group_id),
        &AccessDetails::of(&given),
        now,
    )?;
    let changed = relationships::load(tx, &actor.partner_id, id)?;
    Ok(assigned(changed, &left_out))
}
