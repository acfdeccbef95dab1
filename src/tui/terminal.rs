//! Taking over the terminal (raw mode, alternate screen, bracketed paste, hidden cursor) and giving it back exactly as
//! it was on every way out: normal quit, error, panic, signal. No mouse capture: over SSH it would
//! break selecting text to copy.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::ThreadId;

use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Whether we changed the terminal and have not given it back yet; makes [`leave`] idempotent, so the
/// panic hook, the guard and the normal path can all call it.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Enters raw mode and the alternate screen. Install the panic hook first.
pub fn enter() -> io::Result<Term> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut stdout = io::stdout();
    // Cleared here rather than with `Terminal::clear`, which asks the terminal where its cursor is
    // and waits for the answer: slow over SSH, and fatal where nothing answers.
    // Bracketed paste: pasted text arrives as one piece, not as keys (a pasted `q` must not quit).
    if let Err(e) = execute!(
        stdout,
        EnterAlternateScreen,
        EnableBracketedPaste,
        Clear(ClearType::All)
    ) {
        leave();
        return Err(e);
    }
    let mut terminal = match Terminal::new(CrosstermBackend::new(stdout)) {
        Ok(t) => t,
        Err(e) => {
            leave();
            return Err(e);
        }
    };
    terminal.hide_cursor()?;
    Ok(terminal)
}

/// Gives the terminal back. Safe to call any number of times, from any thread; errors are ignored
/// because the terminal may already be gone (a dropped SSH session) and there is nobody to tell.
pub fn leave() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut stdout = io::stdout();
    let _ = execute!(stdout, DisableBracketedPaste, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
    let _ = stdout.flush();
}

/// Restores the terminal when dropped, so `?` and unwinding out of the app can't skip it.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        leave();
    }
}

/// On a panic of the UI thread, restore the terminal first, then print the panic as usual (it would
/// be lost on the alternate screen). A panic in a background task only loses that request; it is
/// logged, not printed, because printing would scribble over the still-running dashboard.
pub fn install_panic_hook() {
    let ui_thread: ThreadId = std::thread::current().id();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == ui_thread || !ACTIVE.load(Ordering::SeqCst) {
            leave();
            previous(info);
        } else {
            tracing::error!("background task panicked: {info}");
        }
    }));
}
