//! The app state and `update`: the one place state changes. `update` takes an [`Action`], changes
//! state, and returns the [`Command`]s to run; it does no I/O and never waits, so tests drive it with
//! actions and check state and commands.

pub mod connection;
mod effects;
mod keys;
pub mod live;
pub mod online;
mod retry;
mod stack;

#[cfg(test)]
mod live_tests;
#[cfg(test)]
mod online_tests;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::api::Me;
use crate::tui::sanitize::sanitize;

use super::action::{Action, QuitReason, RequestId, RequestIds};
use super::call::CallBox;
use super::command::Command;
use super::screens::customers::CustomersScreen;
use super::screens::help::HelpState;
use super::screens::{Flash, Screen};
use super::theme::Theme;
use connection::Connection;
use live::Live;

/// Where the dashboard is connected, for the header and messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub profile: String,
    /// From the config; `/me` fills it in when empty.
    pub cloud: String,
    pub backend_url: String,
}

/// The signed-in agent as the header shows it, sanitized once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub partner: String,
    pub cloud: String,
    pub agent: String,
    pub role: &'static str,
}

/// Spinner frames: one cell each, readable without colour.
pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/// Spinner speed while something loads; no ticks at all when idle.
pub const SPINNER_TICK: Duration = Duration::from_millis(100);
/// Countdown refresh while waiting to retry.
pub const COUNTDOWN_TICK: Duration = Duration::from_millis(250);

#[derive(Debug)]
pub struct App {
    pub session: Session,
    pub theme: Theme,
    me: Option<Me>,
    who: Option<Who>,
    me_req: Option<RequestId>,
    pub customers: CustomersScreen,
    /// The screens open over the list, the last on top (has the keys).
    stack: Vec<Box<dyn Screen>>,
    /// The screens' calls awaiting an answer, to send again after transient trouble.
    calls: HashMap<RequestId, CallBox>,
    help: Option<HelpState>,
    conn: Connection,
    flash: Option<Flash>,
    size: (u16, u16),
    /// Set by the loop before each update; `update` reads no clock itself.
    pub now: Instant,
    /// The wall clock's date, set by the loop with `now` (tests fix it): what the admin column
    /// counts days from.
    pub today: chrono::NaiveDate,
    spinner: usize,
    ids: RequestIds,
    quit: Option<Quit>,
    live: Live,
}

/// Why the app stopped: the user asked, or the outside world did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quit {
    User,
    Outside(QuitReason),
}

impl App {
    pub fn new(session: Session, theme: Theme, now: Instant) -> Self {
        let conn = Connection::new(&session.backend_url, &session.profile);
        Self {
            session,
            theme,
            me: None,
            who: None,
            me_req: None,
            customers: CustomersScreen::new(),
            stack: Vec::new(),
            calls: HashMap::new(),
            help: None,
            conn,
            flash: None,
            size: (0, 0),
            now,
            today: chrono::Utc::now().date_naive(),
            spinner: 0,
            ids: RequestIds::default(),
            quit: None,
            live: Live::Off,
        }
    }

    /// Retries of failed requests wait at most `cap` (config `reconnect_max_ms`).
    pub fn with_retry_cap(mut self, cap: Duration) -> Self {
        self.conn.set_max_backoff(cap);
        self
    }

    /// The first commands: who am I, and the customer list (live changes follow from its first
    /// page: see [`live`]).
    pub fn start(&mut self) -> Vec<Command> {
        let mut commands = Vec::new();
        self.reload(&mut commands);
        commands
    }

    pub fn should_quit(&self) -> bool {
        self.quit.is_some()
    }

    pub fn quit_reason(&self) -> Option<Quit> {
        self.quit
    }

    /// Whether `/me` is still awaited (the header says "signing in").
    pub fn signing_in(&self) -> bool {
        self.me_req.is_some()
    }

    pub fn me(&self) -> Option<&Me> {
        self.me.as_ref()
    }
    pub fn who(&self) -> Option<&Who> {
        self.who.as_ref()
    }
    pub fn help(&self) -> Option<&HelpState> {
        self.help.as_ref()
    }
    pub fn flash(&self) -> Option<&Flash> {
        self.flash.as_ref()
    }
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
    pub fn size(&self) -> (u16, u16) {
        self.size
    }
    pub fn spinner(&self) -> &'static str {
        SPINNER[self.spinner % SPINNER.len()]
    }
    /// The screen on top of the list, if any: it has the keys.
    pub fn top(&self) -> Option<&dyn Screen> {
        self.stack.last().map(|s| s.as_ref())
    }
    /// The topmost open screen of type `T`, if one is open.
    pub fn screen<T: Screen>(&self) -> Option<&T> {
        self.stack
            .iter()
            .rev()
            .find_map(|s| (s.as_ref() as &dyn std::any::Any).downcast_ref::<T>())
    }
    /// The screens over the list, bottom first.
    pub fn stack(&self) -> impl Iterator<Item = &dyn Screen> {
        self.stack.iter().map(|s| s.as_ref())
    }

    /// How soon the loop should send a [`Action::Tick`]: only while something moves on screen.
    pub fn tick_interval(&self) -> Option<Duration> {
        // Waiting out a backoff: only the countdown moves, however long the backend stays away.
        if self.conn.is_waiting() || self.live_counting_down() {
            Some(COUNTDOWN_TICK)
        } else if self.customers.is_busy()
            || self.me_req.is_some()
            || self.stack.iter().any(|s| s.is_busy())
        {
            Some(SPINNER_TICK)
        } else {
            None
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Command> {
        let commands = self.handle(action);
        for command in &commands {
            if let Command::Call { req, call } = command {
                self.calls.insert(*req, call.clone());
            }
        }
        commands
    }

    fn handle(&mut self, action: Action) -> Vec<Command> {
        let mut commands = Vec::new();
        match action {
            Action::Key(ev) => self.on_key(ev, &mut commands),
            Action::Resize { width, height } => self.resize(width, height),
            Action::Paste(text) => self.on_paste(&text),
            Action::Tick => self.spinner = self.spinner.wrapping_add(1),
            Action::Quit(reason) => self.quit = Some(Quit::Outside(reason)),
            Action::Retry => {
                let due = self.conn.retry_due();
                commands.extend(due.into_iter().filter(|c| self.still_wanted(c)));
            }
            Action::MeLoaded { req, result } => {
                if self.me_req != Some(req) {
                    return commands;
                }
                match result {
                    Ok(me) => {
                        self.me_req = None;
                        self.who = Some(who(&me, &self.session));
                        self.me = Some(me);
                        commands.extend(self.conn.succeeded());
                    }
                    Err(e) => {
                        if let Some(why) = self.failed(Command::LoadMe { req }, &e, &mut commands) {
                            self.me_req = None;
                            self.give_up(format!("could not sign in: {why}"));
                        }
                    }
                }
            }
            Action::CustomersPage { req, page } => {
                if self.customers.page_loaded(req, page, self.now) {
                    commands.extend(self.conn.succeeded());
                }
            }
            Action::ListReadAt { req, after } => self.list_read_at(req, after, &mut commands),
            Action::CustomersFailed { req, error, resume } => {
                if !self.customers.is_current_load(req) {
                    return commands;
                }
                let retry = Command::LoadCustomers { req, from: resume };
                if let Some(why) = self.failed(retry, &error, &mut commands) {
                    self.customers.load_stopped(req);
                    self.give_up(format!("could not load customers: {why}"));
                }
            }
            Action::CustomerChanged { kind, row } => {
                self.customer_changed(kind, row, &mut commands)
            }
            Action::LiveTrouble { error, ended } => self.live_trouble(&error, ended),
            Action::LiveConnected => self.live_connected(&mut commands),
            Action::LiveLost { error, retry_in } => self.live_lost(&error, retry_in),
            Action::Reply { req, result } => self.reply(req, result, &mut commands),
            Action::Copied { what, result } => self.copied(what, result),
            Action::MailOpened { result } => self.mail_opened(result),
            Action::DraftSaved { result } => self.draft_saved(result),
            Action::DetailLoaded {
                req,
                row,
                id,
                result,
            } => {
                if !self.customers.awaits_detail(req, row) {
                    return commands;
                }
                match result {
                    Ok(detail) => {
                        self.customers.detail_loaded(row, detail);
                        commands.extend(self.conn.succeeded());
                    }
                    Err(e) => {
                        let retry = Command::LoadDetail { req, row, id };
                        if let Some(why) = self.failed(retry, &e, &mut commands) {
                            self.customers.detail_failed(row, why);
                        }
                    }
                }
            }
        }
        commands
    }

    /// Starts over: sign in again if needed, reload the list, forget retries and verdicts.
    fn reload(&mut self, commands: &mut Vec<Command>) {
        self.conn.reset();
        if matches!(self.live, Live::Stopped(_)) {
            // The reload's first page starts it again, from where that page was read.
            self.live = Live::Off;
        }
        if self.me.is_none() {
            let req = self.ids.next_id();
            self.me_req = Some(req);
            commands.push(Command::LoadMe { req });
        }
        self.on_list(commands, |list, ctx| list.start_load(ctx));
    }
}

fn who(me: &Me, session: &Session) -> Who {
    let cloud = if session.cloud.is_empty() {
        &me.cloud
    } else {
        &session.cloud
    };
    Who {
        partner: sanitize(&me.partner_name).into_owned(),
        cloud: sanitize(cloud).into_owned(),
        agent: sanitize(&me.agent).into_owned(),
        role: me.role.title(),
    }
}
