//! `requestAgain`'s terms: an expired (or soon expiring) relationship can't be revived, so the
//! partner sends a new one for the same customer with the same roles, under a free name.

use super::Done;
use crate::api::gdap::validate::CheckedRelationship;
use crate::api::gdap::{
    AdminRelationship, DEFAULT_DURATION_DAYS, GLOBAL_ADMINISTRATOR, MAX_NAME_CHARS, iso_to_days,
};

/// Names tried before giving up on one relationship (each a single index lookup).
pub(crate) const MAX_NAME_TRIES: u32 = 1000;

/// The names to try for the new request, in order: `name` with a counter (" (2)", " (3)", …),
/// cut so the whole stays within the 50-character limit. A name that already ends in a counter
/// gets the next one rather than a second counter. The first no relationship of the partner has
/// (in any case) is taken.
pub(crate) fn candidates(name: &str) -> impl Iterator<Item = String> + '_ {
    let (stem, first) = split_counter(name);
    (first..first.saturating_add(MAX_NAME_TRIES)).map(move |n| with_counter(stem, n))
}

/// The item's result when every candidate is taken.
pub(crate) fn no_free_name() -> Done {
    Done::Skipped(
        409,
        "no free name is left for a new request: rename some of its predecessors".into(),
    )
}

/// The new request's terms: `old`'s customer and roles under `name`, for `duration_days` (else
/// `old`'s duration). Auto-extend carries over, except where Global Administrator forbids it.
pub(crate) fn terms(
    old: &AdminRelationship,
    name: String,
    duration_days: Option<u32>,
) -> CheckedRelationship {
    let role_ids: Vec<String> = old.access_details.role_ids().map(str::to_string).collect();
    let ga = role_ids
        .iter()
        .any(|id| id.eq_ignore_ascii_case(GLOBAL_ADMINISTRATOR));
    CheckedRelationship {
        display_name: name,
        duration_days: duration_days
            .or_else(|| old.duration_days())
            .unwrap_or(DEFAULT_DURATION_DAYS),
        auto_extend_days: if ga {
            0
        } else {
            iso_to_days(&old.auto_extend_duration).unwrap_or(0)
        },
        tenant_id: old.customer.tenant_id.clone(),
        role_ids,
    }
}

/// ("Helpdesk", 3) for "Helpdesk (2)"; (name, 2) for a name without a counter.
pub(crate) fn split_counter(name: &str) -> (&str, u32) {
    let counted = name
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once(" ("))
        .and_then(|(stem, n)| n.parse::<u32>().ok().map(|n| (stem, n)));
    match counted {
        Some((stem, n)) if !stem.trim().is_empty() => (stem, n.saturating_add(1)),
        _ => (name, 2),
    }
}

pub(crate) fn with_counter(stem: &str, n: u32) -> String {
    let suffix = format!(" ({n})");
    let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
    let cut: String = stem.chars().take(room).collect();
    format!("{}{suffix}", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counter_is_added_or_moved_on_and_the_name_stays_within_50_characters() {
        assert_eq!(split_counter("Helpdesk"), ("Helpdesk", 2));
        assert_eq!(split_counter("Helpdesk (2)"), ("Helpdesk", 3));
        assert_eq!(split_counter("(2)"), ("(2)", 2));
        assert_eq!(with_counter("Helpdesk", 2), "Helpdesk (2)");
        let long = with_counter(&"é".repeat(60), 12);
        assert_eq!(long.chars().count(), MAX_NAME_CHARS);
        assert!(long.ends_with(" (12)"));
    }
}
