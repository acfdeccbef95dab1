//! The form's key handling: focus, editing, choices and toggles, Esc, Ctrl-S, sending, errors.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{FieldSpec, Form, FormOutcome};

pub const SEVERITIES: &[&str] = &["minimal", "moderate", "critical"];

pub const SPECS: &[FieldSpec] = &[
    FieldSpec::text("title", "Title")
        .required()
        .example("Cannot sign in"),
    FieldSpec::choice("severity", "Severity", SEVERITIES),
    FieldSpec::toggle("forceChange", "Force password change"),
    FieldSpec::text("contact.email", "Contact email"),
];

pub fn press(form: &mut Form, code: KeyCode) -> FormOutcome {
    form.on_key(&KeyEvent::new(code, KeyModifiers::NONE))
}
pub fn ctrl(form: &mut Form, c: char) -> FormOutcome {
    form.on_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}
pub fn typed(form: &mut Form, text: &str) {
    for c in text.chars() {
        press(form, KeyCode::Char(c));
    }
}

#[test]
fn tab_down_and_up_move_the_focus_around_and_wrap() {
    let mut form = Form::new(SPECS);
    assert_eq!(form.focused_key(), Some("title"));
    press(&mut form, KeyCode::Tab);
    press(&mut form, KeyCode::Down);
    assert_eq!(form.focused_key(), Some("forceChange"));
    press(&mut form, KeyCode::BackTab);
    assert_eq!(form.focused_key(), Some("severity"));
    press(&mut form, KeyCode::Up);
    press(&mut form, KeyCode::Up);
    assert_eq!(
        form.focused_key(),
        Some("contact.email"),
        "wraps to the last"
    );
    press(&mut form, KeyCode::Tab);
    assert_eq!(form.focused_key(), Some("title"), "and back to the first");
}

#[test]
fn question_mark_q_and_space_are_text_in_a_text_field() {
    let mut form = Form::new(SPECS);
    typed(&mut form, "Q&A? q now");
    assert_eq!(form.value("title"), "Q&A? q now");
}

#[test]
fn the_cursor_edits_inside_the_text_left_right_home_end_backspace_delete() {
    let mut form = Form::new(SPECS);
    typed(&mut form, "Contso");
    press(&mut form, KeyCode::Left);
    press(&mut form, KeyCode::Left);
    typed(&mut form, "o");
    assert_eq!(form.value("title"), "Contoso");
    press(&mut form, KeyCode::Home);
    press(&mut form, KeyCode::Delete);
    typed(&mut form, "K");
    press(&mut form, KeyCode::End);
    press(&mut form, KeyCode::Backspace);
    assert_eq!(form.value("title"), "Kontos");
    press(&mut form, KeyCode::Right);
    typed(&mut form, "!");
    assert_eq!(
        form.value("title"),
        "Kontos!",
        "Right at the end stays at the end"
    );
}

#[test]
fn ctrl_u_clears_the_field_and_ctrl_z_brings_it_back() {
    let mut form = Form::new(SPECS);
    typed(&mut form, "Contoso");
    assert_eq!(ctrl(&mut form, 'u'), FormOutcome::Stay);
    assert_eq!(form.value("title"), "");
    ctrl(&mut form, 'z');
    assert_eq!(form.value("title"), "Contoso");
}

#[test]
fn a_choice_cycles_with_left_right_and_space_and_jumps_by_its_first_letter() {
    let mut form = Form::new(SPECS);
    press(&mut form, KeyCode::Tab);
    assert_eq!(form.value("severity"), "minimal");
    press(&mut form, KeyCode::Right);
    assert_eq!(form.choice("severity"), Some(1));
    press(&mut form, KeyCode::Char(' '));
    assert_eq!(form.value("severity"), "critical");
    press(&mut form, KeyCode::Right);
    assert_eq!(form.value("severity"), "minimal", "wraps around");
    press(&mut form, KeyCode::Left);
    assert_eq!(form.value("severity"), "critical");
    typed(&mut form, "m");
    assert_eq!(form.value("severity"), "minimal");
    typed(&mut form, "m");
    assert_eq!(form.value("severity"), "moderate", "the next one with m");
    typed(&mut form, "?q");
    assert_eq!(
        form.value("severity"),
        "moderate",
        "other letters change nothing"
    );
}

#[test]
fn a_toggle_switches_with_space_and_arrows() {
    let mut form = Form::new(SPECS);
    press(&mut form, KeyCode::Tab);
    press(&mut form, KeyCode::Tab);
    assert!(!form.is_on("forceChange"));
    press(&mut form, KeyCode::Char(' '));
    assert!(form.is_on("forceChange"));
    press(&mut form, KeyCode::Left);
    assert!(!form.is_on("forceChange"));
    assert!(!form.is_dirty(), "back where it started");
}

#[test]
fn ctrl_s_from_any_field_and_enter_on_the_last_ask_to_submit() {
    let mut form = Form::new(SPECS);
    assert_eq!(ctrl(&mut form, 's'), FormOutcome::Submit);
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Stay);
    assert_eq!(form.focus(), 1, "Enter moves on");
    press(&mut form, KeyCode::Enter);
    press(&mut form, KeyCode::Enter);
    assert_eq!(form.focused_key(), Some("contact.email"));
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Submit);
}

#[test]
fn esc_closes_an_untouched_form_and_asks_first_when_something_was_typed() {
    let mut form = Form::new(SPECS).with_value("contact.email", "ada@contoso.example");
    assert_eq!(
        press(&mut form, KeyCode::Esc),
        FormOutcome::Cancel,
        "a preset is not typed"
    );
    typed(&mut form, "x");
    assert_eq!(press(&mut form, KeyCode::Esc), FormOutcome::DiscardArmed);
    assert!(form.discard_armed());
    typed(&mut form, "y");
    assert!(!form.discard_armed(), "any other key keeps editing");
    assert_eq!(form.value("title"), "xy");
    assert_eq!(press(&mut form, KeyCode::Esc), FormOutcome::DiscardArmed);
    assert_eq!(press(&mut form, KeyCode::Esc), FormOutcome::Cancel);
}

#[test]
fn f1_asks_for_help() {
    let mut form = Form::new(SPECS);
    assert_eq!(press(&mut form, KeyCode::F(1)), FormOutcome::Help);
}

#[test]
fn while_sending_edits_are_ignored_and_only_esc_and_f1_do_anything() {
    let mut form = Form::new(SPECS);
    typed(&mut form, "Outage");
    form.set_sending(true);
    assert_eq!(press(&mut form, KeyCode::Char('x')), FormOutcome::Busy);
    assert_eq!(press(&mut form, KeyCode::Tab), FormOutcome::Busy);
    assert_eq!(ctrl(&mut form, 's'), FormOutcome::Busy, "not sent twice");
    form.paste("pasted");
    assert_eq!(form.value("title"), "Outage");
    assert_eq!(form.focus(), 0);
    assert_eq!(press(&mut form, KeyCode::F(1)), FormOutcome::Help);
    assert_eq!(
        press(&mut form, KeyCode::Esc),
        FormOutcome::Cancel,
        "stop waiting at once"
    );
}

#[test]
fn a_backend_error_naming_a_wire_field_lands_at_that_field_with_the_focus() {
    let mut form = Form::new(SPECS);
    form.set_sending(true);
    form.show_error(Some("contact.email"), "is not an email address");
    assert!(!form.is_sending());
    assert_eq!(form.focused_key(), Some("contact.email"));
    assert_eq!(form.error("contact.email"), Some("is not an email address"));
    assert_eq!(form.form_error(), None);
    // Editing that field clears its error; moving does not.
    press(&mut form, KeyCode::Left);
    assert!(form.error("contact.email").is_some());
    typed(&mut form, "a");
    assert_eq!(form.error("contact.email"), None);
}

#[test]
fn an_error_without_a_known_field_goes_on_the_form_line() {
    let mut form = Form::new(SPECS);
    form.show_error(Some("billingProfile.unknown"), "something is off");
    assert_eq!(form.form_error(), Some("something is off"));
    form.show_error(None, "database is locked");
    assert_eq!(form.form_error(), Some("database is locked"));
    form.set_sending(true);
    assert_eq!(form.form_error(), None, "a new attempt clears it");
}

#[test]
fn check_required_marks_every_empty_required_field_and_focuses_the_first() {
    let specs = [
        FieldSpec::text("a", "A"),
        FieldSpec::text("b", "B").required(),
        FieldSpec::text("c", "C").required(),
    ];
    let mut form = Form::new(&specs);
    form.on_key(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    form.on_key(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    typed(&mut form, "  ");
    assert!(!form.check_required());
    assert_eq!(form.first_error(), Some((1, "is required")));
    assert_eq!(form.error("c"), Some("is required"), "blank is empty");
    assert_eq!(form.focused_key(), Some("b"));
}

#[test]
fn paste_goes_into_the_focused_field_on_one_line_without_controls() {
    let mut form = Form::new(SPECS);
    typed(&mut form, "Sign-in ");
    form.paste(" fails\r\nfor\tall\u{1b}[31m users\u{202e}\n");
    assert_eq!(form.value("title"), "Sign-in fails for all[31m users");
    // Nothing lands in a choice.
    press(&mut form, KeyCode::Tab);
    form.paste("critical");
    assert_eq!(form.value("severity"), "minimal");
}

#[test]
fn a_field_keeps_no_more_than_its_length_whether_typed_or_pasted() {
    let specs = [FieldSpec::text("code", "Code").max_chars(4)];
    let mut form = Form::new(&specs);
    form.paste("ABCDEF");
    assert_eq!(form.value("code"), "ABCD");
    typed(&mut form, "G");
    assert_eq!(form.value("code"), "ABCD");
}

#[test]
fn a_newline_key_never_makes_a_second_line() {
    let mut form = Form::new(SPECS);
    typed(&mut form, "one");
    ctrl(&mut form, 'm');
    typed(&mut form, "two");
    assert_eq!(form.value("title"), "one two");
}

#[test]
fn a_choice_takes_options_loaded_later_and_keeps_what_was_chosen() {
    let mut form = Form::new(SPECS);
    press(&mut form, KeyCode::Tab);
    press(&mut form, KeyCode::Right);
    assert_eq!(form.value("severity"), "moderate");
    let loaded = vec!["critical".to_string(), "moderate".to_string()];
    assert!(form.set_options("severity", loaded));
    assert_eq!(
        form.value("severity"),
        "moderate",
        "still offered, still chosen"
    );
    assert_eq!(form.choice("severity"), Some(1));
    press(&mut form, KeyCode::Right);
    assert_eq!(form.value("severity"), "critical", "cycles the loaded ones");
    assert!(form.set_options("severity", vec!["none".to_string()]));
    assert_eq!(form.value("severity"), "none", "gone: back to the first");
    assert!(
        !form.set_options("title", vec!["x".to_string()]),
        "not a choice"
    );
    assert_eq!(form.value("title"), "");
}

#[test]
fn options_loaded_into_an_untouched_form_leave_esc_closing_at_once() {
    let mut form = Form::new(SPECS);
    form.set_options("severity", vec!["none".to_string(), "Ann".to_string()]);
    assert!(!form.is_dirty());
    assert_eq!(press(&mut form, KeyCode::Esc), FormOutcome::Cancel);
}

#[test]
fn a_prefilled_field_can_start_with_the_cursor_before_its_text() {
    let mut form = Form::new(SPECS)
        .with_value("title", "@contoso.example")
        .with_cursor_at_start("title");
    typed(&mut form, "lena");
    assert_eq!(form.value("title"), "lena@contoso.example");
    let mut plain = Form::new(SPECS).with_value("title", "@contoso.example");
    typed(&mut plain, "lena");
    assert_eq!(
        plain.value("title"),
        "@contoso.examplelena",
        "the end, by default"
    );
}
