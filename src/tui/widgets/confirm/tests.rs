//! The confirmation's keys (only `y` confirms) and its drawing at 80×24, narrow and tiny.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::widgets::Widget;

use super::{Confirm, ConfirmOutcome, ConfirmView};
use crate::tui::theme::Theme;
use crate::tui::widgets::testing::drawn;

fn end_contoso() -> Confirm {
    Confirm::new(
        "End the relationship?",
        "Contoso Ltd (contoso.onmicrosoft.com)",
        "You can no longer sell to or manage this customer, and your admin access to its tenant ends. It can be reinstated later.",
        "end it",
    )
    .with_working_text("Ending the relationship with Contoso Ltd…")
}

fn press(c: &mut Confirm, code: KeyCode, modifiers: KeyModifiers) -> ConfirmOutcome {
    c.on_key(&KeyEvent::new(code, modifiers))
}

fn draw(c: &Confirm, width: u16, height: u16) -> String {
    drawn(width, height, |area, buf| {
        ConfirmView {
            confirm: c,
            theme: Theme::new(false),
            spinner: "⠋",
        }
        .render(area, buf)
    })
}

#[test]
fn y_confirms_and_anything_else_cancels() {
    let none = KeyModifiers::NONE;
    assert_eq!(
        press(&mut end_contoso(), KeyCode::Char('y'), none),
        ConfirmOutcome::Confirmed
    );
    assert_eq!(
        press(&mut end_contoso(), KeyCode::Char('Y'), KeyModifiers::SHIFT),
        ConfirmOutcome::Confirmed
    );
    for code in [
        KeyCode::Char('n'),
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Char(' '),
        KeyCode::Char('x'),
    ] {
        assert_eq!(
            press(&mut end_contoso(), code, none),
            ConfirmOutcome::Cancelled,
            "{code:?}"
        );
    }
    assert_eq!(
        press(
            &mut end_contoso(),
            KeyCode::Char('y'),
            KeyModifiers::CONTROL
        ),
        ConfirmOutcome::Cancelled,
        "Ctrl-Y is not y"
    );
}

#[test]
fn while_working_keys_wait_and_esc_stops_waiting() {
    let mut c = end_contoso();
    c.set_working(true);
    assert_eq!(
        press(&mut c, KeyCode::Char('y'), KeyModifiers::NONE),
        ConfirmOutcome::Busy,
        "not sent twice"
    );
    assert_eq!(
        press(&mut c, KeyCode::Char('n'), KeyModifiers::NONE),
        ConfirmOutcome::Busy
    );
    assert_eq!(
        press(&mut c, KeyCode::Esc, KeyModifiers::NONE),
        ConfirmOutcome::Cancelled
    );
    c.set_working(false);
    assert_eq!(
        press(&mut c, KeyCode::Char('y'), KeyModifiers::NONE),
        ConfirmOutcome::Confirmed,
        "after a refusal y may be pressed again"
    );
}

#[test]
fn snapshot_at_80_by_24() {
    insta::assert_snapshot!(draw(&end_contoso(), 80, 24));
}

#[test]
fn snapshot_while_working() {
    let mut c = end_contoso();
    c.set_working(true);
    insta::assert_snapshot!(draw(&c, 80, 24));
}

#[test]
fn snapshot_narrow_with_wide_characters_wraps_within_the_box() {
    let c = Confirm::new(
        "End the relationship?",
        "株式会社コントソ東京本社 (contoso.co.jp)",
        "You can no longer sell to or manage this customer.",
        "end it",
    );
    insta::assert_snapshot!(draw(&c, 30, 12));
}

#[test]
fn tiny_areas_do_not_panic() {
    for (w, h) in [(1, 1), (3, 2), (5, 3), (12, 4)] {
        draw(&end_contoso(), w, h);
    }
}
