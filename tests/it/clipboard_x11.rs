//! The native clipboard on a real X server: a child process (this binary, on a private Xvfb
//! display) copies with `Clipboard` in `auto` mode and keeps it alive; `xclip` reads the X
//! CLIPBOARD selection back, as a paste in another application would.
//! Needs Debian's `xvfb` and `xclip` (`.ci/run` installs them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use cspdash::clipboard::{Clipboard, How};
use cspdash::config::ClipboardMode;

use crate::child_test;
use crate::tools::{self, XCLIP, XVFB};

const CHILD: &str = "clipboard_x11::child_copies_each_stdin_line_and_holds_the_clipboard";
/// Variables that would steer `auto` away from the display under test.
const FOREIGN_VARS: [&str; 6] = [
    "WAYLAND_DISPLAY",
    "SSH_CONNECTION",
    "SSH_CLIENT",
    "SSH_TTY",
    "TMUX",
    "STY",
];

/// A private X server; killed when dropped.
struct Xvfb {
    process: Child,
    display: String,
    xclip: PathBuf,
}

impl Xvfb {
    /// Starts the X server, or `None` when Xvfb or xclip is missing (see [`tools::require`]).
    fn start() -> Option<Self> {
        let [xvfb, xclip] = <[PathBuf; 2]>::try_from(tools::require(&[XVFB, XCLIP])?).ok()?;
        // `-displayfd` lets Xvfb pick a free display and print its number once it accepts
        // connections: no guessed numbers, no race with other tests or machines' servers.
        let mut process = Command::new(xvfb)
            .args([
                "-displayfd",
                "1",
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "320x200x24",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        let stdout = process.stdout.take().unwrap();
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = send.send(line);
        });
        let number = receive
            .recv_timeout(Duration::from_secs(20))
            .expect("Xvfb did not report its display within 20 s");
        let number = number.trim();
        assert!(!number.is_empty(), "Xvfb exited without a display");
        Some(Self {
            process,
            display: format!(":{number}"),
            xclip,
        })
    }

    fn xclip_out(&self) -> Result<String, String> {
        let output = Command::new(&self.xclip)
            .args(["-o", "-selection", "clipboard", "-t", "UTF8_STRING"])
            .env("DISPLAY", &self.display)
            .output()
            .expect("xclip runs");
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[test]
fn native_copy_can_be_pasted_in_another_x11_client_while_the_dashboard_runs() {
    let Some(x) = Xvfb::start() else { return };
    let mut child = child_test::command(CHILD);
    for var in FOREIGN_VARS {
        child.env_remove(var);
    }
    let mut child = child
        .env("DISPLAY", &x.display)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut to_child = child.stdin.take().unwrap();
    let from_child = child_test::lines(child.stdout.take().unwrap());
    let within = Duration::from_secs(20);

    // Two copies through the same object: the second replaces the first, as `y` then `Y` would.
    for text in [
        "https://cspdash.example.net/invite/AbC123?x=1&y=2",
        "Müller & Söhne invites you — Grüße",
    ] {
        writeln!(to_child, "{text}").unwrap();
        let copied = child_test::wait_for_marker(&from_child, "COPIED ", within);
        assert_eq!(copied, format!("COPIED {:?}", How::Native));
        let pasted = child_test::poll(within, "xclip reads the copied text", || {
            x.xclip_out()
                .and_then(|got| if got == text { Ok(got) } else { Err(got) })
        });
        assert_eq!(pasted, text);
    }

    drop(to_child);
    let status = child_test::poll(within, "the child exits", || {
        child.try_wait().unwrap().ok_or_else(|| "running".into())
    });
    assert!(status.success(), "child test failed: {status}");
}

/// The child: copies each line read from stdin, says how, and keeps the `Clipboard` (and so the
/// X selection) until stdin closes.
#[test]
#[ignore = "run by native_copy_can_be_pasted_in_another_x11_client_while_the_dashboard_runs"]
fn child_copies_each_stdin_line_and_holds_the_clipboard() {
    if !child_test::is_child(CHILD) {
        return;
    }
    let mut clipboard = Clipboard::from_process(ClipboardMode::Auto);
    let mut terminal = std::io::sink();
    for line in std::io::stdin().lock().lines() {
        let copied = clipboard.copy(&line.unwrap(), &mut terminal).unwrap();
        println!("COPIED {:?}", copied.how);
        std::io::stdout().flush().unwrap();
    }
}
