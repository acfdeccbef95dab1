//! The embedded default: the backend started in-process on 127.0.0.1 for a dashboard with no config.
//! The dashboard still talks to it over HTTP, so the local and remote cases share one code path.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::store::{Store, TokenExpiry};
use super::{AppState, auth, open_store, spawn};
use crate::api::Role;

/// Customers seeded on first run of the embedded default.
pub const DEMO_CUSTOMERS: u32 = 1000;
/// Requests a second per token, as `cspdash serve` defaults to (DESIGN.md §3).
const DEFAULT_RATE_LIMIT: u32 = 100;

/// How the embedded token stays alive: it expires `idle` after its last renewal, and the running
/// backend renews it every `renew_every` by the wall clock. A dashboard open for days keeps its
/// token; a crashed one's dies within `idle`.
#[derive(Debug, Clone, Copy)]
pub struct TokenLifetime {
    pub idle: Duration,
    pub renew_every: Duration,
}

impl Default for TokenLifetime {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(15 * 60),
            renew_every: Duration::from_secs(60),
        }
    }
}

/// How often the renewer looks at the wall clock: after the machine wakes from sleep (when the
/// token may have lapsed) it renews within this, not a whole `renew_every` later.
const RENEW_CHECK_EVERY: Duration = Duration::from_secs(2);

/// A running in-process backend. Dropping it stops the server and revokes its token, so the
/// database does not collect one token a run; a crash leaves one behind, which expires by itself.
pub struct EmbeddedBackend {
    /// `http://127.0.0.1:<random port>`
    pub url: String,
    /// The base of its invitation links: the public URL it was given, else `url`.
    pub public_url: String,
    /// A fresh bearer token for the demo partner's Global admin.
    pub token: String,
    store: Arc<dyn Store>,
    renewer: JoinHandle<()>,
    _stop: oneshot::Sender<()>,
}

impl Drop for EmbeddedBackend {
    fn drop(&mut self) {
        self.renewer.abort();
        if let Err(e) = self.store.revoke_token(&auth::token_hash(&self.token)) {
            tracing::warn!("could not revoke the embedded backend's token: {e}");
        }
    }
}

/// How to start the embedded backend; the defaults suit the dashboard.
#[derive(Debug, Clone, Default)]
pub struct EmbeddedOptions {
    pub lifetime: TokenLifetime,
    /// The base of invitation links (checked by `config::check_public_url`); None: the loopback
    /// address it listens on, a demo link that no customer can open and that changes every run.
    pub public_url: Option<String>,
}

/// Opens (or creates and seeds with demo data) the database at `db_path`, serves it on a random
/// loopback port and signs in as the demo partner's Global admin. Must be called inside a tokio runtime.
pub async fn start(db_path: &Path) -> anyhow::Result<EmbeddedBackend> {
    start_with_options(db_path, &EmbeddedOptions::default()).await
}

/// [`start`] with the token's lifetime given (tests shorten it).
pub async fn start_with(
    db_path: &Path,
    lifetime: TokenLifetime,
) -> anyhow::Result<EmbeddedBackend> {
    let options = EmbeddedOptions {
        lifetime,
        ..EmbeddedOptions::default()
    };
    start_with_options(db_path, &options).await
}

/// [`start`] with its options given.
pub async fn start_with_options(
    db_path: &Path,
    options: &EmbeddedOptions,
) -> anyhow::Result<EmbeddedBackend> {
    let lifetime = options.lifetime;
    if let Some(dir) = db_path.parent() {
        crate::private_files::ensure_private_dir(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    }
    let path = db_path.to_path_buf();
    let (store, token) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        // Opening purges expired tokens: those of dashboards that crashed.
        let store = open_store(&path, Some(DEMO_CUSTOMERS))?;
        let token = auth::new_token();
        let expiry = TokenExpiry::Idle(lifetime.idle);
        store.create_expiring_token(
            &auth::token_hash(&token),
            None,
            Role::GlobalAdmin,
            None,
            expiry,
        )?;
        Ok((store, token))
    })
    .await??;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    let public_url = options.public_url.as_deref().unwrap_or(&url);
    let store: Arc<dyn Store> = Arc::new(store);
    // Listening on 127.0.0.1 is not enough: a page in the user's browser can rebind its own
    // name to 127.0.0.1 and reach us; its requests name that host. (With a public URL a reverse
    // proxy forwards to us; the host check still applies to what reaches this port.)
    let state =
        AppState::new(Arc::clone(&store), public_url, DEFAULT_RATE_LIMIT).loopback_hosts_only();
    let (stop, stopped) = oneshot::channel::<()>();
    spawn(listener, state, async {
        let _ = stopped.await;
    })?;
    let renewer = tokio::spawn(renew_forever(
        Arc::clone(&store),
        auth::token_hash(&token),
        lifetime.renew_every,
    ));
    let public_url = public_url.to_string();
    Ok(EmbeddedBackend {
        url,
        public_url,
        token,
        store,
        renewer,
        _stop: stop,
    })
}

/// Keeps the token alive while this process runs, also while the dashboard makes no requests
/// (its event stream is one long request). By the wall clock, which moves on while the machine
/// sleeps; tokio's timers do not.
async fn renew_forever(store: Arc<dyn Store>, hash: String, every: Duration) {
    let mut last = SystemTime::now();
    let mut ticks = tokio::time::interval(RENEW_CHECK_EVERY.min(every));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let now = SystemTime::now();
        // A clock set backwards counts as due: renewing once too often is harmless.
        if now
            .duration_since(last)
            .map_or(true, |waited| waited >= every)
        {
            last = now;
            let store = Arc::clone(&store);
            let hash = hash.clone();
            match tokio::task::spawn_blocking(move || store.renew_token(&hash)).await {
                Ok(Ok(true)) => {}
                Ok(Ok(false)) => {
                    tracing::warn!("the embedded backend's token was revoked; not renewing it");
                    return;
                }
                Ok(Err(e)) => tracing::warn!("could not renew the embedded backend's token: {e}"),
                Err(e) => tracing::warn!("token renewal task failed: {e}"),
            }
        }
    }
}
