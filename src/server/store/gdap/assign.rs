//! Access assignments' rules, the same on both stores: what a request to give a security group
//! roles must name, which roles it may give, how a second assignment to the same group merges,
//! how a row reads and the audit log's words.

use super::rules::{Loaded, access, roles_from_json};
use super::terms::role_names;
use crate::api::gdap::{
    AccessAssignment, AccessContainer, AccessDetails, RelationshipStatus, roles,
};
use crate::server::store::{StoreError, StoreResult, Versioned};

const CONTAINER_ID: &str = "accessContainer.accessContainerId";
const CONTAINER_TYPE: &str = "accessContainer.accessContainerType";
const ROLES: &str = "accessDetails.unifiedRoles";
/// The audit log's resource type of an assignment.
pub(crate) const RESOURCE_TYPE: &str = "AccessAssignment";
pub(crate) const OPERATION: &str = "createAccessAssignment";

fn invalid(field: impl Into<String>, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// The security group `container` names (trimmed), once it is one.
pub(crate) fn group_id(container: &AccessContainer) -> StoreResult<&str> {
    if container.access_container_type != "securityGroup" {
        return Err(invalid(
            CONTAINER_TYPE,
            "access is given to security groups only: securityGroup",
        ));
    }
    Ok(container.access_container_id.trim())
}

/// The refusal of a group that is not the partner's.
pub(crate) fn unknown_group(group_id: &str) -> StoreError {
    invalid(
        CONTAINER_ID,
        format!("{group_id} is not one of your security groups"),
    )
}

/// The roles of `wanted` as `relationship` grants them (its spelling, no repeats), once each is
/// granted and the relationship is active.
pub(crate) fn granted(relationship: &Loaded, wanted: &AccessDetails) -> StoreResult<Vec<String>> {
    let granted: Vec<&str> = relationship
        .stored
        .value
        .access_details
        .role_ids()
        .collect();
    if wanted.unified_roles.is_empty() {
        return Err(invalid(ROLES, "choose at least one role to give the group"));
    }
    let mut role_ids: Vec<String> = Vec::with_capacity(wanted.unified_roles.len());
    for (n, role) in wanted.unified_roles.iter().enumerate() {
        let field = format!("{ROLES}[{n}].roleDefinitionId");
        let id = role.role_definition_id.trim();
        let Some(grant) = granted.iter().find(|g| g.eq_ignore_ascii_case(id)) else {
            let name = roles::find(id).map_or("this role", |r| r.name);
            return Err(invalid(
                field,
                format!("{name} is not among the roles this relationship grants"),
            ));
        };
        if !role_ids.iter().any(|r| r == grant) {
            role_ids.push(grant.to_string());
        }
    }
    if relationship.status() != RelationshipStatus::Active {
        return Err(StoreError::Conflict(format!(
            "access can be assigned only while the relationship is active; this one is {}",
            relationship.status().as_str()
        )));
    }
    Ok(role_ids)
}

/// The roles a group holds (`held`, stored JSON) with `added` after them; and the names before.
pub(crate) fn merged(held: &str, added: Vec<String>) -> (Vec<String>, String) {
    let mut merged = roles_from_json(held);
    let before = role_names(&access(&merged));
    for role in added {
        if !merged.contains(&role) {
            merged.push(role);
        }
    }
    (merged, before)
}

/// The audit record's (before, after): relationship `name`'s group `group_name` held
/// `before` (names; empty for a new assignment) and now holds `after`.
pub(crate) fn words(
    name: &str,
    group_name: &str,
    before: &str,
    after: &[String],
) -> (String, String) {
    let before = match before.is_empty() {
        true => String::new(),
        false => format!("{name}: {group_name} → {before}"),
    };
    let after = format!("{name}: {group_name} → {}", role_names(&access(after)));
    (before, after)
}

/// An assignment row's columns as read (the stores' `SELECT`, in that order).
pub(crate) struct RawAssignment {
    pub id: String,
    pub status: String,
    pub security_group_id: String,
    pub group_name: String,
    /// JSON array of role template ids.
    pub roles: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl RawAssignment {
    pub(crate) fn versioned(self) -> Versioned<AccessAssignment> {
        Versioned {
            value: AccessAssignment {
                etag: String::new(),
                id: self.id,
                status: self.status,
                access_container: AccessContainer::security_group(&self.security_group_id),
                access_details: access(&roles_from_json(&self.roles)),
                access_container_display_name: Some(self.group_name),
                created_date_time: self.created_at,
                last_modified_date_time: self.updated_at,
            },
            version: self.version,
        }
    }
}
