//! The picker's keys: moving, marking, choosing, greyed items, the filter, and paging by what the
//! last drawing showed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{PickItem, PickMode, Picker, PickerOutcome};

pub fn agents() -> Vec<PickItem> {
    vec![
        PickItem::new("Ada Lovelace").detail("Admin agent · ada@contoso.example"),
        PickItem::new("Grace Hopper").detail("Helpdesk agent"),
        PickItem::new("Alan Turing").disabled("signed out of the partner for good"),
        PickItem::new("Edsger Dijkstra"),
        PickItem::new("Barbara Liskov").detail("Sales agent"),
    ]
}

pub fn press(p: &mut Picker, code: KeyCode) -> PickerOutcome {
    p.on_key(&KeyEvent::new(code, KeyModifiers::NONE))
}
fn typed(p: &mut Picker, text: &str) {
    for c in text.chars() {
        press(p, KeyCode::Char(c));
    }
}

#[test]
fn j_k_arrows_g_and_shift_g_move_and_stop_at_the_ends() {
    let mut p = Picker::new(agents(), PickMode::One);
    press(&mut p, KeyCode::Char('k'));
    assert_eq!(p.cursor(), Some(0));
    press(&mut p, KeyCode::Char('j'));
    press(&mut p, KeyCode::Down);
    assert_eq!(
        p.cursor(),
        Some(2),
        "greyed items can be reached, to read why"
    );
    press(&mut p, KeyCode::Char('G'));
    assert_eq!(p.cursor(), Some(4));
    press(&mut p, KeyCode::Down);
    assert_eq!(p.cursor(), Some(4));
    press(&mut p, KeyCode::Up);
    assert_eq!(p.cursor(), Some(3));
    press(&mut p, KeyCode::Char('g'));
    assert_eq!(p.cursor(), Some(0));
}

#[test]
fn page_keys_move_by_what_the_last_drawing_fitted() {
    let mut p = Picker::new(agents(), PickMode::One);
    press(&mut p, KeyCode::PageDown);
    assert_eq!(p.cursor(), Some(1), "nothing drawn yet: one at a time");
    p.view.set((0, 3));
    press(&mut p, KeyCode::PageDown);
    assert_eq!(p.cursor(), Some(4));
    press(&mut p, KeyCode::PageUp);
    assert_eq!(p.cursor(), Some(1));
}

#[test]
fn enter_chooses_the_item_under_the_cursor_in_single_mode() {
    let mut p = Picker::new(agents(), PickMode::One);
    press(&mut p, KeyCode::Down);
    assert_eq!(
        press(&mut p, KeyCode::Enter),
        PickerOutcome::Chosen(vec![1])
    );
    press(&mut p, KeyCode::Down);
    assert_eq!(
        press(&mut p, KeyCode::Enter),
        PickerOutcome::Refused("signed out of the partner for good".into())
    );
}

#[test]
fn space_marks_and_enter_chooses_the_marked_in_multi_mode() {
    let mut p = Picker::new(agents(), PickMode::Many).with_marked(&[4]);
    press(&mut p, KeyCode::Char(' '));
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Down);
    assert_eq!(
        press(&mut p, KeyCode::Char(' ')),
        PickerOutcome::Refused("signed out of the partner for good".into()),
        "a greyed one can't be marked"
    );
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Char(' '));
    press(&mut p, KeyCode::Char(' '));
    assert_eq!(
        press(&mut p, KeyCode::Enter),
        PickerOutcome::Chosen(vec![0, 4])
    );
}

#[test]
fn a_marks_all_that_may_be_chosen_and_again_marks_none() {
    let mut p = Picker::new(agents(), PickMode::Many).with_marked(&[1]);
    press(&mut p, KeyCode::Char('a'));
    assert_eq!(p.marked(), vec![0, 1, 3, 4], "not the greyed one");
    press(&mut p, KeyCode::Char('a'));
    assert!(p.marked().is_empty());
    assert_eq!(
        press(&mut p, KeyCode::Enter),
        PickerOutcome::Chosen(vec![]),
        "none is a choice"
    );
}

#[test]
fn esc_and_q_cancel() {
    let mut p = Picker::new(agents(), PickMode::Many);
    assert_eq!(press(&mut p, KeyCode::Esc), PickerOutcome::Cancelled);
    assert_eq!(press(&mut p, KeyCode::Char('q')), PickerOutcome::Cancelled);
}

#[test]
fn slash_narrows_by_label_or_detail_and_esc_widens_again() {
    let mut p = Picker::new(agents(), PickMode::Many);
    press(&mut p, KeyCode::Char('/'));
    typed(&mut p, "AGENT");
    assert_eq!(p.shown(), &[0, 1, 4], "case does not matter; details count");
    typed(&mut p, " q");
    assert!(p.shown().is_empty(), "q is text while typing");
    press(&mut p, KeyCode::Backspace);
    press(&mut p, KeyCode::Backspace);
    press(&mut p, KeyCode::Enter);
    assert!(!p.is_typing());
    assert_eq!(p.filter(), "AGENT");
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Char(' '));
    assert_eq!(p.marked(), vec![4], "keys act on the narrowed list");
    press(&mut p, KeyCode::Char('a'));
    assert_eq!(p.marked(), vec![0, 1, 4], "a marks what is shown");
    assert_eq!(
        press(&mut p, KeyCode::Esc),
        PickerOutcome::Stay,
        "first Esc drops the filter"
    );
    assert_eq!(p.shown().len(), 5);
    assert_eq!(p.cursor(), Some(4), "the cursor stays on its item");
    assert_eq!(press(&mut p, KeyCode::Esc), PickerOutcome::Cancelled);
}

#[test]
fn labels_from_the_backend_are_sanitized() {
    let item = PickItem::new("Mallory\u{202e}txt.exe\u{1b}[2J").detail("a\nb");
    assert!(!item.label.contains('\u{202e}'));
    assert!(!item.label.contains('\u{1b}'));
    assert_eq!(item.detail.as_deref(), Some("a b"));
}

#[test]
fn an_empty_picker_chooses_nothing_in_single_mode() {
    let mut p = Picker::new(Vec::new(), PickMode::One);
    assert_eq!(press(&mut p, KeyCode::Enter), PickerOutcome::Stay);
    press(&mut p, KeyCode::Char('G'));
    assert_eq!(p.cursor(), None);
}
