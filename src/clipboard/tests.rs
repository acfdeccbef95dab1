//! Which way the clipboard goes for each config and session, and what each copy reports, with a
//! stand-in for arboard (the real one is tested under Xvfb in `tests/it/clipboard_x11.rs`).
#![allow(clippy::unwrap_used)]

use super::*;
use crate::session::Platform;

fn session(vars: &[(&str, &str)], output_is_terminal: bool) -> Session {
    Session::detect(
        Platform::Unix,
        |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        },
        output_is_terminal,
    )
}

const DESKTOP: &[(&str, &str)] = &[("DISPLAY", ":0")];
const SSH_WITH_X_FORWARDING: &[(&str, &str)] = &[
    ("DISPLAY", "localhost:10.0"),
    ("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22"),
];

/// A native clipboard that remembers what it got, or refuses everything.
struct FakeNative {
    fail: bool,
    got: Got,
}

impl Native for FakeNative {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        if self.fail {
            return Err("clipboard owner went away".into());
        }
        self.got.lock().unwrap().push(text.to_string());
        Ok(())
    }
}

type Got = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

fn clipboard(
    mode: ClipboardMode,
    session: Session,
    native: Result<bool, &str>,
) -> (Clipboard, Got) {
    let got = Got::default();
    let opened = native
        .map(|fail| {
            Box::new(FakeNative {
                fail,
                got: got.clone(),
            }) as Box<dyn Native + Send>
        })
        .map_err(str::to_string);
    (Clipboard::with_native(mode, session, || opened), got)
}

#[test]
fn auto_on_a_local_desktop_tries_native_first() {
    let plan = Plan::choose(ClipboardMode::Auto, &session(DESKTOP, true));
    assert_eq!(plan, Plan::NativeElseOsc52);
}

#[test]
fn auto_over_ssh_uses_osc52_even_with_x_forwarding() {
    let plan = Plan::choose(ClipboardMode::Auto, &session(SSH_WITH_X_FORWARDING, true));
    assert_eq!(plan, Plan::Osc52);
}

#[test]
fn auto_without_a_display_uses_osc52() {
    assert_eq!(
        Plan::choose(ClipboardMode::Auto, &session(&[], true)),
        Plan::Osc52
    );
}

#[test]
fn forced_modes_are_obeyed_whatever_the_session() {
    let ssh = session(SSH_WITH_X_FORWARDING, true);
    assert_eq!(Plan::choose(ClipboardMode::Native, &ssh), Plan::Native);
    let desktop = session(DESKTOP, true);
    assert_eq!(Plan::choose(ClipboardMode::Osc52, &desktop), Plan::Osc52);
}

#[test]
fn native_copy_goes_to_the_desktop_and_writes_nothing_to_the_terminal() {
    let (mut clipboard, got) = clipboard(ClipboardMode::Auto, session(DESKTOP, true), Ok(false));
    let mut terminal = Vec::new();
    let copied = clipboard
        .copy("https://x.test/invite/1", &mut terminal)
        .unwrap();
    assert_eq!(copied.how, How::Native);
    assert_eq!(*got.lock().unwrap(), ["https://x.test/invite/1"]);
    assert!(terminal.is_empty());
    assert_eq!(
        copied.status("the link"),
        "Copied the link to the clipboard"
    );
}

#[test]
fn auto_falls_back_to_osc52_when_the_display_cannot_be_opened() {
    let (mut clipboard, _) = clipboard(
        ClipboardMode::Auto,
        session(DESKTOP, true),
        Err("X11 server connection timed out"),
    );
    assert_eq!(clipboard.how(), Some(How::Osc52 { in_tmux: false }));
    let mut terminal = Vec::new();
    let copied = clipboard.copy("link", &mut terminal).unwrap();
    assert_eq!(copied.how, How::Osc52 { in_tmux: false });
    assert_eq!(terminal, osc52::sequence("link", Wrap::Plain));
}

#[test]
fn auto_falls_back_to_osc52_when_a_native_copy_fails() {
    let (mut clipboard, _) = clipboard(ClipboardMode::Auto, session(DESKTOP, true), Ok(true));
    let mut terminal = Vec::new();
    let copied = clipboard.copy("link", &mut terminal).unwrap();
    assert_eq!(copied.how, How::Osc52 { in_tmux: false });
    assert_eq!(terminal, osc52::sequence("link", Wrap::Plain));
}

#[test]
fn forced_native_without_a_display_tells_the_user_to_copy_by_hand() {
    let (mut clipboard, _) = clipboard(
        ClipboardMode::Native,
        session(&[], true),
        Err("X11 server connection timed out"),
    );
    assert_eq!(clipboard.how(), None);
    let mut terminal = Vec::new();
    let err = clipboard.copy("link", &mut terminal).unwrap_err();
    assert!(matches!(err, CopyError::NativeUnavailable(_)));
    let message = err.to_string();
    assert!(
        message.contains("X11 server connection timed out"),
        "{message}"
    );
    assert!(message.contains("copy it by hand"), "{message}");
    assert!(terminal.is_empty(), "forced native never falls back");
}

#[test]
fn osc52_needs_a_terminal_to_write_to() {
    let (mut clipboard, _) = clipboard(ClipboardMode::Osc52, session(&[], false), Ok(false));
    assert_eq!(clipboard.how(), None);
    let err = clipboard.copy("link", &mut Vec::new()).unwrap_err();
    assert!(matches!(err, CopyError::NotATerminal));
    assert!(err.to_string().contains("copy it by hand"));
}

#[test]
fn osc52_over_ssh_in_tmux_says_so_and_names_the_tmux_setting() {
    let vars = [
        ("SSH_TTY", "/dev/pts/3"),
        ("TMUX", "/tmp/tmux-1000/default,4242,0"),
    ];
    let (mut clipboard, _) = clipboard(ClipboardMode::Auto, session(&vars, true), Ok(false));
    let mut terminal = Vec::new();
    let copied = clipboard.copy("link", &mut terminal).unwrap();
    assert_eq!(copied.how, How::Osc52 { in_tmux: true });
    assert_eq!(terminal, osc52::sequence("link", Wrap::Plain));
    let status = copied.status("the link");
    assert!(
        status.starts_with("Sent the link to your terminal's clipboard"),
        "{status}"
    );
    assert!(status.contains("set -g set-clipboard on"), "{status}");
}

#[test]
fn osc52_in_screen_is_wrapped_for_screen() {
    let (mut clipboard, _) = clipboard(
        ClipboardMode::Osc52,
        session(&[("STY", "77.pts-1.host")], true),
        Ok(false),
    );
    let mut terminal = Vec::new();
    clipboard.copy("link", &mut terminal).unwrap();
    assert_eq!(terminal, osc52::sequence("link", Wrap::Screen));
}

#[test]
fn a_terminal_write_error_is_reported() {
    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let (mut clipboard, _) = clipboard(ClipboardMode::Osc52, session(&[], true), Ok(false));
    let err = clipboard.copy("link", &mut Broken).unwrap_err();
    assert!(matches!(err, CopyError::Terminal(_)));
}

#[test]
fn the_native_clipboard_is_not_opened_when_osc52_is_chosen() {
    let clipboard = Clipboard::with_native(ClipboardMode::Osc52, session(DESKTOP, true), || {
        panic!("arboard must not be opened")
    });
    assert_eq!(clipboard.how(), Some(How::Osc52 { in_tmux: false }));
}

#[test]
fn forced_native_reports_a_refused_copy_instead_of_falling_back() {
    let (mut clipboard, _) = clipboard(ClipboardMode::Native, session(DESKTOP, true), Ok(true));
    let mut terminal = Vec::new();
    let err = clipboard.copy("link", &mut terminal).unwrap_err();
    assert!(matches!(err, CopyError::NativeFailed(_)));
    assert!(
        err.to_string().contains("clipboard owner went away"),
        "{err}"
    );
    assert!(terminal.is_empty());
}

#[test]
fn the_clipboard_can_move_to_the_task_that_owns_the_terminal() {
    fn assert_send<T: Send>() {}
    assert_send::<Clipboard>();
}
