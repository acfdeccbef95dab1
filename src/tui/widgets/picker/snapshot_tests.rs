//! Snapshots of the picker on ratatui's `TestBackend`: at 80×24, scrolled in a short box with the
//! more-above/below marks, narrowed by a filter, and with wide characters.

use crossterm::event::KeyCode;
use ratatui::widgets::Widget;

use super::tests::{agents, press};
use super::{PickItem, PickMode, Picker, PickerView};
use crate::tui::theme::Theme;
use crate::tui::widgets::testing::drawn;

fn draw(p: &Picker, width: u16, height: u16) -> String {
    drawn(width, height, |area, buf| {
        PickerView {
            picker: p,
            theme: Theme::new(false),
            title: "Support contacts for Contoso",
        }
        .render(area, buf)
    })
}

fn many(n: usize) -> Vec<PickItem> {
    (1..=n)
        .map(|i| PickItem::new(&format!("Agent {i:02}")))
        .collect()
}

#[test]
fn many_at_80_by_24() {
    let mut p = Picker::new(agents(), PickMode::Many).with_marked(&[0]);
    press(&mut p, KeyCode::Down);
    insta::assert_snapshot!(draw(&p, 80, 24));
}

#[test]
fn one_at_80_by_24() {
    let mut p = Picker::new(agents(), PickMode::One);
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Down);
    insta::assert_snapshot!(draw(&p, 80, 24));
}

#[test]
fn a_long_list_scrolls_minimally_and_says_there_is_more() {
    let mut p = Picker::new(many(30), PickMode::Many);
    draw(&p, 50, 8);
    for _ in 0..8 {
        press(&mut p, KeyCode::Down);
        draw(&p, 50, 8);
    }
    let down = draw(&p, 50, 8);
    assert!(down.contains("› [ ] Agent 09"), "{down}");
    assert!(
        down.contains("more above") && down.contains("more below"),
        "{down}"
    );
    // Going back up one keeps the view: only the cursor moves.
    press(&mut p, KeyCode::Up);
    let up = draw(&p, 50, 8);
    assert!(
        up.contains("Agent 04") && up.contains("› [ ] Agent 08"),
        "{up}"
    );
    insta::assert_snapshot!(up);
    press(&mut p, KeyCode::Char('G'));
    let end = draw(&p, 50, 8);
    assert!(
        end.contains("Agent 30") && !end.contains("more below"),
        "{end}"
    );
}

#[test]
fn narrowed_by_a_filter() {
    let mut p = Picker::new(agents(), PickMode::Many);
    press(&mut p, KeyCode::Char('/'));
    for c in "agent".chars() {
        press(&mut p, KeyCode::Char(c));
    }
    insta::assert_snapshot!(draw(&p, 80, 12));
}

#[test]
fn nothing_matches() {
    let mut p = Picker::new(agents(), PickMode::One);
    press(&mut p, KeyCode::Char('/'));
    press(&mut p, KeyCode::Char('z'));
    let text = draw(&p, 60, 6);
    assert!(text.contains("nothing matches “z”"), "{text}");
}

#[test]
fn wide_characters_and_tiny_boxes() {
    let items = vec![
        PickItem::new("株式会社コントソ東京本社のサポート担当").detail("ヘルプデスク"),
        PickItem::new("Zoë Ångström 🚀"),
    ];
    let p = Picker::new(items, PickMode::Many);
    for (w, h) in [(1, 1), (3, 2), (4, 3), (10, 4)] {
        draw(&p, w, h);
    }
    insta::assert_snapshot!(draw(&p, 30, 7));
}
