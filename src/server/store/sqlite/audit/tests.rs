#![allow(clippy::unwrap_used)]
//! The audit pages' plans (their behaviour is the contract suite's, `contract::audit`).
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
