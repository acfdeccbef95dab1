//! The lines of the panels over the users list: the licenses picker and the result panel with
//! the temporary password (the form and the confirmation are shared widgets).

use ratatui::text::{Line, Span};

use super::UsersView;
use crate::api::SubscribedSku;
use crate::api::users::User;
use crate::tui::sanitize::sanitize;
use crate::tui::screens::users::Picker;
use crate::tui::theme::Tone;
use crate::tui::widgets::text::fit;

impl UsersView<'_> {
    pub(super) fn picker_lines(&self, picker: &Picker) -> Vec<Line<'static>> {
        let t = self.theme;
        let user = self.screen.rows().get(picker.user);
        let who = user.map_or(String::new(), |u| {
            sanitize(&u.user_principal_name).into_owned()
        });
        let mut lines = vec![Line::styled(format!("Licenses of {who}"), t.label())];
        lines.push(Line::styled(
            format!(
                "     {}{:>8}{:>10}{:>11}",
                fit("Product", 37),
                "total",
                "assigned",
                "available"
            ),
            t.column_titles(),
        ));
        for (i, sku) in self.screen.skus().iter().enumerate() {
            lines.push(self.pick_line(picker, i, sku, user));
        }
        lines.push(Line::styled(
            "Space marks · Enter applies · Esc cancels",
            t.tone(Tone::Dim),
        ));
        lines
    }

    fn pick_line(
        &self,
        picker: &Picker,
        i: usize,
        sku: &SubscribedSku,
        user: Option<&User>,
    ) -> Line<'static> {
        let t = self.theme;
        let id = &sku.product_sku.id;
        let mark = if picker.marked.contains(id) {
            "[x]"
        } else {
            "[ ]"
        };
        let cursor = if i == picker.cursor { "›" } else { " " };
        let held = user.is_some_and(|u| u.holds(id));
        let style = if i == picker.cursor {
            t.selected()
        } else if !held && sku.available_units() == 0 {
            t.tone(Tone::Dim)
        } else {
            t.text()
        };
        Line::styled(
            format!(
                "{cursor}{mark} {}{:>8}{:>10}{:>11}",
                fit(&sanitize(&sku.product_sku.name), 37),
                sku.active_units,
                sku.consumed_units,
                sku.available_units()
            ),
            style,
        )
    }

    pub(super) fn result_lines(&self, upn: &str, password: &str) -> Vec<Line<'static>> {
        let t = self.theme;
        vec![
            Line::styled(format!("{upn} can sign in now."), t.label()),
            Line::from(vec![
                Span::raw("Temporary password: "),
                Span::styled(password.to_string(), t.key()),
            ]),
            Line::styled(
                "Shown this once: copy it now and hand it over safely.",
                t.tone(Tone::Warn),
            ),
            Line::raw(""),
            Line::styled("y copies · Enter done", t.key()),
        ]
    }
}
