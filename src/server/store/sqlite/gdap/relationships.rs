//! Relationship rows: the reader every gdap file shares, read, list (keyset by end date) and
//! create. Changes (patch, lock, terminate) are in `change`.

mod change;
mod terms;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params, params_from_iter};

use super::summary;
use crate::api::gdap::validate::{CheckedRelationship, DISPLAY_NAME, TENANT_ID};
use crate::api::gdap::{
    AccessDetails, AdminRelationship, RelationshipCustomer, RelationshipStatus, days_to_iso, roles,
};
use crate::api::{Customer, EventKind};
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

/// A customer with this many relationships gets no more: nothing a client sends grows the
/// database without bound (a partner re-requesting every 90 days for 30 years makes 120).
const MAX_RELATIONSHIPS_PER_CUSTOMER: i64 = 1000;

/// The admin screen's sort key of a relationship without an end date: after every date.
const NO_END: &str = "9999";

const COLUMNS: &str = "SELECT r.id, r.display_name, r.duration_days, r.auto_extend_days, \
    c.tenant_id, c.company_name, r.roles, r.status, r.created_at, r.activated_at, r.end_at, \
    r.updated_at, r.locked_at, r.access_assignment_count, r.version, r.approval_code, \
    r.customer_id";

/// [`COLUMNS`] from the relationships (with an index hint, or none) and their customers.
pub(super) fn select_from(hint: &str) -> String {
    format!("{COLUMNS} FROM admin_relationships r{hint} JOIN customers c ON c.id = r.customer_id")
}

/// A relationship with the id of its customer (whose summary and events a change touches).
#[derive(Debug, Clone)]
pub(super) struct Loaded {
    pub stored: StoredRelationship,
    pub customer_id: String,
}

impl Loaded {
    pub fn status(&self) -> RelationshipStatus {
        self.stored.value.status
    }
}

/// Reads a row of [`COLUMNS`].
pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Loaded> {
    let roles: String = row.get(6)?;
    // A row we wrote ourselves; unreadable roles degrade to none rather than failing the page.
    let role_ids: Vec<String> = serde_json::from_str(&roles).unwrap_or_default();
    let status =
        RelationshipStatus::parse(&row.get::<_, String>(7)?).unwrap_or(RelationshipStatus::Unknown);
    let code: Option<String> = row.get(15)?;
    let value = AdminRelationship {
        etag: String::new(),
        id: row.get(0)?,
        display_name: row.get(1)?,
        duration: days_to_iso(row.get(2)?),
        auto_extend_duration: days_to_iso(row.get(3)?),
        customer: RelationshipCustomer {
            tenant_id: row.get(4)?,
            display_name: row.get(5)?,
        },
        access_details: AccessDetails {
            unified_roles: role_ids
                .iter()
                .map(|id| crate::api::gdap::UnifiedRole::new(id))
                .collect(),
        },
        status,
        created_date_time: row.get(8)?,
        activated_date_time: row.get(9)?,
        end_date_time: row.get(10)?,
        last_modified_date_time: row.get(11)?,
        approval_url: None,
        locked_date_time: row.get(12)?,
        access_assignment_count: row.get(13)?,
    };
    Ok(Loaded {
        stored: StoredRelationship {
            value,
            version: row.get(14)?,
            approval_code: code.filter(|_| status == RelationshipStatus::ApprovalPending),
        },
        customer_id: row.get(16)?,
    })
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
    if count >= MAX_RELATIONSHIPS_PER_CUSTOMER {
        return Err(StoreError::Conflict(format!(
            "{} already has {count} admin relationships, the most cspdash keeps for one customer",
            customer.company_profile.company_name
        )));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let roles = serde_json::to_string(&new.role_ids).unwrap_or_else(|_| "[]".into());
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

/// The audit log's resource type of a relationship.
pub(super) const RESOURCE_TYPE: &str = "AdminRelationship";

/// Case-insensitive uniqueness of names within a partner.
fn name_key(name: &str) -> String {
    name.to_lowercase()
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
        Some(id) if Some(id.as_str()) != except => Err(StoreError::Taken {
            field: DISPLAY_NAME,
            message: format!(
                "you already have an admin relationship named \"{name}\" (names are unique, \
                 whatever their case): choose another name"
            ),
        }),
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
    let id = id.ok_or_else(|| StoreError::Invalid {
        field: TENANT_ID.to_string(),
        message: format!("{tenant_id} is not the tenant id of one of your customers"),
    })?;
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

/// The audit log's words for a relationship's terms.
pub(super) fn describe(r: &AdminRelationship) -> String {
    format!(
        "displayName {}, roles {}, duration {}, autoExtendDuration {}, status {}",
        r.display_name,
        role_names(&r.access_details),
        r.duration,
        r.auto_extend_duration,
        r.status.as_str()
    )
}

pub(super) fn role_names(access: &AccessDetails) -> String {
    let names: Vec<&str> = access.role_ids().map(roles::name_of).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests;
