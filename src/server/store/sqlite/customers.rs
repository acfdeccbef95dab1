//! Customer rows: keyset-paged listing, prefix search, create (idempotent); their changes in
//! [`changes`].

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::audit::new_customer_words;
use super::idempotency;
use super::now;
use super::resources::{record_change, record_event};
use crate::api::gdap::{AdminAccess, AdminAccessStatus};
use crate::api::{
    Attributes, BillingProfile, CompanyProfile, Customer, EventKind, FilterField, NewCustomer,
    Relationship,
};
pub(crate) use crate::server::store::new_customer::NewRow;
use crate::server::store::new_customer::unknown_reseller;
use crate::server::store::{
    Created, Cursor, CustomerPage, CustomerQuery, Principal, RequestKey, StoreError, StoreResult,
    StoredResponse, Versioned,
};

/// The lower-cased form used for sorting and case-insensitive prefix search.
pub(crate) fn search_key(text: &str) -> String {
    text.to_lowercase()
}

/// Every string that starts with `prefix` sorts in `[prefix, prefix + U+10FFFF)`: an index range.
pub(crate) fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

const GET_ONE: &str = "SELECT c.id, c.tenant_id, c.company_name, c.domain, c.relationship, \
    c.allow_delegated_access, c.associated_partner_id, r.name, c.billing_profile, c.version, c.name_key, \
    c.admin_status, c.admin_end_at, c.admin_requested_at \
    FROM customers c LEFT JOIN indirect_resellers r ON r.id = c.associated_partner_id \
    WHERE c.partner_id = ?1 AND c.id = ?2";

// Three fixed statements (no filter / name prefix / domain prefix). The cursor comparison is always
// present: an empty cursor ('', '') sorts before every row, so the first page needs no variant.
const LIST_ALL: &str = "SELECT c.id, c.tenant_id, c.company_name, c.domain, c.relationship, \
    c.allow_delegated_access, c.associated_partner_id, r.name, c.billing_profile, c.version, c.name_key, \
    c.admin_status, c.admin_end_at, c.admin_requested_at \
    FROM customers c LEFT JOIN indirect_resellers r ON r.id = c.associated_partner_id \
    WHERE c.partner_id = ?1 AND (c.name_key, c.id) > (?2, ?3) \
    ORDER BY c.name_key, c.id LIMIT ?4";
const LIST_BY_NAME: &str = "SELECT c.id, c.tenant_id, c.company_name, c.domain, c.relationship, \
    c.allow_delegated_access, c.associated_partner_id, r.name, c.billing_profile, c.version, c.name_key, \
    c.admin_status, c.admin_end_at, c.admin_requested_at \
    FROM customers c LEFT JOIN indirect_resellers r ON r.id = c.associated_partner_id \
    WHERE c.partner_id = ?1 AND (c.name_key, c.id) > (?2, ?3) AND c.name_key < ?6 \
    ORDER BY c.name_key, c.id LIMIT ?4";
// Domain filters, both in name order (0005_filter_indexes.sql). Few matches: the page's row ids
// are the top 101 by name picked from the covering domain index, and only those rows are read
// (outer ORDER BY: a join does not promise the subquery's order).
const LIST_BY_DOMAIN_FEW: &str = "SELECT c.id, c.tenant_id, c.company_name, c.domain, c.relationship, \
    c.allow_delegated_access, c.associated_partner_id, r.name, c.billing_profile, c.version, c.name_key, \
    c.admin_status, c.admin_end_at, c.admin_requested_at \
    FROM (SELECT rowid AS rid FROM customers INDEXED BY customers_by_domain_name \
          WHERE partner_id = ?1 AND domain_key >= ?5 AND domain_key < ?6 AND (name_key, id) > (?2, ?3) \
          ORDER BY name_key, id LIMIT ?4) AS page \
    JOIN customers c ON c.rowid = page.rid \
    LEFT JOIN indirect_resellers r ON r.id = c.associated_partner_id \
    ORDER BY c.name_key, c.id";
// Many matches: picking the top 101 would sort them all, so walk the customers whose domain has
// the prefix's first character in name order instead; the page fills quickly.
const LIST_BY_DOMAIN_MANY: &str = "SELECT c.id, c.tenant_id, c.company_name, c.domain, c.relationship, \
    c.allow_delegated_access, c.associated_partner_id, r.name, c.billing_profile, c.version, c.name_key, \
    c.admin_status, c.admin_end_at, c.admin_requested_at \
    FROM customers c INDEXED BY customers_by_domain_initial \
    LEFT JOIN indirect_resellers r ON r.id = c.associated_partner_id \
    WHERE c.partner_id = ?1 AND substr(c.domain_key, 1, 1) = substr(?5, 1, 1) \
    AND (c.name_key, c.id) > (?2, ?3) AND c.domain_key >= ?5 AND c.domain_key < ?6 \
    ORDER BY c.name_key, c.id LIMIT ?4";
/// Up to this many matches, sorting them (about 0.7 µs each) costs less than a walk might.
const FEW_DOMAIN_MATCHES: i64 = 4000;
const COUNT_ALL: &str =
    "SELECT coalesce((SELECT customers FROM customer_counts WHERE partner_id = ?1), 0)";
const COUNT_BY_NAME: &str =
    "SELECT count(*) FROM customers WHERE partner_id = ?1 AND name_key >= ?2 AND name_key < ?3";
const COUNT_BY_DOMAIN: &str =
    "SELECT count(*) FROM customers WHERE partner_id = ?1 AND domain_key >= ?2 AND domain_key < ?3";

fn from_row(row: &Row<'_>) -> rusqlite::Result<(Versioned<Customer>, String)> {
    let billing_json: String = row.get(8)?;
    // A row we wrote ourselves; an unreadable profile degrades to empty rather than failing the page.
    let billing_profile: BillingProfile = serde_json::from_str(&billing_json).unwrap_or_default();
    let relationship: String = row.get(4)?;
    let customer = Customer {
        id: row.get(0)?,
        company_profile: CompanyProfile {
            tenant_id: row.get(1)?,
            company_name: row.get(2)?,
            domain: row.get(3)?,
        },
        billing_profile,
        relationship_to_partner: parse_relationship(&relationship),
        allow_delegated_access: row.get(5)?,
        associated_partner_id: row.get(6)?,
        associated_partner_name: row.get(7)?,
        admin_access: Some(AdminAccess {
            status: AdminAccessStatus::parse(&row.get::<_, String>(11)?),
            end_date_time: row.get(12)?,
            requested_date_time: row.get(13)?,
        }),
        attributes: Attributes::customer(),
    };
    Ok((
        Versioned {
            value: customer,
            version: row.get(9)?,
        },
        row.get(10)?,
    ))
}

fn parse_relationship(text: &str) -> Relationship {
    match text {
        "reseller" => Relationship::Reseller,
        "none" => Relationship::None,
        _ => Relationship::Unknown,
    }
}

pub(super) fn list(
    conn: &Connection,
    partner_id: &str,
    query: &CustomerQuery,
) -> StoreResult<CustomerPage> {
    list_with(conn, partner_id, query, FEW_DOMAIN_MATCHES)
}

/// `list`, with the domain plan's threshold as a parameter so tests can run both plans.
pub(super) fn list_with(
    conn: &Connection,
    partner_id: &str,
    query: &CustomerQuery,
    few_domain_matches: i64,
) -> StoreResult<CustomerPage> {
    let (after_key, after_id) = match &query.after {
        Some(cursor) => (cursor.name_key.as_str(), cursor.id.as_str()),
        None => ("", ""),
    };
    let limit = i64::from(query.size) + 1;
    let (rows, total) = match &query.filter {
        None => {
            let mut stmt = conn.prepare_cached(LIST_ALL)?;
            let rows = stmt
                .query_map(params![partner_id, after_key, after_id, limit], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let total: i64 = conn
                .prepare_cached(COUNT_ALL)?
                .query_row(params![partner_id], |r| r.get(0))?;
            (rows, total)
        }
        Some(filter) => {
            let low = search_key(&filter.value);
            let high = prefix_upper_bound(&low);
            // The count comes first: it picks the domain query, and Partner Center sends it anyway.
            let count_sql = match filter.field {
                FilterField::CompanyName => COUNT_BY_NAME,
                FilterField::Domain => COUNT_BY_DOMAIN,
            };
            let total: i64 = conn
                .prepare_cached(count_sql)?
                .query_row(params![partner_id, low, high], |r| r.get(0))?;
            let (list_sql, after_key, after_id) = match filter.field {
                // One lower bound, so the name index is walked from the later of the cursor and
                // the prefix, not from the start of the list: `(low, "")` sorts just before every
                // key starting with `low`, ids being non-empty.
                FilterField::CompanyName if (after_key, after_id) < (low.as_str(), "") => {
                    (LIST_BY_NAME, low.as_str(), "")
                }
                FilterField::CompanyName => (LIST_BY_NAME, after_key, after_id),
                FilterField::Domain if total <= few_domain_matches || low.is_empty() => {
                    (LIST_BY_DOMAIN_FEW, after_key, after_id)
                }
                FilterField::Domain => (LIST_BY_DOMAIN_MANY, after_key, after_id),
            };
            let rows = conn
                .prepare_cached(list_sql)?
                .query_map(
                    params![partner_id, after_key, after_id, limit, low, high],
                    from_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            (rows, total)
        }
    };
    let has_more = rows.len() > query.size as usize;
    let mut items: Vec<(Customer, String)> = rows
        .into_iter()
        .take(query.size as usize)
        .map(|(v, key)| (v.value, key))
        .collect();
    let next = if has_more {
        items.last().map(|(customer, key)| Cursor {
            name_key: key.clone(),
            id: customer.id.clone(),
        })
    } else {
        None
    };
    Ok(CustomerPage {
        total: total.max(0) as u64,
        items: items.drain(..).map(|(c, _)| c).collect(),
        next,
    })
}

pub(super) fn get(
    conn: &Connection,
    partner_id: &str,
    id: &str,
) -> StoreResult<Versioned<Customer>> {
    conn.prepare_cached(GET_ONE)?
        .query_row(params![partner_id, id], from_row)
        .optional()?
        .map(|(customer, _)| customer)
        .ok_or(StoreError::NotFound)
}

pub(super) fn create(
    tx: &Transaction<'_>,
    actor: &Principal,
    new: &NewCustomer,
    key: Option<&RequestKey>,
    respond: &dyn Fn(&Customer) -> StoredResponse,
) -> StoreResult<Created<Customer>> {
    if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key)? {
        return Ok(Created::Replayed(first));
    }
    if let Some(reseller) = &new.associated_partner_id {
        let known: Option<String> = tx
            .prepare_cached("SELECT id FROM indirect_resellers WHERE partner_id = ?1 AND id = ?2")?
            .query_row(params![actor.partner_id, reseller], |r| r.get(0))
            .optional()?;
        if known.is_none() {
            return Err(unknown_reseller("associatedPartnerId", reseller));
        }
    }
    let customer = insert(
        tx,
        &actor.partner_id,
        NewRow::reseller(
            uuid::Uuid::new_v4().to_string(),
            &new.company_profile.domain,
            &new.billing_profile,
            new.associated_partner_id.as_deref(),
        ),
    )?;
    record_event(
        tx,
        &actor.partner_id,
        EventKind::CustomerCreated,
        &customer.id,
    )?;
    record_change(
        tx,
        actor,
        &customer,
        "createCustomer",
        "customer",
        "",
        &new_customer_words(&customer),
    )?;
    idempotency::remember(tx, &actor.partner_id, key, &respond(&customer))?;
    Ok(Created::New(customer))
}

pub(super) fn insert(
    tx: &Transaction<'_>,
    partner_id: &str,
    row: NewRow<'_>,
) -> StoreResult<Customer> {
    let billing_json = row.billing_json()?;
    let name = &row.billing.company_name;
    let at = now();
    let inserted = tx
        .prepare_cached(
            "INSERT INTO customers (id, partner_id, tenant_id, company_name, name_key, domain, domain_key, \
             relationship, allow_delegated_access, associated_partner_id, billing_profile, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        )?
        .execute(params![
            row.id,
            partner_id,
            row.tenant_id,
            name,
            search_key(name),
            row.domain,
            search_key(row.domain),
            row.relationship.as_str(),
            row.allow_delegated_access,
            row.associated_partner_id,
            billing_json,
            at
        ]);
    match inserted {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            return Err(row.domain_taken());
        }
        Err(e) => return Err(e.into()),
    }
    Ok(get(tx, partner_id, &row.id)?.value)
}

mod changes;
pub(super) use changes::{
    bump_version, purchase_permission, set_purchase_permission, set_relationship,
};
