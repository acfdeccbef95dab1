//! OSC 52 through a real tmux: a child process (this binary) runs in a pane of a private tmux
//! server with `set-clipboard on`, with no display, and copies in `auto` mode, as the dashboard
//! does over SSH; tmux's paste buffer must then hold exactly the copied text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use cspdash::clipboard::{Clipboard, How};
use cspdash::config::ClipboardMode;
use cspdash::invitation::Draft;
use tempfile::TempDir;

use crate::child_test;
use crate::tools::{self, TMUX};

const CHILD: &str = "clipboard_tmux::child_copies_its_text_to_the_terminal";
const TEXT_VAR: &str = "CSPDASH_TEST_COPY_TEXT";
/// Variables the pane must not inherit: with any of them `auto` would not be testing OSC 52 in
/// tmux alone (a display would mean native; screen would change the wrapping).
const FOREIGN_VARS: [&str; 4] = ["DISPLAY", "WAYLAND_DISPLAY", "TMUX", "STY"];

/// A tmux server on its own socket, in a temporary directory that goes with it (tmux leaves its
/// socket file behind after `kill-server`); killed when dropped.
struct Tmux {
    program: PathBuf,
    socket: PathBuf,
    _dir: TempDir,
}

impl Tmux {
    /// Starts the server, or `None` when tmux is missing (see [`tools::require`]).
    fn start() -> Option<Self> {
        let program = tools::require(&[TMUX])?.pop()?;
        let dir = tempfile::tempdir().unwrap();
        let tmux = Self {
            program,
            socket: dir.path().join("tmux.sock"),
            _dir: dir,
        };
        // A placeholder window keeps the session up; options are set before the child starts,
        // so its sequence cannot arrive while `set-clipboard` is still the default.
        tmux.ok(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "120",
            "-y",
            "40",
            "cat",
        ]);
        tmux.ok(&["set", "-g", "set-clipboard", "on"]);
        tmux.ok(&["set", "-g", "remain-on-exit", "on"]);
        Some(tmux)
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new(&self.program);
        command
            .arg("-S")
            .arg(&self.socket)
            .args(["-f", "/dev/null"])
            .args(args);
        for var in FOREIGN_VARS {
            command.env_remove(var);
        }
        command.output().expect("tmux runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "tmux {args:?}: {stderr}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs the child test in a new window, copying `text`.
    fn copy_in_pane(&self, text: &str) {
        let exe = std::env::current_exe().unwrap();
        let marker = format!("{}={CHILD}", child_test::CHILD_MARKER);
        let text_var = format!("{TEXT_VAR}={text}");
        let mut args = vec!["new-window", "-t", "t:", "-n", "child", "-e", &marker];
        args.extend(["-e", &text_var, exe.to_str().unwrap()]);
        let child_args = child_test::args(CHILD);
        args.extend(child_args.iter().map(String::as_str));
        self.ok(&args);
    }

    fn pane_text(&self) -> String {
        self.ok(&["capture-pane", "-p", "-J", "-t", "t:child"])
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn copy_through_tmux(text: &str) {
    let Some(tmux) = Tmux::start() else { return };
    tmux.copy_in_pane(text);
    let within = Duration::from_secs(20);
    let buffer = child_test::poll(within, "tmux's buffer holds the copied text", || {
        let output = tmux.run(&["show-buffer"]);
        let got = String::from_utf8_lossy(&output.stdout).into_owned();
        if got == text {
            Ok(got)
        } else {
            Err(format!("buffer {got:?}; pane:\n{}", tmux.pane_text()))
        }
    });
    assert_eq!(buffer, text);
    let said = format!("COPIED {:?}", How::Osc52 { in_tmux: true });
    child_test::poll(within, "the child reports OSC 52 in tmux", || {
        let pane = tmux.pane_text();
        if pane.contains(&said) {
            Ok(())
        } else {
            Err(pane)
        }
    });
}

#[test]
fn osc52_link_lands_in_tmux_buffer_with_set_clipboard_on() {
    copy_through_tmux("https://cspdash.example.net/invite/AbC123?x=1&y=2");
}

#[test]
fn osc52_whole_email_with_non_ascii_names_lands_in_tmux_buffer() {
    let draft = Draft::new(
        "Müller & Söhne",
        "Jürgen Groß",
        "https://cspdash.example.net/invite/AbC123",
        Some("Adatum"),
    );
    copy_through_tmux(&draft.full_text());
}

/// The child, in a tmux pane: copies `CSPDASH_TEST_COPY_TEXT` with the clipboard the dashboard
/// would pick here, writing to its terminal (stdout), and says how.
#[test]
#[ignore = "run by the osc52_* tests inside tmux"]
fn child_copies_its_text_to_the_terminal() {
    if !child_test::is_child(CHILD) {
        return;
    }
    let text = std::env::var(TEXT_VAR).unwrap();
    let mut clipboard = Clipboard::from_process(ClipboardMode::Auto);
    let copied = clipboard.copy(&text, &mut std::io::stdout()).unwrap();
    println!("COPIED {:?}", copied.how);
    // Stays until tmux goes away (EOF or hangup) at the parent's end: tmux 3.3 may drop the last
    // output of a pane whose process ends at once, and this line is what the parent looks for.
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}
