//! Token lifetimes on PostgreSQL: the SQLite store's token tests, on rows these tests insert.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use super::super::PgStore;
use super::super::partners::insert_partner;
use super::super::resources::{execute, row};
use super::*;
use crate::api::Role;
use crate::server::store::{Store, StoreError, TokenExpiry};

const IDLE: Duration = Duration::from_secs(15 * 60);

/// A store with one partner (no agents yet: making a token makes one).
fn store() -> Option<PgStore> {
    let store = super::super::test_store()?;
    store
        .write(async |tx| insert_partner(tx, "p-1", "Contoso Partner", "Partner Center").await)
        .unwrap();
    Some(store)
}

/// A global admin's token (stored under `hash`) that lives while it is used.
fn sliding(store: &PgStore, hash: &str) {
    store
        .create_expiring_token(hash, None, Role::GlobalAdmin, None, TokenExpiry::Idle(IDLE))
        .unwrap();
}

/// Moves the tokens' clock: as if `secs` had passed since they were made or last renewed.
fn pass(store: &PgStore, secs: i64) {
    store
        .write(async |tx| {
            execute(
                tx,
                "UPDATE tokens SET expires_at = expires_at - $1",
                &[&secs],
            )
            .await?;
            Ok(())
        })
        .unwrap();
}

fn expires_at(store: &PgStore, hash: &str) -> Option<i64> {
    store
        .read(async |tx| {
            Ok(row(
                tx,
                "SELECT expires_at FROM tokens WHERE hash = $1",
                &[&hash],
            )
            .await?
            .and_then(|r| r.get(0)))
        })
        .unwrap()
}

fn count(store: &PgStore) -> i64 {
    store
        .read(async |tx| {
            Ok(row(tx, "SELECT count(*) FROM tokens", &[])
                .await?
                .map_or(0, |r| r.get(0)))
        })
        .unwrap()
}

#[test]
fn a_sliding_token_dies_when_unused_for_its_idle_time_and_is_purged() {
    let Some(store) = store() else { return };
    sliding(&store, "idle");
    store
        .create_token("forever", None, Role::AdminAgent, None)
        .unwrap();
    assert!(store.principal_for_token("idle").unwrap().is_some());
    pass(&store, 16 * 60);
    assert_eq!(store.principal_for_token("idle").unwrap(), None, "expired");
    assert!(store.principal_for_token("forever").unwrap().is_some());
    assert_eq!(
        expires_at(&store, "forever"),
        None,
        "token create never expires"
    );
    assert_eq!(store.purge_expired_tokens().unwrap(), 1);
    assert_eq!(count(&store), 1, "only the expired token went");
    assert!(store.principal_for_token("forever").unwrap().is_some());
    assert!(store.revoke_token("forever").unwrap());
    assert_eq!(
        store.principal_for_token("forever").unwrap(),
        None,
        "revoked"
    );
    assert!(!store.revoke_token("forever").unwrap());
}

#[test]
fn use_renews_a_sliding_token_at_most_once_a_minute() {
    let Some(store) = store() else { return };
    sliding(&store, "idle");
    let full = IDLE.as_secs() as i64;
    pass(&store, 30);
    let aged = expires_at(&store, "idle").unwrap();
    store.principal_for_token("idle").unwrap().unwrap();
    assert_eq!(
        expires_at(&store, "idle"),
        Some(aged),
        "renewed under a minute ago"
    );

    pass(&store, 14 * 60);
    assert!(
        expires_at(&store, "idle").unwrap() - now_secs() < 60,
        "nearly dead"
    );
    store.principal_for_token("idle").unwrap().unwrap();
    let renewed = expires_at(&store, "idle").unwrap() - now_secs();
    assert!((full - 5..=full).contains(&renewed), "{renewed}");
    pass(&store, 10 * 60);
    assert!(
        store.principal_for_token("idle").unwrap().is_some(),
        "alive: it was used"
    );
}

#[test]
fn a_fixed_lifetime_is_not_extended_by_use() {
    let Some(store) = store() else { return };
    let expiry = TokenExpiry::After(Duration::from_secs(3600));
    store
        .create_expiring_token("fixed", None, Role::SalesAgent, None, expiry)
        .unwrap();
    pass(&store, 3000);
    let before = expires_at(&store, "fixed");
    store.principal_for_token("fixed").unwrap().unwrap();
    assert_eq!(expires_at(&store, "fixed"), before);
    pass(&store, 601);
    assert_eq!(store.principal_for_token("fixed").unwrap(), None);
}

#[test]
fn its_holder_renews_a_lapsed_token_until_it_is_purged() {
    let Some(store) = store() else { return };
    sliding(&store, "held");
    pass(&store, 8 * 3600);
    assert_eq!(store.principal_for_token("held").unwrap(), None);
    assert!(
        store.renew_token("held").unwrap(),
        "the machine slept; the holder is back"
    );
    assert!(store.principal_for_token("held").unwrap().is_some());
    pass(&store, 8 * 3600);
    store.purge_expired_tokens().unwrap();
    assert!(!store.renew_token("held").unwrap(), "purged: gone for good");
}

#[test]
fn tokens_resolve_their_agent_by_name_or_role_and_refuse_a_role_clash() {
    let Some(store) = store() else { return };
    let admin = store
        .create_token("a", Some("contoso partner"), Role::AdminAgent, None)
        .unwrap();
    assert_eq!(
        (admin.partner_id.as_str(), admin.agent_name.as_str()),
        ("p-1", Role::AdminAgent.title())
    );
    let again = store
        .create_token("b", Some("p-1"), Role::AdminAgent, None)
        .unwrap();
    assert_eq!(
        again.agent_id, admin.agent_id,
        "the first agent with the role"
    );
    let named = store
        .create_token("c", None, Role::SalesAgent, Some("Dana Ruiz"))
        .unwrap();
    assert_eq!(named.agent_name, "Dana Ruiz");
    let agents = store.agents("p-1").unwrap();
    assert_eq!(agents.len(), 2);
    assert!(
        agents
            .iter()
            .any(|a| a.email == "dana.ruiz@partner.invalid")
    );
    assert!(matches!(
        store.create_token("d", None, Role::AdminAgent, Some("Dana Ruiz")),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.create_token("e", Some("Nobody"), Role::AdminAgent, None),
        Err(StoreError::Invalid { .. })
    ));
    assert!(!store.is_empty().unwrap());
}

#[test]
fn a_secret_is_made_once_and_kept() {
    let Some(store) = store() else { return };
    let first = store.secret("continuation").unwrap();
    assert_eq!(
        first.len(),
        crate::server::signing::random_key().unwrap().len()
    );
    assert_eq!(store.secret("continuation").unwrap(), first);
    assert_ne!(store.secret("csrf").unwrap(), first);
}

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
