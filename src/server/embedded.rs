//! The embedded default: the backend started in-process on 127.0.0.1 for a dashboard with no config.

use std::path::Path;

/// A running in-process backend. Dropping it stops the server.
pub struct EmbeddedBackend {
    /// `http://127.0.0.1:<random port>`
    pub url: String,
    /// A fresh bearer token for the demo partner's Global admin.
    pub token: String,
}

/// Opens (or creates and seeds with demo data) the database at `db_path`, serves it on a random
/// loopback port and signs in as the demo partner's Global admin. Must be called inside a tokio runtime.
pub async fn start(db_path: &Path) -> anyhow::Result<EmbeddedBackend> {
    let _ = db_path;
    anyhow::bail!("embedded backend not written yet")
}
