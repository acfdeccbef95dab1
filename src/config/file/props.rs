//! Property tests of config.toml, which people write by hand: whatever the text, reading it never
//! panics, and a mistake names this file and a line that exists; a valid file reads back exactly
//! what it says.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;

use super::{ConfigFile, Profile, parse};
use crate::config::timing::{self, Timing};
use crate::config::{ClipboardMode, ConfigError};

const PATH: &str = "/home/ana/.config/cspdash/config.toml";

/// A TOML key, bare when it can be, quoted otherwise.
fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !bare {
        // A basic string: a key may not be written as a literal or multi-line one.
        let escaped: String = name
            .chars()
            .map(|c| match c {
                '"' | '\\' => format!("\\{c}"),
                c if c.is_control() => format!("\\u{:04X}", c as u32),
                c => c.to_string(),
            })
            .collect();
        return format!("\"{escaped}\"");
    }
    name.to_string()
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn clipboard() -> impl Strategy<Value = ClipboardMode> {
    prop_oneof![
        Just(ClipboardMode::Auto),
        Just(ClipboardMode::Native),
        Just(ClipboardMode::Osc52)
    ]
}

fn profile() -> impl Strategy<Value = Profile> {
    let backend = (
        prop_oneof![Just("http"), Just("https")],
        "[a-z][a-z0-9-]{0,12}(\\.[a-z]{2,6}){0,2}",
        prop::option::of(1u16..),
        "(/[a-z0-9]{1,8}){0,2}",
    )
        .prop_map(|(scheme, host, port, prefix)| {
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            format!("{scheme}://{host}{port}{prefix}")
        });
    (
        backend,
        prop::option::of("\\PC{0,30}"),
        prop::option::of("\\PC{0,30}"),
    )
        .prop_map(|(backend, token_file, cloud)| Profile {
            backend,
            token_file,
            cloud,
        })
}

/// A valid config and the text that says it.
fn config() -> impl Strategy<Value = (ConfigFile, String)> {
    let profiles = prop::collection::btree_map("[a-z_-]{1,10}|\\PC{1,10}", profile(), 0..4);
    (
        profiles,
        prop::option::of(clipboard()),
        any::<prop::sample::Index>(),
        any::<bool>(),
        prop::option::of(timing::HEARTBEAT_MS.0..=timing::HEARTBEAT_MS.1),
        prop::option::of(timing::RECONNECT_MAX_MS.0..=timing::RECONNECT_MAX_MS.1),
    )
        .prop_map(
            |(profiles, clipboard, pick, with_default, heartbeat, reconnect)| {
                let default_profile = (with_default && !profiles.is_empty())
                    .then(|| profiles.keys().nth(pick.index(profiles.len())).cloned())
                    .flatten();
                let mut text = render(&profiles, clipboard, default_profile.as_deref());
                if heartbeat.is_some() || reconnect.is_some() {
                    text += "\n[connection]\n";
                }
                if let Some(ms) = heartbeat {
                    text += &format!("heartbeat_ms = {ms}\n");
                }
                if let Some(ms) = reconnect {
                    text += &format!("reconnect_max_ms = {ms}\n");
                }
                let defaults = Timing::default();
                let config = ConfigFile {
                    path: PATH.into(),
                    default_profile,
                    clipboard: clipboard.unwrap_or_default(),
                    profiles,
                    public_url: None,
                    timing: Timing {
                        heartbeat: heartbeat
                            .map_or(defaults.heartbeat, std::time::Duration::from_millis),
                        reconnect_max: reconnect
                            .map_or(defaults.reconnect_max, std::time::Duration::from_millis),
                    },
                };
                (config, text)
            },
        )
}

fn render(
    profiles: &BTreeMap<String, Profile>,
    clipboard: Option<ClipboardMode>,
    default_profile: Option<&str>,
) -> String {
    let mut text = String::from("# written by hand\n");
    if let Some(default) = default_profile {
        text += &format!("default_profile = {}\n", quoted(default));
    }
    if let Some(mode) = clipboard {
        let mode = match mode {
            ClipboardMode::Auto => "auto",
            ClipboardMode::Native => "native",
            ClipboardMode::Osc52 => "osc52",
        };
        text += &format!("clipboard = \"{mode}\"   # a comment\n");
    }
    for (name, profile) in profiles {
        text += &format!(
            "\n[profiles.{}]\nbackend = {}\n",
            key(name),
            quoted(&profile.backend)
        );
        if let Some(file) = &profile.token_file {
            text += &format!("token_file = {}\n", quoted(file));
        }
        if let Some(cloud) = &profile.cloud {
            text += &format!("cloud = {}\n", quoted(cloud));
        }
    }
    text
}

/// Parses `text`; on an error, checks that it names this file and one of its lines.
fn parse_checked(text: &str) -> Result<Option<ConfigFile>, TestCaseError> {
    match parse(Path::new(PATH), text) {
        Ok(config) => Ok(Some(config)),
        Err(ConfigError::Invalid {
            path,
            line,
            key,
            message,
        }) => {
            let lines = text.split('\n').count();
            prop_assert_eq!(path.to_str(), Some(PATH));
            prop_assert!(
                (1..=lines).contains(&line),
                "line {} of {}: {}",
                line,
                lines,
                message
            );
            prop_assert!(!key.is_empty() && !message.is_empty());
            Ok(None)
        }
        Err(other) => Err(TestCaseError::fail(format!("not a located error: {other}"))),
    }
}

/// What a hand edit can do to a file: delete, insert or replace a bit of it.
fn edit() -> impl Strategy<Value = (prop::sample::Index, usize, String)> {
    let insert = prop_oneof![
        Just("=".to_string()),
        Just("\"".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("\n".to_string()),
        Just("[profiles.x]\n".to_string()),
        Just("backend = 3\n".to_string()),
        Just("clipboard = \"x\"\n".to_string()),
        Just("default_profile = \"nope\"\n".to_string()),
        Just("'''".to_string()),
        "\\PC{0,6}",
    ];
    (any::<prop::sample::Index>(), 0usize..8, insert)
}

fn apply(text: &str, (at, delete, insert): &(prop::sample::Index, usize, String)) -> String {
    let chars: Vec<char> = text.chars().collect();
    let start = at.index(chars.len() + 1);
    let end = (start + delete).min(chars.len());
    let mut out: String = chars[..start].iter().collect();
    out += insert;
    out.extend(&chars[end..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_valid_config_reads_back_as_written((config, text) in config()) {
        let read = parse_checked(&text)?;
        prop_assert_eq!(read.as_ref(), Some(&config), "{}", text);
    }

    #[test]
    fn a_hand_edited_config_reads_or_names_file_and_line(
        (_, text) in config(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let edited = edits.iter().fold(text, |text, edit| apply(&text, edit));
        parse_checked(&edited)?;
    }

    #[test]
    fn any_text_reads_or_names_file_and_line(text in "(\\PC|[\n=\"\\[\\]'.#])*") {
        parse_checked(&text)?;
    }
}
