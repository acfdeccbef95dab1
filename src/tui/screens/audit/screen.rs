//! The audit log as a screen on the stack, its keys, and the list's key that opens it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::draw::AuditView;
use super::keys::{DETAIL_KEYS, Intent, LIST_KEYS, TYPING_KEYS};
use super::{AuditPage, AuditScreen, CustomerFilter};
use crate::api::{Me, Permission};
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::call::Reply;
use crate::tui::keymap::{Binding, HelpEntry, Key, footer_hints, help_entries, lookup};
use crate::tui::model::rows::CustomerRow;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::{Ctx, LiveChange, Look, Open, Screen};
use crate::tui::theme::Tone;
use crate::tui::widgets::bars::Hint;

/// A customer id is a UUID; this leaves room and bounds the typing.
const MAX_TYPED_CHARS: usize = 128;

/// `A` on the list.
pub const OPEN: Binding<Open> = Binding {
    keys: &[Key::Char('A')],
    shown: "A",
    help: "audit log: who changed what, newest first (filter by customer and time)",
    hint: None,
    intent: open,
    needs: Some(Permission::AuditRecordsRead),
};

fn open(row: Option<&CustomerRow>, ctx: &mut Ctx) {
    let customer = row.map(|r| CustomerFilter {
        id: r.id().to_string(),
        name: sanitize(r.name()).into_owned(),
    });
    let screen = AuditScreen::new(customer, ctx.body, ctx);
    ctx.open(screen);
}

impl AuditScreen {
    fn table(&self) -> &'static [Binding<Intent>] {
        if self.typing.is_some() {
            TYPING_KEYS
        } else if self.detail {
            DETAIL_KEYS
        } else {
            LIST_KEYS
        }
    }

    fn on_typing_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        let Some(typed) = &mut self.typing else {
            return;
        };
        match ev.code {
            KeyCode::Enter => self.apply_typed(ctx),
            KeyCode::Esc => self.typing = None,
            KeyCode::F(1) => ctx.help(),
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Char(c)
                if !ev.modifiers.contains(KeyModifiers::CONTROL)
                    && typed.chars().count() < MAX_TYPED_CHARS =>
            {
                typed.push(c);
            }
            _ => {}
        }
    }

    fn on_list_key(&mut self, intent: Intent, ctx: &mut Ctx) {
        let page = self.page_rows();
        match intent {
            Intent::Down => self.move_by(1, ctx),
            Intent::Up => self.move_by(-1, ctx),
            Intent::PageDown => self.move_by(page, ctx),
            Intent::PageUp => self.move_by(-page, ctx),
            Intent::Top => self.move_by(isize::MIN / 2, ctx),
            Intent::Bottom => self.move_by(isize::MAX / 2, ctx),
            Intent::Detail => self.detail = self.selected().is_some(),
            Intent::Customer => self.toggle_customer(ctx),
            Intent::TypeCustomer => self.typing = Some(String::new()),
            Intent::Range => self.next_range(ctx),
            Intent::Reload => self.reload(ctx),
        }
    }
}

impl Screen for AuditScreen {
    fn title(&self) -> &'static str {
        "Audit log"
    }

    fn help(&self, me: Option<&Me>) -> Vec<HelpEntry> {
        help_entries(self.table(), me)
    }

    fn hints(&self, _me: Option<&Me>) -> Vec<Hint> {
        footer_hints(self.table(), |_| true)
    }

    fn captures_input(&self) -> bool {
        self.typing.is_some()
    }

    fn on_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        if self.typing.is_some() {
            return self.on_typing_key(ev, ctx);
        }
        let Some(binding) = lookup(self.table(), ev) else {
            return;
        };
        if self.detail {
            self.detail = false;
            return;
        }
        self.on_list_key(binding.intent, ctx);
    }

    fn back(&mut self, ctx: &mut Ctx) {
        if self.detail {
            self.detail = false;
        } else {
            ctx.close();
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Some(typed) = &mut self.typing {
            let room = MAX_TYPED_CHARS.saturating_sub(typed.chars().count());
            typed.extend(text.chars().filter(|c| !c.is_control()).take(room));
        }
    }

    fn awaits(&self, req: RequestId) -> bool {
        AuditScreen::awaits(self, req)
    }

    fn on_reply(&mut self, req: RequestId, reply: Reply, ctx: &mut Ctx) {
        if let Ok(page) = reply.downcast::<AuditPage>() {
            self.loaded(req, *page, ctx);
        }
    }

    fn on_failed(&mut self, req: RequestId, _error: &ClientError, why: String, _ctx: &mut Ctx) {
        self.failed(req, why);
    }

    /// Every change is audited: the rows on screen are now behind. Say so rather than move them
    /// under the reader; `Ctrl-R` loads the newest.
    fn on_live(&mut self, _change: &LiveChange, _ctx: &mut Ctx) {
        self.stale = true;
    }

    fn is_busy(&self) -> bool {
        self.is_loading()
    }

    fn resize(&mut self, _width: u16, height: u16) {
        AuditScreen::resize(self, height);
    }

    fn status(&self) -> Option<(String, Tone)> {
        if let Some(why) = &self.error {
            return Some((format!("Audit log: {why} — Ctrl-R tries again"), Tone::Bad));
        }
        if let Some(typed) = &self.typing {
            return Some((
                format!("Customer id: {typed}▏ (Enter applies, Esc cancels)"),
                Tone::Normal,
            ));
        }
        if self.stale {
            return Some(("new records — Ctrl-R".to_string(), Tone::Warn));
        }
        let more = match (self.is_loading(), self.has_more()) {
            (true, _) => " · loading more",
            (false, true) => " · more below",
            (false, false) => "",
        };
        Some((
            format!("{} of {} records{more}", self.lines.len(), self.total),
            Tone::Dim,
        ))
    }

    fn draw(&self, frame: &mut Frame, area: Rect, look: &Look) {
        let view = AuditView {
            screen: self,
            theme: look.theme,
            spinner: look.spinner,
        };
        frame.render_widget(&view, area);
    }
}
