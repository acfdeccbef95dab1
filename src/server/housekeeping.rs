//! What the server does by itself: it forgets expired tokens and old `MS-RequestId` keys, at
//! start-up and then every hour while it runs, so neither table grows for as long as the server
//! lives; and it moves admin relationships through their lifecycle by its clock, at start-up and
//! then every [`ServerLimits::lifecycle_every`](super::ServerLimits) (a second by default).

use std::time::Duration;

use super::AppState;
use super::store::{Store, StoreResult};
use crate::api::EventKind;

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

/// Sweeps every hour, and runs the admin relationships' lifecycle, until the server closes.
pub fn spawn(state: AppState) {
    spawn_lifecycle(state.clone());
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

/// One lifecycle step as of the server's clock; wakes the listeners of each partner it changed.
pub async fn advance_admin_relationships(state: &AppState) {
    let now = state.now();
    match state
        .store(move |s| s.advance_admin_relationships(&now))
        .await
    {
        Ok(partners) => {
            for partner in &partners {
                state.changed(partner, EventKind::AdminRelationshipUpdated);
            }
        }
        Err(err) => tracing::warn!(%err, "admin relationship lifecycle failed; trying again"),
    }
}

/// Runs the lifecycle at once, then every `lifecycle_every`, until the server closes.
fn spawn_lifecycle(state: AppState) {
    let mut closing = state.closing();
    let every = state.inner.limits.lifecycle_every;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        // A slow step (a year's catching up) is not followed by a burst of make-up steps.
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = closing.changed() => return,
            }
            advance_admin_relationships(&state).await;
        }
    });
}
