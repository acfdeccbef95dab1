//! Copying text (the invitation link, the whole email) to the user's clipboard: the native one
//! (arboard) on a local desktop, else OSC 52 through the terminal, so that over SSH the text lands
//! on the user's own machine. The way is chosen once, at start-up, from the config's
//! [`ClipboardMode`] and the [`Session`]; each copy says how it went, for the status line.
//!
//! One `arboard::Clipboard` lives as long as the [`Clipboard`]: on X11 the copied text is served by
//! its owner and vanishes with it, so the TUI keeps this object for its whole run.

pub mod osc52;
#[cfg(test)]
mod tests;

use std::fmt;
use std::io::Write;

pub use osc52::Wrap;

use crate::config::ClipboardMode;
use crate::session::{Multiplexer, Session};

/// How a copy reached the clipboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// The desktop's clipboard, through arboard.
    Native,
    /// An OSC 52 sequence written to the terminal; tmux passes it on with `set-clipboard on`.
    Osc52 { in_tmux: bool },
}

impl fmt::Display for How {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Native => f.write_str("the clipboard"),
            Self::Osc52 { in_tmux: false } => f.write_str("your terminal's clipboard (OSC 52)"),
            Self::Osc52 { in_tmux: true } => f.write_str(
                "your terminal's clipboard through tmux (OSC 52; tmux needs `set -g set-clipboard on`)",
            ),
        }
    }
}

/// A successful copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub how: How,
}

impl Copied {
    /// The status-line sentence, e.g. `Copied the link to the clipboard`. OSC 52 gets no answer
    /// from the terminal, so that case says "sent" rather than claiming success.
    pub fn status(&self, what: &str) -> String {
        match self.how {
            How::Native => format!("Copied {what} to {}", self.how),
            How::Osc52 { .. } => format!("Sent {what} to {}", self.how),
        }
    }
}

/// Why nothing was copied. Every message ends by telling the user to copy by hand.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(
        "no clipboard: the native clipboard is unavailable ({0}); select the text on screen and copy it by hand"
    )]
    NativeUnavailable(String),
    #[error(
        "not copied: the native clipboard refused the text ({0}); select the text on screen and copy it by hand"
    )]
    NativeFailed(String),
    #[error(
        "no clipboard: the output is not a terminal, so OSC 52 cannot reach one; select the text on screen and copy it by hand"
    )]
    NotATerminal,
    #[error(
        "not copied: writing to the terminal failed ({0}); select the text on screen and copy it by hand"
    )]
    Terminal(#[source] std::io::Error),
}

/// Which way to try, decided from the config and the session alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Native only (`clipboard = "native"`): no fallback, so a failure is reported.
    Native,
    /// Native if `arboard` can open the display, else OSC 52 (`auto` on a local desktop).
    NativeElseOsc52,
    /// OSC 52 only (`osc52`, or `auto` over SSH or without a display).
    Osc52,
}

impl Plan {
    pub fn choose(mode: ClipboardMode, session: &Session) -> Self {
        match mode {
            ClipboardMode::Native => Self::Native,
            ClipboardMode::Osc52 => Self::Osc52,
            // Over SSH a display may exist (X forwarding), but it is not where the user pastes.
            ClipboardMode::Auto if session.has_local_desktop() => Self::NativeElseOsc52,
            ClipboardMode::Auto => Self::Osc52,
        }
    }
}

/// The native clipboard as the copy path needs it, so tests can stand in for arboard.
trait Native {
    fn set_text(&mut self, text: &str) -> Result<(), String>;
}

impl Native for arboard::Clipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        arboard::Clipboard::set_text(self, text).map_err(|e| e.to_string())
    }
}

/// The user's clipboard for the life of the dashboard.
pub struct Clipboard {
    route: Route,
    session: Session,
}

/// The way copies go, settled at start-up.
enum Route {
    /// The native clipboard, opened once. With `fallback` (`auto`), a copy it refuses goes by
    /// OSC 52 instead.
    Native {
        clipboard: Box<dyn Native + Send>,
        fallback: bool,
    },
    /// `clipboard = "native"`, but it could not be opened: every copy says why.
    NativeUnavailable(String),
    Osc52,
}

impl fmt::Debug for Clipboard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let route = match &self.route {
            Route::Native { fallback, .. } => format!("native (fallback to OSC 52: {fallback})"),
            Route::NativeUnavailable(why) => format!("native unavailable: {why}"),
            Route::Osc52 => "OSC 52".to_string(),
        };
        f.debug_struct("Clipboard")
            .field("route", &route)
            .field("session", &self.session)
            .finish()
    }
}

impl Clipboard {
    /// Chooses the way and, when it is native, opens the native clipboard now (not per copy).
    pub fn new(mode: ClipboardMode, session: Session) -> Self {
        Self::with_native(mode, session, || {
            arboard::Clipboard::new()
                .map(|c| Box::new(c) as Box<dyn Native + Send>)
                .map_err(|e| e.to_string())
        })
    }

    /// [`Clipboard::new`] for this process's session.
    pub fn from_process(mode: ClipboardMode) -> Self {
        Self::new(mode, Session::from_process())
    }

    fn with_native(
        mode: ClipboardMode,
        session: Session,
        open: impl FnOnce() -> Result<Box<dyn Native + Send>, String>,
    ) -> Self {
        let route = match Plan::choose(mode, &session) {
            Plan::Osc52 => Route::Osc52,
            Plan::Native => match open() {
                Ok(clipboard) => Route::Native {
                    clipboard,
                    fallback: false,
                },
                Err(why) => Route::NativeUnavailable(why),
            },
            Plan::NativeElseOsc52 => match open() {
                Ok(clipboard) => Route::Native {
                    clipboard,
                    fallback: true,
                },
                Err(why) => {
                    tracing::info!("native clipboard unavailable ({why}); copying with OSC 52");
                    Route::Osc52
                }
            },
        };
        Self { route, session }
    }

    /// How a copy will go, or `None` when no way can work (the TUI can then show the text for
    /// manual selection up front).
    pub fn how(&self) -> Option<How> {
        match self.route {
            Route::Native { .. } => Some(How::Native),
            Route::NativeUnavailable(_) => None,
            Route::Osc52 if self.session.output_is_terminal => Some(self.osc52_how()),
            Route::Osc52 => None,
        }
    }

    /// Copies `text`. `terminal` is where the TUI draws (crossterm's stdout): an OSC 52 sequence
    /// is written and flushed there; the native path does not touch it.
    pub fn copy(&mut self, text: &str, terminal: &mut impl Write) -> Result<Copied, CopyError> {
        match &mut self.route {
            Route::Native {
                clipboard,
                fallback,
            } => match clipboard.set_text(text) {
                Ok(()) => return Ok(Copied { how: How::Native }),
                Err(why) if !*fallback || !self.session.output_is_terminal => {
                    return Err(CopyError::NativeFailed(why));
                }
                Err(why) => tracing::warn!("native copy failed ({why}); trying OSC 52"),
            },
            Route::NativeUnavailable(why) => return Err(CopyError::NativeUnavailable(why.clone())),
            Route::Osc52 => {}
        }
        if !self.session.output_is_terminal {
            return Err(CopyError::NotATerminal);
        }
        let wrap = Wrap::for_multiplexer(self.session.multiplexer);
        osc52::write(terminal, text, wrap).map_err(CopyError::Terminal)?;
        Ok(Copied {
            how: self.osc52_how(),
        })
    }

    fn osc52_how(&self) -> How {
        How::Osc52 {
            in_tmux: self.session.multiplexer == Multiplexer::Tmux,
        }
    }
}
