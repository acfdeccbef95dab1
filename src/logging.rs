//! Logs go to a file in the state/data dir (the terminal belongs to the UI); `serve` logs to stderr.
//!
//! The level comes from `--log-level` (default `info`); `RUST_LOG`, when set, wins.

use std::path::{Path, PathBuf};

use anyhow::Context;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

/// Keeps the background log writer alive; flushes on drop.
pub struct LogGuard(#[allow(dead_code)] Option<tracing_appender::non_blocking::WorkerGuard>);

/// `--log-level` when none is given.
pub const DEFAULT_LEVEL: &str = "info";
/// Days of log files kept.
const KEPT_LOG_FILES: usize = 7;
/// The name that always points at today's log.
pub const LOG_FILE_NAME: &str = "cspdash.log";

/// For the dashboard: a log file under the state (or data) dir. `level` from `--log-level`; `RUST_LOG` wins.
pub fn init_file(level: Option<&str>) -> anyhow::Result<LogGuard> {
    let filter = without_query_parameters(filter(level, std::env::var("RUST_LOG").ok())?);
    let dir = log_dir().context("no home directory to keep the log file in")?;
    let appender = file_appender(&dir)?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot start logging: {e}"))?;
    Ok(LogGuard(Some(guard)))
}

/// For `cspdash serve`: logs to stderr.
pub fn init_stderr(level: Option<&str>) -> anyhow::Result<LogGuard> {
    let filter = without_query_parameters(filter(level, std::env::var("RUST_LOG").ok())?);
    // Blocking on purpose: a server's last lines before exiting must not be lost in a queue.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot start logging: {e}"))?;
    Ok(LogGuard(None))
}

/// `<state dir>/cspdash` (XDG_STATE_HOME on Linux), else the local data dir where platforms have
/// no state dir.
pub fn log_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "cspdash")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

/// Daily files `cspdash.YYYY-MM-DD.log` in `dir`, a week kept, `cspdash.log` pointing at the newest.
/// Logs name customers and requests: the directory is private to the user (0700), so the files
/// the appender creates are out of others' reach whatever their mode; those there now are 0600.
fn file_appender(dir: &Path) -> anyhow::Result<RollingFileAppender> {
    crate::private_files::ensure_private_dir(dir)
        .with_context(|| format!("cannot create the log directory {}", dir.display()))?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("cspdash")
        .filename_suffix("log")
        .max_log_files(KEPT_LOG_FILES)
        .latest_symlink(LOG_FILE_NAME)
        .build(dir)
        .with_context(|| format!("cannot open a log file in {}", dir.display()))?;
    make_log_files_private(dir)
        .with_context(|| format!("cannot make the log files in {} private", dir.display()))?;
    Ok(appender)
}

/// The appender has no mode setting: its files (today's just opened, older ones) are set to 0600.
fn make_log_files_private(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // `symlink_metadata`: the `cspdash.log` link itself is skipped, its target is in the list.
        let is_file = std::fs::symlink_metadata(entry.path())?.is_file();
        if is_file && name.starts_with("cspdash.") && name.ends_with(".log") {
            crate::private_files::make_private(&entry.path())?;
        }
    }
    Ok(())
}

/// tokio-postgres logs every statement's parameters at debug level: invitation and approval
/// codes, token hashes, CSRF tokens. None of those may reach a log at any level.
const QUIET_QUERY_PARAMETERS: &str = "tokio_postgres::query=info";

/// `filter` with [`QUIET_QUERY_PARAMETERS`] added last, so it wins even over a `RUST_LOG` that
/// names the same target.
fn without_query_parameters(filter: EnvFilter) -> EnvFilter {
    match QUIET_QUERY_PARAMETERS.parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => unreachable!("{QUIET_QUERY_PARAMETERS} is a valid directive"),
    }
}

/// `RUST_LOG` (full directive syntax) if set and not blank, else `level` for everything.
fn filter(level: Option<&str>, rust_log: Option<String>) -> anyhow::Result<EnvFilter> {
    if let Some(directives) = rust_log.filter(|v| !v.trim().is_empty()) {
        return EnvFilter::try_new(&directives)
            .with_context(|| format!("RUST_LOG={directives} is not a valid log filter"));
    }
    let level = level.unwrap_or(DEFAULT_LEVEL).trim().to_ascii_lowercase();
    if !matches!(
        level.as_str(),
        "error" | "warn" | "info" | "debug" | "trace" | "off"
    ) {
        anyhow::bail!("--log-level {level}: expected error, warn, info, debug, trace or off");
    }
    EnvFilter::try_new(&level).with_context(|| format!("--log-level {level}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_defaults_to_info_and_rust_log_wins() {
        assert_eq!(filter(None, None).expect("filter").to_string(), "info");
        assert_eq!(
            filter(Some("DEBUG"), None).expect("filter").to_string(),
            "debug"
        );
        let from_env = filter(Some("debug"), Some("cspdash=trace".into())).expect("filter");
        assert_eq!(from_env.to_string(), "cspdash=trace");
        assert_eq!(
            filter(Some("warn"), Some(" ".into()))
                .expect("filter")
                .to_string(),
            "warn"
        );
    }

    #[test]
    fn query_parameters_stay_out_of_the_log_whatever_rust_log_says() {
        for rust_log in [
            "trace",
            "tokio_postgres=trace",
            "tokio_postgres::query=trace",
        ] {
            let shown =
                without_query_parameters(filter(None, Some(rust_log.into())).expect("filter"))
                    .to_string();
            assert!(
                shown.contains("tokio_postgres::query=info"),
                "{rust_log}: {shown}"
            );
            assert!(
                !shown.contains("tokio_postgres::query=trace"),
                "{rust_log}: {shown}"
            );
        }
    }

    #[test]
    fn an_unknown_level_lists_the_choices() {
        let err = filter(Some("loud"), None).expect_err("refused");
        assert_eq!(
            err.to_string(),
            "--log-level loud: expected error, warn, info, debug, trace or off"
        );
    }

    #[test]
    fn an_uncreatable_log_dir_is_an_error_naming_it_not_a_panic() {
        let dir = tempfile::tempdir().expect("temp dir");
        let blocker = dir.path().join("a-file");
        std::fs::write(&blocker, "").expect("write");
        let wanted = blocker.join("logs");
        let err = file_appender(&wanted).expect_err("cannot create under a file");
        assert!(
            err.to_string().contains(&wanted.display().to_string()),
            "{err}"
        );
    }

    #[test]
    fn log_lines_land_in_the_dir_under_the_stable_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let appender = file_appender(dir.path()).expect("appender");
        let (writer, guard) = tracing_appender::non_blocking(appender);
        let subscriber = tracing_subscriber::fmt()
            .with_writer(writer)
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || tracing::info!("hello from the test"));
        drop(guard); // flushes
        let text = std::fs::read_to_string(dir.path().join(LOG_FILE_NAME)).expect("log file");
        assert!(text.contains("hello from the test"), "{text}");
    }

    #[cfg(unix)]
    #[test]
    fn the_log_dir_is_0700_and_its_files_0600() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        let dir = tempfile::tempdir().expect("temp dir");
        let logs = dir.path().join("state/cspdash");
        std::fs::create_dir_all(&logs).expect("mkdir");
        std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let old = logs.join("cspdash.2026-01-01.log");
        std::fs::write(&old, "customer names").expect("write");
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        drop(file_appender(&logs).expect("appender"));
        assert_eq!(mode(&logs), 0o700);
        let files: Vec<_> = std::fs::read_dir(&logs)
            .expect("list")
            .map(|e| e.expect("entry").path())
            .filter(|p| !p.is_symlink())
            .collect();
        assert!(files.len() >= 2, "today's file and the old one: {files:?}");
        for file in files {
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }
}
