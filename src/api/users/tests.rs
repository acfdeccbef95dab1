use super::validate::*;
use super::*;

fn new_user(upn: &str, password: &str) -> NewUser {
    NewUser {
        user_principal_name: upn.into(),
        first_name: " Jane ".into(),
        last_name: "Doe".into(),
        display_name: String::new(),
        usage_location: "de".into(),
        password_profile: PasswordProfile {
            password: password.into(),
            force_change_password: true,
        },
    }
}

#[test]
fn a_good_user_is_trimmed_and_gets_a_display_name() {
    let checked = check_new_user(
        new_user(" jane.doe@Contoso.Example ", "Summer#2026"),
        "contoso.example",
    )
    .expect("valid");
    assert_eq!(checked.user_principal_name, "jane.doe@contoso.example");
    assert_eq!(checked.first_name, "Jane");
    assert_eq!(checked.display_name, "Jane Doe");
    assert_eq!(checked.usage_location, "DE");
}

#[test]
fn each_broken_rule_names_its_field() {
    let field = |upn: &str, password: &str| {
        check_new_user(new_user(upn, password), "contoso.example")
            .err()
            .map(|e| e.field)
    };
    assert_eq!(field("", "Summer#2026"), Some(UPN));
    assert_eq!(field("jane@fabrikam.example", "Summer#2026"), Some(UPN));
    assert_eq!(field("ja ne@contoso.example", "Summer#2026"), Some(UPN));
    assert_eq!(field("jane@contoso.example", "Short#1"), Some(PASSWORD));
    assert_eq!(
        field("jane@contoso.example", "alllowercase"),
        Some(PASSWORD)
    );
    assert_eq!(
        field("jane@contoso.example", "lower2026nosym"),
        Some(PASSWORD)
    );
    let mut bad = new_user("jane@contoso.example", "Summer#2026");
    bad.usage_location = "DEU".into();
    let err = check_new_user(bad, "contoso.example").expect_err("location");
    assert_eq!(err.field, USAGE_LOCATION);
    let mut nameless = new_user("jane@contoso.example", "Summer#2026");
    nameless.first_name.clear();
    nameless.last_name = "\u{202e}x".into();
    let err = check_new_user(nameless, "contoso.example").expect_err("bidi");
    assert_eq!(err.field, LAST_NAME);
}

#[test]
fn the_domain_message_says_which_domain_is_expected() {
    let err = check_new_user(
        new_user("jane@fabrikam.example", "Summer#2026"),
        "contoso.example",
    )
    .expect_err("foreign domain");
    assert!(err.message.contains("@contoso.example"), "{}", err.message);
}

#[test]
fn three_of_four_character_classes_are_enough() {
    assert!(check_password("summer2026!").is_ok());
    assert!(check_password("SUMMER2026x").is_ok());
    assert!(check_password("Summer2026").is_ok());
    assert!(check_password("summer2026").is_err());
    assert!(check_password("Sum 2026!x").is_err());
}

#[test]
fn the_password_never_shows_in_debug_output() {
    let user = new_user("jane@contoso.example", "Summer#2026");
    assert!(!format!("{user:?}").contains("Summer#2026"));
}

#[test]
fn days_left_to_restore_count_from_the_removal() {
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-02T12:00:00Z")
        .expect("time")
        .with_timezone(&chrono::Utc);
    let removed = |at: &str| User {
        id: "u".into(),
        user_principal_name: String::new(),
        first_name: String::new(),
        last_name: String::new(),
        display_name: String::new(),
        usage_location: String::new(),
        state: INACTIVE.into(),
        soft_deletion_time: Some(at.into()),
        assigned_licenses: Vec::new(),
        attributes: UserAttributes::default(),
    };
    assert_eq!(
        removed("2026-12-02T12:00:00Z").restore_days_left(now),
        Some(30)
    );
    assert_eq!(
        removed("2026-11-25T13:00:00Z").restore_days_left(now),
        Some(24)
    );
    assert_eq!(
        removed("2026-10-01T00:00:00Z").restore_days_left(now),
        Some(0)
    );
}
