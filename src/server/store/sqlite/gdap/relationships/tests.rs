//! The list's plans: a page of relationships is an index range, not a sort of them all.
#![allow(clippy::unwrap_used)]

use rusqlite::Connection;

fn plan(conn: &Connection, sql: &str, values: Vec<rusqlite::types::Value>) -> String {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let rows = stmt
        .query_map(rusqlite::params_from_iter(values), |r| {
            r.get::<_, String>(3)
        })
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    rows.join("\n")
}

#[test]
fn every_listing_reads_in_index_order_without_sorting() {
    use super::list_sql;
    use crate::api::gdap::RelationshipStatus;
    use crate::server::store::SqliteStore;
    use crate::server::store::gdap::{RelationshipCursor, RelationshipQuery};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    let after = Some(RelationshipCursor {
        end_key: "2027-01-01T00:00:00Z".into(),
        id: "r".into(),
    });
    for (query, index) in [
        (
            RelationshipQuery {
                size: 100,
                ..RelationshipQuery::default()
            },
            "admin_relationships_by_end",
        ),
        (
            RelationshipQuery {
                size: 100,
                status: Some(RelationshipStatus::Active),
                after: after.clone(),
                ..RelationshipQuery::default()
            },
            "admin_relationships_by_status_end",
        ),
        (
            RelationshipQuery {
                size: 100,
                end_before: Some("2027-01-01T00:00:00Z".into()),
                after,
                ..RelationshipQuery::default()
            },
            "admin_relationships_by_end",
        ),
    ] {
        let (sql, values) = list_sql("p", &query);
        let plan = plan(&conn, &sql, values);
        assert!(plan.contains(index), "{query:?}: {plan}");
        assert!(!plan.contains("TEMP B-TREE"), "sorts: {plan}");
    }
    // One customer's: its few rows by the customer index (then a small sort).
    let query = RelationshipQuery {
        size: 100,
        tenant_id: Some("t".into()),
        ..RelationshipQuery::default()
    };
    let (sql, values) = list_sql("p", &query);
    let found = plan(&conn, &sql, values);
    assert!(found.contains("admin_relationships_by_customer"), "{found}");
    assert!(found.contains("customers_by_tenant"), "{found}");
}
