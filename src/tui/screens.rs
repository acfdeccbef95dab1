//! The screens of the dashboard. Each screen file owns its state, its keys and its drawing; the app
//! routes keys to the screen on top and draws it.
//!
//! The customers list is always at the bottom; the invitation-draft screen (`r`) or the
//! add-customer form (`n`) opens over it, and the help overlay over any of them.

pub mod customers;
pub mod help;
pub mod invitation;
pub mod new_customer;

use std::time::Instant;

use crate::api::Me;

use super::action::RequestIds;
use super::command::Command;
use super::theme::Tone;

/// Which screen has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenId {
    Customers,
    /// The invitation draft (and its editor).
    Invitation,
    /// Choosing an indirect reseller before the invitation draft.
    ResellerPicker,
    /// The add-customer form.
    NewCustomer,
}

impl ScreenId {
    pub fn title(self) -> &'static str {
        match self {
            ScreenId::Customers => "Customers",
            ScreenId::Invitation => "Invitation draft",
            ScreenId::ResellerPicker => "Choose an indirect reseller",
            ScreenId::NewCustomer => "Add a new customer",
        }
    }
}

/// A one-line message in the status line until the next key press.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub tone: Tone,
}

/// What a screen may touch while handling a key or a result, besides its own state.
pub struct Ctx<'a> {
    pub me: Option<&'a Me>,
    pub ids: &'a mut RequestIds,
    pub commands: &'a mut Vec<Command>,
    pub flash: &'a mut Option<Flash>,
    /// The screen asks the app to start over (sign in again if needed, reload).
    pub wants_reload: bool,
    /// The list asks for the invitation-draft screen (`r`, already checked against the role).
    pub wants_invitation: bool,
    /// The list asks for the add-customer form (`n`, already checked against the role).
    pub wants_new_customer: bool,
    /// The list asks for the draft restoring this customer (`R`, role checked): id and name.
    pub wants_customer_invitation: Option<(String, String)>,
    /// When this is happening (the loop's clock; screens read no clock themselves).
    pub now: Instant,
}

impl<'a> Ctx<'a> {
    /// A context with no requests to the app yet; screens set `wants_*` as they handle things.
    pub fn new(
        me: Option<&'a Me>,
        ids: &'a mut RequestIds,
        commands: &'a mut Vec<Command>,
        flash: &'a mut Option<Flash>,
        now: Instant,
    ) -> Self {
        Self {
            me,
            ids,
            commands,
            flash,
            wants_reload: false,
            wants_invitation: false,
            wants_new_customer: false,
            wants_customer_invitation: None,
            now,
        }
    }

    pub fn flash(&mut self, text: impl Into<String>, tone: Tone) {
        *self.flash = Some(Flash {
            text: text.into(),
            tone,
        });
    }
}
