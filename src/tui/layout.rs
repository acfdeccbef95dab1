//! Where things go on the screen: the regions drawing uses and `update` needs too (the list's
//! height, the size a screen opens at), so `update` never imports drawing code.

use ratatui::layout::Rect;

/// The smallest terminal the dashboard draws in; below it, a "too small" screen.
pub const MIN_WIDTH: u16 = crate::tui::screens::customers::draw::MIN_WIDTH;
/// Header, column titles, three rows, status line and footer.
pub const MIN_HEIGHT: u16 = 7;

/// The screen's regions, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    /// Column titles and the list.
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
}

pub fn layout(area: Rect) -> Areas {
    let line = |y: u16| Rect {
        y,
        height: 1.min(area.height),
        ..area
    };
    let bottom = area.bottom();
    Areas {
        header: line(area.y),
        body: Rect {
            y: area.y.saturating_add(1),
            height: area.height.saturating_sub(3),
            ..area
        },
        status: line(bottom.saturating_sub(2)),
        footer: line(bottom.saturating_sub(1)),
    }
}

pub fn fits(area: Rect) -> bool {
    area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT
}
