#![allow(clippy::unwrap_used)]
use super::*;
use crate::api::CustomerFilter;

/// Every page of a filtered list, as ids.
fn walk(conn: &Connection, partner: &str, filter: &CustomerFilter, few: i64) -> Vec<String> {
    let mut query = CustomerQuery {
        size: 7,
        filter: Some(filter.clone()),
        after: None,
    };
    let mut ids = Vec::new();
    loop {
        let page = list_with(conn, partner, &query, few).unwrap();
        ids.extend(page.items.into_iter().map(|c| c.id));
        match page.next {
            Some(cursor) => query.after = Some(cursor),
            None => return ids,
        }
    }
}

#[test]
fn both_domain_plans_list_exactly_the_matches_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::server::store::SqliteStore::open(&dir.path().join("d.db")).unwrap();
    crate::server::store::Store::seed_demo(&store, 1500).unwrap();
    let conn = Connection::open(dir.path().join("d.db")).unwrap();
    let partner: String = conn
        .query_row(
            "SELECT id FROM partners WHERE name = 'Contoso Partner'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let all: Vec<(String, String)> = conn
        .prepare("SELECT id, domain FROM customers WHERE partner_id = ?1 ORDER BY name_key, id")
        .unwrap()
        .query_map([&partner], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for prefix in ["t", "ALPINE", "cedar", "tenant", "zz", "a"] {
        let expected: Vec<String> = all
            .iter()
            .filter(|(_, domain)| domain.starts_with(&prefix.to_lowercase()))
            .map(|(id, _)| id.clone())
            .collect();
        let filter = CustomerFilter::starts_with(FilterField::Domain, prefix);
        assert_eq!(
            walk(&conn, &partner, &filter, i64::MAX),
            expected,
            "few-matches plan, {prefix}"
        );
        assert_eq!(
            walk(&conn, &partner, &filter, 0),
            expected,
            "many-matches plan, {prefix}"
        );
    }
}
