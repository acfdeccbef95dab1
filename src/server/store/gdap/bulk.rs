//! The bulk actions' rules, the same on both stores: what is wrong with a request as a whole,
//! when an item is skipped and why, and how a step's outcome reads as the item's result. The
//! stores run the steps (the single routes' own) in one transaction.

pub(crate) mod again;

use super::rules::Loaded;
use crate::api::gdap::{
    AdminRelationship, BulkAction, BulkItem, BulkOutcome, BulkResult, MAX_DURATION_DAYS,
    RelationshipStatus, roles,
};
use crate::server::store::{IfMatch, StoreError, StoreResult};

/// One item's result and, for `requestAgain`, the approval code of the relationship it made.
pub(crate) type ItemResult = (BulkResult, Option<String>);

/// What one item did.
pub(crate) enum Done {
    Ok(Loaded),
    /// Done, with a note of what was left out.
    Partly(Loaded, String),
    /// A new relationship and its approval code.
    Made(Loaded, String),
    /// Nothing to do or not allowed: the status it would have had, and why.
    Skipped(u16, String),
}

/// The security group an action names, which must be one of the partner's.
pub(crate) fn group_to_check(action: &BulkAction) -> Option<&str> {
    match action {
        BulkAction::AssignSecurityGroup {
            security_group_id, ..
        } => Some(security_group_id),
        _ => None,
    }
}

/// What is wrong for every item is the request's fault: a 400 naming the field, nothing done.
/// `group_known`: whether the group [`group_to_check`] names is the partner's.
pub(crate) fn check_action(action: &BulkAction, group_known: bool) -> StoreResult<()> {
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
            if !group_known {
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

/// The result of an item whose id is none of the partner's relationships (another partner's
/// reads as unknown, as on the single routes).
pub(crate) fn not_found(item: &BulkItem) -> ItemResult {
    failed(item, 404, "no admin relationship of yours has this id")
}

/// The result of an item whose `etag` is not `current`'s version, if so.
pub(crate) fn stale(item: &BulkItem, current: &Loaded) -> Option<ItemResult> {
    match &item.etag {
        Some(etag) if !IfMatch::parse(etag).admits(current.stored.version) => Some(failed(
            item,
            412,
            "it changed since you read it: reload and try again",
        )),
        _ => None,
    }
}

/// Why `current` can't be made to auto-extend, if it can't (else the PATCH step goes ahead).
pub(crate) fn auto_extend_skip(current: &Loaded) -> Option<Done> {
    let r = &current.stored.value;
    if r.access_details.includes_global_administrator() {
        return Some(Done::Skipped(
            400,
            "it includes Global Administrator, which can't auto-extend: remove that role first"
                .into(),
        ));
    }
    if r.auto_extends() {
        return Some(Done::Skipped(200, "it already auto-extends".into()));
    }
    changeable(r.status)
}

/// Why `current` can't stop auto-extending, if it can't (else the PATCH step goes ahead).
pub(crate) fn auto_extend_off_skip(current: &Loaded) -> Option<Done> {
    let r = &current.stored.value;
    if !r.auto_extends() {
        return Some(Done::Skipped(200, "it does not auto-extend".into()));
    }
    changeable(r.status)
}

/// Auto-extend can change while a relationship is created or active, not while it waits for
/// approval or after it ended.
fn changeable(status: RelationshipStatus) -> Option<Done> {
    match status {
        RelationshipStatus::Active | RelationshipStatus::Created => None,
        RelationshipStatus::ApprovalPending => Some(Done::Skipped(
            409,
            "it is waiting for the customer's approval and can't change".into(),
        )),
        other => Some(Done::Skipped(
            409,
            format!("it is {} and can't change", other.as_str()),
        )),
    }
}

/// A skipped item's status and reason (as in [`Done::Skipped`]).
pub(crate) type Skip = (u16, String);
/// Role ids to give, and the chosen roles left out.
pub(crate) type Split<'a> = (Vec<&'a str>, Vec<&'a String>);

/// Of the `chosen` roles, those `current` grants (to give) and those it doesn't (left out);
/// or why nothing can be given (a [`Done::Skipped`]'s status and reason).
pub(crate) fn assign_split<'a>(current: &Loaded, chosen: &'a [String]) -> Result<Split<'a>, Skip> {
    let r = &current.stored.value;
    let granted: Vec<&str> = r.access_details.role_ids().collect();
    let (given, left_out): (Vec<&String>, Vec<&String>) = chosen
        .iter()
        .partition(|id| granted.iter().any(|g| g.eq_ignore_ascii_case(id)));
    if given.is_empty() {
        return Err((
            400,
            format!("it grants none of the chosen roles ({})", names(&left_out)),
        ));
    }
    if r.status != RelationshipStatus::Active {
        return Err((
            409,
            format!(
                "access can be assigned only while a relationship is active; this one is {}",
                r.status.as_str()
            ),
        ));
    }
    Ok((given.iter().map(|id| id.as_str()).collect(), left_out))
}

/// An assignment made (`changed` as now), noting the roles `left_out`.
pub(crate) fn assigned(changed: Loaded, left_out: &[&String]) -> Done {
    if left_out.is_empty() {
        Done::Ok(changed)
    } else {
        Done::Partly(
            changed,
            format!(
                "it does not grant {}, so those were left out",
                names(left_out)
            ),
        )
    }
}

/// "Exchange Administrator, Global Administrator".
fn names(ids: &[&String]) -> String {
    let names: Vec<&str> = ids.iter().map(|id| roles::name_of(id)).collect();
    names.join(", ")
}

/// The item's result from what its step did: a refusal of the single route's step is the
/// item's status and reason; a failure of the store itself fails the whole request (nothing
/// is changed).
pub(crate) fn outcome(
    item: &BulkItem,
    current: &Loaded,
    done: StoreResult<Done>,
) -> StoreResult<ItemResult> {
    Ok(match done {
        Ok(Done::Ok(changed)) => (succeeded(item, &changed, 200, None), None),
        Ok(Done::Partly(changed, note)) => (succeeded(item, &changed, 200, Some(note)), None),
        Ok(Done::Made(made, code)) => (succeeded(item, &made, 201, None), Some(code)),
        Ok(Done::Skipped(status, why)) => (skipped(current, status, why), None),
        Err(err) => match refusal(&err) {
            Some((status, why)) => (
                BulkResult {
                    outcome: if status == 409 {
                        BulkOutcome::Skipped
                    } else {
                        BulkOutcome::Failed
                    },
                    ..skipped(current, status, why)
                },
                None,
            ),
            None => return Err(err),
        },
    })
}

/// A refusal of the single route's step as an item's status and reason; `None` for a failure
/// of the store itself.
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
