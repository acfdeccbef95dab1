//! The dashboard's wiring: resolves the config, starts the embedded backend when nothing else is
//! configured, and hands the dashboard a URL and a token. The only place the dashboard and the
//! server meet, so `tui` imports nothing of `server`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

use crate::cli::Cli;
use crate::config::{self, Backend};
use crate::{logging, server, tui};

/// Runs the dashboard until the user quits (no subcommand).
pub fn dashboard(cli: &Cli) -> anyhow::Result<()> {
    // A config mistake is reported plainly, before the terminal is touched.
    let settings = config::resolve(cli.profile.as_deref(), cli.backend.as_deref())?
        .with_public_url_flag(cli.public_url.as_deref())?;
    let _log = logging::init_file(cli.log_level.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        // Fails if another part of the process installed it first, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        match &settings.backend {
            Backend::Embedded => {
                let db = embedded_db_path()?;
                if !db.exists() {
                    // Seeding takes a moment and the terminal is still ours to write on.
                    eprintln!("cspdash: first run: creating demo data in {}", db.display());
                }
                let options = server::embedded::EmbeddedOptions {
                    public_url: settings.public_url.clone(),
                    ..server::embedded::EmbeddedOptions::default()
                };
                let backend = server::embedded::start_with_options(&db, &options)
                    .await
                    .with_context(|| {
                        format!("cannot start the embedded backend on {}", db.display())
                    })?;
                let target = tui::Target {
                    url: backend.url.clone(),
                    token: backend.token.clone(),
                    // The embedded backend beats at the server's default, whatever a remote
                    // profile expects.
                    heartbeat: server::DEFAULT_HEARTBEAT,
                };
                // The backend lives as long as the dashboard.
                let result = tui::run(target, settings.clone()).await;
                drop(backend);
                result
            }
            Backend::Remote { url, token } => {
                let target = tui::Target {
                    url: url.clone(),
                    token: token.clone(),
                    heartbeat: settings.timing.heartbeat,
                };
                tui::run(target, settings.clone()).await
            }
        }
    });
    // Requests still in flight are abandoned rather than waited for.
    runtime.shutdown_timeout(Duration::from_millis(200));
    result
}

/// Where the embedded backend keeps its database: `<data dir>/cspdash.db` (XDG honoured), in a
/// directory only the user may enter.
pub fn embedded_db_path() -> anyhow::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "cspdash")
        .context("cannot find a home directory for the embedded database")?;
    let dir = dirs.data_dir();
    crate::private_files::ensure_private_dir(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    Ok(dir.join("cspdash.db"))
}
