//! The server's notion of now for everything that happens by the calendar (admin relationships
//! expire, auto-extend, lapse unanswered). Injected through [`AppState`](super::AppState) so tests
//! move time forward instead of waiting two years.

use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// RFC 3339 UTC with seconds, as stored and sent.
    fn now_text(&self) -> String {
        self.now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The machine's clock moved by an offset that tests set: time still flows, and `advance` jumps
/// ahead (integration tests hold one and call the lifecycle).
#[derive(Debug, Default)]
pub struct ManualClock {
    offset: Mutex<TimeDelta>,
}

impl ManualClock {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn advance(&self, by: TimeDelta) {
        let mut offset = self
            .offset
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *offset += by;
    }

    pub fn advance_days(&self, days: i64) {
        self.advance(TimeDelta::days(days));
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = *self
            .offset
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Utc::now() + offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_jumps_ahead_by_what_it_is_told() {
        let clock = ManualClock::new();
        let before = clock.now();
        clock.advance_days(90);
        let moved = clock.now() - before;
        assert!(
            moved >= TimeDelta::days(90) && moved < TimeDelta::days(90) + TimeDelta::minutes(1)
        );
    }
}
