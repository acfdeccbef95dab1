//! Tokens: sliding lifetimes renewed by use at most once a minute, fixed ones never, lapsed
//! ones renewed by their holder until purged, revocation, agents found by name or role, and
//! signing secrets made once.

use std::time::Duration;

use super::{TestStore, contract};
use crate::api::Role;
use crate::server::store::sqlite::token_now_secs as now_secs;
use crate::server::store::{StoreError, TokenExpiry};

const IDLE: Duration = Duration::from_secs(15 * 60);

/// One partner (no agents yet: making a token makes one).
fn partner(store: &dyn TestStore) {
    store.exec(
        "INSERT INTO partners (id, name, cloud, created_at) \
         VALUES ('p-1', 'Contoso Partner', 'Partner Center', '2026-01-01T00:00:00Z')",
    );
}

/// A global admin's token (stored under `hash`) that lives while it is used.
fn sliding(store: &dyn TestStore, hash: &str) {
    store
        .create_expiring_token(hash, None, Role::GlobalAdmin, None, TokenExpiry::Idle(IDLE))
        .unwrap();
}

/// Moves the tokens' clock: as if `secs` had passed since they were made or last renewed.
fn pass(store: &dyn TestStore, secs: i64) {
    store.exec(&format!(
        "UPDATE tokens SET expires_at = expires_at - {secs}"
    ));
}

fn expires_at(store: &dyn TestStore, hash: &str) -> Option<i64> {
    let rows = store.rows(&format!(
        "SELECT expires_at FROM tokens WHERE hash = '{hash}'"
    ));
    rows.into_iter()
        .next()
        .and_then(|mut r| r.remove(0))
        .map(|t| t.parse().unwrap())
}

fn count(store: &dyn TestStore) -> i64 {
    let rows = store.rows("SELECT count(*) FROM tokens");
    rows[0][0].as_deref().unwrap().parse().unwrap()
}

contract! {
    fn a_sliding_token_dies_when_unused_for_its_idle_time_and_is_purged(store) {
        partner(store);
        sliding(store, "idle");
        store
            .create_token("forever", None, Role::AdminAgent, None)
            .unwrap();
        assert!(store.principal_for_token("idle").unwrap().is_some());
        pass(store, 16 * 60);
        assert_eq!(store.principal_for_token("idle").unwrap(), None, "expired");
        assert!(store.principal_for_token("forever").unwrap().is_some());
        assert_eq!(
            expires_at(store, "forever"),
            None,
            "token create never expires"
        );
        assert_eq!(store.purge_expired_tokens().unwrap(), 1);
        assert_eq!(count(store), 1, "only the expired token went");
        assert!(store.principal_for_token("forever").unwrap().is_some());
        assert!(store.revoke_token("forever").unwrap());
        assert_eq!(
            store.principal_for_token("forever").unwrap(),
            None,
            "revoked"
        );
        assert!(!store.revoke_token("forever").unwrap());
    }

    fn use_renews_a_sliding_token_at_most_once_a_minute(store) {
        partner(store);
        sliding(store, "idle");
        let full = IDLE.as_secs() as i64;
        pass(store, 30);
        let aged = expires_at(store, "idle").unwrap();
        store.principal_for_token("idle").unwrap().unwrap();
        assert_eq!(
            expires_at(store, "idle"),
            Some(aged),
            "renewed under a minute ago"
        );

        pass(store, 14 * 60);
        assert!(
            expires_at(store, "idle").unwrap() - now_secs() < 60,
            "nearly dead"
        );
        store.principal_for_token("idle").unwrap().unwrap();
        let renewed = expires_at(store, "idle").unwrap() - now_secs();
        assert!((full - 5..=full).contains(&renewed), "{renewed}");
        pass(store, 10 * 60);
        assert!(
            store.principal_for_token("idle").unwrap().is_some(),
            "alive: it was used"
        );
    }

    fn a_fixed_lifetime_is_not_extended_by_use(store) {
        partner(store);
        let expiry = TokenExpiry::After(Duration::from_secs(3600));
        store
            .create_expiring_token("fixed", None, Role::SalesAgent, None, expiry)
            .unwrap();
        pass(store, 3000);
        let before = expires_at(store, "fixed");
        store.principal_for_token("fixed").unwrap().unwrap();
        assert_eq!(expires_at(store, "fixed"), before);
        pass(store, 601);
        assert_eq!(store.principal_for_token("fixed").unwrap(), None);
    }

    fn its_holder_renews_a_lapsed_token_until_it_is_purged(store) {
        partner(store);
        sliding(store, "held");
        pass(store, 8 * 3600);
        assert_eq!(store.principal_for_token("held").unwrap(), None);
        assert!(
            store.renew_token("held").unwrap(),
            "the machine slept; the holder is back"
        );
        assert!(store.principal_for_token("held").unwrap().is_some());
        pass(store, 8 * 3600);
        store.purge_expired_tokens().unwrap();
        assert!(!store.renew_token("held").unwrap(), "purged: gone for good");
    }

    fn tokens_resolve_their_agent_by_name_or_role_and_refuse_a_role_clash(store) {
        partner(store);
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

    fn a_secret_is_made_once_and_kept(store) {
        partner(store);
        let first = store.secret("continuation").unwrap();
        assert_eq!(first.len(), 32, "256 bits");
        assert_eq!(
            first.len(),
            crate::server::signing::random_key().unwrap().len()
        );
        assert_eq!(store.secret("continuation").unwrap(), first);
        // In the database, not the process: another store opened on it reads the same key.
        assert_eq!(store.replica().secret("continuation").unwrap(), first);
        assert_ne!(
            store.secret("csrf").unwrap(),
            first,
            "each use has its own key"
        );
    }
}
