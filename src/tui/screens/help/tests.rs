//! The `?` overlay wraps beside its key column at narrow widths, keeps a greyed key's reason in
//! view when it wraps, and scrolls to its last line with a "more below" mark until there.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::{HelpOutcome, HelpState, HelpView, layout};
use crate::api::Role;
use crate::tui::action::Action;
use crate::tui::keymap::{GLOBAL_KEYS, HelpEntry, help_entries};
use crate::tui::testing::{key, loaded, me, screen};
use crate::tui::theme::Theme;
use crate::tui::widgets::testing::drawn;

fn many_entries() -> Vec<HelpEntry> {
    (1..=30)
        .map(|i| HelpEntry {
            keys: "x",
            help: if i % 3 == 0 {
                "end the relationship with the customer under the cursor: the partner can no longer sell to or manage it"
            } else {
                "a short line"
            },
            denied: (i % 5 == 0).then(|| {
                "your role (Sales agent) may not; needs Global admin or Admin agent".to_string()
            }),
        })
        .collect()
}

fn draw(state: HelpState, entries: &[HelpEntry], width: u16, height: u16) -> String {
    drawn(width, height, |area, buf| {
        HelpView {
            state,
            entries,
            theme: Theme::new(false),
        }
        .render(area, buf)
    })
}

fn press(state: &mut HelpState, code: KeyCode, entries: &[HelpEntry], area: Rect) -> HelpOutcome {
    let (lines, page) = layout(entries, area);
    state.on_key_paged(&KeyEvent::new(code, KeyModifiers::NONE), lines, page)
}

/// The list's keys as its `?` shows them to a Sales agent (greyed where the role may not).
fn customers_entries() -> Vec<HelpEntry> {
    let me = me(Role::SalesAgent);
    let mut out = help_entries(crate::tui::screens::customers::keys::KEYS, Some(&me));
    out.extend(help_entries(crate::tui::screens::OPENERS, Some(&me)));
    out.extend(help_entries(GLOBAL_KEYS, Some(&me)));
    out
}

#[test]
fn the_customers_help_at_60_by_20_wraps_instead_of_cutting() {
    // The dashboard needs 61 columns; the overlay itself is drawn here at 60.
    let entries = customers_entries();
    let text = draw(HelpState::new("Customers"), &entries, 60, 20);
    assert!(!text.contains("  …"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn the_customers_help_scrolled_to_its_end_at_60_by_20() {
    let entries = customers_entries();
    let mut state = HelpState::new("Customers");
    press(
        &mut state,
        KeyCode::Char('G'),
        &entries,
        Rect::new(0, 0, 60, 20),
    );
    insta::assert_snapshot!(draw(state, &entries, 60, 20));
}

#[test]
fn the_customers_help_at_80_by_24() {
    let mut app = loaded(Role::SalesAgent, 3);
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    app.update(key('?'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn long_lines_wrap_beside_the_key_column_and_reasons_stay_whole() {
    let entries = many_entries();
    let text = draw(HelpState::new("Customers"), &entries, 60, 20);
    // The wrapped part of a line starts under the text, not under the keys.
    assert!(
        text.contains("│ x           end the relationship with the customer under │"),
        "{text}"
    );
    assert!(
        text.contains("│             the cursor: the partner can no longer sell to"),
        "{text}"
    );
    assert!(text.contains("more below ↓"), "{text}");
    let end = {
        let mut state = HelpState::new("Customers");
        press(
            &mut state,
            KeyCode::Char('G'),
            &entries,
            Rect::new(0, 0, 60, 20),
        );
        draw(state, &entries, 60, 20)
    };
    // The last entry is greyed: its whole reason is on screen, wrapped under its text.
    assert!(
        end.contains("│             your role (Sales agent) may not; needs Global"),
        "{end}"
    );
    assert!(end.contains("│             admin or Admin agent"), "{end}");
    assert!(!end.contains("more below"), "{end}");
    assert!(end.contains("more above"), "{end}");
}

#[test]
fn scrolling_moves_by_line_and_page_and_stops_at_the_last_page() {
    let entries = many_entries();
    let area = Rect::new(0, 0, 60, 20);
    let (lines, page) = layout(&entries, area);
    assert_eq!(page, 18, "the box fills the height less its borders");
    assert!(
        lines > entries.len(),
        "long entries take more than one line"
    );
    let mut state = HelpState::new("Customers");
    press(&mut state, KeyCode::Char('j'), &entries, area);
    press(&mut state, KeyCode::Down, &entries, area);
    assert_eq!(state.scroll, 2);
    press(&mut state, KeyCode::Char('k'), &entries, area);
    assert_eq!(state.scroll, 1);
    press(&mut state, KeyCode::PageDown, &entries, area);
    assert_eq!(state.scroll, 1 + page);
    for _ in 0..10 {
        press(&mut state, KeyCode::PageDown, &entries, area);
    }
    assert_eq!(state.scroll, lines - page, "no further than the last page");
    press(&mut state, KeyCode::Up, &entries, area);
    assert_eq!(
        state.scroll,
        lines - page - 1,
        "one up from the end is one up"
    );
    press(&mut state, KeyCode::PageUp, &entries, area);
    press(&mut state, KeyCode::Char('g'), &entries, area);
    assert_eq!(state.scroll, 0);
    assert_eq!(
        press(&mut state, KeyCode::Char('q'), &entries, area),
        HelpOutcome::Close
    );
}

#[test]
fn a_help_that_fits_does_not_scroll_or_say_more() {
    let entries = &many_entries()[..3];
    let mut state = HelpState::new("Customers");
    press(
        &mut state,
        KeyCode::Char('j'),
        entries,
        Rect::new(0, 0, 80, 24),
    );
    assert_eq!(state.scroll, 0);
    let text = draw(state, entries, 80, 24);
    assert!(!text.contains("more"), "{text}");
}

#[test]
fn tiny_terminals_do_not_panic() {
    let entries = many_entries();
    for (w, h) in [(1, 1), (2, 2), (3, 3), (10, 4), (20, 5)] {
        draw(HelpState::new("Customers"), &entries, w, h);
    }
}
