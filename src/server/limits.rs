//! `ServerLimits`: every bound the server puts on what clients may make it hold — connections,
//! timeouts, streams, rate limits and the size of its per-key tables — in one place, so
//! `cspdash serve` flags and tests set them the same way.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct ServerLimits {
    /// Requests a second per token (bursts of twice that).
    pub rate_limit_per_sec: u32,
    /// Failed authentications a second per client address (bursts of `failed_auth_burst`);
    /// past that, 429 without asking the database.
    pub failed_auth_per_sec: u32,
    pub failed_auth_burst: u32,
    /// Time a client has to send a request's whole header, counted from when the server starts
    /// waiting for it (hyper counts from the end of the previous response on a kept-alive
    /// connection, so this also caps how long an idle connection lives).
    pub header_read_timeout: Duration,
    /// A connection with no request in flight that receives nothing for this long is closed.
    pub idle_timeout: Duration,
    /// Open connections at most; one more is answered 503 with `Retry-After` and closed.
    pub max_connections: usize,
    /// Concurrent `/v1/events` streams per token; one more closes that token's oldest.
    pub streams_per_token: usize,
    /// Keys each per-key table (rate limits, the token cache) holds at most.
    pub table_capacity: usize,
    /// How long a token's principal is reused without asking the database again.
    pub auth_cache_ttl: Duration,
    /// How often the admin relationships' lifecycle runs (expiry, auto-extend, terminations).
    pub lifecycle_every: Duration,
    /// After the shutdown signal, how long requests in flight may take to finish.
    pub shutdown_grace: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            rate_limit_per_sec: 100,
            failed_auth_per_sec: 2,
            failed_auth_burst: 20,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(5),
            max_connections: 512,
            streams_per_token: 8,
            table_capacity: 10_000,
            auth_cache_ttl: Duration::from_secs(10),
            lifecycle_every: Duration::from_secs(1),
            shutdown_grace: Duration::from_secs(20),
        }
    }
}

impl ServerLimits {
    /// The limits `cspdash serve` was given; the rest default.
    pub fn from_serve_args(args: &crate::cli::ServeArgs) -> Self {
        Self {
            rate_limit_per_sec: args.rate_limit,
            failed_auth_per_sec: args.failed_auth_limit,
            failed_auth_burst: args.failed_auth_limit.saturating_mul(10),
            header_read_timeout: args.header_timeout,
            idle_timeout: args.idle_timeout,
            max_connections: args.max_connections,
            streams_per_token: args.max_streams_per_token,
            shutdown_grace: args.shutdown_timeout,
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn limits(args: &[&str]) -> Result<ServerLimits, clap::Error> {
        let mut argv = vec!["cspdash", "serve", "--db", "x.db"];
        argv.extend_from_slice(args);
        match Cli::try_parse_from(argv)?.command {
            Some(Command::Serve(serve)) => Ok(ServerLimits::from_serve_args(&serve)),
            other => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn serve_without_flags_has_the_default_limits() {
        assert_eq!(limits(&[]).unwrap(), ServerLimits::default());
    }

    #[test]
    fn serve_flags_set_the_limits() {
        let set = limits(&[
            "--header-timeout",
            "0.5",
            "--idle-timeout",
            "2",
            "--max-connections",
            "3",
            "--max-streams-per-token",
            "2",
            "--failed-auth-limit",
            "1",
        ])
        .unwrap();
        assert_eq!(set.header_read_timeout, Duration::from_millis(500));
        assert_eq!(set.idle_timeout, Duration::from_secs(2));
        assert_eq!(set.max_connections, 3);
        assert_eq!(set.streams_per_token, 2);
        assert_eq!((set.failed_auth_per_sec, set.failed_auth_burst), (1, 10));
    }

    #[test]
    fn a_timeout_that_is_not_a_positive_number_of_seconds_is_refused_clearly() {
        for bad in ["0", "-1", "ten", "inf"] {
            let flag = format!("--header-timeout={bad}");
            let err = limits(&[&flag]).unwrap_err().to_string();
            assert!(err.contains("number of seconds"), "{bad}: {err}");
        }
    }
}
