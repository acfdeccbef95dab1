#![allow(clippy::unwrap_used)]
//! The seeded admin relationships: every status a partner meets, the same every time, and the
//! customers' `adminAccess` summary as the store would compute it.

use rusqlite::Connection;

use super::super::gdap::summary;
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

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
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

#[test]
fn every_status_a_partner_meets_is_seeded() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir, "s.db", 400);
    let conn = lock(&store.writer);
    let contoso = "(SELECT id FROM partners WHERE name = 'Contoso Partner')";
    let days = |n: i64| {
        (chrono::Utc::now() + chrono::TimeDelta::days(n))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let of = |filter: &str| {
        count(
            &conn,
            &format!(
                "SELECT count(*) FROM admin_relationships WHERE partner_id = {contoso} AND {filter}"
            ),
        )
    };
    let cases = [
        (
            "active, 400+ days left",
            format!("status = 'active' AND end_at > '{}'", days(400)),
        ),
        (
            "expiring within 30 days (more than 7)",
            format!(
                "status = 'active' AND end_at > '{}' AND end_at <= '{}'",
                days(8),
                days(30)
            ),
        ),
        (
            "expiring within 7 days",
            format!("status = 'active' AND end_at <= '{}'", days(7)),
        ),
        (
            "pending for 2 days",
            format!(
                "status = 'approvalPending' AND locked_at BETWEEN '{}' AND '{}' \
                 AND approval_code IS NOT NULL",
                days(-3),
                days(-1)
            ),
        ),
        (
            "pending for 85 days",
            format!(
                "status = 'approvalPending' AND locked_at BETWEEN '{}' AND '{}'",
                days(-86),
                days(-84)
            ),
        ),
        ("a draft", "status = 'created'".to_string()),
        ("expired", "status = 'expired'".to_string()),
        ("terminated", "status = 'terminated'".to_string()),
        (
            "with Global Administrator",
            "status = 'active' AND roles LIKE '%62e90394-69f5-4237-9190-012177145e10%'".into(),
        ),
        (
            "auto-extending",
            "status = 'active' AND auto_extend_days = 180".into(),
        ),
        (
            "active without any access assignment",
            "status = 'active' AND access_assignment_count = 0".into(),
        ),
    ];
    for (what, filter) in &cases {
        assert!(of(filter) > 0, "no relationship {what}");
    }
    let with_none = count(
        &conn,
        &format!(
            "SELECT count(*) FROM customers WHERE partner_id = {contoso} AND admin_status = 'none'"
        ),
    );
    assert!(with_none > 0, "no customer without admin access");
    let total = of("1");
    assert!(
        (560..640).contains(&total),
        "{total} relationships for 400 customers"
    );
    let removed_but_active = count(
        &conn,
        "SELECT count(*) FROM customers c WHERE c.allow_delegated_access = 0 AND EXISTS \
         (SELECT 1 FROM admin_relationships r WHERE r.customer_id = c.id AND r.status = 'active')",
    );
    assert_eq!(removed_but_active, 0, "removed admin access yet active");
    let fabrikam = count(
        &conn,
        "SELECT count(*) FROM admin_relationships r JOIN partners p ON p.id = r.partner_id \
         WHERE p.name = 'Fabrikam Partner'",
    );
    assert!(fabrikam > 2, "{fabrikam} for Fabrikam");
    let miscounted = count(
        &conn,
        "SELECT count(*) FROM admin_relationships r WHERE access_assignment_count != \
         (SELECT count(*) FROM admin_access_assignments a WHERE a.relationship_id = r.id)",
    );
    assert_eq!(
        miscounted, 0,
        "access_assignment_count disagrees with the assignments"
    );
}

#[test]
fn seeded_summaries_are_what_the_store_computes_from_the_relationships() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir, "s.db", 300);
    let mut conn = lock(&store.writer);
    let summaries = "SELECT id, admin_status, admin_end_at, admin_requested_at FROM customers \
                     ORDER BY id";
    let seeded = rows(&conn, summaries);
    let statuses: std::collections::HashSet<&String> = seeded.iter().map(|r| &r[1]).collect();
    assert_eq!(
        statuses.len(),
        5,
        "active, pending, expired, terminated and none: {statuses:?}"
    );
    let tx = conn.transaction().unwrap();
    let customers: Vec<(String, String)> = tx
        .prepare("SELECT partner_id, id FROM customers")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for (partner, customer) in &customers {
        summary::refresh(&tx, partner, customer).unwrap();
    }
    assert_eq!(rows(&tx, summaries), seeded);
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
