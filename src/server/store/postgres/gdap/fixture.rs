//! Rows the PostgreSQL-only gdap tests (query plans) start from: a partner with an agent,
//! customers and a security group, inserted directly. The contract suite has its own,
//! store-neutral copy (`contract::fixture`).
#![allow(clippy::unwrap_used)]

use crate::server::store::postgres::PgStore;

pub(super) struct Fixture {
    pub store: PgStore,
}

/// A fresh database with one partner (Contoso Partner, agent Ada), customers `cust-1` ..
/// `cust-3` (tenants `tenant-1` ..) and security group `group-1`; `None` when no PostgreSQL is
/// configured for tests.
pub(super) fn fixture() -> Option<Fixture> {
    let store = super::super::test_store()?;
    store
        .write(async |tx| {
            tx.batch_execute(
                "DELETE FROM admin_access_assignments; DELETE FROM admin_relationships; \
                 INSERT INTO partners (id, name, cloud, created_at) \
                 VALUES ('p-test', 'Contoso Partner Test', 'Partner Center', '2026-01-01T00:00:00Z'); \
                 INSERT INTO agents (id, partner_id, name, email, role) \
                 VALUES ('a-test', 'p-test', 'Ada', 'ada@example.com', 'admin-agent'); \
                 INSERT INTO partners (id, name, cloud, created_at) \
                 VALUES ('p-other', 'Other Partner Test', 'Partner Center', '2026-01-01T00:00:00Z'); \
                 INSERT INTO security_groups (id, partner_id, display_name) \
                 VALUES ('group-1', 'p-test', 'Helpdesk Agents'), \
                        ('group-other', 'p-other', 'Theirs');",
            )
            .await?;
            for (n, partner) in [(1, "p-test"), (2, "p-test"), (3, "p-test"), (4, "p-other")] {
                tx.execute(
                    "INSERT INTO customers (id, partner_id, tenant_id, company_name, name_key, \
                     domain, domain_key, relationship, allow_delegated_access, billing_profile, \
                     created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, lower($4), $5, $5, 'reseller', true, '{}', \
                     '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                    &[
                        &format!("cust-{n}"),
                        &partner,
                        &format!("tenant-{n}"),
                        &format!("Customer {n}"),
                        &format!("c{n}.example.com"),
                    ],
                )
                .await?;
            }
            Ok(())
        })
        .unwrap();
    Some(Fixture { store })
}

impl Fixture {
    /// Runs `sql` with `params` on the test's database; its rows.
    pub fn sql(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Vec<tokio_postgres::Row> {
        self.store
            .write(async |tx| Ok(tx.query(sql, params).await?))
            .unwrap()
    }
}
