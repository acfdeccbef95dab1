//! What the clap tree generates, through the real binary: completions that load in each shell
//! (and complete in bash and fish), man pages that `man -l` renders without a warning, and help
//! that shows each command only the options that apply to it. A missing shell or `man` skips its
//! test with one line (and fails it in CI: tests/it/tools.rs).
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

use crate::tools::{self, BASH, FISH, MAN, ZSH};

fn cspdash(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_cspdash"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cspdash {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(args: &[&str]) -> String {
    String::from_utf8(cspdash(args).stdout).unwrap()
}

/// `cspdash completions SHELL` written to a file in `dir`.
fn script(dir: &Path, shell: &str) -> std::path::PathBuf {
    let path = dir.join(format!("cspdash.{shell}"));
    std::fs::write(&path, cspdash(&["completions", shell]).stdout).unwrap();
    path
}

fn run(program: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(program).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Sourced in bash, the function the script registers for `cspdash` (as `complete -p` names it)
/// completes the last of `words`: one candidate a line.
const COMPLETE_IN_BASH: &str = r#"
source "$1"; shift
spec=$(complete -p cspdash) || exit 9
fn=$(printf '%s\n' "$spec" | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
[ -n "$fn" ] || exit 8
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
prev=""
[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
"$fn" cspdash "${COMP_WORDS[COMP_CWORD]}" "$prev"
printf '%s\n' "${COMPREPLY[@]}"
"#;

#[test]
fn bash_completion_loads_and_completes_nouns_verbs_and_values() {
    let Some(found) = tools::require(&[BASH]) else {
        return;
    };
    let bash = &found[0];
    let dir = tempfile::tempdir().unwrap();
    let file = script(dir.path(), "bash");
    let (ok, _, err) = run(bash, &["-n", file.to_str().unwrap()]);
    assert!(ok, "bash -n: {err}");

    let complete = |words: &[&str]| -> Vec<String> {
        let mut args = vec!["-c", COMPLETE_IN_BASH, "complete", file.to_str().unwrap()];
        args.extend_from_slice(words);
        let (ok, out, err) = run(bash, &args);
        assert!(ok, "{words:?}: {err}");
        out.lines().map(str::to_string).collect()
    };
    assert_eq!(complete(&["cspdash", "cust"]), ["customers"]);
    assert_eq!(complete(&["cspdash", "admin-r"]), ["admin-relationships"]);
    assert_eq!(complete(&["cspdash", "token", "re"]), ["revoke"]);
    let verbs = complete(&["cspdash", "customers", ""]);
    assert!(verbs.iter().any(|v| v == "list"), "{verbs:?}");
    assert!(verbs.iter().any(|v| v == "show"), "{verbs:?}");
    let formats = complete(&["cspdash", "customers", "list", "--output", ""]);
    for format in ["table", "tsv", "json", "jsonl", "csv"] {
        assert!(formats.iter().any(|f| f == format), "{format}: {formats:?}");
    }
    let shells = complete(&["cspdash", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(shells.iter().any(|s| s == shell), "{shell}: {shells:?}");
    }
}

#[test]
fn zsh_completion_parses() {
    let Some(found) = tools::require(&[ZSH]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = script(dir.path(), "zsh");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("#compdef cspdash"), "{}", &text[..80]);
    let (ok, _, err) = run(&found[0], &["-n", file.to_str().unwrap()]);
    assert!(ok, "zsh -n: {err}");
}

#[test]
fn fish_completion_parses_and_completes_nouns() {
    let Some(found) = tools::require(&[FISH]) else {
        return;
    };
    let fish = &found[0];
    let dir = tempfile::tempdir().unwrap();
    let file = script(dir.path(), "fish");
    let (ok, _, err) = run(fish, &["--no-execute", file.to_str().unwrap()]);
    assert!(ok, "fish --no-execute: {err}");
    // A home of its own, so no user config of fish is read or written.
    let command = format!("source {}; complete -C 'cspdash cust'", file.display());
    let out = Command::new(fish)
        .args(["--no-config", "-c", &command])
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let words: Vec<&str> = text
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        words,
        ["customers"],
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn powershell_and_elvish_completions_are_generated_for_every_noun() {
    // Neither shell is installed here: generated, not run.
    for shell in ["powershell", "elvish"] {
        let text = stdout(&["completions", shell]);
        for word in ["customers", "admin-relationships", "token", "--output"] {
            assert!(text.contains(word), "{shell} lacks {word}");
        }
    }
    assert!(stdout(&["completions", "powershell"]).contains("Register-ArgumentCompleter"));
}

/// `man -l PAGE` as a person reads it: the text, and what groff warned about.
fn render(man: &Path, page: &Path) -> (String, String) {
    let out = Command::new(man)
        .args(["--warnings", "-l"])
        .arg(page)
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
        .unwrap();
    assert!(out.status.success(), "man -l {}", page.display());
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_man_pages_render_with_man_without_warnings() {
    let Some(found) = tools::require(&[MAN]) else {
        return;
    };
    let man = &found[0];
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cspdash.1");
    std::fs::write(&root, cspdash(&["man"]).stdout).unwrap();
    let (text, warnings) = render(man, &root);
    assert_eq!(warnings, "", "groff warned");
    for part in [
        "NAME",
        "SYNOPSIS",
        "cspdash-customers(1)",
        "cspdash-token(1)",
        "Exit codes",
    ] {
        assert!(text.contains(part), "{part} not in the page:\n{text}");
    }

    let pages = dir.path().join("man1");
    let listed = stdout(&["man", "--dir", pages.to_str().unwrap()]);
    let listed: Vec<&str> = listed.lines().collect();
    for name in [
        "cspdash.1",
        "cspdash-customers-list.1",
        "cspdash-token-list.1",
        "cspdash-admin-relationships.1",
    ] {
        let path = pages.join(name);
        assert!(
            listed.contains(&path.to_str().unwrap()),
            "{name}: {listed:?}"
        );
    }
    let mut count = 0;
    for entry in std::fs::read_dir(&pages).unwrap() {
        let page = entry.unwrap().path();
        let (text, warnings) = render(man, &page);
        assert_eq!(warnings, "", "groff warned on {}", page.display());
        assert!(text.contains("NAME"), "{}", page.display());
        count += 1;
    }
    assert_eq!(count, listed.len(), "one file a listed path");
    let (list, _) = render(man, &pages.join("cspdash-customers-list.1"));
    for option in ["--filter", "--output", "--relationship"] {
        assert!(
            list.contains(option),
            "{option} not in customers list's page"
        );
    }
}

#[test]
fn help_shows_each_command_only_the_options_that_apply_to_it() {
    let connection = ["--profile", "--backend", "--output", "--request-id"];
    for command in [
        &["serve", "--help"][..],
        &["token", "--help"],
        &["token", "create", "--help"],
    ] {
        let help = stdout(command);
        for option in connection {
            assert!(
                !help.contains(option),
                "{command:?} shows {option}:\n{help}"
            );
        }
    }
    let serve = stdout(&["serve", "--help"]);
    assert!(
        serve.contains("--db") && serve.contains("--log-level"),
        "{serve}"
    );
    let create = stdout(&["token", "create", "--help"]);
    assert!(!create.contains("--log-level"), "{create}");

    let list = stdout(&["customers", "list", "--help"]);
    for option in connection {
        assert!(
            list.contains(option),
            "customers list lacks {option}:\n{list}"
        );
    }
    // The backend's token list prints in the formats, but connects to no backend.
    let tokens = stdout(&["token", "list", "--help"]);
    assert!(
        tokens.contains("--output") && tokens.contains("--db"),
        "{tokens}"
    );
    assert!(
        !tokens.contains("--profile") && !tokens.contains("--backend"),
        "{tokens}"
    );
}
