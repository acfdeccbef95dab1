#![allow(clippy::unwrap_used)]
//! The seeded admin relationships are the same every time on SQLite (PostgreSQL's are compared
//! with SQLite's in `postgres::seeding::tests`; what they hold is the contract suite's,
//! `contract::seeding`).

use rusqlite::Connection;

use super::super::{SqliteStore, lock};
use crate::server::store::Store;

fn seeded(dir: &tempfile::TempDir, name: &str, customers: u32) -> SqliteStore {
    let store = SqliteStore::open(&dir.path().join(name)).unwrap();
    store.seed_demo(customers).unwrap();
    store
}

fn rows(conn: &Connection, sql: &str) -> Vec<Vec<String>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let width = stmt.column_count();
    stmt.query_map([], |r| {
        (0..width)
            .map(|i| {
                r.get::<_, Option<rusqlite::types::Value>>(i)
                    .map(|v| format!("{v:?}"))
            })
            .collect()
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// Everything of the seeded relationships that does not depend on when seeding ran.
const TIMELESS: &str = "SELECT p.name, r.id, r.customer_id, r.display_name, r.duration_days, \
    r.auto_extend_days, r.roles, r.status, r.access_assignment_count, r.approval_code IS NULL \
    FROM admin_relationships r JOIN partners p ON p.id = r.partner_id ORDER BY r.id";

#[test]
fn two_seeds_make_the_same_relationships_groups_and_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (seeded(&dir, "a.db", 400), seeded(&dir, "b.db", 400));
    let (a, b) = (lock(&a.writer), lock(&b.writer));
    for sql in [
        TIMELESS,
        "SELECT id, relationship_id, security_group_id, roles FROM admin_access_assignments \
         ORDER BY id",
        "SELECT id, partner_id, display_name FROM security_groups ORDER BY id",
        "SELECT id, admin_status FROM customers ORDER BY id",
    ] {
        let first = rows(&a, sql);
        assert!(!first.is_empty(), "{sql}");
        assert_eq!(first, rows(&b, sql), "{sql}");
    }
}

/// Seeding time in this (debug) build, for the notes: `cargo test --lib seeding_time -- --ignored
/// --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn seeding_time() {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    seeded(&dir, "t.db", 20_000);
    eprintln!("seeded 20,000 customers in {:?}", started.elapsed());
}
