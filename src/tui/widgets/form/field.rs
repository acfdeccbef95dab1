//! One field of a [`Form`](super::Form): its spec (a `const` the screen declares) and what it holds.
//! A text field is a one-line `ratatui-textarea` (cursor, Home/End, word moves, undo come with it);
//! a choice holds the index of one of fixed options; a toggle is on or off.

use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, TextArea};

use crate::tui::sanitize::sanitize_max;

/// Longest text a field keeps unless its spec says otherwise, in characters.
pub const DEFAULT_MAX_CHARS: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// One of these, cycled with ←/→ or Space; the first is the starting value.
    Choice(&'static [&'static str]),
    /// On or off (Space, ←/→); starts off.
    Toggle,
}

/// One field as the user sees it and as the backend names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The JSON path the backend names in a 400's `data` (e.g. `companyProfile.domain`).
    pub key: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub kind: Kind,
    /// Shown (as `e.g. …`) in an empty text field.
    pub example: &'static str,
    pub max_chars: usize,
}

impl FieldSpec {
    pub const fn text(key: &'static str, label: &'static str) -> Self {
        Self {
            key,
            label,
            required: false,
            kind: Kind::Text,
            example: "",
            max_chars: DEFAULT_MAX_CHARS,
        }
    }
    pub const fn choice(
        key: &'static str,
        label: &'static str,
        options: &'static [&'static str],
    ) -> Self {
        Self {
            kind: Kind::Choice(options),
            ..Self::text(key, label)
        }
    }
    pub const fn toggle(key: &'static str, label: &'static str) -> Self {
        Self {
            kind: Kind::Toggle,
            ..Self::text(key, label)
        }
    }
    pub const fn required(self) -> Self {
        Self {
            required: true,
            ..self
        }
    }
    pub const fn example(self, example: &'static str) -> Self {
        Self { example, ..self }
    }
    pub const fn max_chars(self, max_chars: usize) -> Self {
        Self { max_chars, ..self }
    }
}

/// What a field holds.
#[derive(Debug, Clone)]
pub enum Value {
    /// Boxed: a text area is some 600 bytes, a choice or toggle a few.
    Text(Box<TextArea<'static>>),
    Choice(usize),
    Toggle(bool),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub spec: FieldSpec,
    pub value: Value,
    /// The value it started with: a form whose fields all hold theirs has nothing to lose on Esc.
    pub initial: String,
    pub error: Option<String>,
    /// A choice's options handed over at run time (e.g. agents loaded when the form opened), in
    /// place of the spec's fixed ones.
    pub loaded: Option<Vec<String>>,
}

impl Field {
    pub fn new(spec: FieldSpec) -> Self {
        let value = match spec.kind {
            Kind::Text => {
                let mut area = TextArea::default();
                area.set_cursor_line_style(Style::default());
                if !spec.example.is_empty() {
                    area.set_placeholder_text(format!("e.g. {}", spec.example));
                }
                area.set_placeholder_style(Style::default().add_modifier(Modifier::DIM));
                Value::Text(Box::new(area))
            }
            Kind::Choice(_) => Value::Choice(0),
            Kind::Toggle => Value::Toggle(false),
        };
        let mut field = Self {
            spec,
            value,
            initial: String::new(),
            error: None,
            loaded: None,
        };
        field.initial = field.text();
        field
    }

    /// The value as text: what was typed, the option chosen, or `on`/`off`.
    pub fn text(&self) -> String {
        match &self.value {
            Value::Text(area) => area.lines().concat(),
            Value::Choice(i) => self.options().get(*i).copied().unwrap_or("").to_string(),
            Value::Toggle(on) => if *on { "on" } else { "off" }.to_string(),
        }
    }

    /// A choice's options (the loaded ones when there are); none for other kinds.
    pub fn options(&self) -> Vec<&str> {
        match (&self.loaded, self.spec.kind) {
            (Some(loaded), Kind::Choice(_)) => loaded.iter().map(String::as_str).collect(),
            (None, Kind::Choice(options)) => options.to_vec(),
            _ => Vec::new(),
        }
    }

    pub fn is_text(&self) -> bool {
        matches!(self.value, Value::Text(_))
    }

    /// Replaces the value from text (a text field's content, a choice's option; `on`/`true` for a
    /// toggle). Returns false when a choice has no such option.
    pub fn set_text(&mut self, text: &str) -> bool {
        let position = self.options().iter().position(|o| *o == text);
        match &mut self.value {
            Value::Text(area) => {
                area.move_cursor(CursorMove::Head);
                area.delete_line_by_end();
                area.insert_str(clean(text, self.spec.max_chars));
                true
            }
            Value::Choice(i) => match position {
                Some(at) => {
                    *i = at;
                    true
                }
                None => false,
            },
            Value::Toggle(on) => {
                *on = matches!(text, "on" | "true" | "yes");
                true
            }
        }
    }
}

/// Pasted or preset text made fit for a one-line field: line breaks and tabs become spaces, other
/// controls are dropped (an escape sequence must not reach the terminal through a field), then the
/// invisible and bidi characters `sanitize` removes go too, and it is cut to `max_chars`.
pub fn clean(text: &str, max_chars: usize) -> String {
    let flat: String = text
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    sanitize_max(&flat, max_chars).into_owned()
}
