//! The form that opens a service request, on the shared form widget: title, description,
//! severity (one of three, ← → or Space) and an optional contact ("none" or one of the partner's
//! agents, asked for when the form opens). Checked by the backend's own rules before sending;
//! Ctrl-S sends with an `MS-RequestId` that stays the same for the same input, so a retry never
//! opens two.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::calls::{Agents, LoadAgents, OpenRequest, Opened};
use crate::api::support::{
    CONTACT_AGENT_ID, DESCRIPTION, MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS, SEVERITY, TITLE,
    check_new_service_request,
};
use crate::api::{Agent, EventKind, Me, NewServiceRequest, Severity, SupportContact};
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::call::Reply;
use crate::tui::keymap::{HelpEntry, footer_hints, help_entries};
use crate::tui::model::rows::CustomerRow;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::{Ctx, Look, Screen};
use crate::tui::theme::Tone;
use crate::tui::widgets::bars::Hint;
use crate::tui::widgets::form::{FieldSpec, Form, FormOutcome, FormView};

const SEVERITIES: &[&str] = &["minimal", "moderate", "critical"];
/// The contact's first option (no contact); the agents follow once loaded.
const NO_CONTACT: &str = "none";

/// The form's fields, by the names the backend uses in its 400s.
pub const FIELDS: [FieldSpec; 4] = [
    FieldSpec::text(TITLE, "Title")
        .required()
        .example("Users cannot sign in to Outlook")
        .max_chars(MAX_TITLE_CHARS),
    FieldSpec::text(DESCRIPTION, "Description").max_chars(MAX_DESCRIPTION_CHARS),
    FieldSpec::choice(SEVERITY, "Severity", SEVERITIES).required(),
    FieldSpec::choice(CONTACT_AGENT_ID, "Contact", &[NO_CONTACT]),
];

#[derive(Debug)]
pub struct NewRequestScreen {
    row: CustomerRow,
    form: Form,
    sending: Option<RequestId>,
    /// The agents offered as contact, in the order of the contact field's options after "none".
    agents: Vec<Agent>,
    loading_agents: Option<RequestId>,
    /// The last body sent and its request id: the same body goes with the same id again.
    sent: Option<(NewServiceRequest, String)>,
}

impl NewRequestScreen {
    /// Opens on `row` and asks for the agents the contact field offers.
    pub fn new(row: CustomerRow, ctx: &mut Ctx) -> Self {
        Self {
            row,
            form: Form::new(&FIELDS).with_value(SEVERITY, "moderate"),
            sending: None,
            agents: Vec::new(),
            loading_agents: Some(ctx.call(LoadAgents)),
            sent: None,
        }
    }

    /// The agents came: the contact field offers "none" and each of them by name and e-mail.
    fn offer(&mut self, agents: Vec<Agent>) {
        let options = std::iter::once(NO_CONTACT.to_string())
            .chain(
                agents
                    .iter()
                    .map(|a| sanitize(&format!("{} <{}>", a.name, a.email)).into_owned()),
            )
            .collect();
        self.form.set_options(CONTACT_AGENT_ID, options);
        self.agents = agents;
    }

    pub fn customer(&self) -> &CustomerRow {
        &self.row
    }
    pub fn form(&self) -> &Form {
        &self.form
    }
    pub fn focus(&self) -> usize {
        self.form.focus()
    }
    pub fn is_sending(&self) -> bool {
        self.sending.is_some()
    }

    fn body(&self) -> NewServiceRequest {
        let severity = Severity::CHOICES
            .into_iter()
            .find(|s| s.as_str() == self.form.value(SEVERITY));
        NewServiceRequest {
            title: self.form.value(TITLE),
            description: self.form.value(DESCRIPTION),
            severity,
            contact: self
                .form
                .choice(CONTACT_AGENT_ID)
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| self.agents.get(i))
                .map(|a| SupportContact::agent(&a.id)),
        }
    }

    fn send(&mut self, ctx: &mut Ctx) {
        let new = self.body();
        if let Err(invalid) = check_new_service_request(&new) {
            self.point_at(Some(&invalid.field), invalid.message);
            return;
        }
        let request_id = match &self.sent {
            Some((body, id)) if *body == new => id.clone(),
            _ => uuid::Uuid::new_v4().to_string(),
        };
        self.sent = Some((new.clone(), request_id.clone()));
        self.form.clear_errors();
        self.form.set_sending(true);
        self.sending = Some(ctx.call(OpenRequest {
            customer_id: self.row.id().to_string(),
            request_id,
            new,
        }));
    }

    /// Shows `message` under the field `wire` names, else as the form's own error.
    fn point_at(&mut self, wire: Option<&str>, message: String) {
        self.form.clear_errors();
        match wire.filter(|w| self.form.index_of(w).is_some()) {
            Some(wire) => {
                self.form.set_error(wire, message);
            }
            None => self
                .form
                .set_form_error(Some(format!("Could not open the request: {message}"))),
        }
    }
}

impl Screen for NewRequestScreen {
    fn title(&self) -> &'static str {
        "Open a service request"
    }

    fn help(&self, me: Option<&Me>) -> Vec<HelpEntry> {
        help_entries(self.form.keys(), me)
    }

    fn hints(&self, _me: Option<&Me>) -> Vec<Hint> {
        footer_hints(self.form.keys(), |_| true)
    }

    fn captures_input(&self) -> bool {
        true
    }

    fn on_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        match self.form.on_key(ev) {
            FormOutcome::Stay => {}
            FormOutcome::Submit => self.send(ctx),
            FormOutcome::Help => ctx.help(),
            FormOutcome::DiscardArmed => ctx.flash(
                "Esc again discards what you typed; any other key keeps editing",
                Tone::Warn,
            ),
            FormOutcome::Cancel => {
                if self.sending.is_some() {
                    ctx.flash(
                        "Stopped waiting: if the backend got it, the request is in the list",
                        Tone::Warn,
                    );
                }
                ctx.close();
            }
            FormOutcome::Busy => {
                ctx.flash("Opening the request… (Esc stops waiting)", Tone::Normal)
            }
        }
    }

    fn on_paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    fn awaits(&self, req: RequestId) -> bool {
        self.sending == Some(req) || self.loading_agents == Some(req)
    }

    /// Opened: the form closes and every screen hears of it (the list reloads).
    fn on_reply(&mut self, _req: RequestId, reply: Reply, ctx: &mut Ctx) {
        let reply = match reply.downcast::<Agents>() {
            Ok(agents) => {
                self.loading_agents = None;
                self.offer(agents.0);
                return;
            }
            Err(other) => other,
        };
        if let Ok(opened) = reply.downcast::<Opened>() {
            self.sending = None;
            ctx.close();
            let title = sanitize(&opened.0.title).into_owned();
            ctx.flash(format!("Service request opened: {title}"), Tone::Normal);
            ctx.changed(EventKind::ServiceRequestCreated, self.row.clone());
        }
    }

    /// Refused: back to the form, at the field the backend named, in its words.
    fn on_failed(&mut self, req: RequestId, error: &ClientError, why: String, ctx: &mut Ctx) {
        if self.loading_agents == Some(req) {
            // The request can still go out, just without a contact: say so, keep the form.
            self.loading_agents = None;
            ctx.flash(
                format!("Could not load the agents (contact stays none): {why}"),
                Tone::Warn,
            );
            return;
        }
        self.sending = None;
        self.form.set_sending(false);
        match error {
            ClientError::Status { body, .. } => {
                let said = sanitize(&body.description).into_owned();
                self.point_at(body.data.first().map(String::as_str), said);
            }
            _ => self.point_at(None, why),
        }
    }

    fn is_busy(&self) -> bool {
        self.is_sending()
    }

    fn status(&self) -> Option<(String, Tone)> {
        Some((String::new(), Tone::Normal))
    }

    fn draw(&self, frame: &mut Frame, area: Rect, look: &Look) {
        let title = format!(" Open a service request for {}", sanitize(self.row.name()));
        let sending = format!("{} Opening the request…", look.spinner);
        let view = FormView {
            form: &self.form,
            theme: look.theme,
            title: &title,
            how: " * required · Tab next · ← → or Space choose · Ctrl-S opens it · Esc cancels",
            sending: &sending,
        };
        frame.render_widget(&view, area);
    }
}
