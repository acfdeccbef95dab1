//! Snapshots of the form on ratatui's `TestBackend`: at 80×24, in a short and a narrow area, with
//! errors under their fields, while sending, and with wide characters in labels and values.

use crossterm::event::KeyCode;

use super::tests::{SPECS, press, typed};
use super::{FieldSpec, Form, FormView};
use crate::tui::theme::Theme;
use crate::tui::widgets::testing::drawn;

fn draw(form: &Form, width: u16, height: u16) -> String {
    drawn(width, height, |area, buf| {
        ratatui::widgets::Widget::render(
            &FormView {
                form,
                theme: Theme::new(false),
                title: " Open a service request for Contoso",
                how: " * required · Tab next field · Ctrl-S sends · Esc cancels",
                sending: "⠋ Opening the request…",
            },
            area,
            buf,
        )
    })
}

fn filled() -> Form {
    let mut form = Form::new(SPECS);
    typed(&mut form, "Users cannot sign in");
    press(&mut form, KeyCode::Tab);
    press(&mut form, KeyCode::Right);
    press(&mut form, KeyCode::Tab);
    press(&mut form, KeyCode::Char(' '));
    form
}

#[test]
fn an_empty_form_at_80_by_24() {
    insta::assert_snapshot!(draw(&Form::new(SPECS), 80, 24));
}

#[test]
fn a_filled_form_with_a_choice_and_a_toggle_focused() {
    insta::assert_snapshot!(draw(&filled(), 80, 24));
}

#[test]
fn errors_under_their_fields_and_on_the_form_line() {
    let mut form = filled();
    form.show_error(
        Some("contact.email"),
        "\"ada at contoso\" is not an email address: it needs an @ and a domain after it, like ada@contoso.com",
    );
    form.set_error("title", "is too long");
    form.set_form_error(Some(
        "Could not open the request: the backend is busy".into(),
    ));
    insta::assert_snapshot!(draw(&form, 80, 24));
}

#[test]
fn sending() {
    let mut form = filled();
    form.set_sending(true);
    insta::assert_snapshot!(draw(&form, 80, 24));
}

#[test]
fn a_short_area_scrolls_to_the_focused_field_and_its_error() {
    let mut form = Form::new(SPECS);
    form.set_error("contact.email", "is not an email address");
    insta::assert_snapshot!(draw(&form, 60, 4));
}

#[test]
fn a_tiny_area_draws_what_fits_without_panicking() {
    let mut form = filled();
    form.set_error("title", "is required");
    form.set_form_error(Some("Could not open the request".into()));
    for (w, h) in [(1, 1), (10, 2), (20, 3), (30, 5)] {
        draw(&form, w, h);
    }
    insta::assert_snapshot!(draw(&form, 30, 6));
}

#[test]
fn wide_characters_in_labels_and_values_keep_the_columns() {
    const SPECS: &[FieldSpec] = &[
        FieldSpec::text("name", "会社名 (company)").required(),
        FieldSpec::choice("city", "都市", &["東京", "Zürich", "🚀 launch"]),
        FieldSpec::text("note", "Note"),
    ];
    let mut form = Form::new(SPECS);
    typed(&mut form, "株式会社コントソ 東京本社");
    press(&mut form, KeyCode::Tab);
    press(&mut form, KeyCode::Left);
    insta::assert_snapshot!(draw(&form, 60, 8));
}
