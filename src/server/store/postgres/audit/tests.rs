#![allow(clippy::unwrap_used)]
use super::*;
use crate::server::store::PgStore;
use crate::server::store::postgres::test_store;

/// A database with `n` audit records of partner `p` (every third about customer `c`), four to a
/// second, as a busy partner's log has them.
fn log_with(n: i64) -> Option<PgStore> {
    let store = test_store()?;
    store
        .write(async |tx| {
            for i in 0..n {
                let customer = if i % 3 == 0 { "c" } else { "d" };
                tx.execute(
                    "INSERT INTO audit_records (partner_id, agent_id, agent_name, customer_id, \
                     customer_name, operation, details, created_at) \
                     VALUES ('p', 'a', 'A', $1, 'C', 'op', '', $2)",
                    &[&customer, &format!("2026-11-01T10:00:{:02}Z", i / 4)],
                )
                .await?;
            }
            Ok(())
        })
        .unwrap();
    Some(store)
}

fn read_page(store: &PgStore, query: &AuditQuery) -> AuditPage {
    store.read(async |tx| read(tx, "p", query).await).unwrap()
}

fn walk(store: &PgStore, mut query: AuditQuery) -> Vec<i64> {
    let mut ids = Vec::new();
    loop {
        let page = read_page(store, &query);
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

#[test]
fn pages_walk_every_record_once_newest_first_across_equal_times() {
    let Some(store) = log_with(50) else { return };
    let ids = walk(&store, query(7));
    let expected: Vec<i64> = (1..=50).rev().collect();
    assert_eq!(ids, expected);
    let first = read_page(&store, &query(7));
    assert_eq!(first.total, 50);
}

#[test]
fn a_customer_filter_pages_through_that_customers_records_only() {
    let Some(store) = log_with(50) else { return };
    let q = AuditQuery {
        customer_id: Some("c".into()),
        ..query(4)
    };
    let expected: Vec<i64> = (1..=50).rev().filter(|id| (id - 1) % 3 == 0).collect();
    assert_eq!(walk(&store, q.clone()), expected);
    assert_eq!(read_page(&store, &q).total, expected.len() as u64);
}

#[test]
fn a_range_keeps_only_records_inside_it_ends_included() {
    let Some(store) = log_with(40) else { return };
    let q = AuditQuery {
        start: Some("2026-11-01T10:00:02Z".into()),
        end: Some("2026-11-01T10:00:03Z".into()),
        ..query(100)
    };
    let found = read_page(&store, &q);
    assert_eq!(found.total, 8);
    let ids: Vec<i64> = found.items.iter().map(|r| r.id).collect();
    assert_eq!(ids, (9..=16).rev().collect::<Vec<_>>());
}

#[test]
fn a_deep_page_reads_from_the_index_without_sorting() {
    let Some(store) = log_with(10) else { return };
    for (sql, index) in [
        (PAGE_ALL, "audit_records_by_partner"),
        (PAGE_OF_CUSTOMER, "audit_records_by_customer"),
    ] {
        let plan = store
            .read(async |tx| {
                // Ten rows are cheaper to scan than to look up: ask for the plan a big log gets.
                tx.batch_execute("SET LOCAL enable_seqscan = off").await?;
                let explained = format!("EXPLAIN {sql}");
                let params: [&(dyn tokio_postgres::types::ToSql + Sync); 7] =
                    [&"p", &"", &LATEST, &LATEST, &i64::MAX, &101_i64, &"c"];
                let n = if sql == PAGE_ALL { 6 } else { 7 };
                let lines = tx.query(&explained, &params[..n]).await?;
                Ok(lines
                    .iter()
                    .map(|r| r.get::<_, String>(0))
                    .collect::<Vec<_>>()
                    .join("\n"))
            })
            .unwrap();
        assert!(
            plan.contains(&format!("Index Scan Backward using {index}")),
            "{plan}"
        );
        assert!(!plan.contains("Sort"), "sorts: {plan}");
    }
}
