//! The options of `cspdash serve` and `cspdash token`: the backend's side, run by whoever operates it.

use std::net::SocketAddr;

use clap::Subcommand;

use crate::server::store::Database;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// SQLite database file (created if missing), or postgres://USER@HOST:PORT/DB for a shared
    /// backend (password from the URL, PGPASSWORD or ~/.pgpass).
    #[arg(long, value_name = "PATH|URL", value_parser = database)]
    pub db: Database,
    /// Seed demo data into an empty database: Contoso Partner with N customers, Fabrikam Partner with a few.
    #[arg(long, value_name = "N")]
    pub demo: Option<u32>,
    /// Base URL of invitation links (default http://LISTEN).
    #[arg(long, value_name = "URL", value_parser = public_url)]
    pub public_url: Option<String>,
    /// Requests per second each token may make (bursts of twice that).
    #[arg(long, default_value_t = 100)]
    pub rate_limit: u32,
    /// Seconds a client has to send a request's header (and, on a kept-alive connection, the next one).
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    pub header_timeout: std::time::Duration,
    /// Seconds a connection with no request in flight may stay silent before it is closed.
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = seconds)]
    pub idle_timeout: std::time::Duration,
    /// Open connections at most; one more is answered 503 with Retry-After and closed.
    #[arg(long, value_name = "N", default_value_t = 512)]
    pub max_connections: usize,
    /// Concurrent /v1/events streams per token; one more closes that token's oldest.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub max_streams_per_token: usize,
    /// Failed authentications a second per client address (bursts of ten times that); past it, 429.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub failed_auth_limit: u32,
    /// Milliseconds between heartbeats on an idle `/v1/events` stream (dashboards expect them;
    /// see `heartbeat_ms` in the dashboard's config).
    #[arg(long, value_name = "MS", default_value_t = 15_000,
          value_parser = clap::value_parser!(u64).range(50..=3_600_000))]
    pub heartbeat_ms: u64,
    /// A reverse proxy (IP address or CIDR range; repeat the flag or list them with commas) whose
    /// X-Forwarded-For names the client, for per-client limits and logs. Others' is ignored.
    #[arg(long, value_name = "ADDR", value_delimiter = ',')]
    pub trusted_proxy: Vec<crate::server::forwarded::ProxyRange>,
    /// Seconds in-flight requests get to finish after SIGTERM or Ctrl-C before the server exits
    /// anyway (event streams end at once).
    #[arg(long, value_name = "SECS", default_value = "20", value_parser = seconds)]
    pub shutdown_timeout: std::time::Duration,
}

fn database(text: &str) -> Result<Database, std::convert::Infallible> {
    Ok(Database::parse(text))
}

/// An http(s) base without query or fragment, without its trailing `/`.
fn public_url(text: &str) -> Result<String, crate::config::PublicUrlError> {
    crate::config::check_public_url(text)
}

/// A duration in seconds, decimals allowed ("0.5").
fn seconds(text: &str) -> Result<std::time::Duration, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 86_400.0)
        .map(std::time::Duration::from_secs_f64)
        .ok_or_else(|| format!("{text:?} is not a number of seconds from 0.001 to 86400"))
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Print a new bearer token on stdout (stored hashed).
    Create {
        /// The SQLite file or postgres:// URL the backend serves.
        #[arg(long, value_name = "PATH|URL", value_parser = database)]
        db: Database,
        /// global-admin, admin-agent, sales-agent or helpdesk-agent.
        #[arg(long)]
        role: String,
        /// Partner name or id (default: the first partner).
        #[arg(long)]
        partner: Option<String>,
        /// Agent name (default: the partner's first agent of that role, created if none).
        #[arg(long)]
        name: Option<String>,
        /// The token stops working this many days from now (default: never).
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
        expires_in_days: Option<u32>,
    },
}
