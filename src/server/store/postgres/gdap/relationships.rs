//! Relationship rows on PostgreSQL: the reader every gdap file shares, read, list (keyset by end
//! date) and create. Changes (patch, lock, terminate) are in `change`. The rules are the
//! store-neutral `store::gdap`'s; this file holds only the SQL.

mod change;

use deadpool_postgres::Transaction;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::changes::{CustomerRef, audit};
use super::summary;
use crate::api::EventKind;
use crate::api::gdap::validate::CheckedRelationship;
pub(super) use crate::server::store::gdap::rules::Loaded;
use crate::server::store::gdap::rules::{
    NO_END, RESOURCE_TYPE, RawRelationship, name_key, name_taken, roles_json, too_many,
    unknown_tenant,
};
use crate::server::store::gdap::terms::describe;
use crate::server::store::gdap::{
    RelationshipCursor, RelationshipPage, RelationshipQuery, RespondRelationship,
    StoredRelationship,
};
use crate::server::store::postgres::idempotency;
use crate::server::store::postgres::resources::{execute, record_event, row, rows};
use crate::server::store::{Created, Principal, RequestKey, StoreError, StoreResult};

pub(super) use change::{lock, request, set_auto_extend, terminate, update};

/// The columns [`from_row`] reads, from the relationships `r` and their customers `c`.
pub(super) const SELECT: &str = "SELECT r.id, r.display_name, r.duration_days, \
    r.auto_extend_days, c.tenant_id, c.company_name, r.roles, r.status, r.created_at, \
    r.activated_at, r.end_at, r.updated_at, r.locked_at, r.access_assignment_count, r.version, \
    r.approval_code, r.customer_id \
    FROM admin_relationships r JOIN customers c ON c.id = r.customer_id";

/// A count or day number as the wire has it (never out of range for rows we wrote).
fn small(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// Reads a row of [`SELECT`].
pub(super) fn from_row(row: &Row) -> Loaded {
    RawRelationship {
        id: row.get(0),
        display_name: row.get(1),
        duration_days: small(row.get(2)),
        auto_extend_days: small(row.get(3)),
        tenant_id: row.get(4),
        company_name: row.get(5),
        roles: row.get(6),
        status: row.get(7),
        created_at: row.get(8),
        activated_at: row.get(9),
        end_at: row.get(10),
        updated_at: row.get(11),
        locked_at: row.get(12),
        access_assignment_count: small(row.get(13)),
        version: row.get(14),
        approval_code: row.get(15),
        customer_id: row.get(16),
    }
    .loaded()
}

/// One of the partner's relationships, with its customer's id.
pub(super) async fn load(tx: &Transaction<'_>, partner_id: &str, id: &str) -> StoreResult<Loaded> {
    let found = row(
        tx,
        &format!("{SELECT} WHERE r.partner_id = $1 AND r.id = $2"),
        &[&partner_id, &id],
    )
    .await?;
    found.as_ref().map(from_row).ok_or(StoreError::NotFound)
}

pub(super) async fn get(
    tx: &Transaction<'_>,
    partner_id: &str,
    id: &str,
) -> StoreResult<StoredRelationship> {
    Ok(load(tx, partner_id, id).await?.stored)
}

pub(super) async fn list(
    tx: &Transaction<'_>,
    partner_id: &str,
    query: &RelationshipQuery,
) -> StoreResult<RelationshipPage> {
    let (after_key, after_id) = match &query.after {
        Some(cursor) => (cursor.end_key.clone(), cursor.id.clone()),
        // ('', '') sorts before every row.
        None => (String::new(), String::new()),
    };
    let status = query.status.map(|s| s.as_str().to_string());
    let limit = i64::from(query.size).saturating_add(1);
    let mut values: Vec<&(dyn ToSql + Sync)> = vec![&partner_id, &after_key, &after_id];
    let sql = list_sql(query, &status, &limit, &mut values);
    let mut found: Vec<Loaded> = rows(tx, &sql, &values)
        .await?
        .iter()
        .map(from_row)
        .collect();
    let has_more = found.len() > query.size as usize;
    found.truncate(query.size as usize);
    let next = match has_more {
        true => found.last().map(|last| RelationshipCursor {
            end_key: last
                .stored
                .value
                .end_date_time
                .clone()
                .unwrap_or_else(|| NO_END.to_string()),
            id: last.stored.value.id.clone(),
        }),
        false => None,
    };
    Ok(RelationshipPage {
        items: found.into_iter().map(|l| l.stored).collect(),
        next,
    })
}

/// The page's statement; the filters' values are pushed onto `values` (which holds the
/// partner and the cursor already). Fixed fragments only; every value is bound. The sort
/// expression is the indexes' own (admin_relationships_by_end, _by_status_end), so a page is an
/// index range.
fn list_sql<'a>(
    query: &'a RelationshipQuery,
    status: &'a Option<String>,
    limit: &'a i64,
    values: &mut Vec<&'a (dyn ToSql + Sync)>,
) -> String {
    let mut sql = format!(
        "{SELECT} WHERE r.partner_id = $1 AND (coalesce(r.end_at, '{NO_END}'), r.id) > ($2, $3)"
    );
    if let Some(status) = status {
        values.push(status);
        sql.push_str(&format!(" AND r.status = ${}", values.len()));
    }
    if let Some(tenant) = &query.tenant_id {
        values.push(tenant);
        sql.push_str(&format!(
            " AND r.customer_id IN (SELECT id FROM customers WHERE partner_id = $1 AND tenant_id = ${})",
            values.len()
        ));
    }
    if let Some(end) = &query.end_before {
        values.push(end);
        sql.push_str(&format!(
            " AND r.end_at IS NOT NULL AND coalesce(r.end_at, '{NO_END}') <= ${}",
            values.len()
        ));
    }
    values.push(limit);
    sql.push_str(&format!(
        " ORDER BY coalesce(r.end_at, '{NO_END}'), r.id LIMIT ${}",
        values.len()
    ));
    sql
}

pub(super) async fn create(
    tx: &Transaction<'_>,
    actor: &Principal,
    new: &CheckedRelationship,
    key: Option<&RequestKey>,
    respond: RespondRelationship<'_>,
    now: &str,
) -> StoreResult<Created<StoredRelationship>> {
    if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key).await? {
        return Ok(Created::Replayed(first));
    }
    let made = insert_new(tx, actor, new, now).await?;
    idempotency::remember(tx, &actor.partner_id, key, &respond(&made.stored)).await?;
    Ok(Created::New(made.stored))
}

/// Makes a `created` relationship in `tx`: the customer by tenant id, the name free for the
/// partner, the customer's summary, event and audit record. For `create` and bulk `requestAgain`.
pub(super) async fn insert_new(
    tx: &Transaction<'_>,
    actor: &Principal,
    new: &CheckedRelationship,
    now: &str,
) -> StoreResult<Loaded> {
    let partner_id = &actor.partner_id;
    let customer = customer_by_tenant(tx, partner_id, &new.tenant_id).await?;
    ensure_name_free(tx, partner_id, &new.display_name, None).await?;
    let count: i64 = row(
        tx,
        "SELECT count(*) FROM admin_relationships WHERE partner_id = $1 AND customer_id = $2",
        &[partner_id, &customer.id],
    )
    .await?
    .map_or(0, |r| r.get(0));
    if let Some(refused) = too_many(&customer.name, count) {
        return Err(refused);
    }
    let id = uuid::Uuid::new_v4().to_string();
    let inserted = execute(
        tx,
        "INSERT INTO admin_relationships (id, partner_id, customer_id, display_name, name_key, \
         duration_days, auto_extend_days, roles, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'created', $9, $9)",
        &[
            &id,
            partner_id,
            &customer.id,
            &new.display_name,
            &name_key(&new.display_name),
            &i64::from(new.duration_days),
            &i64::from(new.auto_extend_days),
            &roles_json(&new.role_ids),
            &now,
        ],
    )
    .await;
    if let Err(StoreError::Postgres(e)) = &inserted
        && crate::server::store::postgres::is_unique_violation(e)
    {
        // Only a row another writer made between the check and here (never under the write
        // lock), but the answer is the same.
        return Err(name_taken(&new.display_name));
    }
    inserted?;
    summary::refresh(tx, partner_id, &customer.id).await?;
    record_event(
        tx,
        partner_id,
        EventKind::AdminRelationshipCreated,
        &customer.id,
    )
    .await?;
    let made = load(tx, partner_id, &id).await?;
    let after = describe(&made.stored.value);
    audit(
        tx,
        actor,
        &customer,
        "createAdminRelationship",
        RESOURCE_TYPE,
        "",
        &after,
    )
    .await?;
    Ok(made)
}

/// `Taken` naming `displayName` when another of the partner's relationships (not `except`) has
/// the name in any case.
pub(super) async fn ensure_name_free(
    tx: &Transaction<'_>,
    partner_id: &str,
    name: &str,
    except: Option<&str>,
) -> StoreResult<()> {
    let holder = row(
        tx,
        "SELECT id FROM admin_relationships WHERE partner_id = $1 AND name_key = $2",
        &[&partner_id, &name_key(name)],
    )
    .await?;
    match holder.map(|r| r.get::<_, String>(0)) {
        Some(id) if Some(id.as_str()) != except => Err(name_taken(name)),
        _ => Ok(()),
    }
}

/// The partner's customer with tenant id `tenant_id`, else `Invalid` naming it.
async fn customer_by_tenant(
    tx: &Transaction<'_>,
    partner_id: &str,
    tenant_id: &str,
) -> StoreResult<CustomerRef> {
    let found = row(
        tx,
        "SELECT id, company_name FROM customers WHERE partner_id = $1 AND tenant_id = $2 \
         ORDER BY id LIMIT 1",
        &[&partner_id, &tenant_id],
    )
    .await?;
    found
        .map(|r| CustomerRef {
            id: r.get(0),
            name: r.get(1),
        })
        .ok_or_else(|| unknown_tenant(tenant_id))
}

#[cfg(test)]
mod tests;
