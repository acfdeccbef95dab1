//! `c` on a customer: its support contacts, picked among the partner's agents (`GET /v1/agents`)
//! with the shared picker (Space marks, Enter saves). The save sends `If-Match` with the ETag the
//! contacts were read with: when someone else changed them meanwhile (412) the screen says so,
//! reads them again and lets the user try again. A live `supportContacts.updated` for the
//! customer reloads the picker while nothing is on its way.

mod calls;

#[cfg(test)]
mod tests;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use crate::api::{Agent, EventKind, Me, Permission, SupportContacts};
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::call::Reply;
use crate::tui::keymap::{Binding, HelpEntry, Key, bind, help_entries};
use crate::tui::model::rows::CustomerRow;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::{Ctx, LiveChange, Look, Open, Screen};
use crate::tui::theme::Tone;
use crate::tui::widgets::bars::Hint;
use crate::tui::widgets::centered;
use crate::tui::widgets::picker::{PickItem, PickMode, Picker, PickerOutcome, PickerView};

pub use calls::{LoadContacts, Loaded, SaveContacts, Saved};

/// `c` on the list.
pub const OPEN: Binding<Open> = Binding {
    keys: &[Key::Char('c')],
    shown: "c",
    help: "support contacts: pick the agents who look after this customer",
    hint: None,
    intent: open,
    needs: Some(Permission::SupportContactsUpdate),
};

fn open(row: Option<&CustomerRow>, ctx: &mut Ctx) {
    let Some(row) = row else {
        ctx.flash("No customer under the cursor", Tone::Warn);
        return;
    };
    let screen = SupportContactsScreen::new(row.clone(), ctx);
    ctx.open(screen);
}

/// The picker's keys, for `?` (the picker itself reads them).
const KEYS: &[Binding<()>] = &[
    bind(&[], "j k ↑ ↓", "move", None, ()),
    bind(
        &[],
        "Space",
        "mark or unmark an agent (a: all / none)",
        Some("mark"),
        (),
    ),
    bind(&[], "/", "narrow the list by typing", None, ()),
    Binding {
        keys: &[],
        shown: "Enter",
        help: "save the marked agents as the customer's support contacts",
        hint: Some("save"),
        intent: (),
        needs: Some(Permission::SupportContactsUpdate),
    },
];

#[derive(Debug)]
pub struct SupportContactsScreen {
    row: CustomerRow,
    agents: Vec<Agent>,
    picker: Option<Picker>,
    etag: String,
    loading: Option<RequestId>,
    saving: Option<RequestId>,
    failed: Option<String>,
}

impl SupportContactsScreen {
    pub fn new(row: CustomerRow, ctx: &mut Ctx) -> Self {
        let mut screen = Self {
            row,
            agents: Vec::new(),
            picker: None,
            etag: String::new(),
            loading: None,
            saving: None,
            failed: None,
        };
        screen.reload(ctx);
        screen
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.loading = Some(ctx.call(LoadContacts {
            customer_id: self.row.id().to_string(),
        }));
    }

    pub fn picker(&self) -> Option<&Picker> {
        self.picker.as_ref()
    }

    fn show(&mut self, loaded: Loaded) {
        let current: Vec<usize> = loaded
            .contacts
            .value
            .items
            .iter()
            .filter_map(|c| loaded.agents.iter().position(|a| a.id == c.agent_id))
            .collect();
        let items = loaded
            .agents
            .iter()
            .map(|a| PickItem::new(&a.name).detail(&format!("{} · {}", a.email, a.role.title())))
            .collect();
        self.picker = Some(Picker::new(items, PickMode::Many).with_marked(&current));
        self.agents = loaded.agents;
        self.etag = loaded.contacts.etag;
    }

    fn save(&mut self, chosen: Vec<usize>, ctx: &mut Ctx) {
        if let Err(why) = ctx.allowed(Permission::SupportContactsUpdate) {
            ctx.flash(format!("Can't change support contacts: {why}"), Tone::Warn);
            return;
        }
        let agent_ids = chosen
            .iter()
            .filter_map(|&i| self.agents.get(i).map(|a| a.id.clone()))
            .collect();
        self.saving = Some(ctx.call(SaveContacts {
            customer_id: self.row.id().to_string(),
            agent_ids,
            etag: self.etag.clone(),
        }));
    }
}

fn names(contacts: &SupportContacts) -> String {
    if contacts.items.is_empty() {
        return "none".to_string();
    }
    let names: Vec<&str> = contacts
        .items
        .iter()
        .map(|c| c.name.as_deref().unwrap_or(&c.agent_id))
        .collect();
    sanitize(&names.join(", ")).into_owned()
}

impl Screen for SupportContactsScreen {
    fn title(&self) -> &'static str {
        "Support contacts"
    }

    fn help(&self, me: Option<&Me>) -> Vec<HelpEntry> {
        help_entries(KEYS, me)
    }

    fn hints(&self, _me: Option<&Me>) -> Vec<Hint> {
        crate::tui::keymap::footer_hints(KEYS, |_| true)
    }

    fn captures_input(&self) -> bool {
        self.picker.as_ref().is_some_and(Picker::is_typing)
    }

    fn on_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        if self.saving.is_some() {
            ctx.flash("Saving the support contacts…", Tone::Normal);
            return;
        }
        let Some(picker) = self.picker.as_mut() else {
            return;
        };
        match picker.on_key(ev) {
            PickerOutcome::Stay => {}
            PickerOutcome::Chosen(chosen) => self.save(chosen, ctx),
            PickerOutcome::Cancelled => ctx.close(),
            PickerOutcome::Refused(why) => ctx.flash(why, Tone::Warn),
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Some(picker) = self.picker.as_mut() {
            picker.paste(text);
        }
    }

    fn awaits(&self, req: RequestId) -> bool {
        self.loading == Some(req) || self.saving == Some(req)
    }

    fn on_reply(&mut self, req: RequestId, reply: Reply, ctx: &mut Ctx) {
        if self.loading == Some(req) {
            self.loading = None;
            if let Ok(loaded) = reply.downcast::<Loaded>() {
                self.failed = None;
                self.show(*loaded);
            }
        } else if self.saving == Some(req) {
            self.saving = None;
            if let Ok(saved) = reply.downcast::<Saved>() {
                let name = sanitize(self.row.name()).into_owned();
                ctx.close();
                ctx.flash(
                    format!("Support contacts of {name}: {}", names(&saved.0.value)),
                    Tone::Normal,
                );
                ctx.changed(EventKind::SupportContactsUpdated, self.row.clone());
            }
        }
    }

    fn on_failed(&mut self, req: RequestId, error: &ClientError, why: String, ctx: &mut Ctx) {
        if self.saving == Some(req) {
            self.saving = None;
            if matches!(error, ClientError::Status { status: 412, .. }) {
                ctx.flash(
                    "Support contacts changed by someone else — reloaded, try again",
                    Tone::Warn,
                );
                self.reload(ctx);
            } else {
                ctx.flash(
                    format!("Could not save the support contacts: {why}"),
                    Tone::Bad,
                );
            }
        } else {
            self.loading = None;
            self.failed = Some(why);
        }
    }

    fn on_live(&mut self, change: &LiveChange, ctx: &mut Ctx) {
        let ours = change.customer_id() == self.row.id();
        if ours && change.kind == EventKind::SupportContactsUpdated && self.saving.is_none() {
            self.reload(ctx);
        }
    }

    fn is_busy(&self) -> bool {
        self.loading.is_some() || self.saving.is_some()
    }

    fn status(&self) -> Option<(String, Tone)> {
        self.failed.as_ref().map(|why| {
            (
                format!("Could not load the support contacts: {why}"),
                Tone::Bad,
            )
        })
    }

    fn draw(&self, frame: &mut Frame, area: Rect, look: &Look) {
        let title = format!(
            " Support contacts of {} (Space marks, Enter saves) ",
            sanitize(self.row.name())
        );
        let box_area = centered(area, 64, 16);
        match &self.picker {
            Some(picker) => {
                let view = PickerView {
                    picker,
                    theme: look.theme,
                    title: &title,
                };
                frame.render_widget(&view, box_area);
            }
            None => {
                let text = format!("{} loading the agents…", look.spinner);
                frame.render_widget(Paragraph::new(text).style(look.theme.text()), box_area);
            }
        }
    }
}
