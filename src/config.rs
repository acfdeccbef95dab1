//! The config file (`<config dir>/config.toml`) and its profiles, resolved with `--profile`,
//! `--backend` and the environment into the [`Settings`] the dashboard starts with.
//!
//! Precedence: `--backend` overrides the URL; the token comes from `CSPDASH_TOKEN`, else from the
//! profile's `token_file`; with neither a config file nor `--backend`, the embedded default.

pub mod file;
pub mod public_url;
pub mod timing;
mod token;

use std::path::{Path, PathBuf};

pub use file::{ConfigFile, Profile};
pub use public_url::{PublicUrlError, check_public_url};
pub use timing::Timing;

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
    /// Heartbeat expected from the backend and the reconnect cap.
    pub timing: Timing,
    /// The file the settings came from, if any.
    pub config_path: Option<PathBuf>,
    /// The base of the embedded backend's invitation links (`public_url` in the file, or
    /// `--public-url`), checked; None: its loopback address, a demo link. Only the embedded
    /// backend uses it: a served one has its own (`cspdash serve --public-url`).
    pub public_url: Option<String>,
}

impl Settings {
    /// Applies `--public-url`: it overrides the file's `public_url`, and is refused for a remote
    /// backend, whose links that backend makes.
    pub fn with_public_url_flag(mut self, flag: Option<&str>) -> Result<Settings, ConfigError> {
        let Some(flag) = flag else {
            return Ok(self);
        };
        let url = check_public_url(flag)
            .map_err(|err| ConfigError::Other(format!("--public-url: {err}")))?;
        if let Backend::Remote { url: backend, .. } = &self.backend {
            return Err(ConfigError::Other(format!(
                "--public-url sets the links of the embedded backend; {backend} makes its own \
                 (`cspdash serve --public-url URL` there)"
            )));
        }
        self.public_url = Some(url);
        Ok(self)
    }
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

/// Names of the environment variables the config honours.
pub const CONFIG_ENV: &str = "CSPDASH_CONFIG";
pub const TOKEN_ENV: &str = "CSPDASH_TOKEN";

/// Profile and cloud labels of the embedded default.
pub const EMBEDDED_PROFILE: &str = "embedded";
pub const EMBEDDED_CLOUD: &str = "Partner Center (demo)";
/// The header's cloud label when a profile names none.
pub const DEFAULT_CLOUD: &str = "Partner Center";

/// Reads the config file (`CSPDASH_CONFIG` overrides its path) and applies `--profile` / `--backend`.
pub fn resolve(profile: Option<&str>, backend: Option<&str>) -> Result<Settings, ConfigError> {
    resolve_with(&Environment::from_process(), profile, backend)
}

/// What `resolve` takes from the process, gathered in one place so tests need not touch the
/// (process-global) environment.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// `CSPDASH_CONFIG`, if set: this file must exist.
    pub config_override: Option<PathBuf>,
    /// `<config dir>/config.toml`, if a home directory is known: this file may be absent.
    pub default_config: Option<PathBuf>,
    /// `CSPDASH_TOKEN`, if set and not blank.
    pub token: Option<String>,
    pub home: Option<PathBuf>,
    /// `CSPDASH_HEARTBEAT_MS` and `CSPDASH_RECONNECT_MAX_MS` as set (checked by `resolve`).
    pub heartbeat_ms: Option<String>,
    pub reconnect_max_ms: Option<String>,
}

impl Environment {
    pub fn from_process() -> Self {
        let non_empty = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Self {
            config_override: non_empty(CONFIG_ENV).map(PathBuf::from),
            default_config: default_config_path(),
            token: non_empty(TOKEN_ENV).map(|t| t.trim().to_string()),
            home: directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()),
            heartbeat_ms: non_empty(timing::HEARTBEAT_ENV),
            reconnect_max_ms: non_empty(timing::RECONNECT_MAX_ENV),
        }
    }
}

/// `<config dir>/cspdash/config.toml` (XDG on Linux).
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "cspdash").map(|d| d.config_dir().join("config.toml"))
}

pub fn resolve_with(
    env: &Environment,
    profile: Option<&str>,
    backend: Option<&str>,
) -> Result<Settings, ConfigError> {
    let file = load(env)?;
    let clipboard = file.as_ref().map(|f| f.clipboard).unwrap_or_default();
    let timing = resolve_timing(env, file.as_ref())?;
    let config_path = file.as_ref().map(|f| f.path.clone());
    let public_url = file.as_ref().and_then(|f| f.public_url.clone());

    let chosen = match profile {
        Some(name) => Some(named_profile(file.as_ref(), env, name)?),
        None if backend.is_some() => None,
        None => match &file {
            Some(file) => default_profile(file)?,
            None => None,
        },
    };

    let settings = |profile: String, cloud: String, backend: Backend| Settings {
        profile,
        cloud,
        backend,
        clipboard,
        timing,
        config_path: config_path.clone(),
        public_url: public_url.clone(),
    };

    match (chosen, backend) {
        (None, None) => Ok(settings(
            EMBEDDED_PROFILE.into(),
            EMBEDDED_CLOUD.into(),
            Backend::Embedded,
        )),
        (None, Some(url)) => {
            let url = check_backend_flag(url)?;
            let token = env.token.clone().ok_or_else(|| {
                ConfigError::Other(format!(
                    "--backend {url} needs a token: set {TOKEN_ENV} \
                     (`cspdash token create --db PATH --role ROLE` prints one)"
                ))
            })?;
            let label = reqwest::Url::parse(&url)
                .ok()
                .and_then(|u| {
                    u.host_str().map(|h| match u.port() {
                        Some(port) => format!("{h}:{port}"),
                        None => h.to_string(),
                    })
                })
                .unwrap_or_else(|| url.clone());
            Ok(settings(
                label,
                DEFAULT_CLOUD.into(),
                Backend::Remote { url, token },
            ))
        }
        (Some((name, profile, file_path)), flag) => {
            let url = match flag {
                Some(url) => check_backend_flag(url)?,
                None => profile.backend.clone(),
            };
            let token = profile_token(env, &name, &profile, &file_path)?;
            let cloud = profile
                .cloud
                .clone()
                .unwrap_or_else(|| DEFAULT_CLOUD.into());
            Ok(settings(name, cloud, Backend::Remote { url, token }))
        }
    }
}

/// The file's `[connection]` values, each overridden by its environment variable.
fn resolve_timing(env: &Environment, file: Option<&ConfigFile>) -> Result<Timing, ConfigError> {
    let mut timing = file.map(|f| f.timing).unwrap_or_default();
    if let Some(value) = &env.heartbeat_ms {
        timing.heartbeat = timing::from_env(timing::HEARTBEAT_ENV, value, timing::HEARTBEAT_MS)?;
    }
    if let Some(value) = &env.reconnect_max_ms {
        timing.reconnect_max =
            timing::from_env(timing::RECONNECT_MAX_ENV, value, timing::RECONNECT_MAX_MS)?;
    }
    Ok(timing)
}

/// The config file, if there is one; `CSPDASH_CONFIG` pointing nowhere is an error.
fn load(env: &Environment) -> Result<Option<ConfigFile>, ConfigError> {
    let path = match (&env.config_override, &env.default_config) {
        (Some(path), _) => {
            if !path.exists() {
                return Err(ConfigError::Other(format!(
                    "{CONFIG_ENV} is set to {}, but there is no such file",
                    path.display()
                )));
            }
            path
        }
        (None, Some(path)) if path.exists() => path,
        (None, _) => return Ok(None),
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::Other(format!("cannot read {}: {e}", path.display())))?;
    file::parse(path, &text).map(Some)
}

type Chosen = (String, Profile, PathBuf);

fn named_profile(
    file: Option<&ConfigFile>,
    env: &Environment,
    name: &str,
) -> Result<Chosen, ConfigError> {
    let Some(file) = file else {
        let path = env
            .default_config
            .as_deref()
            .unwrap_or(Path::new("config.toml"));
        return Err(ConfigError::Other(format!(
            "--profile {name}: there is no config file ({} does not exist); \
             add a [profiles.{name}] table with a backend there",
            path.display()
        )));
    };
    match file.profiles.get(name) {
        Some(profile) => Ok((name.to_string(), profile.clone(), file.path.clone())),
        None => Err(ConfigError::Other(format!(
            "unknown profile `{name}`; known profiles in {}: {}",
            file.path.display(),
            file::known_profiles(&file.profiles)
        ))),
    }
}

/// `default_profile`, or the only profile; none at all means the embedded default.
fn default_profile(file: &ConfigFile) -> Result<Option<Chosen>, ConfigError> {
    let name = match &file.default_profile {
        Some(name) => name.clone(),
        None => match file.profiles.len() {
            0 => return Ok(None),
            1 => file.profiles.keys().next().cloned().unwrap_or_default(),
            _ => {
                return Err(ConfigError::Other(format!(
                    "{} has several profiles ({}) and no default_profile: \
                     pick one with --profile NAME or set default_profile",
                    file.path.display(),
                    file::known_profiles(&file.profiles)
                )));
            }
        },
    };
    match file.profiles.get(&name) {
        Some(profile) => Ok(Some((name, profile.clone(), file.path.clone()))),
        // file::parse already checked default_profile names a profile.
        None => Ok(None),
    }
}

fn check_backend_flag(url: &str) -> Result<String, ConfigError> {
    crate::client::validate_base_url(url).map_err(|err| {
        let reason = match err {
            crate::client::ClientError::BadUrl { reason, .. } => reason,
            other => other.to_string(),
        };
        ConfigError::Other(format!("--backend {url}: {reason}"))
    })
}

fn profile_token(
    env: &Environment,
    name: &str,
    profile: &Profile,
    config_path: &Path,
) -> Result<String, ConfigError> {
    if let Some(token) = &env.token {
        return Ok(token.clone());
    }
    let Some(written) = &profile.token_file else {
        return Err(ConfigError::Other(format!(
            "profile `{name}` has no token: set {TOKEN_ENV}, or token_file in [profiles.{name}] of {}",
            config_path.display()
        )));
    };
    let path = token::expand_path(written, env.home.as_deref(), config_path.parent());
    token::read_token_file(&path, name)
}

#[cfg(test)]
mod tests;
