//! How the dashboard waits on its backend: the heartbeat the event stream is expected to carry
//! (two missed = the connection is lost) and the longest wait between reconnects. From the
//! config file's `[connection]` table, overridden by `CSPDASH_HEARTBEAT_MS` and
//! `CSPDASH_RECONNECT_MAX_MS` (tests use those to run in seconds).

use std::time::Duration;

use super::ConfigError;

pub const HEARTBEAT_ENV: &str = "CSPDASH_HEARTBEAT_MS";
pub const RECONNECT_MAX_ENV: &str = "CSPDASH_RECONNECT_MAX_MS";

/// Accepted range of `heartbeat_ms` (as `cspdash serve --heartbeat-ms`).
pub const HEARTBEAT_MS: (u64, u64) = (50, 3_600_000);
/// Accepted range of `reconnect_max_ms`.
pub const RECONNECT_MAX_MS: (u64, u64) = (100, 600_000);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// The backend's heartbeat interval on `/v1/events` (`cspdash serve` sends one every 15 s).
    pub heartbeat: Duration,
    /// The longest wait between reconnects and request retries while the dashboard is open.
    pub reconnect_max: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            heartbeat: Duration::from_secs(15),
            reconnect_max: Duration::from_secs(3),
        }
    }
}

/// Why a value is refused, or the value in milliseconds.
pub fn check_ms(value: u64, (min, max): (u64, u64)) -> Result<Duration, String> {
    if (min..=max).contains(&value) {
        Ok(Duration::from_millis(value))
    } else {
        Err(format!(
            "{value} is out of range: use {min} to {max} (milliseconds)"
        ))
    }
}

/// An environment variable's value in milliseconds, checked.
pub fn from_env(name: &str, value: &str, range: (u64, u64)) -> Result<Duration, ConfigError> {
    let ms = value.trim().parse::<u64>().map_err(|_| {
        ConfigError::Other(format!(
            "{name}={value:?}: expected a whole number of milliseconds, like {name}=3000"
        ))
    })?;
    check_ms(ms, range).map_err(|why| ConfigError::Other(format!("{name}: {why}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_values_are_milliseconds_in_range() {
        assert_eq!(
            from_env(HEARTBEAT_ENV, " 200 ", HEARTBEAT_MS).ok(),
            Some(Duration::from_millis(200))
        );
        let err = from_env(HEARTBEAT_ENV, "2s", HEARTBEAT_MS)
            .expect_err("not a number")
            .to_string();
        assert_eq!(
            err,
            "CSPDASH_HEARTBEAT_MS=\"2s\": expected a whole number of milliseconds, like CSPDASH_HEARTBEAT_MS=3000"
        );
        let err = from_env(RECONNECT_MAX_ENV, "5", RECONNECT_MAX_MS)
            .expect_err("too short")
            .to_string();
        assert_eq!(
            err,
            "CSPDASH_RECONNECT_MAX_MS: 5 is out of range: use 100 to 600000 (milliseconds)"
        );
    }
}
