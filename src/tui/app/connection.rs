//! Whether the backend is answering, and the retries while it is not: requests that failed for a
//! transient reason wait in a queue and are sent again after a backoff (1, 2, 3, 3 … s: someone is
//! looking at the screen, so never long), or at once when another request or the live stream gets
//! through. The status line and the header read from here.

use std::time::{Duration, Instant};

use crate::client::ClientError;
use crate::tui::command::Command;
use crate::tui::theme::Tone;

/// Longest wait between retries unless configured (`reconnect_max_ms`).
pub const MAX_BACKOFF: Duration = Duration::from_secs(3);

/// Wait before retry number `attempt` (from 1): 1 s, doubling, at most `cap`.
pub fn backoff(attempt: u32, cap: Duration) -> Duration {
    let secs = 1u64 << attempt.saturating_sub(1).min(5);
    Duration::from_secs(secs).min(cap)
}

/// What kind of trouble we are retrying through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    Unreachable,
    ServerError(u16),
    RateLimited,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Health {
    #[default]
    Ok,
    /// Failed requests wait for the retry timer.
    Waiting { trouble: Trouble, retry_at: Instant },
    /// The retry was sent; waiting for its answer.
    Retrying { trouble: Trouble },
    /// 401: retrying cannot help; the user must fix the token (Ctrl-R tries again).
    Rejected,
    /// A request failed for a reason retrying won't fix.
    Broken(String),
}

#[derive(Debug)]
pub struct Connection {
    url: String,
    profile: String,
    health: Health,
    attempt: u32,
    max_backoff: Duration,
    queue: Vec<Command>,
}

impl Connection {
    pub fn new(url: &str, profile: &str) -> Self {
        Self {
            url: url.to_string(),
            profile: profile.to_string(),
            health: Health::Ok,
            attempt: 0,
            max_backoff: MAX_BACKOFF,
            queue: Vec::new(),
        }
    }

    /// Retries wait at most `cap`.
    pub fn set_max_backoff(&mut self, cap: Duration) {
        self.max_backoff = cap;
    }

    pub fn health(&self) -> &Health {
        &self.health
    }

    /// Queues `retry` after a transient failure; returns the timer to start unless one is running.
    pub fn failed(&mut self, retry: Command, error: &ClientError, now: Instant) -> Option<Command> {
        if !self.queue.contains(&retry) {
            self.queue.push(retry);
        }
        if matches!(self.health, Health::Waiting { .. }) {
            return None;
        }
        self.attempt = self.attempt.saturating_add(1);
        let cap = self.max_backoff;
        let (trouble, delay) = match error {
            ClientError::RateLimited { retry_after } => (
                Trouble::RateLimited,
                (*retry_after).max(Duration::from_secs(1)),
            ),
            ClientError::Status { status, .. } => {
                (Trouble::ServerError(*status), backoff(self.attempt, cap))
            }
            _ => (Trouble::Unreachable, backoff(self.attempt, cap)),
        };
        self.health = Health::Waiting {
            trouble,
            retry_at: now + delay,
        };
        Some(Command::RetryAfter(delay))
    }

    /// A request got through: the backend is back, so queued requests go out now.
    pub fn succeeded(&mut self) -> Vec<Command> {
        if matches!(
            self.health,
            Health::Waiting { .. } | Health::Retrying { .. }
        ) {
            self.health = Health::Ok;
        }
        self.attempt = 0;
        std::mem::take(&mut self.queue)
    }

    /// The retry timer fired: the queued requests to send again.
    pub fn retry_due(&mut self) -> Vec<Command> {
        if let Health::Waiting { trouble, .. } = self.health {
            self.health = Health::Retrying { trouble };
        }
        std::mem::take(&mut self.queue)
    }

    pub fn rejected(&mut self) {
        self.health = Health::Rejected;
        self.queue.clear();
    }

    pub fn broken(&mut self, why: String) {
        self.health = Health::Broken(why);
    }

    /// A reload starts over: forget the queue and any verdict.
    pub fn reset(&mut self) {
        self.health = Health::Ok;
        self.attempt = 0;
        self.queue.clear();
    }

    /// The countdown in the status line needs ticks.
    pub fn is_waiting(&self) -> bool {
        matches!(self.health, Health::Waiting { .. })
    }

    /// The status-line text for the current trouble, if any.
    pub fn status(&self, now: Instant) -> Option<(String, Tone)> {
        let url = &self.url;
        let cause = |t: Trouble| match t {
            Trouble::Unreachable => format!("cannot reach {url}"),
            Trouble::ServerError(code) => format!("{url} answered {code}"),
            Trouble::RateLimited => format!("rate limited by {url}"),
        };
        match &self.health {
            Health::Ok => None,
            Health::Waiting { trouble, retry_at } => {
                let left = retry_at.saturating_duration_since(now);
                let secs = left.as_millis().div_ceil(1000).max(1);
                Some((
                    format!("{}, retrying in {secs}s", cause(*trouble)),
                    Tone::Warn,
                ))
            }
            Health::Retrying { trouble } => {
                Some((format!("{}, retrying now…", cause(*trouble)), Tone::Warn))
            }
            Health::Rejected => Some((
                format!(
                    "token rejected for profile {}: check CSPDASH_TOKEN or token_file (Ctrl-R retries)",
                    self.profile
                ),
                Tone::Bad,
            )),
            Health::Broken(why) => Some((format!("{why} (Ctrl-R retries)"), Tone::Bad)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::RequestId;

    fn unreachable() -> ClientError {
        ClientError::Unreachable {
            url: "http://x".into(),
            reason: "refused".into(),
        }
    }

    #[test]
    fn backoff_doubles_up_to_three_seconds_while_the_dashboard_is_open() {
        let ms: Vec<u128> = (1..=8)
            .map(|a| backoff(a, MAX_BACKOFF).as_millis())
            .collect();
        assert_eq!(ms, [1000, 2000, 3000, 3000, 3000, 3000, 3000, 3000]);
        let short = Duration::from_millis(400);
        assert!((1..=40).all(|a| backoff(a, short) == short));
    }

    #[test]
    fn repeated_failures_never_wait_longer_than_the_configured_cap() {
        let mut c = Connection::new("http://b", "p");
        c.set_max_backoff(Duration::from_millis(1500));
        let now = Instant::now();
        let me = Command::LoadMe { req: RequestId(1) };
        let mut waits = Vec::new();
        for _ in 0..6 {
            if let Some(Command::RetryAfter(wait)) = c.failed(me.clone(), &unreachable(), now) {
                waits.push(wait.as_millis());
            }
            c.retry_due();
        }
        assert_eq!(waits, [1000, 1500, 1500, 1500, 1500, 1500]);
    }

    #[test]
    fn one_timer_for_many_failures_and_the_queue_comes_back_when_due() {
        let mut c = Connection::new("http://b", "p");
        let now = Instant::now();
        let me = Command::LoadMe { req: RequestId(1) };
        let list = Command::LoadCustomers {
            req: RequestId(2),
            from: None,
        };
        assert_eq!(
            c.failed(me.clone(), &unreachable(), now),
            Some(Command::RetryAfter(Duration::from_secs(1)))
        );
        assert_eq!(c.failed(list.clone(), &unreachable(), now), None);
        let (text, _) = c.status(now).unwrap_or_default();
        assert_eq!(text, "cannot reach http://b, retrying in 1s");
        assert_eq!(c.retry_due(), [me.clone(), list]);
        assert_eq!(
            c.failed(me, &unreachable(), now),
            Some(Command::RetryAfter(Duration::from_secs(2)))
        );
    }

    #[test]
    fn a_success_clears_the_trouble_and_releases_the_queue() {
        let mut c = Connection::new("http://b", "p");
        let me = Command::LoadMe { req: RequestId(1) };
        c.failed(me.clone(), &unreachable(), Instant::now());
        assert_eq!(c.succeeded(), [me]);
        assert_eq!(c.health(), &Health::Ok);
    }

    #[test]
    fn rate_limits_wait_as_long_as_the_backend_asks() {
        let mut c = Connection::new("http://b", "p");
        let err = ClientError::RateLimited {
            retry_after: Duration::from_secs(7),
        };
        let cmd = c.failed(Command::LoadMe { req: RequestId(1) }, &err, Instant::now());
        assert_eq!(cmd, Some(Command::RetryAfter(Duration::from_secs(7))));
    }
}
