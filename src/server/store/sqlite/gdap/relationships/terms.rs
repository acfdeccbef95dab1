//! What a PATCH may change, by the relationship's status: while `created` anything (checked as a
//! new request), while `active` only auto-extend, or removing Global Administrator.

use std::collections::BTreeSet;

use super::role_names;
use crate::api::gdap::validate::{self, CheckedRelationship};
use crate::api::gdap::{
    AccessDetails, AdminRelationship, AdminRelationshipPatch, GLOBAL_ADMINISTRATOR,
    NewAdminRelationship, RelationshipStatus, UnifiedRole, days_to_iso, iso_to_days,
};
use crate::server::store::{StoreError, StoreResult};

const ACTIVE_RULE: &str = "while a relationship is active only its auto-extend can change, \
    and Global Administrator can be removed from its roles";

/// What a PATCH leaves: the terms after it (checked), or a refusal.
pub(super) fn patched(
    current: &AdminRelationship,
    patch: &AdminRelationshipPatch,
) -> StoreResult<Terms> {
    match current.status {
        RelationshipStatus::Created => {
            // Anything may change, checked as a new request is.
            let merged = NewAdminRelationship {
                display_name: patch
                    .display_name
                    .clone()
                    .unwrap_or_else(|| current.display_name.clone()),
                duration: patch
                    .duration
                    .clone()
                    .unwrap_or_else(|| current.duration.clone()),
                auto_extend_duration: patch
                    .auto_extend_duration
                    .clone()
                    .unwrap_or_else(|| current.auto_extend_duration.clone()),
                customer: current.customer.clone(),
                access_details: patch
                    .access_details
                    .clone()
                    .unwrap_or_else(|| current.access_details.clone()),
            };
            let checked = validate::check_new(&merged).map_err(invalid)?;
            Ok(Terms::from_checked(&checked))
        }
        RelationshipStatus::Active => {
            let mut terms = Terms::of(current);
            if let Some(name) = &patch.display_name
                && name.trim() != current.display_name
            {
                return Err(StoreError::Conflict(ACTIVE_RULE.into()));
            }
            if let Some(duration) = &patch.duration
                && iso_to_days(duration) != current.duration_days()
            {
                return Err(StoreError::Conflict(ACTIVE_RULE.into()));
            }
            if let Some(access) = &patch.access_details {
                let wanted = validate::role_ids(access).map_err(invalid)?;
                let held: BTreeSet<&str> = terms.role_ids.iter().map(String::as_str).collect();
                let asked: BTreeSet<&str> = wanted.iter().map(String::as_str).collect();
                let mut without_ga = held.clone();
                let removes_ga = without_ga.remove(GLOBAL_ADMINISTRATOR);
                if asked != held {
                    if !(removes_ga && asked == without_ga) {
                        return Err(StoreError::Conflict(ACTIVE_RULE.into()));
                    }
                    terms
                        .role_ids
                        .retain(|id| !id.eq_ignore_ascii_case(GLOBAL_ADMINISTRATOR));
                }
            }
            if let Some(auto) = &patch.auto_extend_duration {
                let access = AccessDetails {
                    unified_roles: terms
                        .role_ids
                        .iter()
                        .map(|id| UnifiedRole::new(id))
                        .collect(),
                };
                terms.auto_extend_days =
                    validate::auto_extend_days(auto, &access).map_err(invalid)?;
            }
            Ok(terms)
        }
        RelationshipStatus::ApprovalPending => Err(StoreError::Conflict(
            "the relationship is waiting for the customer's approval and can't change: \
             terminate it and request again with the terms you want"
                .into(),
        )),
        other => Err(StoreError::Conflict(format!(
            "a relationship that is {} can't change",
            other.as_str()
        ))),
    }
}

/// The changeable terms of a relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Terms {
    pub display_name: String,
    pub duration_days: u32,
    pub auto_extend_days: u32,
    pub role_ids: Vec<String>,
}

impl Terms {
    pub(super) fn of(r: &AdminRelationship) -> Self {
        Self {
            display_name: r.display_name.clone(),
            duration_days: r.duration_days().unwrap_or_default(),
            auto_extend_days: iso_to_days(&r.auto_extend_duration).unwrap_or_default(),
            role_ids: r.access_details.role_ids().map(str::to_string).collect(),
        }
    }

    fn from_checked(c: &CheckedRelationship) -> Self {
        Self {
            display_name: c.display_name.clone(),
            duration_days: c.duration_days,
            auto_extend_days: c.auto_extend_days,
            role_ids: c.role_ids.clone(),
        }
    }

    /// The audit log's words for what differs from `before`.
    pub(super) fn differences(&self, before: &Terms) -> (String, String) {
        let mut was = Vec::new();
        let mut now = Vec::new();
        if self.display_name != before.display_name {
            was.push(format!("displayName {}", before.display_name));
            now.push(format!("displayName {}", self.display_name));
        }
        if self.duration_days != before.duration_days {
            was.push(format!("duration {}", days_to_iso(before.duration_days)));
            now.push(format!("duration {}", days_to_iso(self.duration_days)));
        }
        if self.auto_extend_days != before.auto_extend_days {
            was.push(format!(
                "autoExtendDuration {}",
                days_to_iso(before.auto_extend_days)
            ));
            now.push(format!(
                "autoExtendDuration {}",
                days_to_iso(self.auto_extend_days)
            ));
        }
        if self.role_ids != before.role_ids {
            let names = |ids: &[String]| {
                role_names(&AccessDetails {
                    unified_roles: ids.iter().map(|id| UnifiedRole::new(id)).collect(),
                })
            };
            was.push(format!("roles {}", names(&before.role_ids)));
            now.push(format!("roles {}", names(&self.role_ids)));
        }
        (was.join(", "), now.join(", "))
    }
}

fn invalid(e: validate::Invalid) -> StoreError {
    StoreError::Invalid {
        field: e.field,
        message: e.message,
    }
}
