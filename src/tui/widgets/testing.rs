//! Draws a widget alone on ratatui's `TestBackend`, for the widgets' snapshot tests.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// What `draw` puts on a `width`×`height` terminal, as `TestBackend` prints it (a quoted line per row).
pub fn drawn(width: u16, height: u16, draw: impl FnOnce(Rect, &mut Buffer)) -> String {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(never) => match never {},
    };
    if let Err(never) = terminal.draw(|f| {
        let area = f.area();
        draw(area, f.buffer_mut());
    }) {
        match never {}
    }
    format!("{}", terminal.backend())
}
