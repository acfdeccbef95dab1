#![allow(clippy::unwrap_used)]
//! The PostgreSQL demo data is the SQLite demo data: the same rows in every table (apart from
//! the times of seeding and the random approval codes), so the same tests pass on both stores.

use super::super::{PgStore, test_store};
use crate::server::store::{SqliteStore, Store, StoreError};

/// A fresh, empty PostgreSQL database, or None (and a line why) without `CSPDASH_TEST_POSTGRES`.
/// The columns compared, per table: everything that does not depend on when seeding ran.
const TIMELESS: &[(&str, &str, &str)] = &[
    ("partners", "id, name, cloud, seq", "id"),
    ("agents", "id, partner_id, name, email, role, seq", "id"),
    (
        "indirect_resellers",
        "id, partner_id, name, location, state",
        "id",
    ),
    (
        "customers",
        "id, partner_id, tenant_id, company_name, name_key, domain, domain_key, relationship, \
         allow_delegated_access, allow_customer_purchase, associated_partner_id, billing_profile, \
         version, admin_status, admin_end_at IS NULL, admin_requested_at IS NULL",
        "id",
    ),
    ("customer_counts", "partner_id, customers", "partner_id"),
    (
        "subscriptions",
        "id, customer_id, offer_id, offer_name, friendly_name, quantity, unit_type, status, \
         auto_renew_enabled, billing_cycle, term_duration, creation_date, commitment_end_date",
        "id",
    ),
    (
        "subscribed_skus",
        "customer_id, sku_id, name, sku_part_number, status, active_units, consumed_units, \
         suspended_units, warning_units",
        "customer_id, sku_id",
    ),
    (
        "customer_users",
        "id, customer_id, user_principal_name, first_name, last_name, display_name, \
         usage_location, state, version, removed_at IS NULL",
        "id",
    ),
    (
        "user_licenses",
        "customer_id, user_id, sku_id",
        "customer_id, user_id, sku_id",
    ),
    ("security_groups", "id, partner_id, display_name", "id"),
    (
        "admin_relationships",
        "id, partner_id, customer_id, display_name, name_key, duration_days, auto_extend_days, \
         roles, status, locked_at IS NULL, activated_at IS NULL, end_at IS NULL, \
         approval_code IS NULL, access_assignment_count, version",
        "id",
    ),
    (
        "admin_access_assignments",
        "id, relationship_id, security_group_id, roles, status, version",
        "id",
    ),
    (
        "support_contacts",
        "customer_id, position, agent_id",
        "customer_id, position",
    ),
    (
        "service_requests",
        "id, customer_id, title, description, severity, status, contact_agent_id, opened_by, \
         closed_at IS NULL",
        "id",
    ),
    (
        "audit_records",
        "id, partner_id, agent_id, agent_name, customer_id, customer_name, operation, \
         resource_type, value_before, value_after, details",
        "id",
    ),
];

fn sqlite_rows(conn: &rusqlite::Connection, sql: &str) -> Vec<Vec<Option<String>>> {
    use rusqlite::types::Value;
    let mut stmt = conn.prepare(sql).unwrap();
    let width = stmt.column_count();
    stmt.query_map([], |r| {
        (0..width)
            .map(|i| {
                Ok(match r.get::<_, Value>(i)? {
                    Value::Null => None,
                    Value::Integer(n) => Some(n.to_string()),
                    Value::Text(s) => Some(s),
                    other => Some(format!("{other:?}")),
                })
            })
            .collect()
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn pg_rows(store: &PgStore, sql: &str) -> Vec<Vec<Option<String>>> {
    use tokio_postgres::types::Type;
    store
        .read(async |tx| {
            let found = tx.query(sql, &[]).await?;
            Ok(found
                .iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| match *r.columns()[i].type_() {
                            Type::INT8 => r.get::<_, Option<i64>>(i).map(|n| n.to_string()),
                            Type::BOOL => r
                                .get::<_, Option<bool>>(i)
                                .map(|b| i64::from(b).to_string()),
                            _ => r.get::<_, Option<String>>(i),
                        })
                        .collect()
                })
                .collect())
        })
        .unwrap()
}

#[test]
fn postgres_is_seeded_with_exactly_the_rows_sqlite_is() {
    let Some(pg) = test_store() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let sqlite = SqliteStore::open(&path).unwrap();
    // Enough customers for every kind of demo row (removed users, resellers, every admin
    // relationship status, service requests, the special names).
    sqlite.seed_demo(300).unwrap();
    pg.seed_demo(300).unwrap();
    drop(sqlite);
    let conn = rusqlite::Connection::open(&path).unwrap();
    for (table, columns, key) in TIMELESS {
        // SQLite's rowid is PostgreSQL's seq.
        let sqlite_columns = columns.replace("seq", "rowid");
        let expected = sqlite_rows(
            &conn,
            &format!("SELECT {sqlite_columns} FROM {table} ORDER BY {key}"),
        );
        assert!(!expected.is_empty(), "{table} is seeded");
        let seeded = pg_rows(
            &pg,
            &format!("SELECT {columns} FROM {table} ORDER BY {key}"),
        );
        assert_eq!(seeded.len(), expected.len(), "rows in {table}");
        for (row, want) in seeded.iter().zip(&expected) {
            assert_eq!(row, want, "{table}");
        }
    }
    let pending: i64 = pg_rows(
        &pg,
        "SELECT count(DISTINCT approval_code) FROM admin_relationships \
         WHERE status = 'approvalPending'",
    )[0][0]
        .as_deref()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        pending > 10,
        "every pending request has its own link code: {pending}"
    );
}

#[test]
fn seeding_refuses_a_database_that_holds_data_and_leaves_the_count_trigger_on() {
    let Some(pg) = test_store() else { return };
    pg.seed_demo(3).unwrap();
    match pg.seed_demo(3) {
        Err(StoreError::Conflict(message)) => assert!(message.contains("empty"), "{message}"),
        other => panic!("seeding twice: {other:?}"),
    }
    let counts = pg_rows(
        &pg,
        "SELECT p.name, c.customers FROM customer_counts c JOIN partners p ON p.id = c.partner_id \
         ORDER BY p.name",
    );
    let counts: Vec<Vec<Option<&str>>> = counts
        .iter()
        .map(|r| r.iter().map(Option::as_deref).collect())
        .collect();
    assert_eq!(
        counts,
        [
            [Some("Contoso Partner"), Some("3")],
            [Some("Fabrikam Partner"), Some("6")]
        ]
    );
    let trigger = pg_rows(
        &pg,
        "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'customers_counted'",
    );
    assert_eq!(
        trigger,
        [[Some("O".to_string())]],
        "the count trigger is back on"
    );
}

/// Seeding time in this build, for the notes: `cargo test --release --lib
/// postgres::seeding::tests::seeding_time -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn seeding_time() {
    let Some(pg) = test_store() else { return };
    let started = std::time::Instant::now();
    pg.seed_demo(100_000).unwrap();
    eprintln!("seeded 100,000 customers in {:?}", started.elapsed());
}
