//! Logs go to a file in the state/data dir (the terminal belongs to the UI); `serve` logs to stderr.
//! STUB: signatures agreed, bodies to be written.

/// Keeps the background log writer alive; flushes on drop.
pub struct LogGuard(#[allow(dead_code)] Option<tracing_appender::non_blocking::WorkerGuard>);

/// For the dashboard: a log file under the state (or data) dir. `level` from `--log-level`; `RUST_LOG` wins.
pub fn init_file(level: Option<&str>) -> anyhow::Result<LogGuard> {
    let _ = level;
    Ok(LogGuard(None))
}

/// For `cspdash serve`: logs to stderr.
pub fn init_stderr(level: Option<&str>) -> anyhow::Result<LogGuard> {
    let _ = level;
    Ok(LogGuard(None))
}
