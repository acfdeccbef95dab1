//! The config file (`<config dir>/config.toml`) and its profiles. STUB: types agreed, body to be written.

use std::path::PathBuf;

/// How copying reaches the user's clipboard (config key `clipboard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClipboardMode {
    /// Native when a display is reachable and not over SSH, else OSC 52.
    #[default]
    Auto,
    Native,
    Osc52,
}

/// Which backend the dashboard talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// No config and no `--backend`: start the backend in-process on loopback with demo data.
    Embedded,
    Remote {
        url: String,
        token: String,
    },
}

/// Everything the dashboard needs from the config file and the command line, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Profile name shown in the header (`embedded` for the embedded default).
    pub profile: String,
    /// Cloud label shown in the header (`Partner Center`, `US Government`, ...).
    pub cloud: String,
    pub backend: Backend,
    pub clipboard: ClipboardMode,
    /// The file the settings came from, if any.
    pub config_path: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Names the file, line and key, and how to fix it.
    #[error("{path}:{line}: {key}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        key: String,
        message: String,
    },
    #[error("{0}")]
    Other(String),
}

/// Reads the config file (`CSPDASH_CONFIG` overrides its path) and applies `--profile` / `--backend`.
pub fn resolve(profile: Option<&str>, backend: Option<&str>) -> Result<Settings, ConfigError> {
    let _ = (profile, backend);
    Err(ConfigError::Other("config not written yet".into()))
}
