//! The lines of the panels over the users list: the licenses picker and the result panel with
//! the temporary password (the form and the confirmation are shared widgets).

use ratatui::text::{Line, Span};

use super::UsersView;
use crate::tui::theme::Tone;

impl UsersView<'_> {
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
