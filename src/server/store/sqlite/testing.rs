//! The SQLite side of the contract suite's access behind the API.
#![allow(clippy::unwrap_used)]

use rusqlite::params;
use rusqlite::types::Value;

use super::gdap::summary;
use super::partners::{insert_agent, insert_partner};
use super::{SqliteStore, customers, lock};
use crate::server::store::contract::TestStore;
use crate::server::store::seed::{DemoPartner, demo_customer};
use crate::server::store::{CustomerPage, CustomerQuery, StoreResult};

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

    fn add_book(&self, partner: &DemoPartner, customers: u32) {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction().unwrap();
        insert_partner(&tx, &partner.id, partner.name, partner.cloud).unwrap();
        for agent in &partner.agents {
            insert_agent(&tx, &partner.id, agent).unwrap();
        }
        for (id, name, location) in &partner.resellers {
            tx.execute(
                "INSERT INTO indirect_resellers (id, partner_id, name, location, state) \
                 VALUES (?1, ?2, ?3, ?4, 'active')",
                params![id, partner.id, name, location],
            )
            .unwrap();
        }
        for index in 0..customers {
            let c = demo_customer(partner, index);
            let row = customers::NewRow {
                id: c.id,
                tenant_id: c.tenant_id,
                domain: &c.domain,
                billing: &c.billing,
                relationship: c.relationship,
                allow_delegated_access: c.allow_delegated_access,
                associated_partner_id: c.reseller.map(|i| partner.resellers[i].0.as_str()),
            };
            customers::insert(&tx, &partner.id, row).unwrap();
        }
        tx.commit().unwrap();
    }

    fn list_customers_planned(
        &self,
        partner_id: &str,
        query: &CustomerQuery,
        few_domain_matches: i64,
    ) -> StoreResult<CustomerPage> {
        customers::list_with(&lock(&self.writer), partner_id, query, few_domain_matches)
    }

    fn refresh_admin_summaries(&self) {
        let mut conn = lock(&self.writer);
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
        tx.commit().unwrap();
    }

    fn replica(&self) -> Box<dyn TestStore> {
        Box::new(SqliteStore::open(&self.path).unwrap())
    }
}
