//! The audit log's pages: newest first across records of the same second, by customer, and
//! within a time range, ends included.

use super::{TestStore, contract};
use crate::server::store::AuditQuery;

/// `n` audit records of partner `p` (every third about customer `c`, the rest about `d`), four
/// to a second, as a busy partner's log has them.
fn log_with(store: &dyn TestStore, n: i64) {
    // The store's filter by customer wants one it knows.
    store.exec(
        "INSERT INTO partners (id, name, cloud, created_at) \
         VALUES ('p', 'P', 'Partner Center', '2026-01-01T00:00:00Z'); \
         INSERT INTO customers (id, partner_id, tenant_id, company_name, name_key, domain, \
         domain_key, relationship, allow_delegated_access, billing_profile, created_at, \
         updated_at) VALUES \
         ('c', 'p', 'tc', 'C', 'c', 'c.example', 'c.example', 'reseller', TRUE, '{}', \
         '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), \
         ('d', 'p', 'td', 'D', 'd', 'd.example', 'd.example', 'reseller', TRUE, '{}', \
         '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
    );
    let rows: Vec<String> = (0..n)
        .map(|i| {
            let customer = if i % 3 == 0 { "c" } else { "d" };
            format!(
                "('p', 'a', 'A', '{customer}', 'C', 'op', '', '2026-11-01T10:00:{:02}Z')",
                i / 4
            )
        })
        .collect();
    // One statement, so the ids follow the order of the rows.
    store.exec(&format!(
        "INSERT INTO audit_records (partner_id, agent_id, agent_name, customer_id, \
         customer_name, operation, details, created_at) VALUES {}",
        rows.join(", ")
    ));
}

fn walk(store: &dyn TestStore, mut query: AuditQuery) -> Vec<i64> {
    let mut ids = Vec::new();
    loop {
        let page = store.audit_records("p", &query).unwrap();
        assert!(page.items.len() <= query.size as usize);
        ids.extend(page.items.iter().map(|r| r.id));
        match page.next {
            Some(cursor) => query.after = Some(cursor),
            None => return ids,
        }
    }
}

fn query(size: u32) -> AuditQuery {
    AuditQuery {
        size,
        start: None,
        end: None,
        customer_id: None,
        after: None,
    }
}

contract! {
    fn pages_walk_every_record_once_newest_first_across_equal_times(store) {
        log_with(store, 50);
        let ids = walk(store, query(7));
        let expected: Vec<i64> = (1..=50).rev().collect();
        assert_eq!(ids, expected);
        let first = store.audit_records("p", &query(7)).unwrap();
        assert_eq!(first.total, 50);
    }

    fn a_customer_filter_pages_through_that_customers_records_only(store) {
        log_with(store, 50);
        let q = AuditQuery {
            customer_id: Some("c".into()),
            ..query(4)
        };
        let expected: Vec<i64> = (1..=50).rev().filter(|id| (id - 1) % 3 == 0).collect();
        assert_eq!(walk(store, q.clone()), expected);
        assert_eq!(
            store.audit_records("p", &q).unwrap().total,
            expected.len() as u64
        );
    }

    fn a_range_keeps_only_records_inside_it_ends_included(store) {
        log_with(store, 40);
        let q = AuditQuery {
            start: Some("2026-11-01T10:00:02Z".into()),
            end: Some("2026-11-01T10:00:03Z".into()),
            ..query(100)
        };
        let found = store.audit_records("p", &q).unwrap();
        assert_eq!(found.total, 8);
        let ids: Vec<i64> = found.items.iter().map(|r| r.id).collect();
        assert_eq!(ids, (9..=16).rev().collect::<Vec<_>>());
    }
}
