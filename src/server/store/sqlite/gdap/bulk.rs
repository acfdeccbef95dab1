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
    AUTO_EXTEND_DAYS, AccessContainer, AccessDetails, AdminRelationship, BulkAction, BulkItem,
    BulkOutcome, BulkRequest, BulkResult, MAX_DURATION_DAYS, RelationshipStatus, roles,
};
use crate::server::store::{IfMatch, Principal, StoreError, StoreResult};

/// One item's result and, for `requestAgain`, the approval code of the relationship it made.
type ItemResult = (BulkResult, Option<String>);

pub(super) fn apply(
    tx: &Transaction<'_>,
    actor: &Principal,
    request: &BulkRequest,
    now: &str,
) -> StoreResult<Vec<ItemResult>> {
    // What is wrong for every item is the request's fault: a 400 naming the field, nothing done.
    check_action(tx, actor, &request.action)?;
    request
        .items
        .iter()
        .map(|item| one(tx, actor, &request.action, item, now))
        .collect()
}

fn check_action(tx: &Transaction<'_>, actor: &Principal, action: &BulkAction) -> StoreResult<()> {
    match action {
        BulkAction::RequestAgain {
            duration_days: Some(days),
        } if !(1..=MAX_DURATION_DAYS).contains(days) => Err(invalid(
            "durationDays",
            format!("a relationship lasts 1 to {MAX_DURATION_DAYS} days"),
        )),
        BulkAction::AssignSecurityGroup {
            security_group_id,
            roles: chosen,
        } => {
            let known: i64 = tx
                .prepare_cached(
                    "SELECT count(*) FROM security_groups WHERE partner_id = ?1 AND id = ?2",
                )?
                .query_row(params![actor.partner_id, security_group_id], |r| r.get(0))?;
            if known == 0 {
                return Err(invalid(
                    "securityGroupId",
                    format!("{security_group_id} is not one of your security groups"),
                ));
            }
            if chosen.is_empty() {
                return Err(invalid(
                    "roles",
                    "choose at least one role to give the group",
                ));
            }
            match chosen.iter().position(|id| roles::find(id).is_none()) {
                Some(n) => Err(invalid(
                    &format!("roles[{n}]"),
                    format!("{} is not a role a relationship can grant", chosen[n]),
                )),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

fn invalid(field: &str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field: field.to_string(),
        message: message.into(),
    }
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
        // Another partner's id reads as unknown, as on the single routes.
        Err(StoreError::NotFound) => {
            return Ok(failed(
                item,
                404,
                "no admin relationship of yours has this id",
            ));
        }
        Err(other) => return Err(other),
    };
    if let Some(etag) = &item.etag
        && !IfMatch::parse(etag).admits(current.stored.version)
    {
        return Ok(failed(
            item,
            412,
            "it changed since you read it: reload and try again",
        ));
    }
    let done = match action {
        BulkAction::EnableAutoExtend => auto_extend(tx, actor, &current, now),
        BulkAction::Terminate => relationships::terminate(tx, actor, &item.id, now).map(Done::Ok),
        BulkAction::RequestAgain { duration_days } => {
            again::request_again(tx, actor, &current, *duration_days, now)
        }
        BulkAction::AssignSecurityGroup {
            security_group_id,
            roles: chosen,
        } => assign(tx, actor, &current, security_group_id, chosen, now),
    };
    Ok(match done {
        Ok(Done::Ok(changed)) => (succeeded(item, &changed, 200, None), None),
        Ok(Done::Partly(changed, note)) => (succeeded(item, &changed, 200, Some(note)), None),
        Ok(Done::Made(made, code)) => (succeeded(item, &made, 201, None), Some(code)),
        Ok(Done::Skipped(status, why)) => (skipped(&current, status, why), None),
        Err(err) => match refusal(&err) {
            Some((status, why)) => (
                BulkResult {
                    outcome: if status == 409 {
                        BulkOutcome::Skipped
                    } else {
                        BulkOutcome::Failed
                    },
                    ..skipped(&current, status, why)
                },
                None,
            ),
            None => return Err(err),
        },
    })
}

/// What one item did.
enum Done {
    Ok(Loaded),
    /// Done, with a note of what was left out.
    Partly(Loaded, String),
    /// A new relationship and its approval code.
    Made(Loaded, String),
    /// Nothing to do or not allowed: the status it would have had, and why.
    Skipped(u16, String),
}

fn auto_extend(
    tx: &Transaction<'_>,
    actor: &Principal,
    current: &Loaded,
    now: &str,
) -> StoreResult<Done> {
    let r = &current.stored.value;
    if r.access_details.includes_global_administrator() {
        return Ok(Done::Skipped(
            400,
            "it includes Global Administrator, which can't auto-extend: remove that role first"
                .into(),
        ));
    }
    if r.auto_extends() {
        return Ok(Done::Skipped(200, "it already auto-extends".into()));
    }
    match r.status {
        RelationshipStatus::Active | RelationshipStatus::Created => {}
        RelationshipStatus::ApprovalPending => {
            return Ok(Done::Skipped(
                409,
                "it is waiting for the customer's approval and can't change".into(),
            ));
        }
        other => {
            return Ok(Done::Skipped(
                409,
                format!("it is {} and can't change", other.as_str()),
            ));
        }
    }
    relationships::set_auto_extend(tx, actor, &r.id, AUTO_EXTEND_DAYS, &IfMatch::Any, now)
        .map(Done::Ok)
}

fn assign(
    tx: &Transaction<'_>,
    actor: &Principal,
    current: &Loaded,
    group_id: &str,
    chosen: &[String],
    now: &str,
) -> StoreResult<Done> {
    let r = &current.stored.value;
    let granted: Vec<&str> = r.access_details.role_ids().collect();
    let (given, left_out): (Vec<&String>, Vec<&String>) = chosen
        .iter()
        .partition(|id| granted.iter().any(|g| g.eq_ignore_ascii_case(id)));
    if given.is_empty() {
        return Ok(Done::Skipped(
            400,
            format!("it grants none of the chosen roles ({})", names(&left_out)),
        ));
    }
    if r.status != RelationshipStatus::Active {
        return Ok(Done::Skipped(
            409,
            format!(
                "access can be assigned only while a relationship is active; this one is {}",
                r.status.as_str()
            ),
        ));
    }
    let ids: Vec<&str> = given.iter().map(|id| id.as_str()).collect();
    assignments::assign(
        tx,
        actor,
        &r.id,
        &AccessContainer::security_group(group_id),
        &AccessDetails::of(&ids),
        now,
    )?;
    let changed = relationships::load(tx, &actor.partner_id, &r.id)?;
    Ok(if left_out.is_empty() {
        Done::Ok(changed)
    } else {
        Done::Partly(
            changed,
            format!(
                "it does not grant {}, so those were left out",
                names(&left_out)
            ),
        )
    })
}

/// "Exchange Administrator, Global Administrator".
fn names(ids: &[&String]) -> String {
    let names: Vec<&str> = ids.iter().map(|id| roles::name_of(id)).collect();
    names.join(", ")
}

/// A refusal of the single route's step as an item's status and reason; `None` for a failure
/// of the store itself (which fails the whole request: nothing is changed).
fn refusal(err: &StoreError) -> Option<(u16, String)> {
    match err {
        StoreError::NotFound => Some((404, "no admin relationship of yours has this id".into())),
        StoreError::Conflict(why) => Some((409, why.clone())),
        StoreError::Taken { message, .. } => Some((409, message.clone())),
        StoreError::Stale { .. } => Some((412, "it changed since you read it".into())),
        StoreError::Invalid { message, .. } => Some((400, message.clone())),
        _ => None,
    }
}

/// The wire value with its `@odata.etag`, so the next action on it can name the version.
fn wire(loaded: &Loaded) -> AdminRelationship {
    let mut value = loaded.stored.value.clone();
    value.etag = format!("\"{}\"", loaded.stored.version);
    value
}

/// `id` is the item's (for `requestAgain`, the old relationship's; the new one is beside it).
fn succeeded(item: &BulkItem, changed: &Loaded, status: u16, note: Option<String>) -> BulkResult {
    BulkResult {
        id: item.id.clone(),
        outcome: BulkOutcome::Succeeded,
        status,
        message: note,
        relationship: Some(wire(changed)),
    }
}

fn skipped(current: &Loaded, status: u16, why: String) -> BulkResult {
    BulkResult {
        id: current.stored.value.id.clone(),
        outcome: BulkOutcome::Skipped,
        status,
        message: Some(why),
        relationship: Some(wire(current)),
    }
}

fn failed(item: &BulkItem, status: u16, why: &str) -> ItemResult {
    let result = BulkResult {
        id: item.id.clone(),
        outcome: BulkOutcome::Failed,
        status,
        message: Some(why.to_string()),
        relationship: None,
    };
    (result, None)
}

#[cfg(test)]
mod tests;
