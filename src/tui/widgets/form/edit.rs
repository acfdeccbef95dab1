//! How keys and pasted text change a [`Form`]: moving the focus, editing the focused text field
//! (kept to one line and to its length), cycling a choice, switching a toggle.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

use super::field::{Field, Value, clean};
use super::{Form, FormIntent, FormOutcome};
use crate::tui::keymap::lookup;

impl Form {
    pub fn on_key(&mut self, ev: &KeyEvent) -> FormOutcome {
        let intent = lookup(self.keys, ev).map(|b| b.intent);
        if intent != Some(FormIntent::Cancel) {
            self.discard_armed = false;
        }
        if self.sending {
            return match intent {
                Some(FormIntent::Cancel) => FormOutcome::Cancel,
                Some(FormIntent::Help) => FormOutcome::Help,
                _ => FormOutcome::Busy,
            };
        }
        let last = self.fields.len().saturating_sub(1);
        match intent {
            Some(FormIntent::Next) => self.move_focus(1),
            Some(FormIntent::Previous) => self.move_focus(last),
            Some(FormIntent::Enter) if self.focus >= last => return FormOutcome::Submit,
            Some(FormIntent::Enter) => self.move_focus(1),
            Some(FormIntent::Submit) => return FormOutcome::Submit,
            Some(FormIntent::Help) => return FormOutcome::Help,
            Some(FormIntent::Cancel) => {
                if self.is_dirty() && !self.discard_armed {
                    self.discard_armed = true;
                    return FormOutcome::DiscardArmed;
                }
                return FormOutcome::Cancel;
            }
            Some(FormIntent::Change) if !self.focused_is_text() => self.change(ev.code),
            Some(FormIntent::Clear) => self.edit_text(|area| {
                area.move_cursor(CursorMove::Head);
                area.delete_line_by_end();
            }),
            Some(FormIntent::Change) | None => self.edit(ev),
        }
        FormOutcome::Stay
    }

    /// Pasted text goes into the focused text field, on one line (see [`field::clean`]).
    pub fn paste(&mut self, text: &str) {
        if self.sending {
            return;
        }
        self.discard_armed = false;
        let Some(max) = self.fields.get(self.focus).map(|f| f.spec.max_chars) else {
            return;
        };
        let line = clean(text, max);
        self.edit_text(|area| {
            let room = max.saturating_sub(area.lines().concat().chars().count());
            let line: String = line.chars().take(room).collect();
            area.insert_str(line);
        });
    }

    fn focused_is_text(&self) -> bool {
        self.fields.get(self.focus).is_some_and(Field::is_text)
    }

    fn edit(&mut self, ev: &KeyEvent) {
        if self.focused_is_text() {
            let ev = *ev;
            let ctrl_z = ev.code == KeyCode::Char('z') && ev.modifiers == KeyModifiers::CONTROL;
            self.edit_text(|area| {
                if ctrl_z {
                    area.undo();
                } else {
                    area.input(ev);
                }
            });
        } else if let KeyCode::Char(c) = ev.code
            && ev.modifiers.difference(KeyModifiers::SHIFT).is_empty()
        {
            self.jump_to_option(c);
        }
    }

    /// Applies `change` to the focused text field, keeps it one line and within its length, and
    /// clears its error when the text changed.
    fn edit_text(&mut self, change: impl FnOnce(&mut TextArea<'static>)) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        let max = field.spec.max_chars;
        let Value::Text(area) = &mut field.value else {
            return;
        };
        let before = area.lines().concat();
        change(area);
        // A field is one line: whatever made a second one (Ctrl-M, Ctrl-J) is joined back.
        if area.lines().len() > 1 {
            let line = area.lines().join(" ");
            area.select_all();
            area.cut();
            area.insert_str(line);
        }
        if area.lines().concat().chars().count() > max {
            area.undo();
        }
        if area.lines().concat() != before {
            field.error = None;
        }
    }

    /// ←/Space/→ on a choice or a toggle.
    fn change(&mut self, code: KeyCode) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        let count = field.options().len().max(1);
        match &mut field.value {
            Value::Choice(i) if code == KeyCode::Left => *i = (*i + count - 1) % count,
            Value::Choice(i) => *i = (*i + 1) % count,
            Value::Toggle(on) => *on = !*on,
            Value::Text(_) => return,
        }
        field.error = None;
    }

    /// A letter on a choice picks the next option starting with it.
    fn jump_to_option(&mut self, c: char) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        let Value::Choice(i) = field.value else {
            return;
        };
        let starts = |o: &&str| {
            o.chars()
                .next()
                .is_some_and(|f| f.to_lowercase().eq(c.to_lowercase()))
        };
        let options = field.options();
        let count = options.len();
        let found = (1..=count)
            .map(|step| (i + step) % count)
            .find(|&at| options.get(at).is_some_and(starts));
        if let (Some(at), Value::Choice(i)) = (found, &mut field.value) {
            *i = at;
            field.error = None;
        }
    }
}
