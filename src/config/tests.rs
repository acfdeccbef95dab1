//! Resolving `--profile`, `--backend`, `CSPDASH_TOKEN` and the config file into `Settings`.

use std::time::Duration;

use super::*;

/// A temp dir holding `config.toml` (when `config` is given) and a 0600 `global.token`.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new(config: Option<&str>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        if let Some(text) = config {
            std::fs::write(dir.path().join("config.toml"), text).expect("write config");
        }
        let token = dir.path().join("global.token");
        std::fs::write(&token, "tok-from-file\n").expect("write token");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600))
                .expect("chmod");
        }
        Self { dir }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    /// No `CSPDASH_CONFIG`; the default config path is in the temp dir; home is the temp dir.
    fn env(&self, token: Option<&str>) -> Environment {
        Environment {
            config_override: None,
            default_config: Some(self.config()),
            token: token.map(str::to_string),
            home: Some(self.dir.path().to_path_buf()),
            heartbeat_ms: None,
            reconnect_max_ms: None,
        }
    }
}

const TWO_PROFILES: &str = r#"default_profile = "global"
clipboard = "native"
[profiles.global]
backend = "https://cspdash.example.net"
token_file = "~/global.token"
cloud = "Partner Center"
[profiles.usgov]
backend = "https://cspdash-gov.example.net"
cloud = "US Government"
"#;

fn message(result: Result<Settings, ConfigError>) -> String {
    match result {
        Ok(settings) => panic!("expected an error, got {settings:?}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn no_config_and_no_backend_means_the_embedded_demo() {
    let fx = Fixture::new(None);
    let settings = resolve_with(&fx.env(None), None, None).expect("settings");
    assert_eq!(settings.backend, Backend::Embedded);
    assert_eq!(settings.profile, "embedded");
    assert_eq!(settings.cloud, "Partner Center (demo)");
    assert_eq!(settings.config_path, None);
}

#[test]
fn the_default_profile_reads_its_token_file() {
    let fx = Fixture::new(Some(TWO_PROFILES));
    let settings = resolve_with(&fx.env(None), None, None).expect("settings");
    assert_eq!(settings.profile, "global");
    assert_eq!(settings.cloud, "Partner Center");
    assert_eq!(settings.clipboard, ClipboardMode::Native);
    assert_eq!(
        settings.backend,
        Backend::Remote {
            url: "https://cspdash.example.net".into(),
            token: "tok-from-file".into()
        }
    );
    assert_eq!(settings.config_path, Some(fx.config()));
}

#[test]
fn the_token_environment_variable_wins_over_the_token_file() {
    let fx = Fixture::new(Some(TWO_PROFILES));
    let settings = resolve_with(&fx.env(Some("tok-env")), Some("global"), None).expect("settings");
    assert!(matches!(settings.backend, Backend::Remote { token, .. } if token == "tok-env"));
}

#[test]
fn another_profile_is_chosen_with_its_cloud_label() {
    let fx = Fixture::new(Some(TWO_PROFILES));
    let settings = resolve_with(&fx.env(Some("t")), Some("usgov"), None).expect("settings");
    assert_eq!(settings.profile, "usgov");
    assert_eq!(settings.cloud, "US Government");
}

#[test]
fn a_profile_without_any_token_says_where_to_put_one() {
    let fx = Fixture::new(Some(TWO_PROFILES));
    let text = message(resolve_with(&fx.env(None), Some("usgov"), None));
    assert_eq!(
        text,
        format!(
            "profile `usgov` has no token: set CSPDASH_TOKEN, or token_file in [profiles.usgov] of {}",
            fx.config().display()
        )
    );
}

#[test]
fn an_unknown_profile_lists_the_known_ones() {
    let fx = Fixture::new(Some(TWO_PROFILES));
    let text = message(resolve_with(&fx.env(Some("t")), Some("eu"), None));
    assert_eq!(
        text,
        format!(
            "unknown profile `eu`; known profiles in {}: global, usgov",
            fx.config().display()
        )
    );
}

#[test]
fn a_profile_asked_for_without_a_config_file_says_which_file_is_missing() {
    let fx = Fixture::new(None);
    let text = message(resolve_with(&fx.env(Some("t")), Some("global"), None));
    assert!(
        text.starts_with("--profile global: there is no config file"),
        "{text}"
    );
    assert!(text.contains(&fx.config().display().to_string()), "{text}");
}

#[test]
fn backend_alone_uses_the_token_environment_variable() {
    let fx = Fixture::new(None);
    let settings =
        resolve_with(&fx.env(Some("tok")), None, Some("http://127.0.0.1:8080/")).expect("settings");
    assert_eq!(
        settings.backend,
        Backend::Remote {
            url: "http://127.0.0.1:8080".into(),
            token: "tok".into()
        }
    );
    assert_eq!(settings.profile, "127.0.0.1:8080");
}

#[test]
fn backend_alone_without_a_token_says_to_set_cspdash_token() {
    let fx = Fixture::new(Some(TWO_PROFILES));
    let text = message(resolve_with(
        &fx.env(None),
        None,
        Some("http://127.0.0.1:8080"),
    ));
    assert!(
        text.starts_with("--backend http://127.0.0.1:8080 needs a token: set CSPDASH_TOKEN"),
        "{text}"
    );
}

#[test]
fn backend_with_a_profile_overrides_only_the_url() {
    let fx = Fixture::new(Some(TWO_PROFILES));
    let settings = resolve_with(&fx.env(None), Some("global"), Some("http://localhost:9000"))
        .expect("settings");
    assert_eq!(settings.profile, "global");
    assert_eq!(
        settings.backend,
        Backend::Remote {
            url: "http://localhost:9000".into(),
            token: "tok-from-file".into()
        }
    );
}

#[test]
fn a_backend_flag_that_is_not_a_url_is_refused() {
    let fx = Fixture::new(None);
    let text = message(resolve_with(
        &fx.env(Some("t")),
        None,
        Some("cspdash.example.net"),
    ));
    assert!(
        text.starts_with("--backend cspdash.example.net: "),
        "{text}"
    );
}

#[test]
fn cspdash_config_pointing_nowhere_is_an_error() {
    let fx = Fixture::new(None);
    let env = Environment {
        config_override: Some(fx.config()),
        ..fx.env(None)
    };
    let text = message(resolve_with(&env, None, None));
    assert_eq!(
        text,
        format!(
            "CSPDASH_CONFIG is set to {}, but there is no such file",
            fx.config().display()
        )
    );
}

#[test]
fn cspdash_config_replaces_the_default_path() {
    let fx = Fixture::new(Some(TWO_PROFILES));
    let env = Environment {
        config_override: Some(fx.config()),
        default_config: None,
        ..fx.env(None)
    };
    let settings = resolve_with(&env, None, None).expect("settings");
    assert_eq!(settings.profile, "global");
}

#[test]
fn a_malformed_config_is_reported_before_anything_else() {
    let fx = Fixture::new(Some("[profiles.global]\nbackend = 3\n"));
    let text = message(resolve_with(&fx.env(Some("t")), None, Some("http://h")));
    assert_eq!(
        text,
        format!(
            "{}:2: profiles.global.backend: invalid type: integer `3`, expected a string",
            fx.config().display()
        )
    );
}

#[test]
fn several_profiles_and_no_default_ask_the_user_to_pick() {
    let fx = Fixture::new(Some(
        "[profiles.a]\nbackend = \"https://a\"\n[profiles.b]\nbackend = \"https://b\"\n",
    ));
    let text = message(resolve_with(&fx.env(Some("t")), None, None));
    assert!(
        text.contains("several profiles (a, b) and no default_profile"),
        "{text}"
    );
}

#[test]
fn a_config_with_only_a_clipboard_setting_keeps_the_embedded_demo() {
    let fx = Fixture::new(Some("clipboard = \"osc52\"\n"));
    let settings = resolve_with(&fx.env(None), None, None).expect("settings");
    assert_eq!(settings.backend, Backend::Embedded);
    assert_eq!(settings.clipboard, ClipboardMode::Osc52);
}

#[cfg(unix)]
#[test]
fn a_readable_token_file_blocks_start_up_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::new(Some(TWO_PROFILES));
    let token = fx.dir.path().join("global.token");
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let text = message(resolve_with(&fx.env(None), None, None));
    assert!(
        text.ends_with(&format!("chmod 600 {}", token.display())),
        "{text}"
    );
}

#[test]
fn the_connection_table_sets_heartbeat_and_reconnect_cap_and_the_environment_wins() {
    let fx = Fixture::new(Some(
        "[connection]\nheartbeat_ms = 5000\nreconnect_max_ms = 2000\n",
    ));
    let settings = resolve_with(&fx.env(None), None, None).expect("settings");
    assert_eq!(settings.timing.heartbeat, Duration::from_secs(5));
    assert_eq!(settings.timing.reconnect_max, Duration::from_secs(2));
    let env = Environment {
        heartbeat_ms: Some("200".into()),
        ..fx.env(None)
    };
    let settings = resolve_with(&env, None, None).expect("settings");
    assert_eq!(settings.timing.heartbeat, Duration::from_millis(200));
    assert_eq!(settings.timing.reconnect_max, Duration::from_secs(2));
}

#[test]
fn without_a_connection_table_the_dashboard_expects_15s_heartbeats_and_waits_at_most_3s() {
    let fx = Fixture::new(None);
    let settings = resolve_with(&fx.env(None), None, None).expect("settings");
    assert_eq!(settings.timing.heartbeat, Duration::from_secs(15));
    assert_eq!(settings.timing.reconnect_max, Duration::from_secs(3));
}

#[test]
fn a_connection_value_out_of_range_names_the_file_line_and_key() {
    let fx = Fixture::new(Some("[connection]\nreconnect_max_ms = 0\n"));
    let text = message(resolve_with(&fx.env(None), None, None));
    assert_eq!(
        text,
        format!(
            "{}:2: connection.reconnect_max_ms: 0 is out of range: use 100 to 600000 (milliseconds)",
            fx.config().display()
        )
    );
    let fx = Fixture::new(Some("[connection]\nheartbeat = 3\n"));
    let text = message(resolve_with(&fx.env(None), None, None));
    assert!(text.contains("unknown field `heartbeat`"), "{text}");
}

#[test]
fn public_url_in_the_file_gives_the_embedded_backend_its_link_base_and_the_flag_wins() {
    let fx = Fixture::new(Some("public_url = \"https://links.example.net/\"\n"));
    let settings = resolve_with(&fx.env(None), None, None).expect("settings");
    assert_eq!(settings.backend, Backend::Embedded);
    assert_eq!(
        settings.public_url.as_deref(),
        Some("https://links.example.net")
    );
    let flagged = settings
        .with_public_url_flag(Some("http://10.0.0.5:8080"))
        .expect("flag");
    assert_eq!(flagged.public_url.as_deref(), Some("http://10.0.0.5:8080"));
    let none = resolve_with(&Fixture::new(None).env(None), None, None).expect("settings");
    assert_eq!(none.public_url, None, "without it: the demo loopback link");
}

#[test]
fn a_bad_public_url_is_refused_naming_the_file_line_or_the_flag() {
    let fx = Fixture::new(Some("clipboard = \"auto\"\npublic_url = \"ftp://x\"\n"));
    let text = message(resolve_with(&fx.env(None), None, None));
    assert!(
        text.ends_with(
            ":2: public_url: \"ftp://x\": scheme ftp: is not supported, use http:// or https://"
        ),
        "{text}"
    );
    let settings = resolve_with(&Fixture::new(None).env(None), None, None).expect("settings");
    let text = message(settings.with_public_url_flag(Some("https://x.example/?a=1")));
    assert!(
        text.starts_with(
            "--public-url: \"https://x.example/?a=1\": the base of invitation links has no ?query"
        ),
        "{text}"
    );
}

#[test]
fn public_url_flag_with_a_remote_backend_says_that_backend_makes_its_links() {
    let fx = Fixture::new(Some(TWO_PROFILES));
    let settings = resolve_with(&fx.env(None), None, None).expect("settings");
    let text = message(settings.with_public_url_flag(Some("https://links.example.net")));
    assert!(
        text.contains(
            "https://cspdash.example.net makes its own (`cspdash serve --public-url URL` there)"
        ),
        "{text}"
    );
}
