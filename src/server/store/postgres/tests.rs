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
    assert_eq!(redacted("postgres://agent@db/cspdash"), "postgres://agent@db/cspdash");
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
