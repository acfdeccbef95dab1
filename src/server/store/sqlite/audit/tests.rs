#![allow(clippy::unwrap_used)]
use super::*;
use crate::server::store::SqliteStore;

/// A database with `n` audit records of partner `p` (every third about customer `c`), four to a
/// second, as a busy partner's log has them.
fn log_with(n: i64) -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    for i in 0..n {
        let customer = if i % 3 == 0 { "c" } else { "d" };
        conn.execute(
            "INSERT INTO audit_records (partner_id, agent_id, agent_name, customer_id, \
             customer_name, operation, details, created_at) \
             VALUES ('p', 'a', 'A', ?1, 'C', 'op', '', ?2)",
            rusqlite::params![customer, format!("2026-11-01T10:00:{:02}Z", i / 4)],
        )
        .unwrap();
    }
    (dir, conn)
}

fn walk(conn: &Connection, mut query: AuditQuery) -> Vec<i64> {
    let mut ids = Vec::new();
    loop {
        let page = read(conn, "p", &query).unwrap();
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
    let (_dir, conn) = log_with(50);
    let ids = walk(&conn, query(7));
    let expected: Vec<i64> = (1..=50).rev().collect();
    assert_eq!(ids, expected);
    let first = read(&conn, "p", &query(7)).unwrap();
    assert_eq!(first.total, 50);
}

#[test]
fn a_customer_filter_pages_through_that_customers_records_only() {
    let (_dir, conn) = log_with(50);
    let q = AuditQuery {
        customer_id: Some("c".into()),
        ..query(4)
    };
    let expected: Vec<i64> = (1..=50).rev().filter(|id| (id - 1) % 3 == 0).collect();
    assert_eq!(walk(&conn, q.clone()), expected);
    assert_eq!(read(&conn, "p", &q).unwrap().total, expected.len() as u64);
}

#[test]
fn a_range_keeps_only_records_inside_it_ends_included() {
    let (_dir, conn) = log_with(40);
    let q = AuditQuery {
        start: Some("2026-11-01T10:00:02Z".into()),
        end: Some("2026-11-01T10:00:03Z".into()),
        ..query(100)
    };
    let found = read(&conn, "p", &q).unwrap();
    assert_eq!(found.total, 8);
    let ids: Vec<i64> = found.items.iter().map(|r| r.id).collect();
    assert_eq!(ids, (9..=16).rev().collect::<Vec<_>>());
}

#[test]
fn a_deep_page_reads_from_the_index_without_sorting() {
    let (_dir, conn) = log_with(10);
    let all = rusqlite::params!["p", "", LATEST, LATEST, i64::MAX, 101];
    let of_customer = rusqlite::params!["p", "", LATEST, LATEST, i64::MAX, 101, "c"];
    for (sql, params, index) in [
        (PAGE_ALL, all, "audit_records_by_partner"),
        (PAGE_OF_CUSTOMER, of_customer, "audit_records_by_customer"),
    ] {
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(params, |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let plan = plan.join("; ");
        assert!(plan.contains(index), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "sorts: {plan}");
    }
}
