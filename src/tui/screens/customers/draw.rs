//! Draws the customers list: column titles, then the lines in view. Only the lines on screen are
//! touched, and a line's cells depend only on its row and whether it is selected, so moving the cursor
//! changes exactly two lines and ratatui's diff sends only those.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;

use super::tree::LineRef;
use super::{CustomersScreen, DetailState};
use crate::api::Relationship;
use crate::tui::model::rows::{CustomerRow, SortKey};
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::text::{fit, truncate};

/// Widths of the list's columns for a given terminal width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub name: usize,
    pub domain: usize,
    pub relationship: usize,
    pub admin: usize,
    pub reseller: usize,
}

const MARKER: usize = 2;
const RELATIONSHIP: usize = 12;
/// `expiring 30d`, `terminated`.
const ADMIN: usize = 12;
/// One space between the five text columns.
const GAPS: usize = 4;
/// Narrowest usable name, domain and reseller columns.
const MIN_FLEX: [usize; 3] = [14, 12, 8];
/// The narrowest terminal the list fits in.
pub const MIN_WIDTH: u16 = (MARKER + RELATIONSHIP + ADMIN + GAPS + 14 + 12 + 8) as u16;
/// Indent of detail lines under their row, and the width of their section label.
const DETAIL_INDENT: usize = 4;
const DETAIL_LABEL: usize = 10;

/// Name, domain and reseller share what the fixed columns leave, 38/38/24 (domains are as long as
/// names: `<name><suffix>.onmicrosoft.com`).
pub fn columns(width: u16) -> Columns {
    let flex = usize::from(width).saturating_sub(MARKER + RELATIONSHIP + ADMIN + GAPS);
    let domain = (flex * 38 / 100).max(MIN_FLEX[1]);
    let reseller = (flex * 24 / 100).max(MIN_FLEX[2]);
    let name = flex.saturating_sub(domain + reseller).max(MIN_FLEX[0]);
    Columns {
        name,
        domain,
        relationship: RELATIONSHIP,
        admin: ADMIN,
        reseller,
    }
}

/// The list as a widget: borrows the screen, draws, does nothing else.
pub struct CustomerList<'a> {
    pub screen: &'a CustomersScreen,
    pub theme: Theme,
    /// The current spinner frame, for rows whose details are loading.
    pub spinner: &'a str,
    /// What the admin column counts days from.
    pub today: NaiveDate,
}

impl Widget for &CustomerList<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 {
            return;
        }
        let cols = columns(area.width);
        self.titles(cols, Rect { height: 1, ..area }, buf);
        let list = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        let view = self.screen.viewport();
        let lines = self.screen.lines();
        if lines.is_empty() {
            self.empty(list, buf);
            return;
        }
        let shown = lines.iter().enumerate().skip(view.offset);
        for ((i, line), y) in shown.zip(list.top()..list.bottom()) {
            let area = Rect {
                y,
                height: 1,
                ..list
            };
            let selected = i == view.cursor;
            self.line(*line, cols, area, buf);
            if selected {
                buf.set_style(area, self.theme.selected());
            }
        }
    }
}

/// Writes `text` fitted to `cells` at `x`, returning the x after it and a one-cell gap.
fn cell(buf: &mut Buffer, x: u16, y: u16, text: &str, cells: usize, style: Style) -> u16 {
    buf.set_stringn(x, y, fit(text, cells), cells, style);
    x.saturating_add(u16::try_from(cells + 1).unwrap_or(u16::MAX))
}

impl CustomerList<'_> {
    fn titles(&self, cols: Columns, area: Rect, buf: &mut Buffer) {
        let base = self.theme.column_titles();
        let sort = self.screen.rows().sort();
        let style = |key: SortKey| {
            if key == sort {
                base.add_modifier(Modifier::REVERSED)
            } else {
                base
            }
        };
        let y = area.y;
        buf.set_style(area, base);
        let x = area.x + MARKER as u16;
        let x = cell(buf, x, y, "Company name", cols.name, style(SortKey::Name));
        let x = cell(
            buf,
            x,
            y,
            "Primary domain",
            cols.domain,
            style(SortKey::Domain),
        );
        let x = cell(
            buf,
            x,
            y,
            "Relationship",
            cols.relationship,
            style(SortKey::Relationship),
        );
        let x = cell(buf, x, y, "Admin", cols.admin, base);
        cell(buf, x, y, "Indirect reseller", cols.reseller, base);
    }

    fn empty(&self, area: Rect, buf: &mut Buffer) {
        let progress = self.screen.progress();
        let filter = self.screen.rows().filter();
        let text = if !filter.trim().is_empty() && progress.loaded > 0 {
            format!("no customer matches \"{}\" (Esc clears the filter)", filter)
        } else if progress.loading {
            format!("{} loading customers…", self.spinner)
        } else if progress.total.is_none() {
            "customers not loaded (see the status line)".to_string()
        } else {
            "no customers".to_string()
        };
        let width = usize::from(area.width.saturating_sub(2));
        buf.set_stringn(
            area.x + 2,
            area.y,
            truncate(&text, width),
            width,
            self.theme.tone(Tone::Dim),
        );
    }

    fn line(&self, line: LineRef, cols: Columns, area: Rect, buf: &mut Buffer) {
        let Some(row) = self.screen.rows().get(line.row) else {
            return;
        };
        if line.is_row() {
            self.row(line.row, row, cols, area, buf);
        } else {
            self.detail(line, area, buf);
        }
    }

    fn row(&self, index: u32, row: &CustomerRow, cols: Columns, area: Rect, buf: &mut Buffer) {
        let (x, y) = (area.x, area.y);
        let text = self.theme.text();
        let marker = if self.screen.is_expanded(index) {
            "▾"
        } else {
            "▸"
        };
        buf.set_stringn(x, y, marker, 1, self.theme.tone(Tone::Dim));
        let x = x + MARKER as u16;
        let x = cell(buf, x, y, row.name(), cols.name, text);
        let x = cell(buf, x, y, row.domain(), cols.domain, text);
        let (relationship, tone) = match row.relationship {
            Relationship::Reseller => ("reseller", Tone::Normal),
            Relationship::None => ("ended", Tone::Dim),
            Relationship::Unknown => ("unknown", Tone::Warn),
        };
        let x = cell(
            buf,
            x,
            y,
            relationship,
            cols.relationship,
            self.theme.tone(tone),
        );
        let (admin, tone) = row.admin.text(self.today);
        let x = cell(buf, x, y, &admin, cols.admin, self.theme.tone(tone));
        let (reseller, tone) = match row.reseller() {
            Some(name) => (name, Tone::Normal),
            None => ("—", Tone::Dim),
        };
        let rest = usize::from(area.right().saturating_sub(x));
        cell(buf, x, y, reseller, rest, self.theme.tone(tone));
    }

    fn detail(&self, line: LineRef, area: Rect, buf: &mut Buffer) {
        let (label, text, tone) = match self.screen.detail(line.row) {
            Some(DetailState::Loaded(d)) => match d.lines.get(line.detail as usize - 1) {
                Some(l) => (l.label, l.text.as_str(), l.tone),
                None => ("", "", Tone::Normal),
            },
            Some(DetailState::Failed(why)) => ("Error", why.as_str(), Tone::Bad),
            Some(DetailState::Loading(_)) | None => ("", "", Tone::Dim),
        };
        let x = area.x + DETAIL_INDENT as u16;
        let width = usize::from(area.right().saturating_sub(x));
        if let Some(DetailState::Loading(_)) | None = self.screen.detail(line.row) {
            let text = format!(
                "{} loading account, services, users, licenses…",
                self.spinner
            );
            buf.set_stringn(
                x,
                area.y,
                truncate(&text, width),
                width,
                self.theme.tone(tone),
            );
            return;
        }
        let label_width = DETAIL_LABEL.min(width);
        let x = cell(
            buf,
            x,
            area.y,
            label,
            label_width.saturating_sub(1),
            self.theme.label(),
        );
        let width = usize::from(area.right().saturating_sub(x));
        buf.set_stringn(
            x,
            area.y,
            truncate(text, width),
            width,
            self.theme.tone(tone),
        );
    }
}
