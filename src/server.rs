//! The backend (`cspdash serve`): axum routes → handlers → `Store` (SQLite).
//!
//! [`spawn`] serves a router on a listener until a shutdown future completes; `cspdash serve`, the
//! embedded default and the tests all start the server through it.

pub mod admin_approval_page;
pub mod auth;
pub mod clock;
pub mod connections;
pub mod context;
pub mod embedded;
pub mod error;
pub mod extract;
pub mod forwarded;
pub mod handlers;
pub mod health;
pub mod host;
pub mod housekeeping;
pub mod invite_page;
pub mod limits;
pub mod paging;
pub mod ratelimit;
pub mod routes;
pub mod signing;
pub mod store;
pub mod streams;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

use self::auth::AuthCache;
use self::error::ApiError;
pub use self::limits::ServerLimits;
use self::ratelimit::RateLimiter;
use self::signing::Signer;
use self::store::{Database, PgStore, SqliteStore, Store, StoreResult};
use self::streams::StreamRegistry;
use crate::api::EventKind;
use crate::cli::ServeArgs;

/// What handlers share: the store and the server's settings. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
    hosts: host::HostPolicy,
    /// Peers whose `X-Forwarded-For` names the client (`serve --trusted-proxy`).
    proxies: Arc<forwarded::TrustedProxies>,
    /// How often an idle `/v1/events` stream sends a heartbeat comment (DESIGN.md §3: at least
    /// every 15 s); tests shorten it so a silent network drop is noticed in a second.
    heartbeat: Duration,
    /// Now, for admin relationships' lifecycle; tests move it.
    clock: Arc<dyn clock::Clock>,
}

/// The heartbeat of `/v1/events` unless `serve --heartbeat-ms` says otherwise.
pub const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(15);

/// Acceptances a second through one invitation link (bursts of twice that): enough for a person
/// correcting a typo, not for a script.
const INVITE_ACCEPTS_PER_SEC: u32 = 2;

struct Inner {
    store: Arc<dyn Store>,
    public_url: String,
    limits: ServerLimits,
    auth_cache: AuthCache,
    limiter: RateLimiter,
    /// Per client address: failed authentications (unknown tokens each cost a database lookup).
    failed_auth: RateLimiter,
    /// Seals continuation tokens; keyed by the database's `continuation` secret.
    continuation: Signer,
    /// Open `/v1/events` streams per token.
    streams: Arc<StreamRegistry>,
    /// Per invitation code, for the public acceptance page: a leaked link cannot be used to
    /// create customers in bulk.
    invite_limiter: RateLimiter,
    /// Partner ids whose customers just changed (wakes live event streams).
    changes: broadcast::Sender<String>,
    /// Becomes true when the server shuts down, so open event streams end and shutdown completes.
    closing: watch::Sender<bool>,
    /// The last `/readyz` check, shared by the probes that follow it.
    readiness: health::Readiness,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, public_url: &str, rate_limit_per_sec: u32) -> Self {
        Self::with_limits(
            store,
            public_url,
            ServerLimits {
                rate_limit_per_sec,
                ..ServerLimits::default()
            },
        )
    }

    /// Reads the database's signing key for continuation tokens (made on first use).
    pub fn with_limits(store: Arc<dyn Store>, public_url: &str, limits: ServerLimits) -> Self {
        let (changes, _) = broadcast::channel(256);
        let (closing, _) = watch::channel(false);
        let key = store.secret("continuation").unwrap_or_else(|err| {
            // The database is failing anyway; tokens then hold for this process only.
            tracing::error!(%err, "cannot read the continuation key; using one for this process");
            signing::random_key().unwrap_or_default()
        });
        let capacity = limits.table_capacity;
        // Other replicas' writes (PostgreSQL) wake this one's streams as its own writes do.
        let wake = changes.clone();
        store.watch_changes(Box::new(move |partner_id| {
            let _ = wake.send(partner_id.to_string());
        }));
        Self {
            inner: Arc::new(Inner {
                store,
                public_url: public_url.trim_end_matches('/').to_string(),
                auth_cache: AuthCache::new(limits.auth_cache_ttl, capacity),
                limiter: RateLimiter::new(limits.rate_limit_per_sec, capacity),
                failed_auth: RateLimiter::with_burst(
                    limits.failed_auth_per_sec,
                    limits.failed_auth_burst,
                    capacity,
                ),
                invite_limiter: RateLimiter::new(INVITE_ACCEPTS_PER_SEC, capacity),
                continuation: Signer::new(&key),
                streams: StreamRegistry::new(limits.streams_per_token),
                limits,
                changes,
                closing,
                readiness: health::Readiness::default(),
            }),
            heartbeat: DEFAULT_HEARTBEAT,
            hosts: host::HostPolicy::Any,
            proxies: Arc::default(),
            clock: Arc::new(clock::SystemClock),
        }
    }

    /// Answers only requests addressed to a loopback name (the embedded default; DNS rebinding).
    pub fn loopback_hosts_only(mut self) -> Self {
        self.hosts = host::HostPolicy::Loopback;
        self
    }

    pub fn host_policy(&self) -> host::HostPolicy {
        self.hosts
    }

    /// Believes `X-Forwarded-For` from these peers (`serve --trusted-proxy`).
    pub fn with_trusted_proxies(mut self, proxies: forwarded::TrustedProxies) -> Self {
        self.proxies = Arc::new(proxies);
        self
    }

    pub fn trusted_proxies(&self) -> &forwarded::TrustedProxies {
        &self.proxies
    }

    pub fn readiness(&self) -> &health::Readiness {
        &self.inner.readiness
    }

    pub fn continuation_signer(&self) -> &Signer {
        &self.inner.continuation
    }

    pub fn streams(&self) -> &Arc<StreamRegistry> {
        &self.inner.streams
    }

    /// Keys held by the invitation acceptance limiter (only codes that exist get one).
    pub fn invite_limiter_len(&self) -> usize {
        self.inner.invite_limiter.len()
    }

    /// Client addresses the failed-authentication limiter holds.
    pub fn failed_auth_len(&self) -> usize {
        self.inner.failed_auth.len()
    }

    /// The same state with event streams sending a heartbeat every `every`.
    pub fn with_heartbeat(mut self, every: Duration) -> Self {
        self.heartbeat = every;
        self
    }

    pub fn heartbeat(&self) -> Duration {
        self.heartbeat
    }

    /// The same state reading `clock` for the admin relationships' lifecycle.
    pub fn with_clock(mut self, clock: Arc<dyn clock::Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn clock(&self) -> &Arc<dyn clock::Clock> {
        &self.clock
    }

    /// Now by the server's clock, RFC 3339 UTC, as the store takes it.
    pub fn now(&self) -> String {
        self.clock.now_text()
    }

    /// Whether another acceptance through invitation `code` may go ahead now; `Err` is how many
    /// seconds to wait. Ask only for a code that exists: each code asked about is a table entry.
    pub fn invite_accept_allowed(&self, code: &str) -> Result<(), u64> {
        match self.inner.invite_limiter.check(code) {
            Err(error::ApiError::RateLimited { retry_after_secs }) => Err(retry_after_secs),
            _ => Ok(()),
        }
    }

    /// The same for answers through admin approval link `code` (one limiter, keys kept apart).
    pub fn approval_answer_allowed(&self, code: &str) -> Result<(), u64> {
        self.invite_accept_allowed(&format!("admin-approval:{code}"))
    }

    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// The store itself, for callers outside a request (tests, the embedded wiring).
    pub fn shared_store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.inner.store)
    }

    /// Runs a store call on the blocking pool (SQLite blocks) and maps its error.
    pub async fn store<T, F>(&self, call: F) -> Result<T, ApiError>
    where
        F: FnOnce(&dyn Store) -> StoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let store = Arc::clone(&self.inner.store);
        // The store's log lines carry the request's id too.
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || span.in_scope(|| call(store.as_ref())))
            .await
            .map_err(|e| ApiError::Internal(format!("store task failed: {e}")))?
            .map_err(ApiError::from)
    }

    /// Tells live listeners that a partner's customers changed.
    pub fn changed(&self, partner_id: &str, _kind: EventKind) {
        // No receiver is fine: nobody is listening right now.
        let _ = self.inner.changes.send(partner_id.to_string());
    }

    pub fn subscribe_changes(&self) -> broadcast::Receiver<String> {
        self.inner.changes.subscribe()
    }

    pub fn closing(&self) -> watch::Receiver<bool> {
        self.inner.closing.subscribe()
    }
}

/// A server running in the background.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub handle: JoinHandle<std::io::Result<()>>,
}

/// Serves the API on `listener` until `shutdown` completes.
pub fn spawn(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let closing = state.inner.closing.clone();
    let limits = state.inner.limits.clone();
    housekeeping::spawn(state.clone());
    let app = routes::router(state);
    let shutdown = async move {
        shutdown.await;
        // Long-lived event streams end first, or graceful shutdown would wait for them forever.
        let _ = closing.send(true);
    };
    let handle =
        tokio::spawn(async move { connections::serve(listener, app, &limits, shutdown).await });
    Ok(RunningServer { addr, handle })
}

/// Opens the database, seeding demo data into an empty one when asked.
pub fn open_store(path: &std::path::Path, demo: Option<u32>) -> anyhow::Result<SqliteStore> {
    let store = SqliteStore::open(path)?;
    housekeeping::sweep(&store)?;
    seed_if_empty(&store, demo)?;
    Ok(store)
}

/// Opens `--db`: a SQLite file as [`open_store`] does, or PostgreSQL, where migrating, the
/// start-up sweep and demo seeding happen under a lock, so replicas starting together do each
/// once (and seed only an empty database).
pub fn open_database(db: &Database, demo: Option<u32>) -> anyhow::Result<Arc<dyn Store>> {
    match db {
        Database::Sqlite(path) => Ok(Arc::new(open_store(path, demo)?)),
        Database::Postgres(url) => {
            let store = PgStore::open(url)?;
            store.exclusively(|store| {
                housekeeping::sweep(store)?;
                seed_if_empty(store, demo)
            })?;
            tracing::info!(database = %store.shown(), "PostgreSQL store ready");
            Ok(Arc::new(store))
        }
    }
}

/// Seeds demo data when asked and the database holds none.
fn seed_if_empty(store: &dyn Store, demo: Option<u32>) -> StoreResult<()> {
    let Some(customers) = demo else {
        return Ok(());
    };
    if store.is_empty()? {
        let started = Instant::now();
        store.seed_demo(customers)?;
        tracing::info!(
            customers,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "seeded demo data"
        );
    } else {
        tracing::info!("database already holds data; --demo leaves it as it is");
    }
    Ok(())
}

/// `cspdash serve`: runs until Ctrl-C or SIGTERM.
pub fn serve(args: &ServeArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let db = args.db.clone();
        let demo = args.demo;
        let store = tokio::task::spawn_blocking(move || open_database(&db, demo)).await??;
        let listener = TcpListener::bind(args.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.listen))?;
        let addr = listener.local_addr()?;
        let public_url = args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let state = AppState::with_limits(store, &public_url, ServerLimits::from_serve_args(args))
            .with_heartbeat(Duration::from_millis(args.heartbeat_ms))
            .with_trusted_proxies(forwarded::TrustedProxies::new(&args.trusted_proxy));
        let server = spawn(listener, state, shutdown_signal())?;
        eprintln!("listening on http://{addr}");
        server.handle.await??;
        tracing::info!("stopped");
        Ok(())
    })
}

/// `cspdash token create`: prints a new token that never expires; only its hash is stored.
pub fn create_token(
    db: &Database,
    role: &str,
    partner: Option<&str>,
    agent: Option<&str>,
) -> anyhow::Result<String> {
    create_token_expiring(db, role, partner, agent, None)
}

/// The store `cspdash token` works on: a SQLite file `serve` made (never a new one), or
/// PostgreSQL; either brought up to date as `serve` does.
pub fn open_for_tokens(db: &Database) -> anyhow::Result<Box<dyn Store>> {
    match db {
        Database::Sqlite(path) => {
            if !path.exists() {
                anyhow::bail!(
                    "no database at {}: start `cspdash serve --db {} --demo N` first",
                    path.display(),
                    path.display()
                );
            }
            Ok(Box::new(SqliteStore::open(path)?))
        }
        Database::Postgres(url) => Ok(Box::new(PgStore::open(url)?)),
    }
}

/// `cspdash token create [--expires-in-days N]`.
pub fn create_token_expiring(
    db: &Database,
    role: &str,
    partner: Option<&str>,
    agent: Option<&str>,
    expires_in_days: Option<u32>,
) -> anyhow::Result<String> {
    let role = crate::api::Role::parse(role).ok_or_else(|| {
        anyhow::anyhow!(
            "unknown role {role:?}: use global-admin, admin-agent, sales-agent or helpdesk-agent"
        )
    })?;
    let store = open_for_tokens(db)?;
    let token = auth::new_token();
    let expiry = match expires_in_days {
        Some(days) => {
            store::TokenExpiry::After(std::time::Duration::from_secs(u64::from(days) * 24 * 3600))
        }
        None => store::TokenExpiry::Never,
    };
    store.create_expiring_token(&auth::token_hash(&token), partner, role, agent, expiry)?;
    Ok(token)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
