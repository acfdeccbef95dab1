#![allow(clippy::unwrap_used)]
//! The lifecycle on PostgreSQL only: two replicas sweeping the same database at once, and the
//! plan of a sweep with nothing due (the rest is the contract suite's, `contract::gdap_lifecycle`).

use std::sync::{Arc, Barrier};

use crate::api::gdap::roles::DIRECTORY_READERS;
use crate::server::store::gdap::AdminStore;
use crate::server::store::postgres::PgStore;
use crate::server::store::postgres::gdap::fixture::{Fixture, LOCKED, fixture};

const END: &str = "2026-06-01T12:00:00Z";

fn active(f: &Fixture, id: &str, auto_extend_days: i64) {
    f.relationship(id, "active", Some(END), &[DIRECTORY_READERS]);
    f.sql(
        "UPDATE admin_relationships SET auto_extend_days = $2, activated_at = $3 WHERE id = $1",
        &[&id, &auto_extend_days, &LOCKED],
    );
}

#[test]
fn two_replicas_sweeping_at_once_extend_a_relationship_once() {
    let Some(f) = fixture() else { return };
    const RELATIONSHIPS: usize = 20;
    for n in 0..RELATIONSHIPS {
        active(&f, &format!("r-{n:02}"), 180);
    }
    // A second replica: a store of its own (own pool, own connections) on the same database.
    let other = PgStore::open(f.store.shown()).unwrap();
    let replicas = [Arc::new(f.store), Arc::new(other)];
    const SWEEPERS_EACH: usize = 3;
    let start = Arc::new(Barrier::new(2 * SWEEPERS_EACH));
    let mut sweeps = Vec::new();
    for replica in &replicas {
        for _ in 0..SWEEPERS_EACH {
            let (replica, start) = (replica.clone(), start.clone());
            sweeps.push(std::thread::spawn(move || {
                start.wait();
                // Every replica ticks more than once while the others do.
                (0..3)
                    .map(|_| replica.advance_admin_relationships(END).unwrap().len())
                    .sum::<usize>()
            }));
        }
    }
    let changed: usize = sweeps.into_iter().map(|s| s.join().unwrap()).sum();
    assert_eq!(
        changed, 1,
        "one sweep did the work, every other found nothing due"
    );
    let store = &replicas[0];
    let ends: Vec<(String, i64)> = store
        .write(async |tx| {
            Ok(tx
                .query(
                    "SELECT end_at, version FROM admin_relationships ORDER BY id",
                    &[],
                )
                .await?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect())
        })
        .unwrap();
    assert_eq!(ends.len(), RELATIONSHIPS);
    for (end, version) in &ends {
        assert_eq!(end, "2026-11-28T12:00:00Z", "extended by 180 days, once");
        assert_eq!(*version, 2, "one change");
    }
    let (extensions, events): (i64, i64) = store
        .write(async |tx| {
            let r = tx
                .query_one(
                    "SELECT (SELECT count(*) FROM audit_records \
                     WHERE operation = 'extendAdminRelationship'), \
                     (SELECT count(*) FROM events WHERE kind = 'adminRelationship.updated')",
                    &[],
                )
                .await?;
            Ok((r.get(0), r.get(1)))
        })
        .unwrap();
    assert_eq!(extensions, RELATIONSHIPS as i64);
    assert_eq!(events, RELATIONSHIPS as i64);
}

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
