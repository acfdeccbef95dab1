//! Reading `config.toml` into typed values; every mistake is reported with its file, line and key.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::timing::{self, Timing};
use super::{ClipboardMode, ConfigError};

/// The config file as written (DESIGN.md §2), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub default_profile: Option<String>,
    pub clipboard: ClipboardMode,
    /// `[connection]`: heartbeat and reconnect cap (defaults when absent).
    pub timing: Timing,
    pub profiles: BTreeMap<String, Profile>,
    /// `public_url`: the base of the embedded backend's invitation links (checked).
    pub public_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Validated http(s) URL.
    pub backend: String,
    /// As written (`~` not yet expanded).
    pub token_file: Option<String>,
    pub cloud: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    default_profile: Option<Spanned<String>>,
    clipboard: Option<Spanned<String>>,
    public_url: Option<Spanned<String>>,
    connection: Option<RawConnection>,
    #[serde(default)]
    profiles: BTreeMap<String, RawProfile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConnection {
    heartbeat_ms: Option<Spanned<u64>>,
    reconnect_max_ms: Option<Spanned<u64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    backend: Option<Spanned<String>>,
    token_file: Option<String>,
    cloud: Option<String>,
}

/// Parses and checks `text`, the contents of `path`.
pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, ConfigError> {
    let invalid = |span: Range<usize>, key: String, message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: line_of(text, span.start),
        key,
        message,
    };
    let raw: RawConfig = toml::from_str(text).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        let key = key_at(text, span.start);
        // serde names our private struct; say what the user writes instead.
        let message = err
            .message()
            .trim()
            .replace("struct RawProfile", "a table")
            .replace("struct RawConnection", "the [connection] table");
        invalid(span, key, message)
    })?;

    let clipboard = match &raw.clipboard {
        None => ClipboardMode::default(),
        Some(value) => match value.get_ref().as_str() {
            "auto" => ClipboardMode::Auto,
            "native" => ClipboardMode::Native,
            "osc52" => ClipboardMode::Osc52,
            other => {
                return Err(invalid(
                    value.span(),
                    "clipboard".into(),
                    format!("expected \"auto\", \"native\" or \"osc52\", found {other:?}"),
                ));
            }
        },
    };

    let public_url = match &raw.public_url {
        None => None,
        Some(value) => Some(
            super::check_public_url(value.get_ref())
                .map_err(|err| invalid(value.span(), "public_url".into(), err.to_string()))?,
        ),
    };

    let ms = |value: Option<&Spanned<u64>>, key: &str, range, default| match value {
        None => Ok(default),
        Some(value) => timing::check_ms(*value.get_ref(), range)
            .map_err(|why| invalid(value.span(), format!("connection.{key}"), why)),
    };
    let connection = raw.connection.as_ref();
    let defaults = Timing::default();
    let timing = Timing {
        heartbeat: ms(
            connection.and_then(|c| c.heartbeat_ms.as_ref()),
            "heartbeat_ms",
            timing::HEARTBEAT_MS,
            defaults.heartbeat,
        )?,
        reconnect_max: ms(
            connection.and_then(|c| c.reconnect_max_ms.as_ref()),
            "reconnect_max_ms",
            timing::RECONNECT_MAX_MS,
            defaults.reconnect_max,
        )?,
    };

    let mut profiles = BTreeMap::new();
    for (name, raw_profile) in raw.profiles {
        let Some(backend) = &raw_profile.backend else {
            let span = key_span(text, &["profiles", &name]).unwrap_or(0..0);
            return Err(invalid(
                span,
                format!("profiles.{name}"),
                "missing `backend = \"https://...\"`".into(),
            ));
        };
        let url = crate::client::validate_base_url(backend.get_ref()).map_err(|err| {
            let reason = match err {
                crate::client::ClientError::BadUrl { reason, .. } => reason,
                other => other.to_string(),
            };
            invalid(
                backend.span(),
                format!("profiles.{name}.backend"),
                format!(
                    "{:?} is not a usable backend URL: {reason}",
                    backend.get_ref()
                ),
            )
        })?;
        let profile = Profile {
            backend: url,
            token_file: raw_profile.token_file,
            cloud: raw_profile.cloud,
        };
        profiles.insert(name, profile);
    }

    if let Some(default) = &raw.default_profile
        && !profiles.contains_key(default.get_ref())
    {
        return Err(invalid(
            default.span(),
            "default_profile".into(),
            format!(
                "no profile named {:?}; known profiles: {}",
                default.get_ref(),
                known_profiles(&profiles)
            ),
        ));
    }

    Ok(ConfigFile {
        path: path.to_path_buf(),
        default_profile: raw.default_profile.map(Spanned::into_inner),
        clipboard,
        timing,
        profiles,
        public_url,
    })
}

/// `global, usgov` (or `none`), for messages.
pub fn known_profiles<V>(profiles: &BTreeMap<String, V>) -> String {
    if profiles.is_empty() {
        "none".to_string()
    } else {
        profiles.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// 1-based line of byte offset `pos`.
fn line_of(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    text.as_bytes()[..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The dotted key whose key or value covers byte offset `pos` (`profiles.global.backend`).
/// Falls back to what stands before `=` on that line when the document does not parse that far.
fn key_at(text: &str, pos: usize) -> String {
    let (doc, _) = DeTable::parse_recoverable(text);
    // A key recovered from broken text can be empty (`=` alone): then say where, not "".
    if let Some(path) = find_key(doc.get_ref(), pos)
        && path.iter().all(|key| !key.is_empty())
    {
        return path.join(".");
    }
    let line_start = text[..pos.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    match line.split_once('=') {
        Some((key, _)) if !key.trim().is_empty() => key.trim().to_string(),
        _ => "(file)".to_string(),
    }
}

/// The deepest key covering `pos`. Tables opened by a `[header]` span only their header, so every
/// table is searched, not only those whose span covers `pos`.
fn find_key(table: &DeTable<'_>, pos: usize) -> Option<Vec<String>> {
    let covers = |span: Range<usize>| span.start <= pos && pos < span.end.max(span.start + 1);
    for (key, value) in table.iter() {
        if let DeValue::Table(inner) = value.get_ref()
            && let Some(mut path) = find_key(inner, pos)
        {
            path.insert(0, key.get_ref().to_string());
            return Some(path);
        }
        if covers(key.span()) || covers(value.span()) {
            return Some(vec![key.get_ref().to_string()]);
        }
    }
    None
}

/// Where the key at `path` is written (for a `[profiles.x]` table: its header).
fn key_span(text: &str, path: &[&str]) -> Option<Range<usize>> {
    let (doc, _) = DeTable::parse_recoverable(text);
    let mut table = doc.get_ref();
    let mut span = None;
    for (i, name) in path.iter().enumerate() {
        let (key, value) = table.iter().find(|(k, _)| k.get_ref() == name)?;
        span = Some(key.span());
        match value.get_ref() {
            DeValue::Table(inner) => table = inner,
            _ if i + 1 == path.len() => {}
            _ => return None,
        }
    }
    span
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
