//! The app's side of the add-customer form: opening it from the list, and the backend's answer,
//! which closes the form and puts the customer in the list under the cursor, or goes back to the
//! form next to the field the backend named.

use crate::api::Customer;
use crate::client::ClientError;
use crate::tui::action::RequestId;
use crate::tui::command::Command;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::Flash;
use crate::tui::screens::customers::rows::CustomerRow;
use crate::tui::screens::new_customer::NewCustomerScreen;
use crate::tui::theme::Tone;

use super::App;

impl App {
    /// `n` on the list (the role was checked there).
    pub(super) fn open_new_customer(&mut self) {
        self.new_customer = Some(NewCustomerScreen::new());
    }

    pub(super) fn close_new_customer(&mut self) {
        self.new_customer = None;
    }

    pub(super) fn customer_created(
        &mut self,
        req: RequestId,
        result: Result<Box<Customer>, ClientError>,
        commands: &mut Vec<Command>,
    ) {
        let Some(form) = &self.new_customer else {
            return;
        };
        if !form.awaits(req) {
            return;
        }
        match result {
            Ok(customer) => {
                commands.extend(self.conn.succeeded());
                self.close_new_customer();
                let row = CustomerRow::from_customer(&customer);
                let (name, domain) = (row.name().to_string(), row.domain().to_string());
                let mut ctx = screen_ctx!(self, commands);
                let shown = self.customers.add_and_select(row, &mut ctx);
                let text = if shown {
                    format!("Added {name} ({domain}): you are its reseller")
                } else {
                    format!("Added {name} ({domain}); the filter hides it (Esc clears the filter)")
                };
                self.flash = Some(Flash {
                    text,
                    tone: Tone::Normal,
                });
            }
            Err(error) => {
                // The field the backend named (a taken domain, a rule the form does not know),
                // and its words without the status code in front.
                let (field, said) = match &error {
                    ClientError::Status { body, .. } => (
                        body.data.first().cloned(),
                        Some(sanitize(&body.description).into_owned()),
                    ),
                    _ => (None, None),
                };
                let Some(Command::CreateCustomer {
                    request_id, new, ..
                }) = self.retry_command(req)
                else {
                    return;
                };
                let retry = Command::CreateCustomer {
                    req,
                    request_id,
                    new,
                };
                if let Some(why) = self.failed(retry, error, commands)
                    && let Some(form) = &mut self.new_customer
                {
                    form.refused(req, field.as_deref(), said.unwrap_or(why));
                }
            }
        }
    }

    /// The command that sent `req`, to send again after a transient failure.
    fn retry_command(&self, req: RequestId) -> Option<Command> {
        self.new_customer.as_ref()?.resend(req)
    }
}
