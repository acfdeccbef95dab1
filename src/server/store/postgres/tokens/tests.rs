//! Tokens on PostgreSQL only: a database migrated before last use was kept (the lifetimes and
//! the rest are the contract suite's, `contract::tokens`).
#![allow(clippy::unwrap_used)]

use super::super::PgStore;
use crate::server::store::Store;

#[test]
fn a_database_from_before_last_use_was_kept_lists_its_tokens_as_never_used() {
    let Some(url) = super::super::testing::test_database() else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        let driver = tokio::spawn(connection);
        client
            .batch_execute(super::super::MIGRATIONS[0])
            .await
            .unwrap();
        client
            .batch_execute(
                "CREATE TABLE cspdash_schema (version BIGINT NOT NULL); \
                 INSERT INTO cspdash_schema VALUES (1); \
                 INSERT INTO partners (id, name, cloud, created_at) \
                 VALUES ('p', 'Old Partner', 'Partner Center', '2020-01-01T00:00:00Z'); \
                 INSERT INTO agents (id, partner_id, name, email, role) \
                 VALUES ('a', 'p', 'Old agent', 'old@partner.invalid', 'admin-agent'); \
                 INSERT INTO tokens (hash, agent_id, created_at) \
                 VALUES ('0123456789abcdef', 'a', '2020-01-02T00:00:00Z');",
            )
            .await
            .unwrap();
        drop(client);
        let _ = driver.await;
    });
    let store = PgStore::open(&url).unwrap();
    let listed = store.tokens().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, "0123456789ab");
    assert_eq!(listed[0].agent, "Old agent");
    assert_eq!(listed[0].last_used_at, None);
    store
        .principal_for_token("0123456789abcdef")
        .unwrap()
        .unwrap();
    assert!(store.tokens().unwrap()[0].last_used_at.is_some());
}
