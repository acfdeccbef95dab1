#![allow(clippy::unwrap_used)]
//! The plan of a PostgreSQL sweep with nothing due (the lifecycle's behaviour, two replicas
//! sweeping at once included, is the contract suite's, `contract::gdap_lifecycle`).

use crate::server::store::gdap::AdminStore;
use crate::server::store::postgres::gdap::fixture::fixture;

const END: &str = "2026-06-01T12:00:00Z";

#[test]
fn a_sweep_with_nothing_due_reads_only_the_partial_indexes() {
    let Some(f) = fixture() else { return };
    // 20,000 relationships, none due: active ones end next year, the rest are over.
    f.sql(
        "INSERT INTO admin_relationships (id, partner_id, customer_id, display_name, name_key, \
         duration_days, roles, status, created_at, updated_at, end_at) \
         SELECT 'bulk-' || n, 'p-test', 'cust-2', 'R ' || n, 'r ' || n, 730, '[]', \
         CASE WHEN n % 4 = 0 THEN 'active' ELSE 'expired' END, '2026-01-01T00:00:00Z', \
         '2026-01-01T00:00:00Z', '2027-06-01T00:00:00Z' FROM generate_series(1, 20000) n",
        &[],
    );
    f.sql("ANALYZE admin_relationships", &[]);
    let plan: Vec<String> = f
        .sql(
            &format!("EXPLAIN {}", super::ANYTHING_DUE),
            &[&"2025-11-01T00:00:00Z", &END, &"9999"],
        )
        .iter()
        .map(|r| r.get(0))
        .collect();
    let plan = plan.join("\n");
    for index in [
        "admin_relationships_due_pending",
        "admin_relationships_due_active",
        "admin_relationships_due_termination",
    ] {
        assert!(plan.contains(index), "{index}: {plan}");
    }
    assert!(!plan.contains("Seq Scan"), "{plan}");
    let started = std::time::Instant::now();
    for _ in 0..200 {
        assert!(f.store.advance_admin_relationships(END).unwrap().is_empty());
    }
    eprintln!(
        "a PostgreSQL sweep with nothing due among 20,000 relationships: {:?}",
        started.elapsed() / 200
    );
}
