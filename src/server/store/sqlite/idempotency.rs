//! `MS-RequestId` replays for POSTs that create or change something: the first answer is stored
//! with the key in the same transaction as the change, so a retry gets it back and changes nothing.

use rusqlite::{OptionalExtension, Transaction, params};

use super::now;
use crate::server::store::{RequestKey, StoreError, StoreResult, StoredResponse};

/// The stored first answer for `key`, if it was used before (with the same body; another body
/// under the same key is a conflict).
pub(super) fn replayed(
    tx: &Transaction<'_>,
    partner_id: &str,
    key: Option<&RequestKey>,
) -> StoreResult<Option<StoredResponse>> {
    let Some(key) = key else {
        return Ok(None);
    };
    let seen: Option<(String, u16, String)> = tx
        .prepare_cached(
            "SELECT body_sha256, status, response FROM idempotency_keys \
             WHERE partner_id = ?1 AND request_id = ?2",
        )?
        .query_row(params![partner_id, key.request_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    match seen {
        None => Ok(None),
        Some((body_sha256, _, _)) if body_sha256 != key.body_sha256 => {
            Err(StoreError::Conflict(format!(
                "MS-RequestId {} was already used for a different request body",
                key.request_id
            )))
        }
        Some((_, status, body)) => Ok(Some(StoredResponse { status, body })),
    }
}

/// Keeps `answer` as the reply to every later request with `key`.
pub(super) fn remember(
    tx: &Transaction<'_>,
    partner_id: &str,
    key: Option<&RequestKey>,
    answer: &StoredResponse,
) -> StoreResult<()> {
    let Some(key) = key else {
        return Ok(());
    };
    tx.prepare_cached(
        "INSERT INTO idempotency_keys (partner_id, request_id, body_sha256, status, response, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        partner_id,
        key.request_id,
        key.body_sha256,
        answer.status,
        answer.body,
        now()
    ])?;
    Ok(())
}
