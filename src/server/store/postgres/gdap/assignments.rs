//! Access assignments (security group → granted roles) and the partner's security groups on
//! PostgreSQL. A relationship keeps its `access_assignment_count` in step, so a list can show
//! "active without any assignment" without reading assignments. The rules are the store-neutral
//! `gdap::assign`'s.

use deadpool_postgres::Transaction;
use tokio_postgres::Row;

use super::changes::{audit, customer};
use super::relationships;
use crate::api::EventKind;
use crate::api::gdap::{
    AccessAssignment, AccessContainer, AccessDetails, NewAccessAssignment, SecurityGroup,
};
use crate::server::store::gdap::RespondAssignment;
use crate::server::store::gdap::assign::{self, RawAssignment};
use crate::server::store::gdap::rules::roles_json;
use crate::server::store::postgres::idempotency;
use crate::server::store::postgres::resources::{execute, record_event, row, rows};
use crate::server::store::{Created, Principal, RequestKey, StoreError, StoreResult, Versioned};

pub(super) async fn security_groups(
    tx: &Transaction<'_>,
    partner_id: &str,
) -> StoreResult<Vec<SecurityGroup>> {
    let found = rows(
        tx,
        "SELECT id, display_name FROM security_groups WHERE partner_id = $1 \
         ORDER BY display_name, id",
        &[&partner_id],
    )
    .await?;
    Ok(found
        .iter()
        .map(|r| SecurityGroup {
            id: r.get(0),
            display_name: r.get(1),
        })
        .collect())
}

const SELECT: &str = "SELECT a.id, a.status, a.security_group_id, g.display_name, a.roles, \
    a.created_at, a.updated_at, a.version FROM admin_access_assignments a \
    JOIN security_groups g ON g.id = a.security_group_id";

fn from_row(r: &Row) -> Versioned<AccessAssignment> {
    RawAssignment {
        id: r.get(0),
        status: r.get(1),
        security_group_id: r.get(2),
        group_name: r.get(3),
        roles: r.get(4),
        created_at: r.get(5),
        updated_at: r.get(6),
        version: r.get(7),
    }
    .versioned()
}

pub(super) async fn list(
    tx: &Transaction<'_>,
    partner_id: &str,
    relationship_id: &str,
) -> StoreResult<Vec<Versioned<AccessAssignment>>> {
    // Another partner's relationship is NotFound, as everywhere.
    relationships::load(tx, partner_id, relationship_id).await?;
    let found = rows(
        tx,
        &format!("{SELECT} WHERE a.relationship_id = $1 ORDER BY g.display_name, a.id"),
        &[&relationship_id],
    )
    .await?;
    Ok(found.iter().map(from_row).collect())
}

pub(super) async fn create(
    tx: &Transaction<'_>,
    actor: &Principal,
    relationship_id: &str,
    new: &NewAccessAssignment,
    key: Option<&RequestKey>,
    respond: RespondAssignment<'_>,
    now: &str,
) -> StoreResult<Created<Versioned<AccessAssignment>>> {
    if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key).await? {
        return Ok(Created::Replayed(first));
    }
    let assigned = give(
        tx,
        actor,
        relationship_id,
        &new.access_container,
        &new.access_details,
        now,
    )
    .await?;
    idempotency::remember(tx, &actor.partner_id, key, &respond(&assigned)).await?;
    Ok(Created::New(assigned))
}

/// Gives `wanted` roles of an active relationship to the partner's security group in `tx`: a
/// group that already has an assignment there gets the roles added. For `create` and the bulk
/// action.
pub(super) async fn give(
    tx: &Transaction<'_>,
    actor: &Principal,
    relationship_id: &str,
    container: &AccessContainer,
    wanted: &AccessDetails,
    now: &str,
) -> StoreResult<Versioned<AccessAssignment>> {
    let partner_id = &actor.partner_id;
    let relationship = relationships::load(tx, partner_id, relationship_id).await?;
    let group_id = assign::group_id(container)?;
    let group = row(
        tx,
        "SELECT display_name FROM security_groups WHERE partner_id = $1 AND id = $2",
        &[partner_id, &group_id],
    )
    .await?;
    let Some(group_name) = group.map(|r| r.get::<_, String>(0)) else {
        return Err(assign::unknown_group(group_id));
    };
    let role_ids = assign::granted(&relationship, wanted)?;
    let existing = row(
        tx,
        "SELECT id, roles FROM admin_access_assignments \
         WHERE relationship_id = $1 AND security_group_id = $2",
        &[&relationship_id, &group_id],
    )
    .await?
    .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)));
    let (id, before, after) = match existing {
        Some((id, held)) => {
            let (merged, before) = assign::merged(&held, role_ids);
            execute(
                tx,
                "UPDATE admin_access_assignments SET roles = $2, updated_at = $3, \
                 version = version + 1 WHERE id = $1",
                &[&id, &roles_json(&merged), &now],
            )
            .await?;
            (id, before, merged)
        }
        None => {
            let id = uuid::Uuid::new_v4().to_string();
            execute(
                tx,
                "INSERT INTO admin_access_assignments (id, relationship_id, security_group_id, \
                 roles, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 'active', $5, $5)",
                &[
                    &id,
                    &relationship_id,
                    &group_id,
                    &roles_json(&role_ids),
                    &now,
                ],
            )
            .await?;
            // The relationship's representation (its count) changed: so does its ETag.
            execute(
                tx,
                "UPDATE admin_relationships \
                 SET access_assignment_count = access_assignment_count + 1, \
                 updated_at = $2, version = version + 1 WHERE id = $1",
                &[&relationship_id, &now],
            )
            .await?;
            (id, String::new(), role_ids)
        }
    };
    record_event(
        tx,
        partner_id,
        EventKind::AdminRelationshipUpdated,
        &relationship.customer_id,
    )
    .await?;
    let customer = customer(tx, partner_id, &relationship.customer_id).await?;
    let (before, after) = assign::words(
        &relationship.stored.value.display_name,
        &group_name,
        &before,
        &after,
    );
    audit(
        tx,
        actor,
        &customer,
        assign::OPERATION,
        assign::RESOURCE_TYPE,
        &before,
        &after,
    )
    .await?;
    row(tx, &format!("{SELECT} WHERE a.id = $1"), &[&id])
        .await?
        .as_ref()
        .map(from_row)
        .ok_or(StoreError::NotFound)
}
