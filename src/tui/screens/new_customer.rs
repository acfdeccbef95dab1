//! The add-customer form (`n` on the list): the fields Partner Center asks for when a partner adds
//! a customer directly (company, primary domain, billing contact and address). It checks the input
//! with the backend's own rules (`api::validate`) before sending, shows what the backend refuses
//! next to the field it names, and sends the same `MS-RequestId` again for the same input, so a
//! retry after a lost answer never adds the customer twice. Keys in `keys`, drawing in `draw`.

mod call;
pub mod draw;
pub mod keys;
mod screen;

#[cfg(test)]
mod tests;

use crossterm::event::KeyEvent;
use ratatui::style::{Modifier, Style};
use ratatui_textarea::TextArea;

use crate::api::validate::{self, check_new_customer};
use crate::api::{Address, BillingProfile, NewCompanyProfile, NewCustomer};
use crate::tui::action::RequestId;
use crate::tui::keymap::lookup;
use crate::tui::screens::Ctx;
use crate::tui::theme::Tone;
use keys::{FORM_KEYS, Intent};

pub use call::CreateCustomer;
pub use screen::OPEN;

/// One field of the form, as the user sees it and as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub label: &'static str,
    /// The JSON path the backend names in its errors.
    pub wire: &'static str,
    pub required: bool,
    /// Shown in an empty field.
    pub example: &'static str,
}

const fn spec(
    label: &'static str,
    wire: &'static str,
    required: bool,
    example: &'static str,
) -> FieldSpec {
    FieldSpec {
        label,
        wire,
        required,
        example,
    }
}

pub const FIELDS: [FieldSpec; 9] = [
    spec("Company name", validate::COMPANY_NAME, true, "Contoso Ltd"),
    spec(
        "Primary domain",
        validate::DOMAIN,
        true,
        "contoso.onmicrosoft.com",
    ),
    spec("Contact first name", validate::FIRST_NAME, false, ""),
    spec("Contact last name", validate::LAST_NAME, false, ""),
    spec(
        "Contact email",
        validate::EMAIL,
        true,
        "billing@contoso.com",
    ),
    spec("Address", validate::ADDRESS_LINE1, false, "1 Microsoft Way"),
    spec("City", validate::CITY, false, ""),
    spec("Postal code", validate::POSTAL_CODE, false, ""),
    spec("Country", validate::COUNTRY, true, "US (two letters)"),
];
const COUNTRY_FIELD: usize = 8;

/// What the form says is wrong: at a field, or (`field: None`) about the whole request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Option<usize>,
    pub message: String,
}

/// What a key did to the form, for the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Close,
    Help,
}

#[derive(Debug)]
pub struct NewCustomerScreen {
    fields: Vec<TextArea<'static>>,
    focus: usize,
    /// The add request on its way.
    sending: Option<RequestId>,
    problem: Option<Problem>,
    /// `Esc` was pressed once with something typed; the next `Esc` discards it.
    discard_armed: bool,
    /// The last body sent and its request id: the same body is sent with the same id again.
    sent: Option<(Box<NewCustomer>, String)>,
}

impl NewCustomerScreen {
    pub fn new() -> Self {
        let fields = FIELDS
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let mut area = TextArea::default();
                area.set_cursor_line_style(Style::default());
                if !spec.example.is_empty() {
                    area.set_placeholder_text(format!("e.g. {}", spec.example));
                }
                area.set_placeholder_style(Style::default().add_modifier(Modifier::DIM));
                if i == COUNTRY_FIELD {
                    area.insert_str("US");
                }
                area
            })
            .collect();
        let mut screen = Self {
            fields,
            focus: 0,
            sending: None,
            problem: None,
            discard_armed: false,
            sent: None,
        };
        screen.show_cursor();
        screen
    }

    // ---- read access for drawing, the app and tests ----

    pub fn field(&self, i: usize) -> Option<&TextArea<'static>> {
        self.fields.get(i)
    }
    pub fn value(&self, i: usize) -> String {
        self.fields
            .get(i)
            .map(|f| f.lines().concat())
            .unwrap_or_default()
    }
    pub fn focus(&self) -> usize {
        self.focus
    }
    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }
    pub fn is_sending(&self) -> bool {
        self.sending.is_some()
    }
    pub fn discard_armed(&self) -> bool {
        self.discard_armed
    }
    pub fn awaits(&self, req: RequestId) -> bool {
        self.sending == Some(req)
    }
    /// The company name typed, for messages.
    pub fn company(&self) -> String {
        self.value(0).trim().to_string()
    }

    /// Anything typed that `Esc` would lose.
    fn is_dirty(&self) -> bool {
        (0..FIELDS.len()).any(|i| {
            let value = self.value(i);
            if i == COUNTRY_FIELD {
                value != "US"
            } else {
                !value.is_empty()
            }
        })
    }

    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> Outcome {
        let intent = lookup(FORM_KEYS, ev).map(|b| b.intent);
        if intent != Some(Intent::Cancel) {
            self.discard_armed = false;
        }
        if self.sending.is_some() {
            return match intent {
                Some(Intent::Cancel) => {
                    ctx.flash(
                        "Stopped waiting: if the backend got it, the customer still appears in the list",
                        Tone::Warn,
                    );
                    Outcome::Close
                }
                Some(Intent::Help) => Outcome::Help,
                _ => {
                    ctx.flash("Adding the customer… (Esc stops waiting)", Tone::Normal);
                    Outcome::Stay
                }
            };
        }
        match intent {
            Some(Intent::Next) => self.move_focus(1),
            Some(Intent::Previous) => self.move_focus(FIELDS.len() - 1),
            Some(Intent::Enter) if self.focus + 1 == FIELDS.len() => self.submit(ctx),
            Some(Intent::Enter) => self.move_focus(1),
            Some(Intent::Submit) => self.submit(ctx),
            Some(Intent::Help) => return Outcome::Help,
            Some(Intent::Cancel) => {
                if self.is_dirty() && !self.discard_armed {
                    self.discard_armed = true;
                    ctx.flash(
                        "Esc again discards what you typed; any other key keeps editing",
                        Tone::Warn,
                    );
                } else {
                    return Outcome::Close;
                }
            }
            None => self.edit(*ev),
        }
        Outcome::Stay
    }

    /// Pasted text goes into the focused field, on one line (line breaks and tabs become spaces).
    pub fn paste(&mut self, text: &str) {
        if self.sending.is_some() {
            return;
        }
        let Some(area) = self.fields.get_mut(self.focus) else {
            return;
        };
        let line: String = text
            .trim()
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if area.insert_str(line)
            && self
                .problem
                .as_ref()
                .is_some_and(|p| p.field == Some(self.focus))
        {
            self.problem = None;
        }
        self.discard_armed = false;
    }

    fn edit(&mut self, ev: KeyEvent) {
        let Some(area) = self.fields.get_mut(self.focus) else {
            return;
        };
        let before = area.lines().concat();
        area.input(ev);
        let changed = area.lines().concat() != before;
        // A field is one line: whatever made a second one (a newline key) is joined back.
        if area.lines().len() > 1 {
            let line = area.lines().join(" ");
            *area = one_line(area, &line);
        }
        if changed
            && self
                .problem
                .as_ref()
                .is_some_and(|p| p.field == Some(self.focus))
        {
            self.problem = None;
        }
    }

    fn move_focus(&mut self, by: usize) {
        self.focus = (self.focus + by) % FIELDS.len();
        self.show_cursor();
    }

    /// Only the focused field shows a cursor.
    fn show_cursor(&mut self) {
        for (i, area) in self.fields.iter_mut().enumerate() {
            let style = if i == self.focus {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            area.set_cursor_style(style);
        }
    }

    fn body(&self) -> NewCustomer {
        let v = |i: usize| self.value(i);
        NewCustomer {
            company_profile: NewCompanyProfile { domain: v(1) },
            billing_profile: BillingProfile {
                company_name: v(0),
                first_name: v(2),
                last_name: v(3),
                email: v(4),
                default_address: Address {
                    address_line1: v(5),
                    city: v(6),
                    postal_code: v(7),
                    country: v(COUNTRY_FIELD),
                    ..Address::default()
                },
                ..BillingProfile::default()
            },
            associated_partner_id: None,
        }
    }

    /// Checks the input by the backend's rules; sends it if they hold, else points at the field.
    fn submit(&mut self, ctx: &mut Ctx) {
        match check_new_customer(self.body()) {
            Err(invalid) => self.point_at(invalid.field, invalid.message),
            Ok(new) => {
                let new = Box::new(new);
                let request_id = match &self.sent {
                    Some((body, id)) if *body == new => id.clone(),
                    _ => uuid::Uuid::new_v4().to_string(),
                };
                self.sent = Some((new.clone(), request_id.clone()));
                let req = ctx.call(CreateCustomer { request_id, new });
                self.sending = Some(req);
                self.problem = None;
            }
        }
    }

    /// The backend refused (`field`: the JSON path it named, if any); editing resumes there.
    pub fn refused(&mut self, req: RequestId, field: Option<&str>, message: String) {
        if !self.awaits(req) {
            return;
        }
        self.sending = None;
        match field {
            Some(wire) => self.point_at(wire, message),
            None => {
                self.problem = Some(Problem {
                    field: None,
                    message,
                })
            }
        }
    }

    fn point_at(&mut self, wire: &str, message: String) {
        let field = FIELDS.iter().position(|f| f.wire == wire);
        if let Some(i) = field {
            self.focus = i;
            self.show_cursor();
        }
        self.problem = Some(Problem { field, message });
    }
}

impl Default for NewCustomerScreen {
    fn default() -> Self {
        Self::new()
    }
}

/// A fresh single-line area holding `line`, styled like `like`, cursor at the end.
fn one_line(like: &TextArea<'static>, line: &str) -> TextArea<'static> {
    let mut area = TextArea::default();
    area.set_cursor_line_style(like.cursor_line_style());
    area.set_cursor_style(like.cursor_style());
    area.set_placeholder_text(like.placeholder_text());
    area.set_placeholder_style(like.placeholder_style().unwrap_or_default());
    area.insert_str(line);
    area
}
