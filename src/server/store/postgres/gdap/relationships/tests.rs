#![allow(clippy::unwrap_used)]
//! The list's plan on PostgreSQL: a page of relationships is an index range, not a sort of them
//! all (the behaviour through the store is the contract suite's, `contract::gdap_relationships`).

use crate::server::store::postgres::gdap::fixture::fixture;

#[test]
fn a_page_reads_an_index_range_without_sorting() {
    let Some(f) = fixture() else { return };
    // Enough rows (of another partner's customer too) that the planner prefers the index.
    f.sql(
        "INSERT INTO admin_relationships (id, partner_id, customer_id, display_name, name_key, \
         duration_days, roles, status, created_at, updated_at, end_at) \
         SELECT 'bulk-' || n, 'p-test', 'cust-2', 'R ' || n, 'r ' || n, 730, '[]', \
         CASE WHEN n % 3 = 0 THEN 'active' ELSE 'expired' END, '2026-01-01T00:00:00Z', \
         '2026-01-01T00:00:00Z', '2026-' || lpad((n % 12 + 1)::text, 2, '0') || '-01T00:00:00Z' \
         FROM generate_series(1, 20000) n",
        &[],
    );
    f.sql("ANALYZE admin_relationships", &[]);
    for (status, index) in [
        (None, "admin_relationships_by_end"),
        (Some("active"), "admin_relationships_by_status_end"),
    ] {
        let filter = match status {
            Some(_) => " AND r.status = $4",
            None => "",
        };
        let sql = format!(
            "EXPLAIN {} WHERE r.partner_id = $1 AND (coalesce(r.end_at, '9999'), r.id) > ($2, $3)\
             {filter} ORDER BY coalesce(r.end_at, '9999'), r.id LIMIT 101",
            super::SELECT
        );
        let plan: Vec<String> = match status {
            Some(s) => f.sql(&sql, &[&"p-test", &"", &"", &s]),
            None => f.sql(&sql, &[&"p-test", &"", &""]),
        }
        .iter()
        .map(|r| r.get(0))
        .collect();
        let plan = plan.join("\n");
        assert!(plan.contains(index), "{plan}");
        assert!(!plan.contains("Sort"), "sorts: {plan}");
    }
}
