//! Access assignments (security group → granted roles) and the partner's security groups.
//! A relationship keeps its `access_assignment_count` in step, so a list can show "active without
//! any assignment" without reading assignments.

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::relationships::{self, customer_of};
use crate::api::EventKind;
use crate::api::gdap::{
    AccessAssignment, AccessContainer, AccessDetails, NewAccessAssignment, SecurityGroup,
};
use crate::server::store::gdap::RespondAssignment;
use crate::server::store::gdap::assign::{self, RawAssignment};
use crate::server::store::gdap::rules::roles_json;
use crate::server::store::sqlite::idempotency;
use crate::server::store::sqlite::resources::{record_change, record_event};
use crate::server::store::{Created, Principal, RequestKey, StoreError, StoreResult, Versioned};

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
    Ok(RawAssignment {
        id: r.get(0)?,
        status: r.get(1)?,
        security_group_id: r.get(2)?,
        group_name: r.get(3)?,
        roles: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
        version: r.get(7)?,
    }
    .versioned())
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
    let group_id = assign::group_id(container)?;
    let group: Option<String> = tx
        .prepare_cached(
            "SELECT display_name FROM security_groups WHERE partner_id = ?1 AND id = ?2",
        )?
        .query_row(params![partner_id, group_id], |r| r.get(0))
        .optional()?;
    let Some(group_name) = group else {
        return Err(assign::unknown_group(group_id));
    };
    let role_ids = assign::granted(&relationship, wanted)?;
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
            let (merged, before) = assign::merged(&held, role_ids);
            tx.prepare_cached(
                "UPDATE admin_access_assignments SET roles = ?2, updated_at = ?3, \
                 version = version + 1 WHERE id = ?1",
            )?
            .execute(params![id, roles_json(&merged), now])?;
            (id, before, merged)
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
                roles_json(&role_ids),
                now
            ])?;
            // The relationship's representation (its count) changed: so does its ETag.
            tx.prepare_cached(
                "UPDATE admin_relationships SET access_assignment_count = access_assignment_count + 1, \
                 updated_at = ?2, version = version + 1 WHERE id = ?1",
            )?
            .execute(params![relationship_id, now])?;
            (id, String::new(), role_ids)
        }
    };
    record_event(
        tx,
        partner_id,
        EventKind::AdminRelationshipUpdated,
        &relationship.customer_id,
    )?;
    let customer = customer_of(tx, partner_id, &relationship)?;
    let (before, after) = assign::words(
        &relationship.stored.value.display_name,
        &group_name,
        &before,
        &after,
    );
    record_change(
        tx,
        actor,
        &customer,
        assign::OPERATION,
        assign::RESOURCE_TYPE,
        &before,
        &after,
    )?;
    tx.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?
        .query_row(params![id], from_row)
        .map_err(StoreError::from)
}
