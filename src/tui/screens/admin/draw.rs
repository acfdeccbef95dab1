//! Draws the admin relationships screen: the views as tabs with their counts, a line saying what
//! is marked and loaded, the columns, the rows (marked ones with `*`), the progress line of a bulk
//! action, and over them the confirmation, a picker, or the results. Pure: reads the screen;
//! every backend string was sanitized when the rows were made.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::list::{Gap, Item, View};
use super::rel::Rel;
use super::{AdminScreen, Mode, Run};
use crate::api::gdap::BulkOutcome;
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::centered;
use crate::tui::widgets::confirm::ConfirmView;
use crate::tui::widgets::picker::PickerView;
use crate::tui::widgets::text::{fit, thousands};

pub struct AdminView<'a> {
    pub screen: &'a AdminScreen,
    pub theme: Theme,
    pub spinner: &'a str,
}

/// Widths of status, days, roles, auto-extend and assignments; customer and name share the rest.
const FIXED: [usize; 5] = [15, 10, 12, 5, 4];

fn columns(width: u16) -> (usize, usize) {
    let rest = usize::from(width).saturating_sub(2 + FIXED.iter().sum::<usize>());
    (rest / 2, rest - rest / 2)
}

fn col(text: &str, cells: usize) -> String {
    format!("{} ", fit(text, cells.saturating_sub(1)))
}

impl Widget for &AdminView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 20 || area.height < 5 {
            return;
        }
        let s = self.screen;
        if let Mode::Results { run, top } = &s.mode {
            return self.results(run, *top, area, buf);
        }
        let mut lines = vec![self.tabs(), self.summary()];
        let (cw, nw) = columns(area.width);
        lines.push(Line::styled(
            format!(
                "  {}{}{}{}{}{}{}",
                col("Customer", cw),
                col("Relationship", nw),
                col("Status", FIXED[0]),
                col("Days", FIXED[1]),
                col("Roles", FIXED[2]),
                col("Auto", FIXED[3]),
                fit("Asg", FIXED[4]),
            ),
            self.theme.column_titles(),
        ));
        let progress = s.run.as_ref().map(|run| self.progress(run));
        let room =
            usize::from(area.height).saturating_sub(lines.len() + usize::from(progress.is_some()));
        lines.extend(self.rows(room, cw, nw));
        Paragraph::new(lines).render(area, buf);
        if let Some(progress) = progress {
            let y = area.y + area.height - 1;
            buf.set_line(area.x, y, &progress, area.width);
        }
        match &s.mode {
            Mode::Confirm { dialog, .. } => {
                let view = ConfirmView {
                    confirm: dialog,
                    theme: self.theme,
                    spinner: self.spinner,
                };
                (&view).render(area, buf);
            }
            Mode::PickGroup(picker) => self.picker(picker, "Security group to assign", area, buf),
            Mode::PickRoles { group, picker, .. } => {
                let title = format!(
                    "Roles for {}",
                    crate::tui::sanitize::sanitize(&group.display_name)
                );
                self.picker(picker, &title, area, buf);
            }
            _ => {}
        }
    }
}

impl AdminView<'_> {
    fn tabs(&self) -> Line<'static> {
        let s = self.screen;
        let mut spans = Vec::new();
        for (i, view) in View::ALL.iter().enumerate() {
            let current = *view == s.list.view;
            // Brackets mark the current view without colour.
            let (open, close) = if current { ("[", "]") } else { (" ", " ") };
            // Gaps are counted once everything has arrived.
            let count = match (*view, s.list.all_loaded) {
                (View::NoAdmin, false) if *view != s.list.view => "…".to_string(),
                _ => thousands(s.list.count(*view) as u64),
            };
            let text = format!("{open}{} {} {count}{close}", i + 1, view.label());
            let style = if current {
                self.theme.selected()
            } else {
                self.theme.text()
            };
            spans.push(Span::styled(text, style));
        }
        Line::from(spans)
    }

    fn summary(&self) -> Line<'static> {
        let s = self.screen;
        let mut parts = vec![format!(
            " {} shown · {} marked",
            thousands(s.list.shown().len() as u64),
            thousands(s.list.marked_count() as u64)
        )];
        if !s.list.filter().is_empty() {
            parts.push(format!("filter \"{}\"", s.list.filter()));
        }
        if s.is_loading() {
            parts.push(format!(
                "{} loading: {} so far",
                self.spinner,
                thousands(s.list.rels().len() as u64)
            ));
        }
        if s.is_refreshing() {
            parts.push(format!("{} refreshing changed customers", self.spinner));
        }
        Line::styled(parts.join(" · "), self.theme.label())
    }

    fn rows(&self, room: usize, cw: usize, nw: usize) -> Vec<Line<'static>> {
        let s = self.screen;
        let shown = s.list.shown();
        if shown.is_empty() {
            let text = match (s.is_loading(), s.list.view) {
                (true, _) => format!("  {} loading admin relationships…", self.spinner),
                (false, View::NoAdmin) => {
                    "  every reseller customer has active admin access".to_string()
                }
                (false, _) => "  none in this view".to_string(),
            };
            return vec![Line::styled(text, self.theme.tone(Tone::Dim))];
        }
        let first = s.list.cursor.saturating_sub(room.saturating_sub(1));
        shown
            .iter()
            .enumerate()
            .skip(first)
            .take(room)
            .map(|(i, item)| {
                let selected = i == s.list.cursor;
                let (text, tone, marked) = match *item {
                    Item::Rel(r) => match s.list.rels().get(r) {
                        Some(rel) => self.rel_line(rel, cw, nw),
                        None => (String::new(), Tone::Dim, false),
                    },
                    Item::Customer(g) => match s.list.gaps().get(g) {
                        Some(gap) => (self.gap_line(gap, cw, nw), Tone::Warn, false),
                        None => (String::new(), Tone::Dim, false),
                    },
                };
                let style = match (selected, tone) {
                    (true, _) => self.theme.selected(),
                    (false, Tone::Normal) => self.theme.text(),
                    (false, tone) => self.theme.tone(tone),
                };
                let marker = match (selected, marked) {
                    (true, true) => "›*",
                    (true, false) => "› ",
                    (false, true) => " *",
                    (false, false) => "  ",
                };
                Line::from(vec![Span::raw(marker), Span::styled(text, style)])
            })
            .collect()
    }

    fn rel_line(&self, r: &Rel, cw: usize, nw: usize) -> (String, Tone, bool) {
        let now = self.screen.list.now_secs;
        use crate::api::gdap::RelationshipStatus as S;
        let tone = match r.status {
            S::Active if r.is_expiring(now) => Tone::Warn,
            S::ApprovalPending if r.pending_days(now) >= 80 => Tone::Warn,
            S::Expired | S::Terminated => Tone::Dim,
            _ => Tone::Normal,
        };
        let text = format!(
            "{}{}{}{}{}{}{}",
            col(&r.customer, cw),
            col(&r.name, nw),
            col(&r.status_text(now), FIXED[0]),
            col(&r.days_text(now), FIXED[1]),
            col(&r.roles_text(), FIXED[2]),
            col(if r.auto_extend { "yes" } else { "no" }, FIXED[3]),
            fit(&r.assignments.to_string(), FIXED[4]),
        );
        (text, tone, self.screen.list.is_marked(&r.id))
    }

    fn gap_line(&self, g: &Gap, cw: usize, nw: usize) -> String {
        format!(
            "{}{}{}",
            col(&g.name, cw),
            col("(no relationship)", nw),
            fit("none", FIXED[0]),
        )
    }

    /// `⠋ Enabling auto-extend… 1,000 of 2,500`.
    fn progress(&self, run: &Run) -> Line<'static> {
        Line::styled(
            format!(
                " {} {}… {} of {} · {}",
                self.spinner,
                run.plan.kind.working(),
                thousands(run.done as u64),
                thousands(run.total() as u64),
                run.tally()
            ),
            self.theme.tone(Tone::Warn),
        )
    }

    fn picker(
        &self,
        picker: &crate::tui::widgets::picker::Picker,
        title: &str,
        area: Rect,
        buf: &mut Buffer,
    ) {
        let rows = u16::try_from(picker.items().len() * 2 + 2).unwrap_or(u16::MAX);
        let rect = centered(area, area.width.saturating_sub(4).min(70), rows);
        let view = PickerView {
            picker,
            theme: self.theme,
            title,
        };
        (&view).render(rect, buf);
    }

    /// The result per row of a finished bulk action, scrollable.
    fn results(&self, run: &Run, top: usize, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let links = run.results.iter().filter(|r| r.link.is_some()).count();
        let mut lines = vec![
            Line::styled(
                format!(" {}: {}", run.plan.kind.verb(), run.tally()),
                t.label(),
            ),
            Line::styled(
                match links {
                    0 => " Enter or Esc closes".to_string(),
                    n => {
                        format!(" {n} new approval links: y copies them all · Enter or Esc closes")
                    }
                },
                t.tone(Tone::Dim),
            ),
        ];
        let w = usize::from(area.width).saturating_sub(2);
        let (cw, nw) = (w * 22 / 100, w * 22 / 100);
        lines.push(Line::styled(
            format!(
                "  {}{}{}{}",
                col("Result", 10),
                col("Customer", cw),
                col("Relationship", nw),
                "Why / approval link"
            ),
            t.column_titles(),
        ));
        let room = usize::from(area.height).saturating_sub(lines.len());
        for (i, r) in run.results.iter().enumerate().skip(top).take(room) {
            let (word, tone) = match r.outcome {
                BulkOutcome::Succeeded => ("succeeded", Tone::Normal),
                BulkOutcome::Skipped => ("skipped", Tone::Warn),
                BulkOutcome::Failed => ("failed", Tone::Bad),
            };
            let why = r.link.as_deref().or(r.message.as_deref()).unwrap_or("");
            let rest = w.saturating_sub(10 + cw + nw);
            let style: Style = t.tone(tone);
            // The first row shown is the one `d` drafts the email for.
            let marker = if i == top { "› " } else { "  " };
            lines.push(Line::styled(
                format!(
                    "{marker}{}{}{}{}",
                    col(word, 10),
                    col(&r.customer, cw),
                    col(&r.name, nw),
                    fit(why, rest)
                ),
                style,
            ));
        }
        Paragraph::new(lines).render(area, buf);
    }
}
