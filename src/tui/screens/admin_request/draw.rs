//! Draws the request form: the shared form (name, template, roles, duration, auto-extend), then
//! what the request asks for in plain words — the name's length against its limit, why
//! auto-extend is off, whose roles are proposed, and each chosen role with its line of
//! description. While choosing roles, the picker fills the screen. Pure: borrows and draws.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::{AdminRequestScreen, NO_AUTO_EXTEND};
use crate::api::gdap::{MAX_NAME_CHARS, roles};
use crate::tui::sanitize::sanitize;
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::form::FormView;
use crate::tui::widgets::picker::PickerView;
use crate::tui::widgets::text::{fit, truncate, width};

pub struct AdminRequestView<'a> {
    pub screen: &'a AdminRequestScreen,
    pub theme: Theme,
    pub spinner: &'a str,
}

const HOW: &str = " Tab next field · Enter on Roles chooses them · Ctrl-S sends · Esc cancels";

impl Widget for &AdminRequestView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let s = self.screen;
        if let Some(picker) = s.picker() {
            let title = format!("Roles to request for {}", s.row().name());
            PickerView {
                picker,
                theme: self.theme,
                title: &title,
            }
            .render(area, buf);
            return;
        }
        let title = format!(" Request admin access (GDAP) to {}", s.row().name());
        let sending = format!(
            "{} Requesting admin access and locking it for approval…",
            self.spinner
        );
        let form = s.form();
        let errors = (0..form.len())
            .filter(|&i| form.error_at(i).is_some())
            .count();
        let message = if form.is_sending() || form.form_error().is_some() {
            4
        } else {
            0
        };
        let height = u16::try_from(3 + form.len() + 2 * errors + message)
            .unwrap_or(u16::MAX)
            .min(area.height);
        FormView {
            form,
            theme: self.theme,
            title: &title,
            how: HOW,
            sending: &sending,
        }
        .render(Rect { height, ..area }, buf);
        let below = Rect {
            y: area.y + height,
            height: area.height - height,
            ..area
        };
        self.summary(below, buf);
    }
}

impl AdminRequestView<'_> {
    /// The lines under the form: what the request asks for.
    fn summary(&self, area: Rect, buf: &mut Buffer) {
        let s = self.screen;
        let t = self.theme;
        let mut lines: Vec<(String, Style)> = vec![(String::new(), t.text())];
        let chars = s.name_chars();
        lines.push((
            format!(" Name: {chars} of {MAX_NAME_CHARS} characters"),
            t.tone(if chars > MAX_NAME_CHARS {
                Tone::Bad
            } else {
                Tone::Dim
            }),
        ));
        if s.has_global_admin() {
            lines.push((
                format!(" Auto-extend is off: {NO_AUTO_EXTEND}"),
                t.tone(Tone::Warn),
            ));
        }
        if s.is_loading() {
            lines.push((
                format!("{} Reading the customer…", self.spinner),
                t.tone(Tone::Dim),
            ));
        }
        if let Some(why) = s.load_failed() {
            lines.push((
                format!(" Could not read the customer: {why}"),
                t.tone(Tone::Bad),
            ));
        }
        if let Some(previous) = s.previous() {
            let ended = previous
                .ended
                .as_deref()
                .and_then(|e| e.get(..10))
                .map(|d| format!(", which ended {d}"))
                .unwrap_or_default();
            lines.push((
                format!(
                    " Admin access ended: proposing the roles of “{}”{ended}",
                    sanitize(&previous.name)
                ),
                t.tone(Tone::Warn),
            ));
        }
        lines.push((String::new(), t.text()));
        lines.push((
            format!(" Roles requested ({}):", s.roles().len()),
            t.label(),
        ));
        let known: Vec<&roles::RoleInfo> =
            s.roles().iter().filter_map(|id| roles::find(id)).collect();
        let name_cells = known.iter().map(|r| width(r.name)).max().unwrap_or(0);
        for role in known {
            lines.push((
                format!("   {}  {}", fit(role.name, name_cells), role.description),
                t.text(),
            ));
        }
        for ((text, style), y) in lines.iter().zip(area.top()..area.bottom()) {
            let cells = usize::from(area.width);
            buf.set_stringn(area.x, y, truncate(text, cells), cells, *style);
        }
    }
}
