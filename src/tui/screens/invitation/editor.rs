//! The draft in a multi-line editor (ratatui-textarea): subject on the first line, a blank line,
//! the body. Leaving checks that the exact link is still there; if not, leaving is refused and the
//! refusal offers to put the link back, to keep editing, or to discard the edits.

use ratatui::style::{Modifier, Style};
use ratatui_textarea::{TextArea, WrapMode};

use crate::invitation::Draft;

#[derive(Debug)]
pub struct Editor {
    area: TextArea<'static>,
    /// Leaving was refused: the link is missing or changed.
    refused: bool,
}

impl Editor {
    pub fn new(draft: &Draft) -> Self {
        let lines: Vec<String> = draft.full_text().lines().map(str::to_string).collect();
        let mut area = TextArea::new(lines);
        // Modifiers only, so it reads the same with NO_COLOR (the widget's defaults use colours).
        area.set_cursor_line_style(Style::default());
        area.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
        area.set_selection_style(Style::default().add_modifier(Modifier::REVERSED));
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        Self {
            area,
            refused: false,
        }
    }

    pub fn text_area(&self) -> &TextArea<'static> {
        &self.area
    }

    /// The text as edited, lines joined with `\n`.
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn is_refused(&self) -> bool {
        self.refused
    }

    pub fn refuse(&mut self) {
        self.refused = true;
    }

    pub fn keep_editing(&mut self) {
        self.refused = false;
    }

    /// Hands a key to the editor itself.
    pub fn input(&mut self, ev: crossterm::event::KeyEvent) {
        self.area.input(ev);
    }

    /// Pasted text at the cursor, as one step the user can undo; line breaks are kept, other
    /// control characters dropped (a tab becomes spaces).
    pub fn paste(&mut self, text: &str) {
        let mut clean = String::with_capacity(text.len());
        for c in text.replace("\r\n", "\n").chars() {
            match c {
                '\n' | '\r' => clean.push('\n'),
                '\t' => clean.push_str("    "),
                c if c.is_control() => {}
                c => clean.push(c),
            }
        }
        self.area.insert_str(clean);
    }

    /// Replaces the whole text (the link put back), as one step the user can undo.
    pub fn set_text(&mut self, text: &str) {
        self.area.select_all();
        self.area.cut();
        self.area.insert_str(text);
        self.refused = false;
    }
}
