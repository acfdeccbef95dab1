//! What the header says about the connection (DESIGN.md §4): `live` while the event stream is
//! connected; `offline · reconnecting in 3s` (counting down) while the backend cannot be reached,
//! by the stream or by a request; `offline · reconnecting…` while an attempt is under way. Plain
//! words, so it reads the same without colour.

use std::time::Instant;

use super::App;
use super::connection::{Health, Trouble};
use super::live::Live;

/// The header's connection words, or None before anything is known (or when the stream gave up:
/// the status line says why).
pub fn online_text(health: &Health, live: &Live, now: Instant) -> Option<String> {
    // The sooner of the two retries is what the dashboard does next; `now` means under way.
    let request_retry = match health {
        Health::Waiting {
            trouble: Trouble::Unreachable,
            retry_at,
        } => Some(*retry_at),
        Health::Retrying {
            trouble: Trouble::Unreachable,
        } => Some(now),
        _ => None,
    };
    let stream_retry = match live {
        Live::Lost { retry_at, .. } => Some(*retry_at),
        _ => None,
    };
    let next = match (request_retry, stream_retry) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if let Some(at) = next {
        let left = at.saturating_duration_since(now);
        if left.is_zero() {
            return Some("offline · reconnecting…".to_string());
        }
        let secs = left.as_millis().div_ceil(1000);
        return Some(format!("offline · reconnecting in {secs}s"));
    }
    match live {
        Live::Connected => Some("live".to_string()),
        _ => None,
    }
}

impl App {
    /// See [`online_text`].
    pub fn online(&self) -> Option<String> {
        online_text(self.conn.health(), &self.live, self.now)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn lost(now: Instant, ms: u64) -> Live {
        Live::Lost {
            retry_at: now + Duration::from_millis(ms),
            why: "cannot reach http://b".into(),
        }
    }

    #[test]
    fn connected_reads_live_and_nothing_is_said_before_the_stream_is_known() {
        let now = Instant::now();
        assert_eq!(
            online_text(&Health::Ok, &Live::Connected, now).as_deref(),
            Some("live")
        );
        assert_eq!(online_text(&Health::Ok, &Live::Connecting, now), None);
        assert_eq!(online_text(&Health::Ok, &Live::Off, now), None);
    }

    #[test]
    fn a_lost_stream_counts_down_in_whole_seconds_then_says_it_is_reconnecting() {
        let now = Instant::now();
        let text = |ms, at: Instant| online_text(&Health::Ok, &lost(now, ms), at);
        assert_eq!(
            text(3000, now).as_deref(),
            Some("offline · reconnecting in 3s")
        );
        assert_eq!(
            text(2100, now).as_deref(),
            Some("offline · reconnecting in 3s")
        );
        assert_eq!(
            text(3000, now + Duration::from_millis(2500)).as_deref(),
            Some("offline · reconnecting in 1s")
        );
        assert_eq!(
            text(3000, now + Duration::from_secs(3)).as_deref(),
            Some("offline · reconnecting…")
        );
    }

    #[test]
    fn a_failing_request_says_offline_even_while_the_stream_still_looks_connected() {
        let now = Instant::now();
        let waiting = Health::Waiting {
            trouble: Trouble::Unreachable,
            retry_at: now + Duration::from_secs(2),
        };
        assert_eq!(
            online_text(&waiting, &Live::Connected, now).as_deref(),
            Some("offline · reconnecting in 2s")
        );
        let retrying = Health::Retrying {
            trouble: Trouble::Unreachable,
        };
        assert_eq!(
            online_text(&retrying, &Live::Connected, now).as_deref(),
            Some("offline · reconnecting…")
        );
        // A backend that answers 503 is reachable: the status line says what it answered.
        let answered = Health::Waiting {
            trouble: Trouble::ServerError(503),
            retry_at: now + Duration::from_secs(2),
        };
        assert_eq!(
            online_text(&answered, &Live::Connected, now).as_deref(),
            Some("live")
        );
    }

    #[test]
    fn the_sooner_of_the_two_retries_is_shown() {
        let now = Instant::now();
        let waiting = Health::Waiting {
            trouble: Trouble::Unreachable,
            retry_at: now + Duration::from_secs(3),
        };
        assert_eq!(
            online_text(&waiting, &lost(now, 1000), now).as_deref(),
            Some("offline · reconnecting in 1s")
        );
    }
}
