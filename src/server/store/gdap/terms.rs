//! What a PATCH may change, by the relationship's status: while `created` anything (checked as a
//! new request), while `active` only auto-extend, or removing Global Administrator. Also the
//! audit log's words for a relationship's terms. Both stores use these.

use std::collections::BTreeSet;

use crate::api::gdap::validate::{self, CheckedRelationship};
use crate::api::gdap::{
    AccessDetails, AdminRelationship, AdminRelationshipPatch, GLOBAL_ADMINISTRATOR,
    NewAdminRelationship, RelationshipStatus, UnifiedRole, days_to_iso, iso_to_days, roles,
};
use crate::server::store::{StoreError, StoreResult};

const ACTIVE_RULE: &str = "while a relationship is active only its auto-extend can change, \
    and Global Administrator can be removed from its roles";

/// What a PATCH leaves: the terms after it (checked), or a refusal.
pub(crate) fn patched(
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
pub(crate) struct Terms {
    pub display_name: String,
    pub duration_days: u32,
    pub auto_extend_days: u32,
    pub role_ids: Vec<String>,
}

impl Terms {
    pub(crate) fn of(r: &AdminRelationship) -> Self {
        Self {
            display_name: r.display_name.clone(),
            duration_days: r.duration_days().unwrap_or_default(),
            auto_extend_days: iso_to_days(&r.auto_extend_duration).unwrap_or_default(),
            role_ids: r.access_details.role_ids().map(str::to_string).collect(),
        }
    }

    pub(crate) fn from_checked(c: &CheckedRelationship) -> Self {
        Self {
            display_name: c.display_name.clone(),
            duration_days: c.duration_days,
            auto_extend_days: c.auto_extend_days,
            role_ids: c.role_ids.clone(),
        }
    }

    /// The audit log's words for what differs from `before`.
    pub(crate) fn differences(&self, before: &Terms) -> (String, String) {
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

/// The audit log's words for a relationship's terms.
pub(crate) fn describe(r: &AdminRelationship) -> String {
    format!(
        "displayName {}, roles {}, duration {}, autoExtendDuration {}, status {}",
        r.display_name,
        role_names(&r.access_details),
        r.duration,
        r.auto_extend_duration,
        r.status.as_str()
    )
}

/// "Directory Readers, Global Administrator".
pub(crate) fn role_names(access: &AccessDetails) -> String {
    let names: Vec<&str> = access.role_ids().map(roles::name_of).collect();
    names.join(", ")
}

fn invalid(e: validate::Invalid) -> StoreError {
    StoreError::Invalid {
        field: e.field,
        message: e.message,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::api::gdap::RelationshipCustomer;
    use crate::api::gdap::roles::{DIRECTORY_READERS, USER_ADMINISTRATOR};

    fn relationship(status: RelationshipStatus, role_ids: &[&str]) -> AdminRelationship {
        AdminRelationship {
            etag: String::new(),
            id: "r".into(),
            display_name: "Name".into(),
            duration: "P730D".into(),
            auto_extend_duration: "PT0S".into(),
            customer: RelationshipCustomer {
                tenant_id: "t".into(),
                display_name: "C".into(),
            },
            access_details: AccessDetails::of(role_ids),
            status,
            created_date_time: "2026-01-01T00:00:00Z".into(),
            activated_date_time: None,
            end_date_time: None,
            last_modified_date_time: "2026-01-01T00:00:00Z".into(),
            approval_url: None,
            locked_date_time: None,
            access_assignment_count: 0,
        }
    }

    fn roles_patch(role_ids: &[&str]) -> AdminRelationshipPatch {
        AdminRelationshipPatch {
            access_details: Some(AccessDetails::of(role_ids)),
            ..AdminRelationshipPatch::default()
        }
    }

    fn conflict(result: StoreResult<Terms>) -> bool {
        matches!(result, Err(StoreError::Conflict(_)))
    }

    #[test]
    fn an_active_relationship_loses_global_administrator_and_nothing_else() {
        let active = relationship(
            RelationshipStatus::Active,
            &[DIRECTORY_READERS, GLOBAL_ADMINISTRATOR],
        );
        let dropped = patched(&active, &roles_patch(&[DIRECTORY_READERS])).unwrap();
        assert_eq!(dropped.role_ids, [DIRECTORY_READERS]);
        // The same set in another order is no change.
        let same = patched(
            &active,
            &roles_patch(&[GLOBAL_ADMINISTRATOR, DIRECTORY_READERS]),
        )
        .unwrap();
        assert_eq!(same, Terms::of(&active));
        assert!(conflict(patched(
            &active,
            &roles_patch(&[GLOBAL_ADMINISTRATOR])
        )));
        assert!(conflict(patched(
            &active,
            &roles_patch(&[DIRECTORY_READERS, GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR])
        )));
        // An empty list breaks the roles rule first: a 400 naming the field.
        let without_ga = relationship(RelationshipStatus::Active, &[DIRECTORY_READERS]);
        assert!(matches!(
            patched(&without_ga, &roles_patch(&[])),
            Err(StoreError::Invalid { .. })
        ));
    }

    #[test]
    fn auto_extend_is_checked_against_the_roles_after_the_change() {
        let active = relationship(
            RelationshipStatus::Active,
            &[DIRECTORY_READERS, GLOBAL_ADMINISTRATOR],
        );
        let on = AdminRelationshipPatch {
            auto_extend_duration: Some("P180D".into()),
            ..AdminRelationshipPatch::default()
        };
        let refused = patched(&active, &on);
        assert!(
            matches!(&refused, Err(StoreError::Invalid { field, .. }) if field == "autoExtendDuration")
        );
        let both = AdminRelationshipPatch {
            access_details: Some(AccessDetails::of(&[DIRECTORY_READERS])),
            ..on
        };
        assert_eq!(patched(&active, &both).unwrap().auto_extend_days, 180);
    }

    #[test]
    fn only_created_and_active_relationships_change() {
        let rename = AdminRelationshipPatch {
            display_name: Some("  Other  ".into()),
            ..AdminRelationshipPatch::default()
        };
        let created = relationship(RelationshipStatus::Created, &[DIRECTORY_READERS]);
        assert_eq!(patched(&created, &rename).unwrap().display_name, "Other");
        for status in [
            RelationshipStatus::Active,
            RelationshipStatus::ApprovalPending,
            RelationshipStatus::TerminationRequested,
            RelationshipStatus::Terminated,
            RelationshipStatus::Expired,
        ] {
            let r = relationship(status, &[DIRECTORY_READERS]);
            assert!(conflict(patched(&r, &rename)), "{status:?}");
        }
    }
}
