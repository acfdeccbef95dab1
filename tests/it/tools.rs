//! System tools some tests need (Chromium, Xvfb, tmux, …), looked up in one place. On a
//! newcomer's machine without one, the test that needs it prints one line (what is missing, how to
//! install it) and passes as skipped; in CI (`CI=true`) or with `CSPDASH_REQUIRE_ALL_TESTS=1` it
//! fails with that line instead, so CI never skips silently.
//! Tools are found on `PATH` only, so hiding them (a `PATH` without them) is how this is tested.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A program a test runs, under any of its names, and the packages that provide it.
pub struct Tool {
    pub names: &'static [&'static str],
    pub install: &'static str,
}

pub const CHROMIUM: Tool = Tool {
    names: &["chromium", "chromium-browser"],
    install: "apt-get install chromium chromium-driver",
};
pub const CHROMEDRIVER: Tool = Tool {
    names: &["chromedriver"],
    install: "apt-get install chromium chromium-driver",
};
pub const XVFB: Tool = Tool {
    names: &["Xvfb"],
    install: "apt-get install xvfb xclip",
};
pub const XCLIP: Tool = Tool {
    names: &["xclip"],
    install: "apt-get install xvfb xclip",
};
pub const TMUX: Tool = Tool {
    names: &["tmux"],
    install: "apt-get install tmux",
};
pub const BASH: Tool = Tool {
    names: &["bash"],
    install: "apt-get install bash",
};
pub const ZSH: Tool = Tool {
    names: &["zsh"],
    install: "apt-get install zsh",
};
pub const FISH: Tool = Tool {
    names: &["fish"],
    install: "apt-get install fish",
};
pub const MAN: Tool = Tool {
    names: &["man"],
    install: "apt-get install man-db",
};

/// Set to `1` to make a missing tool fail the test even outside CI.
pub const REQUIRE_ALL: &str = "CSPDASH_REQUIRE_ALL_TESTS";

/// What to do about the tools a test needs.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Run(Vec<PathBuf>),
    Skip(String),
    Fail(String),
}

/// The full paths of `tools`, in order; or, when one is missing, returns `None` after printing
/// why (the test then returns, passing as skipped) — or panics with that line in CI.
pub fn require(tools: &[Tool]) -> Option<Vec<PathBuf>> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = tools.iter().map(|t| find(t, &path)).collect();
    let test = std::thread::current().name().map(str::to_string);
    let env = |name: &str| std::env::var(name).ok();
    match decide(tools, found, &env, test.as_deref()) {
        Decision::Run(paths) => Some(paths),
        Decision::Skip(line) => {
            // Straight to stderr, not `eprintln!`: libtest captures the macros' output of a
            // passing test, and this line is for the person who ran `cargo test`.
            let _ = writeln!(std::io::stderr(), "{line}");
            None
        }
        Decision::Fail(line) => panic!("{line}"),
    }
}

/// The first of the tool's names that is an executable file in one of `path`'s directories.
pub fn find(tool: &Tool, path: &OsStr) -> Option<PathBuf> {
    std::env::split_paths(path)
        .flat_map(|dir| tool.names.iter().map(move |name| dir.join(name)))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Whether a missing tool must fail the test: in CI, or when asked to.
pub fn required(env: &dyn Fn(&str) -> Option<String>) -> bool {
    env("CI").is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
        || env(REQUIRE_ALL).is_some_and(|v| v == "1")
}

/// Run with the paths found, or skip / fail with one line naming what is missing and how to
/// install it (each package once).
pub fn decide(
    tools: &[Tool],
    found: Vec<Option<PathBuf>>,
    env: &dyn Fn(&str) -> Option<String>,
    test: Option<&str>,
) -> Decision {
    let missing: Vec<&Tool> = tools
        .iter()
        .zip(&found)
        .filter(|(_, path)| path.is_none())
        .map(|(tool, _)| tool)
        .collect();
    if missing.is_empty() {
        return Decision::Run(found.into_iter().flatten().collect());
    }
    let names: Vec<&str> = missing.iter().map(|t| t.names[0]).collect();
    let mut installs: Vec<&str> = missing.iter().map(|t| t.install).collect();
    installs.dedup();
    let test = test.filter(|t| *t != "main").map(|t| format!(" {t}"));
    let what = format!(
        "{} not on PATH: {} (or bash .ci/run)",
        names.join(", "),
        installs.join("; ")
    );
    if required(env) {
        Decision::Fail(format!(
            "FAILED{}: {what}; tests may not skip when CI=true or {REQUIRE_ALL}=1",
            test.unwrap_or_default()
        ))
    } else {
        Decision::Skip(format!("SKIPPED{}: {what}", test.unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.get(name).cloned()
    }

    const BOTH: [Tool; 2] = [XVFB, XCLIP];

    #[test]
    fn present_tools_run_whatever_the_environment() {
        let found = vec![Some("/a/Xvfb".into()), Some("/a/xclip".into())];
        let got = decide(&BOTH, found, &env(&[("CI", "true")]), Some("t"));
        assert_eq!(
            got,
            Decision::Run(vec!["/a/Xvfb".into(), "/a/xclip".into()])
        );
    }

    #[test]
    fn a_missing_tool_skips_on_a_newcomers_machine_with_what_and_how() {
        for vars in [&[][..], &[("CI", "false")], &[(REQUIRE_ALL, "0")]] {
            let got = decide(
                &BOTH,
                vec![None, Some("/a".into())],
                &env(vars),
                Some("m::t"),
            );
            assert_eq!(
                got,
                Decision::Skip(
                    "SKIPPED m::t: Xvfb not on PATH: apt-get install xvfb xclip (or bash .ci/run)"
                        .into()
                ),
                "{vars:?}"
            );
        }
    }

    #[test]
    fn a_missing_tool_fails_in_ci_or_when_all_tests_are_required() {
        for vars in [&[("CI", "true")][..], &[("CI", "1")], &[(REQUIRE_ALL, "1")]] {
            let got = decide(&BOTH, vec![None, None], &env(vars), Some("main"));
            let Decision::Fail(line) = got else {
                panic!("{vars:?}: {got:?}")
            };
            assert!(
                line.starts_with("FAILED: Xvfb, xclip not on PATH"),
                "{line}"
            );
            // One install command when both come from the same packages.
            assert_eq!(line.matches("apt-get").count(), 1, "{line}");
        }
    }

    #[test]
    fn tools_are_found_only_as_executables_on_path() {
        let dir = tempfile::tempdir().unwrap();
        let empty = tempfile::tempdir().unwrap();
        let tmux = dir.path().join("tmux");
        std::fs::write(&tmux, "#!/bin/sh\n").unwrap();
        let path = std::env::join_paths([empty.path(), dir.path()]).unwrap();
        assert_eq!(find(&TMUX, &path), None, "not executable yet");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmux, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(find(&TMUX, &path), Some(tmux));
        assert_eq!(find(&TMUX, empty.path().as_os_str()), None);
    }

    /// The real thing: the X11 clipboard test run as a child with a `PATH` that has no Xvfb
    /// passes with the skip line, and fails under `CI=true`.
    #[test]
    fn without_xvfb_on_path_the_clipboard_test_skips_but_fails_in_ci() {
        let name = "clipboard_x11::native_copy_can_be_pasted_in_another_x11_client_while_the_dashboard_runs";
        let empty = tempfile::tempdir().unwrap();
        let run = |ci: Option<&str>| {
            let mut child = std::process::Command::new(std::env::current_exe().unwrap());
            child
                .args(["--exact", name, "--test-threads=1"])
                .env("PATH", empty.path())
                .env_remove("CI")
                .env_remove(REQUIRE_ALL);
            if let Some(ci) = ci {
                child.env("CI", ci);
            }
            child.output().unwrap()
        };
        let skipped = run(None);
        let stderr = String::from_utf8_lossy(&skipped.stderr);
        assert!(skipped.status.success(), "{stderr}");
        assert!(
            stderr.contains(&format!("SKIPPED {name}: Xvfb, xclip not on PATH")),
            "{stderr}"
        );
        let failed = run(Some("true"));
        let out = String::from_utf8_lossy(&failed.stdout);
        assert!(!failed.status.success(), "{out}");
        assert!(out.contains("may not skip when CI=true"), "{out}");
    }
}
