//! The options of `cspdash serve` and `cspdash token`: the backend's side, run by whoever operates it.

use std::net::SocketAddr;

use clap::Subcommand;

use super::error::CliError;
use super::output::{Column, Format, Output, Style, col};
use crate::server::store::token_list::is_token_id;
use crate::server::store::{Database, Store, StoreError, TokenHolder, TokenInfo};

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
    /// Log level for stderr: error, warn, info, debug, trace (RUST_LOG overrides).
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
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
    /// List the tokens: id, partner, agent, role, created, expires, last used (never the token).
    #[command(after_help = TOKEN_EXIT_CODES)]
    List {
        /// The SQLite file or postgres:// URL the backend serves.
        #[arg(long, value_name = "PATH|URL", value_parser = database)]
        db: Database,
        /// Only this partner's tokens (name or id).
        #[arg(long)]
        partner: Option<String>,
        #[command(flatten)]
        print: PrintOptions,
    },
    /// Revoke an agent's tokens (by its name, email or id) or one token (by its id from `token
    /// list`); prints what was revoked.
    #[command(after_help = TOKEN_EXIT_CODES)]
    Revoke {
        /// An agent's name, email or id (all its tokens), or a token's id (that token).
        name_or_id: String,
        /// The SQLite file or postgres:// URL the backend serves.
        #[arg(long, value_name = "PATH|URL", value_parser = database)]
        db: Database,
        /// The agent's partner (name or id), when agents of several partners have that name.
        #[arg(long)]
        partner: Option<String>,
        #[command(flatten)]
        print: PrintOptions,
    },
}

/// How `token list|revoke` print.
#[derive(Debug, Clone, clap::Args)]
pub struct PrintOptions {
    /// How to print (default: table on a terminal, tsv otherwise).
    #[arg(short, long, value_enum, value_name = "FORMAT")]
    pub output: Option<Format>,
    /// Leave out the header row of table, tsv and csv.
    #[arg(long)]
    pub no_headers: bool,
}

const TOKEN_EXIT_CODES: &str = "\
Exit codes:
  0  done
  1  failed (the database cannot be opened or read)
  2  usage (a name that agents of several partners have: pass --partner or the agent's id)
  3  not found (no agent or token by that name or id)";

/// The columns of `token list` (JSON has all the fields, `agentId`, `partnerId` and
/// `idleTimeoutSecs` too). An empty `expiresAt` never expires; an empty `lastUsedAt` was never used.
const TOKENS: &[Column<TokenInfo>] = &[
    col("id", |t| t.id.clone()),
    col("partner", |t| t.partner.clone()),
    col("agent", |t| t.agent.clone()),
    col("role", |t| t.role.as_str().to_string()),
    col("createdAt", |t| t.created_at.clone()),
    col("expiresAt", |t| t.expires_at.clone().unwrap_or_default()),
    col("lastUsedAt", |t| t.last_used_at.clone().unwrap_or_default()),
];

/// `cspdash token create|list|revoke`: runs it, reports a failure as the scripting commands do
/// (one line on stderr, a JSON object with `--output json`), and returns the exit code.
pub fn token_admin(command: &TokenCommand) -> u8 {
    let (style, result) = match command {
        TokenCommand::Create {
            db,
            role,
            partner,
            name,
            expires_in_days,
        } => (
            Style::detect(None, false),
            crate::server::create_token_expiring(
                db,
                role,
                partner.as_deref(),
                name.as_deref(),
                *expires_in_days,
            )
            .map(|token| println!("{token}"))
            .map_err(|e| CliError::Failed(format!("{e:#}"))),
        ),
        TokenCommand::List { db, partner, print } => {
            let style = Style::detect(print.output, print.no_headers);
            let result = open(db)
                .and_then(|store| list(&*store, partner.as_deref(), &mut Output::stdout(style)));
            (style, result)
        }
        TokenCommand::Revoke {
            name_or_id,
            db,
            partner,
            print,
        } => {
            let style = Style::detect(print.output, print.no_headers);
            let result = open(db).and_then(|store| {
                let mut out = Output::stdout(style);
                revoke(&*store, name_or_id, partner.as_deref(), &mut out)
            });
            (style, result)
        }
    };
    match result {
        Ok(()) => 0,
        Err(err) if err.is_broken_pipe() => 0,
        Err(err) => {
            super::report::report(&err, style.format, None);
            err.exit().code()
        }
    }
}

fn open(db: &Database) -> Result<Box<dyn Store>, CliError> {
    crate::server::open_for_tokens(db).map_err(|e| CliError::Failed(format!("{e:#}")))
}

fn store_error(err: StoreError) -> CliError {
    CliError::Failed(err.to_string())
}

/// Whether `partner` (a name, any case, or an id) is the one named `name` with id `id`.
fn is_partner(partner: Option<&str>, name: &str, id: &str) -> bool {
    partner.is_none_or(|p| p == id || p.eq_ignore_ascii_case(name))
}

fn list(store: &dyn Store, partner: Option<&str>, out: &mut Output) -> Result<(), CliError> {
    let tokens: Vec<TokenInfo> = store
        .tokens()
        .map_err(store_error)?
        .into_iter()
        .filter(|t| is_partner(partner, &t.partner, &t.partner_id))
        .collect();
    out.all(TOKENS, &tokens)
}

fn revoke(
    store: &dyn Store,
    name_or_id: &str,
    partner: Option<&str>,
    out: &mut Output,
) -> Result<(), CliError> {
    let wanted = name_or_id.trim();
    if wanted.is_empty() {
        return Err(CliError::Usage(
            "name an agent (its name, email or id) or a token (its id from `token list`)".into(),
        ));
    }
    let holders: Vec<TokenHolder> = store
        .token_holders(wanted)
        .map_err(store_error)?
        .into_iter()
        .filter(|h| is_partner(partner, &h.partner, &h.partner_id))
        .collect();
    let token = if is_token_id(wanted) {
        let id = wanted.to_ascii_lowercase();
        let tokens = store.tokens().map_err(store_error)?;
        tokens
            .into_iter()
            .find(|t| t.id == id && is_partner(partner, &t.partner, &t.partner_id))
    } else {
        None
    };
    let gone = match (token, holders.as_slice()) {
        (Some(token), []) => {
            let gone = store.revoke_token_id(&token.id).map_err(store_error)?;
            let gone: Vec<TokenInfo> = gone.into_iter().collect();
            if let Some(t) = gone.first() {
                eprintln!(
                    "cspdash: revoked token {} of {} ({})",
                    t.id,
                    clean(&t.agent),
                    clean(&t.partner)
                );
            }
            gone
        }
        (Some(token), [_, ..]) => {
            return Err(CliError::Usage(format!(
                "{wanted:?} is both the id of a token of {} and an agent's name: revoke by the \
                 agent's id or email instead",
                token.agent
            )));
        }
        (None, []) => {
            let within = partner.map_or(String::new(), |p| format!(" of partner {p:?}"));
            return Err(CliError::NotFound(format!(
                "no agent{within} has the name, email or id {wanted:?}, and no token has that id \
                 (see `cspdash token list`)"
            )));
        }
        (None, [holder]) => {
            let gone = store
                .revoke_agent_tokens(&holder.agent_id)
                .map_err(store_error)?;
            let count = gone.len();
            eprintln!(
                "cspdash: revoked {count} token{} of {} ({})",
                if count == 1 { "" } else { "s" },
                clean(&holder.agent),
                clean(&holder.partner)
            );
            gone
        }
        (None, several) => {
            let named: Vec<String> = several
                .iter()
                .map(|h| {
                    format!(
                        "{} ({}, {}, id {}, {} token{})",
                        h.agent,
                        h.partner,
                        h.role.as_str(),
                        h.agent_id,
                        h.tokens,
                        if h.tokens == 1 { "" } else { "s" }
                    )
                })
                .collect();
            return Err(CliError::Usage(format!(
                "{wanted:?} names {} agents: {}; pass --partner NAME or the agent's id",
                several.len(),
                named.join("; ")
            )));
        }
    };
    out.all(TOKENS, &gone)
}

/// A stored name as one clean line for stderr.
fn clean(text: &str) -> String {
    crate::sanitize::sanitize_max(text, 200).into_owned()
}
