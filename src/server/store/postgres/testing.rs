//! The PostgreSQL half of the store's unit tests: [`test_store`] opens a fresh database on the
//! server `CSPDASH_TEST_POSTGRES` names, or says once that it is skipping (and fails in CI).

use super::PgStore;
use super::scratch;

/// A store on a new empty (migrated, unseeded) database; None when no server is configured
/// (after one line on stderr), a panic instead under `CI=true` or `CSPDASH_REQUIRE_ALL_TESTS=1`.
pub(crate) fn test_store() -> Option<PgStore> {
    let url = test_database()?;
    Some(PgStore::open(&url).unwrap_or_else(|e| panic!("{e}")))
}

/// The URL of a new empty database (not yet migrated), or None as for [`test_store`].
pub(crate) fn test_database() -> Option<String> {
    let Some(admin) = scratch::server_url() else {
        let line = scratch::missing_line();
        let strict = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
            || std::env::var("CSPDASH_REQUIRE_ALL_TESTS").is_ok_and(|v| v == "1");
        assert!(!strict, "FAILED: {line}; tests may not skip in CI");
        use std::io::Write;
        let test = std::thread::current().name().unwrap_or("test").to_string();
        let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {line}");
        return None;
    };
    Some(scratch::create_database(&admin).unwrap_or_else(|e| panic!("{e}")))
}

impl crate::server::store::contract::TestStore for PgStore {
    fn exec(&self, sql: &str) {
        self.write(async |tx| Ok(tx.batch_execute(sql).await?))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        // The simple protocol answers every value as text, as the SQLite side does.
        let messages = self
            .write(async |tx| Ok(tx.simple_query(sql).await?))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        messages
            .iter()
            .filter_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                    (0..row.len())
                        .map(|n| row.get(n).map(str::to_string))
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }
}
