//! The wiring of the dashboard and the scripting commands: resolves the config, starts the
//! embedded backend when nothing else is configured, and hands the dashboard (or the command) a
//! URL and a token. The only place they and the server meet, so neither `tui` nor `cli` imports
//! anything of `server`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

use crate::cli::context::Ctx;
use crate::cli::output::{Output, Style};
use crate::cli::{Cli, CliError, Noun, report, script};
use crate::client::{Client, ClientOptions, RetryPolicy};
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
                let backend = start_embedded(&settings).await?;
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

/// Starts the embedded default (saying so on first run, when it seeds demo data).
async fn start_embedded(
    settings: &config::Settings,
) -> anyhow::Result<server::embedded::EmbeddedBackend> {
    let db = embedded_db_path()?;
    if !db.exists() {
        // Seeding takes a moment and the terminal is still ours to write on.
        eprintln!("cspdash: first run: creating demo data in {}", db.display());
    }
    let options = server::embedded::EmbeddedOptions {
        public_url: settings.public_url.clone(),
        ..server::embedded::EmbeddedOptions::default()
    };
    server::embedded::start_with_options(&db, &options)
        .await
        .with_context(|| format!("cannot start the embedded backend on {}", db.display()))
}

/// The client's timeouts for a script: an unreachable backend is reported within 15 s (a cron
/// job must not hang), and a 429 is waited out when the backend asks for up to 30 s.
pub fn script_client_options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(4),
        request_timeout: Duration::from_secs(12),
        retry: RetryPolicy {
            budget: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(30),
            ..RetryPolicy::default()
        },
        ..ClientOptions::default()
    }
}

/// Runs a scripting command (`cspdash NOUN VERB`); returns the exit code. Its failure is
/// reported here, once, as one line on stderr.
pub fn script(cli: &Cli, noun: &Noun) -> u8 {
    let options = noun.options();
    let style = Style::detect(options.output, options.no_headers);
    let given = options.request_id.is_some();
    let request_id = options
        .request_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let (result, retry_id) = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => {
            let outcome = runtime.block_on(run_script(cli, noun, style, request_id, given));
            runtime.shutdown_timeout(Duration::from_millis(200));
            outcome
        }
        Err(e) => (
            Err(CliError::Failed(format!(
                "cannot start the async runtime: {e}"
            ))),
            None,
        ),
    };
    match result {
        Ok(()) => 0,
        // `| head` closed the pipe: the reader has what it wanted.
        Err(err) if err.is_broken_pipe() => 0,
        Err(err) => {
            report::report(&err, style.format, retry_id.as_deref());
            err.exit().code()
        }
    }
}

async fn run_script(
    cli: &Cli,
    noun: &Noun,
    style: Style,
    request_id: String,
    given: bool,
) -> (Result<(), CliError>, Option<String>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (profile, backend) = cli.connection(noun.options());
    // `--public-url` shapes the embedded default's invitation links, as for the dashboard.
    let settings = match config::resolve(profile, backend)
        .and_then(|s| s.with_public_url_flag(cli.public_url.as_deref()))
    {
        Ok(settings) => settings,
        Err(err) => return (Err(err.into()), None),
    };
    let level = noun
        .options()
        .log_level
        .as_deref()
        .or(cli.log_level.as_deref());
    let _log = match logging::init_file(level) {
        Ok(guard) => guard,
        Err(err) => return (Err(CliError::Setup(err)), None),
    };
    let (url, token, embedded) = match &settings.backend {
        Backend::Remote { url, token } => (url.clone(), token.clone(), None),
        Backend::Embedded => match start_embedded(&settings).await {
            Ok(backend) => (backend.url.clone(), backend.token.clone(), Some(backend)),
            Err(err) => return (Err(CliError::Setup(err)), None),
        },
    };
    let client = match Client::with_options(&url, &token, script_client_options()) {
        Ok(client) => client,
        Err(err) => return (Err(err.into()), None),
    };
    let mut ctx = Ctx::new(client, Output::stdout(style), request_id).with_given_request_id(given);
    let result = script::execute(noun, &mut ctx).await;
    // The embedded backend (and its token) lives as long as the command.
    drop(embedded);
    (result, ctx.retry_id().map(str::to_string))
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
