//! Bearer tokens: only their SHA-256 is kept. Lifetimes as on SQLite (the SQLite `tokens` module
//! has the rules): a sliding token is pushed to now + idle when used, at most once a minute.

use deadpool_postgres::Transaction;

use super::partners::parse_role;
use super::resources::{execute, row};
use crate::server::store::sqlite::TOKEN_RENEW_AFTER_SECS;
use crate::server::store::{Principal, StoreResult};

const LOOKUP: &str = "SELECT p.id, p.name, p.cloud, a.id, a.name, a.role, t.expires_at, t.idle_secs \
    FROM tokens t JOIN agents a ON a.id = t.agent_id JOIN partners p ON p.id = a.partner_id \
    WHERE t.hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2)";

/// The principal of a token that has not expired at `now`, and whether it is due for renewal.
pub(super) async fn lookup(
    tx: &Transaction<'_>,
    hash: &str,
    now: i64,
) -> StoreResult<Option<(Principal, bool)>> {
    let Some(r) = row(tx, LOOKUP, &[&hash, &now]).await? else {
        return Ok(None);
    };
    let principal = Principal {
        partner_id: r.get(0),
        partner_name: r.get(1),
        cloud: r.get(2),
        agent_id: r.get(3),
        agent_name: r.get(4),
        role: parse_role(r.get(5))?,
    };
    let expires_at: Option<i64> = r.get(6);
    let idle_secs: Option<i64> = r.get(7);
    let due = match (expires_at, idle_secs) {
        (Some(at), Some(idle)) => at - now < idle - TOKEN_RENEW_AFTER_SECS,
        _ => false,
    };
    Ok(Some((principal, due)))
}

/// Pushes a sliding token's expiry to `now` + its idle time; with `even_if_lapsed` also one
/// whose expiry passed while its holder slept (it is not purged yet). False when there is none.
pub(super) async fn renew(
    tx: &Transaction<'_>,
    hash: &str,
    now: i64,
    even_if_lapsed: bool,
) -> StoreResult<bool> {
    let renewed = execute(
        tx,
        "UPDATE tokens SET expires_at = $2 + idle_secs \
         WHERE hash = $1 AND idle_secs IS NOT NULL AND ($3 OR expires_at > $2)",
        &[&hash, &now, &even_if_lapsed],
    )
    .await?;
    Ok(renewed > 0)
}

/// Deletes every token expired at `now`; how many.
pub(super) async fn purge(tx: &Transaction<'_>, now: i64) -> StoreResult<usize> {
    let gone = execute(
        tx,
        "DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at <= $1",
        &[&now],
    )
    .await?;
    Ok(gone as usize)
}

/// Forgets one token; false when there was none.
pub(super) async fn revoke(tx: &Transaction<'_>, hash: &str) -> StoreResult<bool> {
    let gone = execute(tx, "DELETE FROM tokens WHERE hash = $1", &[&hash]).await?;
    Ok(gone > 0)
}

/// Unix seconds now.
pub(super) fn now_secs() -> i64 {
    crate::server::store::sqlite::token_now_secs()
}

#[cfg(test)]
mod tests;
