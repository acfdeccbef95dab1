//! Access assignments (security group → granted roles) and the partner's security groups.
//! A relationship keeps its `access_assignment_count` in step, so a list can show "active without
//! any assignment" without reading assignments.

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::relationships::{self, customer_of, role_names};
use crate::api::EventKind;
use crate::api::gdap::{
    AccessAssignment, AccessContainer, AccessDetails, NewAccessAssignment, RelationshipStatus,
    SecurityGroup, UnifiedRole, roles,
};
use crate::server::store::gdap::RespondAssignment;
use crate::server::store::sqlite::idempotency;
use crate::server::store::sqlite::resources::{record_change, record_event};
use crate::server::store::{Created, Principal, RequestKey, StoreError, StoreResult, Versioned};

const CONTAINER_ID: &str = "accessContainer.accessContainerId";
const CONTAINER_TYPE: &str = "accessContainer.accessContainerType";
const ROLES: &str = "accessDetails.unifiedRoles";
/// The audit log's resource type of an assignment.
const ASSIGNMENT: &str = "AccessAssignment";

pub(super) fn security_groups(
    conn: &Connection,
    partner_id: &str,
) -> StoreResult<Vec<SecurityGroup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, display_name FROM security_groups WHERE partner_id = ?1 \
         ORDER BY display_name, id",
    )?;
    let groups = stmt
        .query_map(params![partner_id], |r| {
            Ok(SecurityGroup {
                id: r.get(0)?,
                display_name: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(groups)
}

const SELECT: &str = "SELECT a.id, a.status, a.security_group_id, g.display_name, a.roles, \
    a.created_at, a.updated_at, a.version FROM admin_access_assignments a \
    JOIN security_groups g ON g.id = a.security_group_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Versioned<AccessAssignment>> {
    let roles: String = r.get(4)?;
    // A row we wrote ourselves; unreadable roles degrade to none.
    let role_ids: Vec<String> = serde_json::from_str(&roles).unwrap_or_default();
    let group: String = r.get(2)?;
    let version: i64 = r.get(7)?;
    Ok(Versioned {
        value: AccessAssignment {
            etag: String::new(),
            id: r.get(0)?,
            status: r.get(1)?,
            access_container: AccessContainer::security_group(&group),
            access_details: access(&role_ids),
            access_container_display_name: Some(r.get(3)?),
            created_date_time: r.get(5)?,
            last_modified_date_time: r.get(6)?,
        },
        version,
    })
}

fn access(role_ids: &[String]) -> AccessDetails {
    AccessDetails {
        unified_roles: role_ids.iter().map(|id| UnifiedRole::new(id)).collect(),
    }
}

pub(super) fn list(
    conn: &Connection,
    partner_id: &str,
    relationship_id: &str,
) -> StoreResult<Vec<Versioned<AccessAssignment>>> {
    // Another partner's relationship is NotFound, as everywhere.
    relationships::load(conn, partner_id, relationship_id)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE a.relationship_id = ?1 ORDER BY g.display_name, a.id"
    ))?;
    let items = stmt
        .query_map(params![relationship_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(items)
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

pub(super) fn create(
    tx: &Transaction<'_>,
    actor: &Principal,
    relationship_id: &str,
    new: &NewAccessAssignment,
    key: Option<&RequestKey>,
    respond: RespondAssignment<'_>,
    now: &str,
) -> StoreResult<Created<Versioned<AccessAssignment>>> {
    if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key)? {
        return Ok(Created::Replayed(first));
    }
    let assigned = assign(
        tx,
        actor,
        relationship_id,
        &new.access_container,
        &new.access_details,
        now,
    )?;
    idempotency::remember(tx, &actor.partner_id, key, &respond(&assigned))?;
    Ok(Created::New(assigned))
}

/// Gives `roles` of an active relationship to the partner's security group in `tx`: a group
/// that already has an assignment there gets the roles added. For `create` and the bulk action.
pub(super) fn assign(
    tx: &Transaction<'_>,
    actor: &Principal,
    relationship_id: &str,
    container: &AccessContainer,
    wanted: &AccessDetails,
    now: &str,
) -> StoreResult<Versioned<AccessAssignment>> {
    let partner_id = &actor.partner_id;
    let relationship = relationships::load(tx, partner_id, relationship_id)?;
    if container.access_container_type != "securityGroup" {
        return Err(invalid(
            CONTAINER_TYPE,
            "access is given to security groups only: securityGroup",
        ));
    }
    let group_id = container.access_container_id.trim();
    let group: Option<String> = tx
        .prepare_cached(
            "SELECT display_name FROM security_groups WHERE partner_id = ?1 AND id = ?2",
        )?
        .query_row(params![partner_id, group_id], |r| r.get(0))
        .optional()?;
    let Some(group_name) = group else {
        return Err(invalid(
            CONTAINER_ID,
            format!("{group_id} is not one of your security groups"),
        ));
    };
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
    let existing: Option<(String, String)> = tx
        .prepare_cached(
            "SELECT id, roles FROM admin_access_assignments \
             WHERE relationship_id = ?1 AND security_group_id = ?2",
        )?
        .query_row(params![relationship_id, group_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (id, before, after) = match existing {
        Some((id, held)) => {
            let mut merged: Vec<String> = serde_json::from_str(&held).unwrap_or_default();
            let before = role_names(&access(&merged));
            for role in role_ids {
                if !merged.contains(&role) {
                    merged.push(role);
                }
            }
            tx.prepare_cached(
                "UPDATE admin_access_assignments SET roles = ?2, updated_at = ?3, \
                 version = version + 1 WHERE id = ?1",
            )?
            .execute(params![id, to_json(&merged), now])?;
            (id, before, role_names(&access(&merged)))
        }
        None => {
            let id = uuid::Uuid::new_v4().to_string();
            tx.prepare_cached(
                "INSERT INTO admin_access_assignments (id, relationship_id, security_group_id, \
                 roles, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?5)",
            )?
            .execute(params![
                id,
                relationship_id,
                group_id,
                to_json(&role_ids),
                now
            ])?;
            // The relationship's representation (its count) changed: so does its ETag.
            tx.prepare_cached(
                "UPDATE admin_relationships SET access_assignment_count = access_assignment_count + 1, \
                 updated_at = ?2, version = version + 1 WHERE id = ?1",
            )?
            .execute(params![relationship_id, now])?;
            (id, String::new(), role_names(&access(&role_ids)))
        }
    };
    record_event(
        tx,
        partner_id,
        EventKind::AdminRelationshipUpdated,
        &relationship.customer_id,
    )?;
    let customer = customer_of(tx, partner_id, &relationship)?;
    let name = &relationship.stored.value.display_name;
    let before = match before.is_empty() {
        true => String::new(),
        false => format!("{name}: {group_name} → {before}"),
    };
    record_change(
        tx,
        actor,
        &customer,
        "createAccessAssignment",
        ASSIGNMENT,
        &before,
        &format!("{name}: {group_name} → {after}"),
    )?;
    tx.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?
        .query_row(params![id], from_row)
        .map_err(StoreError::from)
}

fn to_json(ids: &[String]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}
