//! Bearer tokens: only their SHA-256 is kept. Lifetimes as on SQLite (the SQLite `tokens` module
//! has the rules): a sliding token is pushed to now + idle when used, and any token's use is
//! recorded, each at most once a minute.

use deadpool_postgres::Transaction;

use super::partners::parse_role;
use super::resources::{execute, row, rows};
use crate::server::store::sqlite::TokenDue as Due;
use crate::server::store::token_list::{HOLDER_COLUMNS, TOKEN_COLUMNS, TOKEN_ORDER};
use crate::server::store::{Principal, StoreError, StoreResult, TokenHolder, TokenInfo};

const LOOKUP: &str = "SELECT p.id, p.name, p.cloud, a.id, a.name, a.role, t.expires_at, t.idle_secs, \
    t.last_used_at \
    FROM tokens t JOIN agents a ON a.id = t.agent_id JOIN partners p ON p.id = a.partner_id \
    WHERE t.hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2)";

/// The principal of a token that has not expired at `now`, and what its use is due to write.
pub(super) async fn lookup(
    tx: &Transaction<'_>,
    hash: &str,
    now: i64,
) -> StoreResult<Option<(Principal, Due)>> {
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
    Ok(Some((
        principal,
        Due::at(now, r.get(6), r.get(7), r.get(8)),
    )))
}

/// Records a use at `now` and, when `due.renew`, pushes a sliding token's expiry to `now` + its
/// idle time. False when the token is gone or expired (revoked since it was read).
pub(super) async fn record_use(
    tx: &Transaction<'_>,
    hash: &str,
    now: i64,
    due: Due,
) -> StoreResult<bool> {
    let touched = execute(
        tx,
        "UPDATE tokens SET last_used_at = $2, \
         expires_at = CASE WHEN $3 AND idle_secs IS NOT NULL THEN $2 + idle_secs ELSE expires_at END \
         WHERE hash = $1 AND (expires_at IS NULL OR expires_at > $2)",
        &[&hash, &now, &due.renew],
    )
    .await?;
    Ok(touched > 0)
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

fn token_row(r: &tokio_postgres::Row) -> StoreResult<TokenInfo> {
    Ok(TokenInfo::from_row((
        r.get(0),
        r.get(1),
        r.get(2),
        r.get(3),
        r.get(4),
        parse_role(r.get(5))?,
        r.get(6),
        r.get(7),
        r.get(8),
        r.get(9),
    )))
}

/// Every token, by partner, agent and age.
pub(super) async fn list(tx: &Transaction<'_>) -> StoreResult<Vec<TokenInfo>> {
    let sql = format!("SELECT {TOKEN_COLUMNS} {TOKEN_ORDER}");
    rows(tx, &sql, &[]).await?.iter().map(token_row).collect()
}

/// The agents `name_or_id` may mean, of any partner.
pub(super) async fn holders(
    tx: &Transaction<'_>,
    name_or_id: &str,
) -> StoreResult<Vec<TokenHolder>> {
    let sql = format!(
        "SELECT {HOLDER_COLUMNS} WHERE a.id = $1 OR a.name = $1 OR lower(a.email) = lower($1) \
         ORDER BY p.name, a.name, a.id"
    );
    rows(tx, &sql, &[&name_or_id])
        .await?
        .iter()
        .map(|r| {
            Ok(TokenHolder {
                partner_id: r.get(0),
                partner: r.get(1),
                agent_id: r.get(2),
                agent: r.get(3),
                email: r.get(4),
                role: parse_role(r.get(5))?,
                tokens: u64::try_from(r.get::<_, i64>(6)).unwrap_or_default(),
            })
        })
        .collect()
}

/// Deletes the agent's tokens; what they were.
pub(super) async fn revoke_agent(
    tx: &Transaction<'_>,
    agent_id: &str,
) -> StoreResult<Vec<TokenInfo>> {
    let sql = format!("SELECT {TOKEN_COLUMNS} WHERE t.agent_id = $1 {TOKEN_ORDER}");
    let gone = rows(tx, &sql, &[&agent_id])
        .await?
        .iter()
        .map(token_row)
        .collect::<StoreResult<Vec<_>>>()?;
    execute(tx, "DELETE FROM tokens WHERE agent_id = $1", &[&agent_id]).await?;
    Ok(gone)
}

/// Deletes the one token with this id; None when there is none, `Conflict` when two share it.
pub(super) async fn revoke_id(tx: &Transaction<'_>, id: &str) -> StoreResult<Option<TokenInfo>> {
    // The id is a prefix of the hash: a range of the primary key (collation "C"), not a scan.
    let sql = format!(
        "SELECT {TOKEN_COLUMNS} WHERE t.hash >= $1 AND t.hash < $1 || 'g' {TOKEN_ORDER} LIMIT 2"
    );
    let found = rows(tx, &sql, &[&id]).await?;
    if found.len() > 1 {
        return Err(StoreError::Conflict(format!(
            "two tokens have the id {id}: revoke them by their agent instead"
        )));
    }
    let Some(r) = found.first() else {
        return Ok(None);
    };
    let hash: String = r.get(0);
    let info = token_row(r)?;
    execute(tx, "DELETE FROM tokens WHERE hash = $1", &[&hash]).await?;
    Ok(Some(info))
}

/// Unix seconds now.
pub(super) fn now_secs() -> i64 {
    crate::server::store::sqlite::token_now_secs()
}

#[cfg(test)]
mod tests;
