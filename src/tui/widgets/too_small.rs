//! Shown instead of the dashboard when the terminal is smaller than its layout needs, so a tiny pane
//! gets an explanation rather than a garbled screen or a panic.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::tui::theme::Theme;

pub struct TooSmall {
    pub need_width: u16,
    pub need_height: u16,
    pub theme: Theme,
}

impl Widget for &TooSmall {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines = vec![
            Line::from("terminal too small"),
            Line::from(format!("{}×{}", area.width, area.height)),
            Line::from(format!("(need {}×{})", self.need_width, self.need_height)),
        ];
        let top = area.height.saturating_sub(3) / 2;
        let area = Rect {
            y: area.y + top,
            height: area.height - top,
            ..area
        };
        Paragraph::new(lines)
            .style(self.theme.text())
            .centered()
            .wrap(Wrap { trim: true })
            .render(area, buf);
    }
}
