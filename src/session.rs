//! What kind of session the dashboard runs in: over SSH or not, with a desktop or not, inside
//! tmux/screen or not, writing to a terminal or not. The clipboard and the mail opener decide from
//! this, so it is gathered once, from variables passed in as data (tests build it from a map; only
//! [`Session::from_process`] reads the real environment).

use std::io::IsTerminal;

/// The terminal multiplexer between us and the user's terminal, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Multiplexer {
    #[default]
    None,
    /// `TMUX` is set.
    Tmux,
    /// `STY` is set (GNU screen).
    Screen,
}

/// Which desktop conventions apply: decides whether a display is implied and how URLs are opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Linux and the BSDs: a desktop exists only when `DISPLAY` or `WAYLAND_DISPLAY` says so.
    Unix,
    /// macOS: a local session always has the desktop (no `DISPLAY` variable exists there).
    MacOs,
    Windows,
}

impl Platform {
    pub const fn current() -> Self {
        if cfg!(target_os = "macos") {
            Self::MacOs
        } else if cfg!(windows) {
            Self::Windows
        } else {
            Self::Unix
        }
    }
}

/// Facts about this session, from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub platform: Platform,
    /// `SSH_CONNECTION`, `SSH_CLIENT` or `SSH_TTY` is set: anything "local" happens on the remote
    /// machine, not on the user's.
    pub over_ssh: bool,
    /// A desktop is reachable: `DISPLAY`/`WAYLAND_DISPLAY` on Unix, always on macOS and Windows.
    pub display: bool,
    pub multiplexer: Multiplexer,
    /// Standard output is a terminal, so escape sequences written there reach one.
    pub output_is_terminal: bool,
}

/// The variables [`Session::detect`] reads.
pub const SSH_VARS: [&str; 3] = ["SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"];
pub const DISPLAY_VARS: [&str; 2] = ["DISPLAY", "WAYLAND_DISPLAY"];

impl Session {
    /// `var` returns a variable's value; empty values count as unset (`DISPLAY=` means no display).
    pub fn detect(
        platform: Platform,
        var: impl Fn(&str) -> Option<String>,
        output_is_terminal: bool,
    ) -> Self {
        let set = |name: &str| var(name).is_some_and(|v| !v.is_empty());
        let display = match platform {
            Platform::Unix => DISPLAY_VARS.iter().any(|name| set(name)),
            Platform::MacOs | Platform::Windows => true,
        };
        // tmux first: tmux in screen or screen in tmux both set both, and tmux is the common case.
        let multiplexer = if set("TMUX") {
            Multiplexer::Tmux
        } else if set("STY") {
            Multiplexer::Screen
        } else {
            Multiplexer::None
        };
        Self {
            platform,
            over_ssh: SSH_VARS.iter().any(|name| set(name)),
            display,
            multiplexer,
            output_is_terminal,
        }
    }

    /// This process's session: its environment, and whether stdout (where the TUI draws) is a tty.
    pub fn from_process() -> Self {
        Self::detect(
            Platform::current(),
            |name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()),
            std::io::stdout().is_terminal(),
        )
    }

    /// The user's own desktop is here: not over SSH, and a display is reachable.
    pub fn has_local_desktop(&self) -> bool {
        !self.over_ssh && self.display
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn session(platform: Platform, vars: &[(&str, &str)]) -> Session {
        Session::detect(
            platform,
            |name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            },
            true,
        )
    }

    #[test]
    fn any_ssh_variable_means_over_ssh() {
        for var in SSH_VARS {
            assert!(session(Platform::Unix, &[(var, "10.0.0.1 5 10.0.0.2 22")]).over_ssh);
        }
        assert!(!session(Platform::Unix, &[("DISPLAY", ":0")]).over_ssh);
    }

    #[test]
    fn unix_has_a_display_only_with_display_or_wayland_display() {
        assert!(!session(Platform::Unix, &[]).display);
        assert!(!session(Platform::Unix, &[("DISPLAY", "")]).display);
        assert!(session(Platform::Unix, &[("DISPLAY", ":0")]).display);
        assert!(session(Platform::Unix, &[("WAYLAND_DISPLAY", "wayland-0")]).display);
    }

    #[test]
    fn macos_has_a_desktop_without_display_but_not_over_ssh() {
        assert!(session(Platform::MacOs, &[]).has_local_desktop());
        assert!(!session(Platform::MacOs, &[("SSH_TTY", "/dev/ttys001")]).has_local_desktop());
    }

    #[test]
    fn tmux_and_screen_are_recognised() {
        let tmux = session(Platform::Unix, &[("TMUX", "/tmp/tmux-0/default,1,0")]);
        assert_eq!(tmux.multiplexer, Multiplexer::Tmux);
        let screen = session(Platform::Unix, &[("STY", "1234.pts-0.host")]);
        assert_eq!(screen.multiplexer, Multiplexer::Screen);
        assert_eq!(session(Platform::Unix, &[]).multiplexer, Multiplexer::None);
    }
}
