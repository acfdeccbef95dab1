//! The SQLite side of the contract suite's access behind the API.

use rusqlite::types::Value;

use super::{SqliteStore, lock};
use crate::server::store::contract::TestStore;

impl TestStore for SqliteStore {
    fn exec(&self, sql: &str) {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction().unwrap_or_else(|e| panic!("{e}"));
        tx.execute_batch(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        tx.commit().unwrap_or_else(|e| panic!("{e}"));
    }

    fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        let conn = lock(&self.writer);
        let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let columns = stmt.column_count();
        let rows = stmt.query_map([], |row| {
            (0..columns)
                .map(|n| {
                    Ok(match row.get::<_, Value>(n)? {
                        Value::Null => None,
                        Value::Integer(i) => Some(i.to_string()),
                        Value::Real(r) => Some(r.to_string()),
                        Value::Text(t) => Some(t),
                        Value::Blob(b) => Some(String::from_utf8_lossy(&b).into_owned()),
                    })
                })
                .collect()
        });
        rows.and_then(Iterator::collect)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}
