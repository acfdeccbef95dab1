//! Draws the users screen: the users (active, then removed with the days left to restore them),
//! the licenses per product, and over them the form, confirmation, picker or result panel of the
//! current mode (their lines in `panels`). Pure: borrows the screen and draws; every backend
//! string is sanitized here.

mod panels;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::{Mode, Picker, UserForm, UsersScreen};
use crate::api::users::User;
use crate::tui::sanitize::sanitize;
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::confirm::ConfirmView;
use crate::tui::widgets::form::FormView;
use crate::tui::widgets::picker::PickerView;
use crate::tui::widgets::text::fit;

pub struct UsersView<'a> {
    pub screen: &'a UsersScreen,
    pub theme: Theme,
    pub spinner: &'a str,
}

impl Widget for &UsersView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 20 || area.height < 4 {
            return;
        }
        let lines = self.list_lines(area);
        Paragraph::new(lines).render(area, buf);
        match self.screen.mode() {
            Mode::List => {}
            Mode::Form(form) => self.form_panel(area, buf, form),
            Mode::Confirm { dialog, .. } => {
                let view = ConfirmView {
                    confirm: dialog,
                    theme: self.theme,
                    spinner: self.spinner,
                };
                (&view).render(area, buf);
            }
            Mode::Picker(picker) => self.picker_panel(area, buf, picker),
            Mode::Result { upn, password } => {
                let lines = self.result_lines(upn, password);
                self.panel(area, buf, " User added ", 8, lines);
            }
        }
    }
}

/// `text` in a column of `cells`, one of them the gap to the next column.
fn col(text: &str, cells: usize) -> String {
    format!("{} ", fit(text, cells.saturating_sub(1)))
}

/// Column widths for the user table at `width` cells: name, sign-in name, state; licenses get
/// the rest.
fn columns(width: u16) -> (usize, usize, usize) {
    let w = usize::from(width).saturating_sub(2);
    (w * 22 / 100, w * 34 / 100, 25.min(w / 4))
}

impl UsersView<'_> {
    fn state(&self, user: &User) -> (String, Tone) {
        if !user.is_removed() {
            return ("active".into(), Tone::Normal);
        }
        match user.restore_days_left(self.screen.read_at()) {
            Some(0) | None => ("removed · too late".into(), Tone::Dim),
            Some(1) => ("removed · 1 day left".into(), Tone::Warn),
            Some(days) => (format!("removed · {days} days left"), Tone::Warn),
        }
    }

    fn list_lines(&self, area: Rect) -> Vec<Line<'static>> {
        let t = self.theme;
        let s = self.screen;
        let customer = s.customer();
        let mut lines = vec![Line::styled(
            format!(" Users of {} ({})", customer.name(), customer.domain()),
            t.label(),
        )];
        let (name_w, upn_w, state_w) = columns(area.width);
        let licenses_w = usize::from(area.width).saturating_sub(2 + name_w + upn_w + state_w);
        lines.push(Line::styled(
            format!(
                "  {}{}{}{}",
                col("Display name", name_w),
                col("Sign-in name", upn_w),
                col("State", state_w),
                fit("Licenses", licenses_w)
            ),
            t.column_titles(),
        ));
        if !s.is_loaded() {
            lines.push(Line::styled(
                format!("  {} loading users and licenses…", self.spinner),
                t.tone(Tone::Dim),
            ));
            return lines;
        }
        let skus_rows = s.skus().len() + 3;
        let room = usize::from(area.height)
            .saturating_sub(lines.len() + skus_rows)
            .max(3);
        let first = s.cursor().saturating_sub(room.saturating_sub(1));
        if s.rows().is_empty() {
            lines.push(Line::styled("  no users", t.tone(Tone::Dim)));
        }
        for (i, user) in s.rows().iter().enumerate().skip(first).take(room) {
            let (mut state, tone) = self.state(user);
            if state.chars().count() >= state_w {
                state = state
                    .replace(" days left", "d left")
                    .replace(" day left", "d left");
            }
            let licenses: Vec<String> = user
                .assigned_licenses
                .iter()
                .map(|l| s.sku_name(&l.sku_id))
                .collect();
            let text = format!(
                "{}{}{}{}",
                col(&sanitize(&user.display_name), name_w),
                col(&sanitize(&user.user_principal_name), upn_w),
                col(&state, state_w),
                fit(&sanitize(&licenses.join(", ")), licenses_w)
            );
            let selected = i == s.cursor();
            let style = match (selected, tone) {
                (true, _) => t.selected(),
                (false, Tone::Normal) => t.text(),
                (false, tone) => t.tone(tone),
            };
            let marker = if selected { "› " } else { "  " };
            lines.push(Line::from(vec![
                Span::raw(marker),
                Span::styled(text, style),
            ]));
        }
        lines.push(Line::raw(""));
        lines.extend(self.sku_lines(area.width));
        lines
    }

    /// Licenses per product: total, assigned, available.
    fn sku_lines(&self, width: u16) -> Vec<Line<'static>> {
        let t = self.theme;
        let name_w = usize::from(width).saturating_sub(2 + 30).max(10);
        let mut lines = vec![Line::styled(
            format!(
                "  {}{:>10}{:>10}{:>10}",
                fit("Licenses", name_w),
                "total",
                "assigned",
                "available"
            ),
            t.column_titles(),
        )];
        if self.screen.skus().is_empty() {
            lines.push(Line::styled("  no licenses", t.tone(Tone::Dim)));
        }
        for sku in self.screen.skus() {
            let available = sku.available_units();
            let tone = if available == 0 {
                Tone::Warn
            } else {
                Tone::Normal
            };
            lines.push(Line::styled(
                format!(
                    "  {}{:>10}{:>10}{:>10}",
                    fit(&sanitize(&sku.product_sku.name), name_w),
                    sku.active_units,
                    sku.consumed_units,
                    available
                ),
                t.tone(tone),
            ));
        }
        lines
    }

    /// A bordered panel of `height` rows centred over the list.
    /// The shared picker over the list, two rows per product (its units under its name).
    fn picker_panel(&self, area: Rect, buf: &mut Buffer, picker: &Picker) {
        let who = self
            .screen
            .rows()
            .get(picker.user)
            .map_or(String::new(), |u| {
                sanitize(&u.user_principal_name).into_owned()
            });
        let title = format!("Licenses of {who}");
        let rows = u16::try_from(picker.picker.items().len() * 2).unwrap_or(u16::MAX);
        let width = area.width.saturating_sub(4).min(76);
        let height = rows.saturating_add(2).min(area.height);
        let rect = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        let view = PickerView {
            picker: &picker.picker,
            theme: self.theme,
            title: &title,
        };
        (&view).render(rect, buf);
    }

    /// The shared form in a box over the list.
    fn form_panel(&self, area: Rect, buf: &mut Buffer, form: &UserForm) {
        let rect = self.boxed(area, buf, " Add a user ", 13);
        let sending = format!("{} Adding the user…", self.spinner);
        let view = FormView {
            form: &form.form,
            theme: self.theme,
            title: "",
            how: "",
            sending: &sending,
        };
        let inner = Block::default().borders(Borders::ALL).inner(rect);
        let [fields, note] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(2)]).areas(inner);
        (&view).render(fields, buf);
        Paragraph::new(vec![
            Line::styled(
                "A temporary password is made for the user and shown once, after adding.",
                self.theme.tone(Tone::Dim),
            ),
            Line::styled(
                "* required · Tab next · Space toggles · Ctrl-S adds · Esc cancels",
                self.theme.tone(Tone::Dim),
            ),
        ])
        .wrap(Wrap { trim: false })
        .render(note, buf);
    }

    /// A cleared, bordered box of `height` centred in `area`; its outer rect.
    fn boxed(&self, area: Rect, buf: &mut Buffer, title: &str, height: u16) -> Rect {
        let width = area.width.saturating_sub(4).min(76);
        let height = height.min(area.height);
        let rect = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        Clear.render(rect, buf);
        Block::default()
            .borders(Borders::ALL)
            .title(title.to_string())
            .border_style(self.theme.key())
            .render(rect, buf);
        rect
    }

    fn panel(
        &self,
        area: Rect,
        buf: &mut Buffer,
        title: &str,
        height: u16,
        lines: Vec<Line<'static>>,
    ) {
        let width = area.width.saturating_sub(4).min(76);
        let height = height.min(area.height);
        let rect = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        Clear.render(rect, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(title.to_string())
            .border_style(self.theme.key());
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .render(rect, buf);
    }
}
