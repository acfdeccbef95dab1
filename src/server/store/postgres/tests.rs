#![allow(clippy::unwrap_used)]

use super::{is_postgres_url, pgpass, redacted};

#[test]
fn a_postgres_url_is_told_from_a_path() {
    assert!(is_postgres_url("postgres://cspdash@db:5432/cspdash"));
    assert!(is_postgres_url("PostgreSQL://db/cspdash"));
    assert!(!is_postgres_url("/var/lib/cspdash/cspdash.db"));
    assert!(!is_postgres_url("postgres.db"));
}

#[test]
fn the_password_never_shows_in_a_shown_url() {
    assert_eq!(
        redacted("postgres://agent:s3cret@db:5432/cspdash?sslmode=disable"),
        "postgres://agent:***@db:5432/cspdash?sslmode=disable"
    );
    assert_eq!(
        redacted("postgres://agent@db/cspdash"),
        "postgres://agent@db/cspdash"
    );
    assert_eq!(redacted("postgres://db/x@y"), "postgres://db/x@y");
}

#[test]
fn pgpass_takes_the_first_matching_line_with_wildcards_and_escapes() {
    let text = "# comment\n\
                other:5432:cspdash:agent:wrong\n\
                db:*:cspdash:agent:pa\\:ss\n\
                *:*:*:*:fallback\n";
    assert_eq!(
        pgpass::find(text, ["db", "5433", "cspdash", "agent"]).as_deref(),
        Some("pa:ss")
    );
    assert_eq!(
        pgpass::find(text, ["elsewhere", "1", "x", "y"]).as_deref(),
        Some("fallback")
    );
    assert_eq!(pgpass::find("db:1:2:3\n", ["db", "1", "2", "3"]), None);
}

#[test]
fn a_test_database_url_keeps_the_server_and_its_options() {
    use super::scratch::with_database;
    assert_eq!(
        with_database("postgres://cspdash@127.0.0.1:55432/postgres", "t1"),
        "postgres://cspdash@127.0.0.1:55432/t1"
    );
    assert_eq!(
        with_database("postgres://u:p@h/postgres?sslmode=disable", "t2"),
        "postgres://u:p@h/t2?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "t3"), "postgres://h/t3");
}

#[test]
fn a_database_from_a_newer_cspdash_is_refused_with_what_to_do() {
    use crate::server::store::Store;
    let Some(url) = super::testing::test_database() else {
        return;
    };
    let store = super::PgStore::open(&url).unwrap();
    assert!(store.is_empty().unwrap());
    store.ping().unwrap();
    // Opening again migrates nothing and finds the schema as it was.
    drop(store);
    let again = super::PgStore::open(&url).unwrap();
    again
        .run(async {
            let client = again.client().await?;
            client
                .execute("INSERT INTO cspdash_schema (version) VALUES (99)", &[])
                .await?;
            Ok(())
        })
        .unwrap();
    drop(again);
    let err = super::PgStore::open(&url).unwrap_err().to_string();
    assert!(err.contains("schema version 99"), "{err}");
    assert!(err.contains("upgrade cspdash"), "{err}");
}
