//! The real backend (`cspdash::server`) on 127.0.0.1:0 with a temporary, seeded SQLite file, and
//! tokens for the roles and partners a test needs.

use std::sync::Arc;

use cspdash::api::Role;
use cspdash::client::Client;
use cspdash::server::store::{SqliteStore, Store};
use cspdash::server::{AppState, auth, open_store, spawn};
use tokio::sync::oneshot;

use crate::fake_backend::quick_options;

pub const CONTOSO: &str = "Contoso Partner";
pub const FABRIKAM: &str = "Fabrikam Partner";

pub struct Backend {
    pub url: String,
    store: Arc<SqliteStore>,
    _dir: tempfile::TempDir,
    _stop: oneshot::Sender<()>,
}

/// Starts the server over a fresh database seeded with `customers` demo customers for Contoso.
pub async fn start(customers: u32, rate_limit_per_sec: u32) -> Backend {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cspdash.db");
    let store = tokio::task::spawn_blocking(move || open_store(&path, Some(customers)))
        .await
        .expect("seeding task")
        .expect("seeded store");
    let store = Arc::new(store);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let state = AppState::new(store.clone(), &url, rate_limit_per_sec);
    let (stop, stopped) = oneshot::channel::<()>();
    spawn(listener, state, async {
        let _ = stopped.await;
    })
    .expect("server");
    Backend {
        url,
        store,
        _dir: dir,
        _stop: stop,
    }
}

impl Backend {
    /// A client signed in as a new agent of `partner` with `role`.
    pub fn client(&self, partner: &str, role: Role) -> Client {
        let token = self.token(partner, role);
        Client::with_options(&self.url, &token, quick_options()).expect("client")
    }

    /// A new bearer token for an agent of `partner` with `role`.
    pub fn token(&self, partner: &str, role: Role) -> String {
        let token = auth::new_token();
        self.store
            .create_token(&auth::token_hash(&token), Some(partner), role, None)
            .expect("token");
        token
    }
}
