//! Turns the outside world into [`Action`]s on the loop's channel: terminal input (crossterm's
//! `EventStream`) and Unix signals.
//!
//! When the terminal goes away (a dropped SSH session) crossterm's reader can fail or end, and a loop
//! that ignored that would spin at 100% CPU: the end of input and any read error both become a quit,
//! and so do SIGHUP and SIGTERM.

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, QuitReason};

/// Reads terminal events until input ends or the loop stops listening.
pub fn spawn_input(tx: UnboundedSender<Action>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut events = EventStream::new();
        loop {
            let action = match events.next().await {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => Action::Key(key),
                Some(Ok(Event::Resize(width, height))) => Action::Resize { width, height },
                Some(Ok(Event::Paste(text))) => Action::Paste(text),
                Some(Ok(_)) => continue,
                Some(Err(e)) => {
                    tracing::warn!("terminal input failed: {e}");
                    let _ = tx.send(Action::Quit(QuitReason::InputClosed));
                    return;
                }
                None => {
                    tracing::info!("terminal input ended");
                    let _ = tx.send(Action::Quit(QuitReason::InputClosed));
                    return;
                }
            };
            if tx.send(action).is_err() {
                return;
            }
        }
    })
}

/// Sends a quit on SIGHUP, SIGTERM or SIGINT (Ctrl-C itself arrives as a key in raw mode).
pub fn spawn_signals(tx: UnboundedSender<Action>) -> tokio::task::JoinHandle<()> {
    use tokio::signal::unix::{SignalKind, signal};
    tokio::spawn(async move {
        let (hup, term, int) = match (
            signal(SignalKind::hangup()),
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(h), Ok(t), Ok(i)) => (h, t, i),
            _ => {
                tracing::warn!("cannot listen for signals; quitting on them is up to the OS");
                return;
            }
        };
        let (mut hup, mut term, mut int) = (hup, term, int);
        let reason = tokio::select! {
            _ = hup.recv() => QuitReason::HangUp,
            _ = term.recv() => QuitReason::Terminated,
            _ = int.recv() => QuitReason::Terminated,
        };
        tracing::info!("quitting on signal: {reason:?}");
        let _ = tx.send(Action::Quit(reason));
    })
}
