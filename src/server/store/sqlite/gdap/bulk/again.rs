//! `requestAgain`: an expired (or soon expiring) relationship can't be revived, so the partner
//! sends a new one for the same customer with the same roles, sent for approval at once.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Done;
use crate::api::gdap::validate::CheckedRelationship;
use crate::api::gdap::{GLOBAL_ADMINISTRATOR, MAX_NAME_CHARS, iso_to_days};
use crate::server::store::sqlite::gdap::relationships::{self, Loaded};
use crate::server::store::{Principal, StoreResult};

/// Names tried before giving up on one relationship (each a single index lookup).
const MAX_NAME_TRIES: u32 = 1000;

pub(super) fn request_again(
    tx: &Transaction<'_>,
    actor: &Principal,
    old: &Loaded,
    duration_days: Option<u32>,
    now: &str,
) -> StoreResult<Done> {
    let r = &old.stored.value;
    let Some(name) = free_name(tx, &actor.partner_id, &r.display_name)? else {
        return Ok(Done::Skipped(
            409,
            "no free name is left for a new request: rename some of its predecessors".into(),
        ));
    };
    let role_ids: Vec<String> = r.access_details.role_ids().map(str::to_string).collect();
    // Auto-extend carries over, except where Global Administrator forbids it.
    let ga = role_ids
        .iter()
        .any(|id| id.eq_ignore_ascii_case(GLOBAL_ADMINISTRATOR));
    let new = CheckedRelationship {
        display_name: name,
        duration_days: duration_days
            .or_else(|| r.duration_days())
            .unwrap_or(crate::api::gdap::DEFAULT_DURATION_DAYS),
        auto_extend_days: if ga {
            0
        } else {
            iso_to_days(&r.auto_extend_duration).unwrap_or(0)
        },
        tenant_id: r.customer.tenant_id.clone(),
        role_ids,
    };
    let made = relationships::insert_new(tx, actor, &new, now)?;
    let locked = relationships::lock(tx, actor, &made.stored.value.id, now)?;
    let code = locked.stored.approval_code.clone().unwrap_or_default();
    Ok(Done::Made(locked, code))
}

/// `name` with a counter (" (2)", " (3)", …) that no relationship of the partner has, in any
/// case, cut so the whole stays within the 50-character limit. A name that already ends in a
/// counter gets the next one rather than a second counter.
fn free_name(tx: &Transaction<'_>, partner_id: &str, name: &str) -> StoreResult<Option<String>> {
    let (stem, first) = split_counter(name);
    let mut taken = tx.prepare_cached(
        "SELECT 1 FROM admin_relationships WHERE partner_id = ?1 AND name_key = ?2",
    )?;
    for n in first..first + MAX_NAME_TRIES {
        let candidate = with_counter(stem, n);
        let held = taken
            .query_row(params![partner_id, candidate.to_lowercase()], |_| Ok(()))
            .optional()?;
        if held.is_none() {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

/// ("Helpdesk", 3) for "Helpdesk (2)"; (name, 2) for a name without a counter.
pub(super) fn split_counter(name: &str) -> (&str, u32) {
    let counted = name
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once(" ("))
        .and_then(|(stem, n)| n.parse::<u32>().ok().map(|n| (stem, n)));
    match counted {
        Some((stem, n)) if !stem.trim().is_empty() => (stem, n.saturating_add(1)),
        _ => (name, 2),
    }
}

pub(super) fn with_counter(stem: &str, n: u32) -> String {
    let suffix = format!(" ({n})");
    let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
    let cut: String = stem.chars().take(room).collect();
    format!("{}{suffix}", cut.trim_end())
}
