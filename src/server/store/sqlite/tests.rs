#![allow(clippy::unwrap_used)]
use super::*;

#[test]
fn request_ids_older_than_two_days_are_forgotten_at_start_up_and_newer_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    let at = |hours: i64| {
        (chrono::Utc::now() - chrono::TimeDelta::hours(hours))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    for (id, created) in [("old", at(49)), ("yesterday", at(25)), ("new", at(0))] {
        conn.execute(
            "INSERT INTO idempotency_keys VALUES ('p', ?1, 'h', 201, '{}', ?2)",
            [id, created.as_str()],
        )
        .unwrap();
    }
    drop(conn);
    drop(crate::server::open_store(&path, None).unwrap());
    let conn = Connection::open(&path).unwrap();
    let mut left: Vec<String> = conn
        .prepare("SELECT request_id FROM idempotency_keys")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    left.sort();
    assert_eq!(left, ["new", "yesterday"]);
}

#[test]
fn a_database_from_a_newer_cspdash_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).unwrap_err().to_string();
    assert!(err.contains("schema version 99"), "{err}");
    assert!(err.contains("upgrade cspdash"), "{err}");
}

#[test]
fn seeding_leaves_the_schema_settings_and_references_as_migrations_made_them() {
    use crate::server::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let schema = |conn: &Connection| -> Vec<(String, Option<String>)> {
        conn.prepare(
            "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    };
    let fresh = SqliteStore::open(&dir.path().join("fresh.db")).unwrap();
    let path = dir.path().join("seeded.db");
    let store = SqliteStore::open(&path).unwrap();
    store.seed_demo(300).unwrap();
    let writer = lock(&store.writer);
    assert_eq!(
        schema(&writer),
        schema(&lock(&fresh.writer)),
        "indexes rebuilt as migrated"
    );
    let mode: String = writer
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let keys: i64 = writer
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(keys, 1, "foreign keys are enforced again");
    let synchronous: i64 = writer
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!(synchronous, 2, "commits stay synchronous FULL");
    let cache: i64 = writer
        .pragma_query_value(None, "cache_size", |r| r.get(0))
        .unwrap();
    assert_eq!(cache, -2000, "the seeding cache is given back");
    let dangling = writer
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query([])
        .unwrap()
        .next()
        .unwrap()
        .is_some();
    assert!(!dangling, "every seeded row's parent exists");
    let customers: i64 = writer
        .query_row(
            "SELECT customers FROM customer_counts JOIN partners p ON p.id = partner_id \
             WHERE p.name = 'Contoso Partner'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        customers, 300,
        "the count trigger ran for every seeded customer"
    );
    let wal = std::fs::metadata(format!("{}-wal", path.display()))
        .map(|m| m.len())
        .unwrap_or(0);
    assert_eq!(wal, 0, "no write-ahead log left behind");
}

#[test]
fn reopening_a_database_keeps_its_data_and_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("re.db");
    let store = SqliteStore::open(&path).unwrap();
    crate::server::store::Store::seed_demo(&store, 20).unwrap();
    drop(store);
    let store = SqliteStore::open(&path).unwrap();
    assert!(!crate::server::store::Store::is_empty(&store).unwrap());
}
