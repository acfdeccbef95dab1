//! Token lifetimes. A token may expire (`expires_at`, unix seconds); a sliding one (`idle_secs`)
//! is pushed to now + idle when used, at most once a minute, so only an abandoned token (a
//! crashed dashboard's) dies. Expired tokens are refused and purged at start-up. When a token was
//! last used (`last_used_at`) is recorded the same way: at most once a minute, never a write a
//! request.

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::partners::parse_role;
use crate::server::store::token_list::{HOLDER_COLUMNS, TOKEN_COLUMNS, TOKEN_ORDER};
use crate::server::store::{
    Principal, StoreError, StoreResult, TokenExpiry, TokenHolder, TokenInfo,
};

/// A sliding token is renewed on use (and any token's use recorded) only when its last renewal
/// (record) is older than this: a busy client costs one write a minute, not one a request.
pub(crate) const RENEW_AFTER_SECS: i64 = 60;

/// Now, in the unix seconds `expires_at` is kept in.
pub(crate) fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// `(expires_at, idle_secs)` for a token made now.
pub(crate) fn columns(expiry: TokenExpiry, now: i64) -> (Option<i64>, Option<i64>) {
    let secs = |d: std::time::Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2);
    match expiry {
        TokenExpiry::Never => (None, None),
        TokenExpiry::After(lifetime) => (Some(now.saturating_add(secs(lifetime))), None),
        TokenExpiry::Idle(idle) => (Some(now.saturating_add(secs(idle))), Some(secs(idle))),
    }
}

const LOOKUP: &str = "SELECT p.id, p.name, p.cloud, a.id, a.name, a.role, t.expires_at, t.idle_secs, \
    t.last_used_at \
    FROM tokens t JOIN agents a ON a.id = t.agent_id JOIN partners p ON p.id = a.partner_id \
    WHERE t.hash = ?1 AND (t.expires_at IS NULL OR t.expires_at > ?2)";

/// What a use of a token is due to write: nothing (most requests), or its use recorded and,
/// for a sliding token, its expiry pushed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Due {
    pub record_use: bool,
    pub renew: bool,
}

impl Due {
    /// From a token's row at `now`: each at most once every [`RENEW_AFTER_SECS`].
    pub(crate) fn at(
        now: i64,
        expires_at: Option<i64>,
        idle_secs: Option<i64>,
        last_used_at: Option<i64>,
    ) -> Self {
        let renew = match (expires_at, idle_secs) {
            (Some(at), Some(idle)) => at - now < idle - RENEW_AFTER_SECS,
            _ => false,
        };
        let record_use = last_used_at.is_none_or(|used| now - used >= RENEW_AFTER_SECS);
        Self { record_use, renew }
    }

    pub(crate) fn any(self) -> bool {
        self.record_use || self.renew
    }
}

/// The principal of a token that has not expired at `now`, and what its use is due to write.
pub(super) fn lookup(
    conn: &Connection,
    hash: &str,
    now: i64,
) -> StoreResult<Option<(Principal, Due)>> {
    Ok(conn
        .prepare_cached(LOOKUP)?
        .query_row(params![hash, now], |r| {
            let principal = Principal {
                partner_id: r.get(0)?,
                partner_name: r.get(1)?,
                cloud: r.get(2)?,
                agent_id: r.get(3)?,
                agent_name: r.get(4)?,
                role: parse_role(&r.get::<_, String>(5)?)?,
            };
            Ok((principal, Due::at(now, r.get(6)?, r.get(7)?, r.get(8)?)))
        })
        .optional()?)
}

/// Records a use at `now` and, when `due.renew`, pushes a sliding token's expiry to `now` + its
/// idle time. False when the token is gone or expired (revoked since it was read).
pub(super) fn record_use(
    tx: &Transaction<'_>,
    hash: &str,
    now: i64,
    due: Due,
) -> StoreResult<bool> {
    let touched = tx
        .prepare_cached(
            "UPDATE tokens SET last_used_at = ?2, \
             expires_at = CASE WHEN ?3 AND idle_secs IS NOT NULL THEN ?2 + idle_secs ELSE expires_at END \
             WHERE hash = ?1 AND (expires_at IS NULL OR expires_at > ?2)",
        )?
        .execute(params![hash, now, due.renew])?;
    Ok(touched > 0)
}

/// Pushes a sliding token's expiry to `now` + its idle time; with `even_if_lapsed` also one
/// whose expiry passed while its holder slept (it is not purged yet). False when there is none.
pub(super) fn renew(
    tx: &Transaction<'_>,
    hash: &str,
    now: i64,
    even_if_lapsed: bool,
) -> StoreResult<bool> {
    let renewed = tx
        .prepare_cached(
            "UPDATE tokens SET expires_at = ?2 + idle_secs \
             WHERE hash = ?1 AND idle_secs IS NOT NULL AND (?3 OR expires_at > ?2)",
        )?
        .execute(params![hash, now, even_if_lapsed])?;
    Ok(renewed > 0)
}

/// Deletes every token expired at `now`; how many.
pub(super) fn purge(tx: &Transaction<'_>, now: i64) -> StoreResult<usize> {
    Ok(tx
        .prepare_cached("DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at <= ?1")?
        .execute(params![now])?)
}

fn token_row(r: &Row<'_>) -> rusqlite::Result<TokenInfo> {
    Ok(TokenInfo::from_row((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        parse_role(&r.get::<_, String>(5)?)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
    )))
}

/// Every token, by partner, agent and age.
pub(super) fn list(conn: &Connection) -> StoreResult<Vec<TokenInfo>> {
    let sql = format!("SELECT {TOKEN_COLUMNS} {TOKEN_ORDER}");
    let mut statement = conn.prepare_cached(&sql)?;
    let found = statement
        .query_map([], token_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(found)
}

/// The agents `name_or_id` may mean, of any partner.
pub(super) fn holders(conn: &Connection, name_or_id: &str) -> StoreResult<Vec<TokenHolder>> {
    let sql = format!(
        "SELECT {HOLDER_COLUMNS} WHERE a.id = ?1 OR a.name = ?1 OR lower(a.email) = lower(?1) \
         ORDER BY p.name, a.name, a.id"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let found = statement
        .query_map([name_or_id], |r| {
            Ok(TokenHolder {
                partner_id: r.get(0)?,
                partner: r.get(1)?,
                agent_id: r.get(2)?,
                agent: r.get(3)?,
                email: r.get(4)?,
                role: parse_role(&r.get::<_, String>(5)?)?,
                tokens: u64::try_from(r.get::<_, i64>(6)?).unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(found)
}

/// Deletes the agent's tokens; what they were.
pub(super) fn revoke_agent(tx: &Transaction<'_>, agent_id: &str) -> StoreResult<Vec<TokenInfo>> {
    let sql = format!("SELECT {TOKEN_COLUMNS} WHERE t.agent_id = ?1 {TOKEN_ORDER}");
    let gone: Vec<TokenInfo> = tx
        .prepare_cached(&sql)?
        .query_map([agent_id], token_row)?
        .collect::<rusqlite::Result<_>>()?;
    tx.prepare_cached("DELETE FROM tokens WHERE agent_id = ?1")?
        .execute([agent_id])?;
    Ok(gone)
}

/// Deletes the one token with this id; None when there is none, `Conflict` when two share it.
pub(super) fn revoke_id(tx: &Transaction<'_>, id: &str) -> StoreResult<Option<TokenInfo>> {
    // The id is a prefix of the hash: a range of the primary key, not a scan.
    let sql = format!(
        "SELECT {TOKEN_COLUMNS} WHERE t.hash >= ?1 AND t.hash < ?1 || 'g' {TOKEN_ORDER} LIMIT 2"
    );
    let mut found: Vec<(String, TokenInfo)> = tx
        .prepare_cached(&sql)?
        .query_map([id], |r| Ok((r.get(0)?, token_row(r)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if found.len() > 1 {
        return Err(StoreError::Conflict(format!(
            "two tokens have the id {id}: revoke them by their agent instead"
        )));
    }
    let Some((hash, info)) = found.pop() else {
        return Ok(None);
    };
    tx.prepare_cached("DELETE FROM tokens WHERE hash = ?1")?
        .execute([hash])?;
    Ok(Some(info))
}

#[cfg(test)]
mod tests {
    //! A database migrated before last use was kept (the lifetimes and the rest are the
    //! contract suite's, `contract::tokens`).
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::server::store::{SqliteStore, Store};

    #[test]
    fn a_database_from_before_last_use_was_kept_lists_its_tokens_as_never_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v9.db");
        let conn = Connection::open(&path).unwrap();
        let v9 = &crate::server::store::sqlite::MIGRATIONS[..9];
        for sql in v9 {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 9).unwrap();
        conn.execute_batch(
            "INSERT INTO partners VALUES ('p', 'Old Partner', 'Partner Center', '2020-01-01T00:00:00Z'); \
             INSERT INTO agents VALUES ('a', 'p', 'Old agent', 'old@partner.invalid', 'admin-agent'); \
             INSERT INTO tokens (hash, agent_id, created_at) VALUES ('0123456789abcdef', 'a', '2020-01-02T00:00:00Z');",
        )
        .unwrap();
        drop(conn);
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let store = SqliteStore::open(&path).unwrap();
        let listed = store.tokens().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, "0123456789ab");
        assert_eq!(listed[0].agent, "Old agent");
        assert_eq!(listed[0].created_at, "2020-01-02T00:00:00Z");
        assert_eq!(listed[0].last_used_at, None);
        store
            .principal_for_token("0123456789abcdef")
            .unwrap()
            .unwrap();
        assert!(store.tokens().unwrap()[0].last_used_at.is_some());
    }
}
