//! `view(&App, &mut Frame)`: draws the whole screen from the state and nothing else (no I/O, no
//! clock, no mutation).

use std::time::Duration;

use ratatui::Frame;

use super::app::App;
use super::app::live::Live;
use super::keymap::{GLOBAL_KEYS, GlobalIntent, allowed, footer_hints as table_hints};
use super::screens::customers::draw::CustomerList;
use super::screens::customers::keys::{Intent, KEYS};
use super::screens::help::HelpView;
use super::screens::{Look, OPENERS};
use super::theme::Tone;
use super::widgets::bars::{Footer, Header, Hint, StatusLine};
use super::widgets::text::thousands;
use super::widgets::too_small::TooSmall;

pub use super::layout::{Areas, MIN_HEIGHT, MIN_WIDTH, fits, layout};

pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let theme = app.theme;
    if !fits(area) {
        let too_small = TooSmall {
            need_width: MIN_WIDTH,
            need_height: MIN_HEIGHT,
            theme,
        };
        frame.render_widget(&too_small, area);
        return;
    }
    let areas = layout(area);
    let right = match app.online() {
        Some(online) => format!("{online} │ {}", progress_text(app)),
        None => progress_text(app),
    };
    let left = header_text(app);
    frame.render_widget(
        &Header {
            left: &left,
            right: &right,
            theme,
        },
        areas.header,
    );
    match app.top() {
        Some(screen) => {
            let look = Look {
                theme,
                spinner: app.spinner(),
                me: app.me(),
                today: app.today,
            };
            screen.draw(frame, areas.body, &look);
        }
        None => {
            let list = CustomerList {
                screen: &app.customers,
                theme,
                spinner: app.spinner(),
                today: app.today,
            };
            frame.render_widget(&list, areas.body);
        }
    }
    let list_on_top = app.top().is_none();
    if let Some(text) = app.customers.input().filter(|_| list_on_top) {
        let line = format!("/{text}");
        frame.render_widget(
            &StatusLine {
                text: &line,
                tone: Tone::Normal,
                theme,
            },
            areas.status,
        );
        let x = areas.status.x + 1 + super::widgets::text::width(&line) as u16;
        frame.set_cursor_position((
            x.min(areas.status.right().saturating_sub(1)),
            areas.status.y,
        ));
    } else {
        let (text, tone) = status_text(app);
        frame.render_widget(
            &StatusLine {
                text: &text,
                tone,
                theme,
            },
            areas.status,
        );
    }
    let hints = footer_hints(app);
    frame.render_widget(
        &Footer {
            hints: &hints,
            theme,
        },
        areas.footer,
    );
    if let Some(help) = app.help() {
        let entries = app.help_entries();
        let help = HelpView {
            state: *help,
            entries: &entries,
            theme,
        };
        frame.render_widget(&help, areas.body);
    }
}

/// ` cspdash │ Contoso Partner │ Partner Center · embedded │ Ada Lovelace · Global admin`
pub fn header_text(app: &App) -> String {
    let s = &app.session;
    match app.who() {
        Some(w) => {
            let cloud = if w.cloud.is_empty() { "?" } else { &w.cloud };
            format!(
                " cspdash │ {} │ {cloud} · {} │ {} · {}",
                w.partner, s.profile, w.agent, w.role
            )
        }
        None if app.signing_in() => {
            format!(
                " cspdash │ signing in to {} ({})…",
                s.backend_url, s.profile
            )
        }
        None => format!(
            " cspdash │ {} ({}) │ not signed in",
            s.backend_url, s.profile
        ),
    }
}

/// `⠋ 1,200 of 100,000`, `100,000 customers`, `37 match · 100,000 customers`.
pub fn progress_text(app: &App) -> String {
    let p = app.customers.progress();
    let loaded = thousands(p.loaded as u64);
    let base = match (p.loading, p.total) {
        _ if p.reloading => format!("{} reloading · {loaded} customers", app.spinner()),
        (true, Some(total)) => format!("{} {loaded} of {}", app.spinner(), thousands(total)),
        (true, None) => format!("{} loading…", app.spinner()),
        (false, None) => "not loaded".to_string(),
        (false, _) if p.loaded == 1 => "1 customer".to_string(),
        (false, _) => format!("{loaded} customers"),
    };
    match p.matching {
        Some(n) => format!("{} match · {base}", thousands(n as u64)),
        None => base,
    }
}

/// How long the list may make no progress before the status line says we are waiting.
pub const SLOW: Duration = Duration::from_secs(3);

/// Connection trouble first, then the last message, then a slow backend, then the kept filter.
pub fn status_text(app: &App) -> (String, Tone) {
    if let Some(status) = app.connection().status(app.now) {
        return status;
    }
    if let Some(flash) = app.flash() {
        return (flash.text.clone(), flash.tone);
    }
    match app.live() {
        Live::Stopped(why) => {
            return (
                format!("live updates stopped: {why} (Ctrl-R restarts them)"),
                Tone::Warn,
            );
        }
        Live::Lost { why, .. } => {
            return (format!("live updates paused: {why}"), Tone::Warn);
        }
        _ => {}
    }
    if let Some(since) = app.customers.progress().last_progress {
        let waited = app.now.saturating_duration_since(since);
        if waited >= SLOW {
            let url = &app.session.backend_url;
            return (
                format!("waiting for {url}… {}s", waited.as_secs()),
                Tone::Warn,
            );
        }
    }
    if let Some(screen) = app.top() {
        return screen.status().unwrap_or((String::new(), Tone::Normal));
    }
    let filter = app.customers.rows().filter();
    if !filter.trim().is_empty() {
        return (
            format!("filter: {filter}   (/ edits, Esc clears)"),
            Tone::Dim,
        );
    }
    (String::new(), Tone::Normal)
}

/// `? help`, the list's hints, `q quit` last (dropped first when narrow).
pub fn footer_hints(app: &App) -> Vec<Hint> {
    let global = |intent: GlobalIntent| table_hints(GLOBAL_KEYS, move |i| *i == intent);
    let mut hints: Vec<Hint> = global(GlobalIntent::Help);
    if let Some(screen) = app.top() {
        // A screen that takes typing has no `?` (it is text): only its own keys.
        if screen.captures_input() {
            hints.clear();
        }
        hints.extend(screen.hints(app.me()));
        return hints;
    }
    for b in KEYS {
        let (Some(hint), Some(key)) = (b.hint, b.shown.split_whitespace().next()) else {
            continue;
        };
        // `^R` rather than `Ctrl-R`: the footer must fit 80 columns.
        let key = if key == "Ctrl-R" { "^R" } else { key };
        let label = match b.intent {
            Intent::Sort => format!("sort: {}", app.customers.rows().sort().label()),
            _ => hint.to_string(),
        };
        let enabled = b.needs.is_none_or(|p| allowed(app.me(), p).is_ok());
        hints.push(Hint {
            key,
            label,
            enabled,
        });
    }
    for b in OPENERS {
        let (Some(hint), Some(key)) = (b.hint, b.shown.split_whitespace().next()) else {
            continue;
        };
        let enabled = b.needs.is_none_or(|p| allowed(app.me(), p).is_ok());
        hints.push(Hint {
            key,
            label: hint.to_string(),
            enabled,
        });
    }
    hints.extend(global(GlobalIntent::Quit));
    hints
}
