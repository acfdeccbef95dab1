//! The audit log, read a page at a time (keyset, newest first); writing a record is in
//! `resources`, and the words a record uses are the SQLite store's (`sqlite::audit`).

use deadpool_postgres::Transaction;
use tokio_postgres::Row;

use super::resources::{ensure_customer, row, rows};
use crate::api::AuditRecord;
use crate::server::store::sqlite::AUDIT_LATEST as LATEST;
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
}

// Two fixed statements, each walking its own index backwards (0001's audit_records_by_partner and
// audit_records_by_customer end in (created_at, id)): newest first, strictly before the cursor.
// The first page's cursor sorts after every row.
const PAGE_ALL: &str = select!(
    "WHERE partner_id = $1 AND created_at >= $2 AND created_at <= $3 \
     AND (created_at, id) < ($4, $5) ORDER BY created_at DESC, id DESC LIMIT $6"
);
const PAGE_OF_CUSTOMER: &str = select!(
    "WHERE partner_id = $1 AND customer_id = $7 AND created_at >= $2 AND created_at <= $3 \
     AND (created_at, id) < ($4, $5) ORDER BY created_at DESC, id DESC LIMIT $6"
);
const COUNT_ALL: &str = "SELECT count(*) FROM audit_records \
    WHERE partner_id = $1 AND created_at >= $2 AND created_at <= $3";
const COUNT_OF_CUSTOMER: &str = "SELECT count(*) FROM audit_records \
    WHERE partner_id = $1 AND customer_id = $4 AND created_at >= $2 AND created_at <= $3";

pub(super) async fn page(
    tx: &Transaction<'_>,
    partner_id: &str,
    query: &AuditQuery,
) -> StoreResult<AuditPage> {
    if let Some(customer_id) = &query.customer_id {
        ensure_customer(tx, partner_id, customer_id).await?;
    }
    read(tx, partner_id, query).await
}

/// [`page`] without checking that the customer is the partner's.
async fn read(
    tx: &Transaction<'_>,
    partner_id: &str,
    query: &AuditQuery,
) -> StoreResult<AuditPage> {
    // RFC 3339 UTC strings compare in time order (the columns are COLLATE "C").
    let start = query.start.as_deref().unwrap_or("");
    let end = query.end.as_deref().unwrap_or(LATEST);
    let (cursor_at, cursor_id) = match &query.after {
        Some(c) => (c.created_at.as_str(), c.id),
        None => (LATEST, i64::MAX),
    };
    // One row more than the page tells whether another page follows.
    let limit = i64::from(query.size) + 1;
    let (found, total) = match &query.customer_id {
        None => {
            let found = rows(
                tx,
                PAGE_ALL,
                &[&partner_id, &start, &end, &cursor_at, &cursor_id, &limit],
            )
            .await?;
            let total = row(tx, COUNT_ALL, &[&partner_id, &start, &end]).await?;
            (found, total)
        }
        Some(customer_id) => {
            let found = rows(
                tx,
                PAGE_OF_CUSTOMER,
                &[
                    &partner_id,
                    &start,
                    &end,
                    &cursor_at,
                    &cursor_id,
                    &limit,
                    customer_id,
                ],
            )
            .await?;
            let total = row(
                tx,
                COUNT_OF_CUSTOMER,
                &[&partner_id, &start, &end, customer_id],
            )
            .await?;
            (found, total)
        }
    };
    let total: i64 = total.map(|r| r.get(0)).unwrap_or(0);
    let mut items: Vec<AuditRecord> = found.iter().map(from_row).collect();
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

fn from_row(r: &Row) -> AuditRecord {
    AuditRecord {
        id: r.get(0),
        agent_id: r.get(1),
        agent: r.get(2),
        customer_id: r.get(3),
        customer_name: r.get(4),
        operation_type: r.get(5),
        operation_date: r.get(6),
        resource_type: r.get(7),
        before: r.get(8),
        after: r.get(9),
        details: r.get(10),
    }
}

#[cfg(test)]
mod tests;
