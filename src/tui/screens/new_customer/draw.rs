//! Draws the add-customer form with the shared form widget: its title and how-to line, and the
//! customer being added while the request is on its way. Pure: borrows and draws.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::NewCustomerScreen;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::FormView;

pub struct NewCustomerView<'a> {
    pub screen: &'a NewCustomerScreen,
    pub theme: Theme,
    pub spinner: &'a str,
}

const TITLE: &str = " Add a new customer: you become its reseller";
const HOW: &str =
    " * required · Tab next field · Enter on the last field or Ctrl-S adds · Esc cancels";

impl Widget for &NewCustomerView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let sending = format!("{} Adding {}…", self.spinner, self.screen.company());
        FormView {
            form: self.screen.form(),
            theme: self.theme,
            title: TITLE,
            how: HOW,
            sending: &sending,
        }
        .render(area, buf);
    }
}
