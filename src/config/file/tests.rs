//! Each mistake in config.toml is reported with its file, line and dotted key.

use super::*;

const PATH: &str = "/home/ana/.config/cspdash/config.toml";

fn error_for(text: &str) -> String {
    match parse(Path::new(PATH), text) {
        Ok(cfg) => panic!("expected an error, parsed {cfg:?}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn the_design_example_parses() {
    let text = r#"default_profile = "global"
clipboard = "osc52"
[profiles.global]
backend = "https://cspdash.example.net"
token_file = "~/.config/cspdash/global.token"   # file must be mode 0600
cloud = "Partner Center"                          # label shown in the header
[profiles.usgov]
backend = "https://cspdash-gov.example.net"
cloud = "US Government"
"#;
    let cfg = parse(Path::new(PATH), text).expect("parses");
    assert_eq!(cfg.default_profile.as_deref(), Some("global"));
    assert_eq!(cfg.clipboard, ClipboardMode::Osc52);
    assert_eq!(
        cfg.profiles["usgov"].backend,
        "https://cspdash-gov.example.net"
    );
    assert_eq!(cfg.profiles["usgov"].token_file, None);
    assert_eq!(
        cfg.profiles["global"].cloud.as_deref(),
        Some("Partner Center")
    );
}

#[test]
fn a_wrong_type_names_file_line_and_key() {
    let text = "default_profile = \"global\"\n\n[profiles.global]\nbackend = 3\n";
    assert_eq!(
        error_for(text),
        format!("{PATH}:4: profiles.global.backend: invalid type: integer `3`, expected a string")
    );
}

#[test]
fn an_unknown_key_is_named_with_the_keys_that_are_allowed() {
    let text = "[profiles.global]\nbackend = \"https://a\"\nbakend = \"https://b\"\n";
    let message = error_for(text);
    assert!(
        message.starts_with(&format!(
            "{PATH}:3: profiles.global.bakend: unknown field `bakend`"
        )),
        "{message}"
    );
    assert!(
        message.contains("`backend`, `token_file`, `cloud`"),
        "{message}"
    );
}

#[test]
fn an_unknown_top_level_key_is_named() {
    assert!(
        error_for("\n\ntheme = \"dark\"\n")
            .starts_with(&format!("{PATH}:3: theme: unknown field `theme`"))
    );
}

#[test]
fn malformed_toml_names_the_line() {
    let text = "default_profile = \"global\"\nclipboard = \"auto\n";
    let message = error_for(text);
    assert!(
        message.starts_with(&format!("{PATH}:2: clipboard: ")),
        "{message}"
    );
}

#[test]
fn a_profile_without_a_backend_points_at_its_header() {
    let text = "clipboard = \"auto\"\n\n[profiles.usgov]\ncloud = \"US Government\"\n";
    assert_eq!(
        error_for(text),
        format!("{PATH}:3: profiles.usgov: missing `backend = \"https://...\"`")
    );
}

#[test]
fn a_backend_that_is_not_http_is_refused() {
    let text = "[profiles.global]\nbackend = \"ftp://files.example.net\"\n";
    let message = error_for(text);
    assert!(message.starts_with(&format!("{PATH}:2: profiles.global.backend: \"ftp://files.example.net\" is not a usable backend URL")), "{message}");
    assert!(message.contains("use http:// or https://"), "{message}");
}

#[test]
fn an_unknown_clipboard_mode_lists_the_choices() {
    assert_eq!(
        error_for("clipboard = \"x11\"\n"),
        format!("{PATH}:1: clipboard: expected \"auto\", \"native\" or \"osc52\", found \"x11\"")
    );
}

#[test]
fn a_default_profile_that_does_not_exist_lists_the_known_ones() {
    let text = "default_profile = \"globl\"\n[profiles.global]\nbackend = \"https://a\"\n[profiles.usgov]\nbackend = \"https://b\"\n";
    assert_eq!(
        error_for(text),
        format!(
            "{PATH}:1: default_profile: no profile named \"globl\"; known profiles: global, usgov"
        )
    );
}

#[test]
fn a_profile_that_is_not_a_table_is_explained_in_config_terms() {
    let message = error_for("[profiles]\nglobal = 3\n");
    assert!(
        message.starts_with(&format!("{PATH}:2: profiles.global: ")),
        "{message}"
    );
    assert!(message.contains("expected a table"), "{message}");
}

#[test]
fn inline_tables_are_located_too() {
    let text = "profiles = { global = { backend = \"https://a\", token_file = 5 } }\n";
    let message = error_for(text);
    assert!(
        message.starts_with(&format!("{PATH}:1: profiles.global.token_file: ")),
        "{message}"
    );
}

/// Found by `props::any_text_reads_or_names_file_and_line`: the key used to be empty (`:1: : …`).
#[test]
fn a_key_that_is_missing_is_not_named_as_empty() {
    let message = error_for("=\n");
    assert!(
        message.starts_with(&format!("{PATH}:1: (file): ")),
        "{message}"
    );
}
