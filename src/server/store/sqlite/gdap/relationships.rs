//! Relationship rows: the reader every gdap file shares, read, list (keyset by end date) and
//! create. Changes (patch, lock, terminate) are in `change`.

mod change;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params, params_from_iter};

use super::summary;
use crate::api::gdap::validate::CheckedRelationship;
use crate::api::{Customer, EventKind};
pub(super) use crate::server::store::gdap::rules::{Loaded, RESOURCE_TYPE};
use crate::server::store::gdap::rules::{
    NO_END, RawRelationship, name_key, name_taken, roles_json, too_many, unknown_tenant,
};
use crate::server::store::gdap::terms::describe;
use crate::server::store::gdap::{
    RelationshipCursor, RelationshipPage, RelationshipQuery, RespondRelationship,
    StoredRelationship,
};
use crate::server::store::sqlite::resources::{record_change, record_event};
use crate::server::store::sqlite::{customers, idempotency};
use crate::server::store::{Created, Principal, RequestKey, StoreError, StoreResult};

// lock, terminate and set_auto_extend are also steps of the bulk actions (bulk.rs).
#[allow(unused_imports)]
pub(super) use change::{lock, request, set_auto_extend, terminate, update};

const COLUMNS: &str = "SELECT r.id, r.display_name, r.duration_days, r.auto_extend_days, \
    c.tenant_id, c.company_name, r.roles, r.status, r.created_at, r.activated_at, r.end_at, \
    r.updated_at, r.locked_at, r.access_assignment_count, r.version, r.approval_code, \
    r.customer_id";

/// [`COLUMNS`] from the relationships (with an index hint, or none) and their customers.
pub(super) fn select_from(hint: &str) -> String {
    format!("{COLUMNS} FROM admin_relationships r{hint} JOIN customers c ON c.id = r.customer_id")
}

/// Reads a row of [`COLUMNS`].
pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Loaded> {
    Ok(RawRelationship {
        id: row.get(0)?,
        display_name: row.get(1)?,
        duration_days: row.get(2)?,
        auto_extend_days: row.get(3)?,
        tenant_id: row.get(4)?,
        company_name: row.get(5)?,
        roles: row.get(6)?,
        status: row.get(7)?,
        created_at: row.get(8)?,
        activated_at: row.get(9)?,
        end_at: row.get(10)?,
        updated_at: row.get(11)?,
        locked_at: row.get(12)?,
        access_assignment_count: row.get(13)?,
        version: row.get(14)?,
        approval_code: row.get(15)?,
        customer_id: row.get(16)?,
    }
    .loaded())
}

/// One of the partner's relationships, with its customer's id.
pub(super) fn load(conn: &Connection, partner_id: &str, id: &str) -> StoreResult<Loaded> {
    conn.prepare_cached(&format!(
        "{} WHERE r.partner_id = ?1 AND r.id = ?2",
        select_from("")
    ))?
    .query_row(params![partner_id, id], from_row)
    .optional()?
    .ok_or(StoreError::NotFound)
}

pub(crate) fn get(
    conn: &Connection,
    partner_id: &str,
    id: &str,
) -> StoreResult<StoredRelationship> {
    Ok(load(conn, partner_id, id)?.stored)
}

pub(super) fn list(
    conn: &Connection,
    partner_id: &str,
    query: &RelationshipQuery,
) -> StoreResult<RelationshipPage> {
    let (sql, values) = list_sql(partner_id, query);
    let mut rows = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(values), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let has_more = rows.len() > query.size as usize;
    rows.truncate(query.size as usize);
    let next = match has_more {
        true => rows.last().map(|last| RelationshipCursor {
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
        items: rows.into_iter().map(|l| l.stored).collect(),
        next,
    })
}

/// The page's statement and its values. Fixed fragments only; every value is bound. The sort
/// expression is the indexes' own (0009: admin_relationships_by_end, _by_status_end), so a page
/// is an index range.
fn list_sql(partner_id: &str, query: &RelationshipQuery) -> (String, Vec<Value>) {
    let (after_key, after_id) = match &query.after {
        Some(cursor) => (cursor.end_key.clone(), cursor.id.clone()),
        // ('', '') sorts before every row.
        None => (String::new(), String::new()),
    };
    // One customer's few rows come by the customer index (then a small sort); without the
    // hint the planner walks the partner's whole list in order to avoid that sort.
    let hint = match query.tenant_id {
        Some(_) => " INDEXED BY admin_relationships_by_customer",
        None => "",
    };
    let mut sql = format!(
        "{} WHERE r.partner_id = ?1 AND (coalesce(r.end_at, '{NO_END}'), r.id) > (?2, ?3)",
        select_from(hint)
    );
    let mut values: Vec<Value> = vec![
        partner_id.to_string().into(),
        after_key.into(),
        after_id.into(),
    ];
    if let Some(status) = query.status {
        values.push(status.as_str().to_string().into());
        sql.push_str(&format!(" AND r.status = ?{}", values.len()));
    }
    if let Some(tenant) = &query.tenant_id {
        values.push(tenant.clone().into());
        sql.push_str(&format!(
            " AND r.customer_id IN (SELECT id FROM customers WHERE partner_id = ?1 AND tenant_id = ?{})",
            values.len()
        ));
    }
    if let Some(end) = &query.end_before {
        values.push(end.clone().into());
        sql.push_str(&format!(
            " AND r.end_at IS NOT NULL AND coalesce(r.end_at, '{NO_END}') <= ?{}",
            values.len()
        ));
    }
    values.push(i64::from(query.size).saturating_add(1).into());
    sql.push_str(&format!(
        " ORDER BY coalesce(r.end_at, '{NO_END}'), r.id LIMIT ?{}",
        values.len()
    ));
    (sql, values)
}

pub(super) fn create(
    tx: &Transaction<'_>,
    actor: &Principal,
    new: &CheckedRelationship,
    key: Option<&RequestKey>,
    respond: RespondRelationship<'_>,
    now: &str,
) -> StoreResult<Created<StoredRelationship>> {
    if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key)? {
        return Ok(Created::Replayed(first));
    }
    let made = insert_new(tx, actor, new, now)?;
    idempotency::remember(tx, &actor.partner_id, key, &respond(&made.stored))?;
    Ok(Created::New(made.stored))
}

/// Makes a `created` relationship in `tx`: the customer by tenant id, the name free for the
/// partner, the customer's summary, event and audit record. For `create` and bulk `requestAgain`.
pub(super) fn insert_new(
    tx: &Transaction<'_>,
    actor: &Principal,
    new: &CheckedRelationship,
    now: &str,
) -> StoreResult<Loaded> {
    let partner_id = &actor.partner_id;
    let customer = customer_by_tenant(tx, partner_id, &new.tenant_id)?;
    ensure_name_free(tx, partner_id, &new.display_name, None)?;
    let count: i64 = tx
        .prepare_cached(
            "SELECT count(*) FROM admin_relationships WHERE partner_id = ?1 AND customer_id = ?2",
        )?
        .query_row(params![partner_id, customer.id], |r| r.get(0))?;
    if let Some(refused) = too_many(&customer.company_profile.company_name, count) {
        return Err(refused);
    }
    let id = uuid::Uuid::new_v4().to_string();
    let roles = roles_json(&new.role_ids);
    tx.prepare_cached(
        "INSERT INTO admin_relationships (id, partner_id, customer_id, display_name, name_key, \
         duration_days, auto_extend_days, roles, status, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'created', ?9, ?9)",
    )?
    .execute(params![
        id,
        partner_id,
        customer.id,
        new.display_name,
        name_key(&new.display_name),
        new.duration_days,
        new.auto_extend_days,
        roles,
        now
    ])?;
    summary::refresh(tx, partner_id, &customer.id)?;
    record_event(
        tx,
        partner_id,
        EventKind::AdminRelationshipCreated,
        &customer.id,
    )?;
    let made = load(tx, partner_id, &id)?;
    let after = describe(&made.stored.value);
    record_change(
        tx,
        actor,
        &customer,
        "createAdminRelationship",
        RESOURCE_TYPE,
        "",
        &after,
    )?;
    Ok(made)
}

/// `Taken` naming `displayName` when another of the partner's relationships (not `except`) has
/// the name in any case.
fn ensure_name_free(
    tx: &Transaction<'_>,
    partner_id: &str,
    name: &str,
    except: Option<&str>,
) -> StoreResult<()> {
    let holder: Option<String> = tx
        .prepare_cached(
            "SELECT id FROM admin_relationships WHERE partner_id = ?1 AND name_key = ?2",
        )?
        .query_row(params![partner_id, name_key(name)], |r| r.get(0))
        .optional()?;
    match holder {
        Some(id) if Some(id.as_str()) != except => Err(name_taken(name)),
        _ => Ok(()),
    }
}

/// The partner's customer with tenant id `tenant_id`, else `Invalid` naming it.
fn customer_by_tenant(
    tx: &Transaction<'_>,
    partner_id: &str,
    tenant_id: &str,
) -> StoreResult<Customer> {
    let id: Option<String> = tx
        .prepare_cached(
            "SELECT id FROM customers WHERE partner_id = ?1 AND tenant_id = ?2 ORDER BY id LIMIT 1",
        )?
        .query_row(params![partner_id, tenant_id], |r| r.get(0))
        .optional()?;
    let id = id.ok_or_else(|| unknown_tenant(tenant_id))?;
    Ok(customers::get(tx, partner_id, &id)?.value)
}

/// The customer a loaded relationship belongs to (for its audit record).
pub(super) fn customer_of(
    tx: &Transaction<'_>,
    partner_id: &str,
    loaded: &Loaded,
) -> StoreResult<Customer> {
    Ok(customers::get(tx, partner_id, &loaded.customer_id)?.value)
}

#[cfg(test)]
mod tests;
