//! The embedded default: the backend started in-process on 127.0.0.1 for a dashboard with no config.
//! The dashboard still talks to it over HTTP, so the local and remote cases share one code path.

use std::path::Path;
use std::sync::Arc;

use tokio::sync::oneshot;

use super::store::Store;
use super::{AppState, auth, open_store, spawn};
use crate::api::Role;

/// Customers seeded on first run of the embedded default.
pub const DEMO_CUSTOMERS: u32 = 1000;
/// Requests a second per token, as `cspdash serve` defaults to (DESIGN.md §3).
const DEFAULT_RATE_LIMIT: u32 = 100;

/// A running in-process backend. Dropping it stops the server and revokes its token, so the
/// database does not collect one token a run (a crash leaves one behind that nobody knows).
pub struct EmbeddedBackend {
    /// `http://127.0.0.1:<random port>`
    pub url: String,
    /// A fresh bearer token for the demo partner's Global admin.
    pub token: String,
    store: Arc<dyn Store>,
    _stop: oneshot::Sender<()>,
}

impl Drop for EmbeddedBackend {
    fn drop(&mut self) {
        if let Err(e) = self.store.revoke_token(&auth::token_hash(&self.token)) {
            tracing::warn!("could not revoke the embedded backend's token: {e}");
        }
    }
}

/// Opens (or creates and seeds with demo data) the database at `db_path`, serves it on a random
/// loopback port and signs in as the demo partner's Global admin. Must be called inside a tokio runtime.
pub async fn start(db_path: &Path) -> anyhow::Result<EmbeddedBackend> {
    if let Some(dir) = db_path.parent() {
        crate::private_files::ensure_private_dir(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    }
    let path = db_path.to_path_buf();
    let (store, token) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let store = open_store(&path, Some(DEMO_CUSTOMERS))?;
        let token = auth::new_token();
        store.create_token(&auth::token_hash(&token), None, Role::GlobalAdmin, None)?;
        Ok((store, token))
    })
    .await??;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    let store: Arc<dyn Store> = Arc::new(store);
    // Listening on 127.0.0.1 is not enough: a page in the user's browser can rebind its own
    // name to 127.0.0.1 and reach us; its requests name that host.
    let state = AppState::new(Arc::clone(&store), &url, DEFAULT_RATE_LIMIT).loopback_hosts_only();
    let (stop, stopped) = oneshot::channel::<()>();
    spawn(listener, state, async {
        let _ = stopped.await;
    })?;
    Ok(EmbeddedBackend {
        url,
        token,
        store,
        _stop: stop,
    })
}
