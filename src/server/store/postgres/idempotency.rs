//! `MS-RequestId` replays: the first answer is stored with the key in the same transaction as the
//! change. Writes are serialised by the store's write lock, so the same key sent to two replicas
//! at once still makes one change: the second finds the first's answer.

use deadpool_postgres::Transaction;

use super::now;
use super::resources::{execute, row};
use crate::server::store::{RequestKey, StoreError, StoreResult, StoredResponse};

/// The stored first answer for `key`, if it was used before (with the same body; another body
/// under the same key is a conflict).
pub(super) async fn replayed(
    tx: &Transaction<'_>,
    partner_id: &str,
    key: Option<&RequestKey>,
) -> StoreResult<Option<StoredResponse>> {
    let Some(key) = key else {
        return Ok(None);
    };
    let seen = row(
        tx,
        "SELECT body_sha256, status, response FROM idempotency_keys \
         WHERE partner_id = $1 AND request_id = $2",
        &[&partner_id, &key.request_id],
    )
    .await?;
    let Some(seen) = seen else {
        return Ok(None);
    };
    let body_sha256: &str = seen.get(0);
    if body_sha256 != key.body_sha256 {
        return Err(StoreError::Conflict(format!(
            "MS-RequestId {} was already used for a different request body",
            key.request_id
        )));
    }
    let status: i64 = seen.get(1);
    Ok(Some(StoredResponse {
        status: u16::try_from(status).unwrap_or(200),
        body: seen.get(2),
    }))
}

/// Keeps `answer` as the reply to every later request with `key`.
pub(super) async fn remember(
    tx: &Transaction<'_>,
    partner_id: &str,
    key: Option<&RequestKey>,
    answer: &StoredResponse,
) -> StoreResult<()> {
    let Some(key) = key else {
        return Ok(());
    };
    execute(
        tx,
        "INSERT INTO idempotency_keys (partner_id, request_id, body_sha256, status, response, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &partner_id,
            &key.request_id,
            &key.body_sha256,
            &i64::from(answer.status),
            &answer.body,
            &now(),
        ],
    )
    .await?;
    Ok(())
}

/// Forgets keys recorded before `cutoff` (RFC 3339); how many.
pub(super) async fn purge_before(tx: &Transaction<'_>, cutoff: &str) -> StoreResult<usize> {
    let gone = execute(
        tx,
        "DELETE FROM idempotency_keys WHERE created_at < $1",
        &[&cutoff],
    )
    .await?;
    Ok(gone as usize)
}
