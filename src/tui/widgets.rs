//! Small pure widgets shared by the screens: they borrow what they show and draw it; no I/O. The
//! form, the confirmation and the picker also hold their state and turn keys into outcomes the
//! screen acts on.

pub mod bars;
pub mod confirm;
pub mod form;
pub mod picker;
#[cfg(test)]
pub mod testing;
pub mod text;
pub mod too_small;

use ratatui::layout::Rect;

/// A `width`×`height` rectangle centred in `area`, shrunk to fit.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
