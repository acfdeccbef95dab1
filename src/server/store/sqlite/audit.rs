//! The audit log: reading it a page at a time (keyset, newest first), and the plain words its
//! records use for a customer's state before and after a change.

use rusqlite::{Connection, Row, params};

use super::resources::ensure_customer;
use crate::api::{AuditRecord, Customer};
use crate::server::store::{AuditCursor, AuditPage, AuditQuery, StoreResult};

/// A statement over the audit log's columns, in [`from_row`]'s order.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT id, agent_id, agent_name, customer_id, customer_name, operation, created_at, \
             resource_type, value_before, value_after, details FROM audit_records ",
            $rest
        )
    };
    ($index:literal, $rest:literal) => {
        concat!(
            "SELECT id, agent_id, agent_name, customer_id, customer_name, operation, created_at, \
             resource_type, value_before, value_after, details FROM audit_records INDEXED BY ",
            $index,
            " ",
            $rest
        )
    };
}

// Two fixed statements so each range walks its own index (0001's by partner, 0008's by customer):
// newest first, strictly before the cursor. The first page's cursor sorts after every row.
const PAGE_ALL: &str = select!(
    "WHERE partner_id = ?1 AND created_at >= ?2 AND created_at <= ?3 \
     AND (created_at, id) < (?4, ?5) ORDER BY created_at DESC, id DESC LIMIT ?6"
);
// Named: without statistics SQLite may walk the partner's whole log for one customer's records.
const PAGE_OF_CUSTOMER: &str = select!(
    "audit_records_by_customer",
    "WHERE partner_id = ?1 AND customer_id = ?7 AND created_at >= ?2 AND created_at <= ?3 \
     AND (created_at, id) < (?4, ?5) ORDER BY created_at DESC, id DESC LIMIT ?6"
);
const COUNT_ALL: &str = "SELECT count(*) FROM audit_records \
    WHERE partner_id = ?1 AND created_at >= ?2 AND created_at <= ?3";
const COUNT_OF_CUSTOMER: &str = "SELECT count(*) FROM audit_records \
    WHERE partner_id = ?1 AND customer_id = ?4 AND created_at >= ?2 AND created_at <= ?3";

/// Sorts after every RFC 3339 time: the open end of a range, and the first page's cursor.
pub(crate) const LATEST: &str = "\u{10FFFF}";

pub(super) fn page(
    conn: &Connection,
    partner_id: &str,
    query: &AuditQuery,
) -> StoreResult<AuditPage> {
    if let Some(customer_id) = &query.customer_id {
        ensure_customer(conn, partner_id, customer_id)?;
    }
    read(conn, partner_id, query)
}

/// [`page`] without checking that the customer is the partner's.
fn read(conn: &Connection, partner_id: &str, query: &AuditQuery) -> StoreResult<AuditPage> {
    // RFC 3339 UTC strings compare in time order.
    let start = query.start.as_deref().unwrap_or("");
    let end = query.end.as_deref().unwrap_or(LATEST);
    let (cursor_at, cursor_id) = match &query.after {
        Some(c) => (c.created_at.as_str(), c.id),
        None => (LATEST, i64::MAX),
    };
    // One row more than the page tells whether another page follows.
    let limit = i64::from(query.size) + 1;
    let (mut items, total) = match &query.customer_id {
        None => {
            let items = conn
                .prepare_cached(PAGE_ALL)?
                .query_map(
                    params![partner_id, start, end, cursor_at, cursor_id, limit],
                    from_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let total: i64 = conn
                .prepare_cached(COUNT_ALL)?
                .query_row(params![partner_id, start, end], |r| r.get(0))?;
            (items, total)
        }
        Some(customer_id) => {
            let items = conn
                .prepare_cached(PAGE_OF_CUSTOMER)?
                .query_map(
                    params![
                        partner_id,
                        start,
                        end,
                        cursor_at,
                        cursor_id,
                        limit,
                        customer_id
                    ],
                    from_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let total: i64 = conn
                .prepare_cached(COUNT_OF_CUSTOMER)?
                .query_row(params![partner_id, start, end, customer_id], |r| r.get(0))?;
            (items, total)
        }
    };
    let next = if items.len() > query.size as usize {
        items.truncate(query.size as usize);
        items.last().map(|last| AuditCursor {
            created_at: last.operation_date.clone(),
            id: last.id,
        })
    } else {
        None
    };
    Ok(AuditPage {
        total: u64::try_from(total).unwrap_or(0),
        items,
        next,
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<AuditRecord> {
    Ok(AuditRecord {
        id: r.get(0)?,
        agent_id: r.get(1)?,
        agent: r.get(2)?,
        customer_id: r.get(3)?,
        customer_name: r.get(4)?,
        operation_type: r.get(5)?,
        operation_date: r.get(6)?,
        resource_type: r.get(7)?,
        before: r.get(8)?,
        after: r.get(9)?,
        details: r.get(10)?,
    })
}

/// A new customer as its audit record's `after` says it: name, domain, relationship (and the
/// indirect reseller, when there is one).
pub(crate) fn new_customer_words(customer: &Customer) -> String {
    let mut words = format!(
        "companyName {}, domain {}, relationshipToPartner {}",
        customer.company_profile.company_name,
        customer.company_profile.domain,
        customer.relationship_to_partner.as_str()
    );
    if let Some(reseller) = &customer.associated_partner_id {
        words.push_str(&format!(", associatedPartnerId {reseller}"));
    }
    words
}

/// The fields of a customer's relationship that differ between `before` and `after`, as
/// (before, after) in plain words: `("relationshipToPartner reseller", "relationshipToPartner
/// none")`. Both empty when nothing differs.
pub(crate) fn relationship_change(before: &Customer, after: &Customer) -> (String, String) {
    let mut was = Vec::new();
    let mut now = Vec::new();
    if before.relationship_to_partner != after.relationship_to_partner {
        was.push(format!(
            "relationshipToPartner {}",
            before.relationship_to_partner.as_str()
        ));
        now.push(format!(
            "relationshipToPartner {}",
            after.relationship_to_partner.as_str()
        ));
    }
    if before.allow_delegated_access != after.allow_delegated_access {
        was.push(format!(
            "allowDelegatedAccess {}",
            before.allow_delegated_access
        ));
        now.push(format!(
            "allowDelegatedAccess {}",
            after.allow_delegated_access
        ));
    }
    if before.associated_partner_id != after.associated_partner_id {
        let words = |id: &Option<String>| {
            format!("associatedPartnerId {}", id.as_deref().unwrap_or("none"))
        };
        was.push(words(&before.associated_partner_id));
        now.push(words(&after.associated_partner_id));
    }
    (was.join(", "), now.join(", "))
}

pub(super) mod history;
#[cfg(test)]
mod tests;
