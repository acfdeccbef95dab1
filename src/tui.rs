//! The dashboard: handed a backend URL and token (by `crate::run`), takes over the terminal and
//! runs one event loop. It imports nothing of the server: the embedded backend is wiring.
//!
//! Module map (Elm architecture: events → [`action::Action`] → [`app::App::update`] → [`view::view`]):
//! - [`terminal`]: raw mode + alternate screen, restored on every exit path; panic hook.
//! - [`event`]: terminal input and signals → actions.
//! - [`action`], [`command`]: what happens, and what `update` asks for (the runner calls the client,
//!   follows the live event stream, copies, opens the mail app, saves drafts).
//! - [`app`]: the global state (connection, live events, sign-in, help, flash), the stack of
//!   screens over the list, and `update`; [`view`]: drawing only; [`layout`]: where things go
//!   (which `update` needs too).
//! - [`screens`]: the customers list at the bottom and every [`screens::Screen`] over it (one
//!   folder each, listed once in `screens::OPENERS`); [`call`]: the backend calls screens make,
//!   answered back to them by request id; [`model`]: payloads actions, commands and screens share.
//! - [`widgets`]: pure widgets (form, confirmation, picker, bars); [`keymap`]: bindings.
//! - [`theme`]: every style; [`sanitize`]: cleaning backend strings before display.
//! - `testing`: fixtures for tests and benchmarks (an app of a given size, sample rows, rendering).

pub mod action;
pub mod app;
pub mod call;
pub mod command;
pub mod event;
pub mod keymap;
pub mod layout;
pub mod model;
/// Cleaning backend strings before display (shared with the CLI).
pub use crate::sanitize;
pub mod screens;
pub mod terminal;
/// Fixtures shared by the unit tests, snapshot tests and benchmarks.
#[doc(hidden)]
pub mod testing;
pub mod theme;
pub mod view;
pub mod widgets;

use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use crate::client::{Client, ClientOptions};
use crate::clipboard::Clipboard;
use crate::config::Settings;
use action::{Action, QuitReason};
use app::{App, Quit, Session};
use command::Runner;
use theme::Theme;

/// Actions handled before the screen is drawn again, so a burst (pages arriving, keys repeating) is
/// drawn once without starving the terminal.
const MAX_BATCH: usize = 256;

/// The backend the dashboard talks to, as its wiring (`crate::run`) found or started it.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: String,
    pub token: String,
    /// How often the backend sends a heartbeat on the event stream.
    pub heartbeat: Duration,
}

/// Runs the dashboard on `target` until the user quits: sets up the terminal and restores it on
/// every exit path. Must run inside a tokio runtime.
pub async fn run(target: Target, settings: Settings) -> anyhow::Result<()> {
    let Target {
        url,
        token,
        heartbeat,
    } = target;
    let options = ClientOptions {
        heartbeat,
        max_reconnect_delay: settings.timing.reconnect_max,
        ..ClientOptions::default()
    };
    let client = Client::with_options(&url, &token, options)?;
    let session = Session {
        profile: settings.profile.clone(),
        cloud: settings.cloud.clone(),
        backend_url: client.base_url().to_string(),
    };
    let mut app = App::new(session, Theme::from_env(), Instant::now())
        .with_retry_cap(settings.timing.reconnect_max);

    terminal::install_panic_hook();
    let mut term = terminal::enter().context("cannot set up the terminal")?;
    let _guard = terminal::Guard;
    let (tx, mut rx) = unbounded_channel();
    let input = event::spawn_input(tx.clone());
    let signals = event::spawn_signals(tx.clone());
    // Chosen once, before the first frame: the native clipboard is opened here and kept.
    let clipboard = Clipboard::from_process(settings.clipboard);
    let mut runner = Runner::new(client, tx.clone(), clipboard);
    let size = term.size()?;
    app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });
    let result = event_loop(&mut term, &mut app, &mut runner, &mut rx).await;
    input.abort();
    signals.abort();
    terminal::leave();
    result?;
    // Stopped from outside: say so and exit non-zero, as a killed program would.
    match app.quit_reason() {
        Some(Quit::Outside(QuitReason::HangUp)) => anyhow::bail!("stopped: the terminal hung up"),
        Some(Quit::Outside(QuitReason::Terminated)) => anyhow::bail!("stopped by a signal"),
        Some(Quit::Outside(QuitReason::InputClosed)) => {
            anyhow::bail!("stopped: terminal input closed")
        }
        Some(Quit::User) | None => Ok(()),
    }
}

/// Draw, wait for the next action (or the next tick, only while something animates), update, repeat.
async fn event_loop(
    term: &mut terminal::Term,
    app: &mut App,
    runner: &mut Runner,
    rx: &mut UnboundedReceiver<Action>,
) -> anyhow::Result<()> {
    for command in app.start() {
        runner.run(command, term.backend_mut());
    }
    let mut next_tick: Option<tokio::time::Instant> = None;
    loop {
        term.draw(|frame| view::view(app, frame))?;
        next_tick = match (app.tick_interval(), next_tick) {
            (None, _) => None,
            (Some(every), None) => Some(tokio::time::Instant::now() + every),
            (Some(_), pending) => pending,
        };
        let action = match next_tick {
            Some(at) => tokio::select! {
                action = rx.recv() => action,
                () = tokio::time::sleep_until(at) => {
                    next_tick = None;
                    Some(Action::Tick)
                }
            },
            None => rx.recv().await,
        };
        let Some(action) = action else {
            return Ok(());
        };
        step(app, runner, term, action);
        for _ in 0..MAX_BATCH {
            match rx.try_recv() {
                Ok(action) => step(app, runner, term, action),
                Err(_) => break,
            }
        }
        if app.should_quit() {
            return Ok(());
        }
    }
}

/// One action through `update`, and its commands to the runner. Runs between frames, so what a
/// command writes to the terminal (OSC 52) never lands inside a frame being drawn.
fn step(app: &mut App, runner: &mut Runner, term: &mut terminal::Term, action: Action) {
    app.now = Instant::now();
    app.today = chrono::Utc::now().date_naive();
    for command in app.update(action) {
        runner.run(command, term.backend_mut());
    }
}
