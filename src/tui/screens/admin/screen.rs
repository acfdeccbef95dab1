//! The admin relationships screen on the stack, and the list's key that opens it.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::draw::AdminView;
use super::keys::{CONFIRM_KEYS, FILTER_KEYS, LIST_KEYS, PICKER_KEYS, RESULT_KEYS};
use super::{AdminScreen, BulkAnswer, Groups, Mode, Page, Refreshed};
use crate::api::Me;
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::call::Reply;
use crate::tui::keymap::{Binding, HelpEntry, Key, allowed, footer_hints, help_entries};
use crate::tui::model::CopyWhat;
use crate::tui::model::rows::CustomerRow;
use crate::tui::screens::customers::rowset::RowSet;
use crate::tui::screens::{Ctx, LiveChange, Look, Open, Screen};
use crate::tui::theme::Tone;
use crate::tui::widgets::bars::Hint;
use crate::tui::widgets::text::thousands;

/// `a` on the list. Every role may look; the bulk actions inside need
/// `adminrelationships.manage`.
pub const OPEN: Binding<Open> = Binding {
    keys: &[Key::Char('a')],
    shown: "a",
    help: "admin relationships of all customers: expiring, pending, expired, gaps; Space marks; bulk actions",
    hint: None,
    intent: open,
    needs: None,
};

fn open(_row: Option<&CustomerRow>, ctx: &mut Ctx) {
    let screen = AdminScreen::new(ctx.body, ctx);
    ctx.open(screen);
}

impl Screen for AdminScreen {
    fn title(&self) -> &'static str {
        match self.mode {
            Mode::List => "Admin relationships",
            Mode::Confirm { .. } => "Admin relationships: confirm",
            Mode::PickGroup(_) => "Admin relationships: security group",
            Mode::PickRoles { .. } => "Admin relationships: roles to assign",
            Mode::Results { .. } => "Admin relationships: results",
        }
    }

    fn help(&self, me: Option<&Me>) -> Vec<HelpEntry> {
        if self.typing {
            return help_entries(FILTER_KEYS, me);
        }
        match self.mode {
            Mode::List => help_entries(LIST_KEYS, me),
            Mode::Confirm { .. } => help_entries(CONFIRM_KEYS, me),
            Mode::PickGroup(_) | Mode::PickRoles { .. } => help_entries(PICKER_KEYS, me),
            Mode::Results { .. } => help_entries(RESULT_KEYS, me),
        }
    }

    /// Bulk keys are shown greyed for roles that may not use them.
    fn hints(&self, me: Option<&Me>) -> Vec<Hint> {
        if self.typing {
            return footer_hints(FILTER_KEYS, |_| true);
        }
        match self.mode {
            Mode::List => LIST_KEYS
                .iter()
                .filter_map(|b| {
                    Some(Hint {
                        key: b.shown.split_whitespace().next()?,
                        label: b.hint?.to_string(),
                        enabled: b.needs.is_none_or(|p| allowed(me, p).is_ok()),
                    })
                })
                .collect(),
            Mode::Confirm { .. } => footer_hints(CONFIRM_KEYS, |_| true),
            Mode::PickGroup(_) | Mode::PickRoles { .. } => footer_hints(PICKER_KEYS, |_| true),
            Mode::Results { .. } => footer_hints(RESULT_KEYS, |_| true),
        }
    }

    fn captures_input(&self) -> bool {
        match &self.mode {
            Mode::Confirm { .. } => true,
            // Typing a picker's filter: `q` and `?` are text.
            Mode::PickGroup(picker) | Mode::PickRoles { picker, .. } => picker.is_typing(),
            _ => self.typing,
        }
    }

    fn on_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        self.handle_key(ev, ctx);
    }

    fn back(&mut self, ctx: &mut Ctx) {
        if !self.step_back() {
            ctx.close();
        }
    }

    fn on_paste(&mut self, text: &str) {
        self.paste_filter(text);
    }

    fn awaits(&self, req: RequestId) -> bool {
        AdminScreen::awaits(self, req)
    }

    fn on_reply(&mut self, req: RequestId, reply: Reply, ctx: &mut Ctx) {
        let reply = match reply.downcast::<Page>() {
            Ok(page) => return self.page(req, *page, ctx),
            Err(other) => other,
        };
        let reply = match reply.downcast::<BulkAnswer>() {
            Ok(answer) => return self.bulk_answered(req, *answer, ctx),
            Err(other) => other,
        };
        let reply = match reply.downcast::<Refreshed>() {
            Ok(fresh) => return self.refreshed(req, *fresh, ctx),
            Err(other) => other,
        };
        if let Ok(groups) = reply.downcast::<Groups>() {
            self.groups_loaded(req, *groups, ctx);
        }
    }

    fn on_failed(&mut self, req: RequestId, error: &ClientError, why: String, ctx: &mut Ctx) {
        let why = match error {
            ClientError::Status { body, .. } if !body.description.is_empty() => {
                crate::tui::sanitize::sanitize(&body.description).into_owned()
            }
            _ => why,
        };
        self.failed(req, why, ctx);
    }

    fn on_live(&mut self, change: &LiveChange, ctx: &mut Ctx) {
        self.live(change, ctx);
    }

    fn list_at_open(&mut self, rows: &RowSet) {
        self.list.set_customers(rows.iter());
    }

    fn copy_failed(&mut self, _what: CopyWhat) {
        self.note = Some((
            "Could not copy: select the link on the screen by hand".into(),
            Tone::Warn,
        ));
    }

    fn is_busy(&self) -> bool {
        self.is_loading() || self.run.is_some() || self.is_refreshing()
    }

    fn resize(&mut self, _width: u16, height: u16) {
        self.rows_in_view = super::rows_for(height);
    }

    fn status(&self) -> Option<(String, Tone)> {
        if self.typing {
            return Some((
                format!("Filter: {}▏ (Enter keeps, Esc clears)", self.list.filter()),
                Tone::Normal,
            ));
        }
        if let Some(note) = &self.note {
            return Some(note.clone());
        }
        if let Some(why) = &self.load_error {
            return Some((
                format!("Could not load: {why} — Ctrl-R tries again"),
                Tone::Bad,
            ));
        }
        let held = thousands(self.list.rels().len() as u64);
        let text = match (self.is_loading(), self.complete) {
            (true, _) => format!("{held} relationships loaded, more on the way…"),
            (false, true) => format!("{held} relationships"),
            (false, false) => format!("{held} relationships (not all loaded)"),
        };
        Some((text, Tone::Dim))
    }

    fn draw(&self, frame: &mut Frame, area: Rect, look: &Look) {
        let view = AdminView {
            screen: self,
            theme: look.theme,
            spinner: look.spinner,
        };
        frame.render_widget(&view, area);
    }
}
