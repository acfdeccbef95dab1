//! What the server forgets by itself: expired tokens and old `MS-RequestId` keys, at start-up and
//! then every hour while it runs, so neither table grows for as long as the server lives.

use std::time::Duration;

use super::AppState;
use super::store::{Store, StoreResult};

/// How long a POST's `MS-RequestId` replays its first answer: DESIGN.md §3 says at least 24 hours;
/// twice that covers a client retrying across a day's outage.
const REQUEST_ID_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::hours(48);

const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Deletes what has expired.
pub fn sweep(store: &dyn Store) -> StoreResult<()> {
    // Expired tokens are refused anyway; purging them keeps crashed dashboards' from piling up.
    let purged = store.purge_expired_tokens()?;
    let cutoff = (chrono::Utc::now() - REQUEST_ID_LIFETIME)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let forgotten = store.purge_request_ids_before(&cutoff)?;
    if purged + forgotten > 0 {
        tracing::info!(
            purged,
            forgotten,
            "removed expired tokens and old MS-RequestId keys"
        );
    }
    Ok(())
}

/// Sweeps every hour until the server closes.
pub fn spawn(state: AppState) {
    let mut closing = state.closing();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = tokio::time::sleep(SWEEP_EVERY) => {}
                _ = closing.changed() => return,
            }
            if let Err(err) = state.store(sweep).await {
                tracing::warn!(%err, "housekeeping failed; trying again in an hour");
            }
        }
    });
}
