//! Key bindings as data: each screen declares a table of [`Binding`]s, which both maps key presses to
//! the screen's intents and produces the `?` help and the footer, so the help cannot drift from what
//! the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::{Me, Permission};
use crate::tui::widgets::bars::Hint;

/// A key as a binding names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A character, typed with or without Shift.
    Char(char),
    /// Ctrl + a lowercase letter.
    Ctrl(char),
    /// A named key (arrows, Enter, Esc, PgUp ...) without Ctrl or Alt.
    Code(KeyCode),
}

impl Key {
    pub fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        match self {
            Key::Char(c) => !ctrl && !alt && ev.code == KeyCode::Char(c),
            Key::Ctrl(c) => {
                ctrl && !alt && matches!(ev.code, KeyCode::Char(k) if k.to_ascii_lowercase() == c)
            }
            Key::Code(code) => !ctrl && !alt && ev.code == code,
        }
    }
}

/// One line of help: the keys, what they do, and the intent they produce.
#[derive(Debug, Clone, Copy)]
pub struct Binding<I> {
    pub keys: &'static [Key],
    /// How the keys are written in the help (`j ↓`).
    pub shown: &'static str,
    pub help: &'static str,
    /// Short form for the footer; `None` keeps the binding out of the footer.
    pub hint: Option<&'static str>,
    pub intent: I,
    /// The permission the action needs, if any: without it the binding is greyed with the reason.
    pub needs: Option<Permission>,
}

/// A binding any role may use; tables write one per line.
pub const fn bind<I>(
    keys: &'static [Key],
    shown: &'static str,
    help: &'static str,
    hint: Option<&'static str>,
    intent: I,
) -> Binding<I> {
    Binding {
        keys,
        shown,
        help,
        hint,
        intent,
        needs: None,
    }
}

/// The binding `ev` triggers in `table`, if any.
pub fn lookup<'t, I>(table: &'t [Binding<I>], ev: &KeyEvent) -> Option<&'t Binding<I>> {
    table.iter().find(|b| b.keys.iter().any(|k| k.matches(ev)))
}

/// The footer's hints for the bindings of `table` that `keep` keeps and that have a short form:
/// the first key as shown, and the short form.
pub fn footer_hints<I>(table: &[Binding<I>], keep: impl Fn(&I) -> bool) -> Vec<Hint> {
    table
        .iter()
        .filter(|b| keep(&b.intent))
        .filter_map(|b| {
            Some(Hint {
                key: b.shown.split_whitespace().next()?,
                label: b.hint?.to_string(),
                enabled: true,
            })
        })
        .collect()
}

/// Whether the signed-in agent may do `permission`; `Err` is the one sentence every screen shows,
/// on the status line and greyed in `?`: why not and whom to ask ("Sales agents can't end
/// relationships: ask a Global admin or an Admin agent", [`Permission::refusal`]). Before `/me`
/// has answered we don't know the role yet, and let the backend decide.
pub fn allowed(me: Option<&Me>, permission: Permission) -> Result<(), String> {
    match me {
        Some(me) if !me.can(permission) => Err(permission.refusal(me.role)),
        _ => Ok(()),
    }
}

/// A help line ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpEntry {
    pub keys: &'static str,
    pub help: &'static str,
    /// Why the signed-in role may not, if it may not.
    pub denied: Option<String>,
}

/// The help lines of `table` for the signed-in agent.
pub fn help_entries<I>(table: &[Binding<I>], me: Option<&Me>) -> Vec<HelpEntry> {
    table
        .iter()
        .map(|b| HelpEntry {
            keys: b.shown,
            help: b.help,
            denied: b.needs.and_then(|p| allowed(me, p).err()),
        })
        .collect()
}

/// Keys every screen understands; listed at the end of each screen's help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalIntent {
    Help,
    Back,
    Quit,
}

pub const GLOBAL_KEYS: &[Binding<GlobalIntent>] = &[
    Binding {
        keys: &[Key::Char('?')],
        shown: "?",
        help: "this help (any of ? q Esc closes it)",
        hint: Some("help"),
        intent: GlobalIntent::Help,
        needs: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        shown: "Esc",
        help: "back / close / clear the filter",
        hint: None,
        intent: GlobalIntent::Back,
        needs: None,
    },
    Binding {
        keys: &[Key::Char('q'), Key::Ctrl('c')],
        shown: "q  Ctrl-C",
        help: "quit from the list (elsewhere q goes back); Ctrl-C from anywhere",
        hint: Some("quit"),
        intent: GlobalIntent::Quit,
        needs: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn plain_keys_do_not_match_with_ctrl_and_ctrl_keys_need_it() {
        assert!(Key::Char('r').matches(&press(KeyCode::Char('r'), KeyModifiers::NONE)));
        assert!(!Key::Char('r').matches(&press(KeyCode::Char('r'), KeyModifiers::CONTROL)));
        assert!(Key::Ctrl('r').matches(&press(KeyCode::Char('r'), KeyModifiers::CONTROL)));
        assert!(!Key::Ctrl('r').matches(&press(KeyCode::Char('r'), KeyModifiers::NONE)));
        assert!(Key::Char('G').matches(&press(KeyCode::Char('G'), KeyModifiers::SHIFT)));
    }

    #[test]
    fn ctrl_c_quits() {
        let b = lookup(
            GLOBAL_KEYS,
            &press(KeyCode::Char('c'), KeyModifiers::CONTROL),
        );
        assert_eq!(b.map(|b| b.intent), Some(GlobalIntent::Quit));
    }
}
