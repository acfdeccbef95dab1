#![allow(clippy::unwrap_used)]
//! The audit pages' plans (their behaviour is the contract suite's, `contract::audit`).
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
