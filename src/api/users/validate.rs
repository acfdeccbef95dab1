//! The rules a new user must meet, shared by the server (which enforces them) and the dashboard's
//! add-user form (which checks before sending, with the same words). Errors name the field by its
//! JSON path, as the API's error body does.

use super::NewUser;
use crate::api::validate::{Invalid, MAX_TEXT_CHARS, has_forbidden_chars};

pub const UPN: &str = "userPrincipalName";
pub const FIRST_NAME: &str = "firstName";
pub const LAST_NAME: &str = "lastName";
pub const DISPLAY_NAME: &str = "displayName";
pub const USAGE_LOCATION: &str = "usageLocation";
pub const PASSWORD: &str = "passwordProfile.password";

/// Shortest password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password: Entra ID's limit.
pub const MAX_PASSWORD_CHARS: usize = 256;

fn invalid(field: &'static str, message: impl Into<String>) -> Invalid {
    Invalid {
        field,
        message: message.into(),
    }
}

/// At least 8 characters and three of: lower-case letters, capitals, digits, symbols.
pub fn check_password(password: &str) -> Result<(), Invalid> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(invalid(
            PASSWORD,
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(invalid(
            PASSWORD,
            format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    if password
        .chars()
        .any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(invalid(
            PASSWORD,
            "must not contain spaces or control characters",
        ));
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|has| **has).count() < 3 {
        return Err(invalid(
            PASSWORD,
            "must mix three of: lower-case letters, capitals, digits, symbols",
        ));
    }
    Ok(())
}

/// The part before `@`: letters, digits, `.`, `-`, `_`, not starting or ending with a dot.
fn is_mail_nickname(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn check_name(field: &'static str, text: &mut String, required: bool) -> Result<(), Invalid> {
    *text = text.trim().to_string();
    if text.is_empty() {
        return match required {
            true => Err(invalid(field, "is required")),
            false => Ok(()),
        };
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(invalid(
            field,
            format!("must be at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    if has_forbidden_chars(text) {
        return Err(invalid(field, "must not contain control characters"));
    }
    Ok(())
}

/// Checks a new user of the customer whose domain is `domain`: trims the names, lower-cases the
/// UPN's domain and upper-cases the usage location; a blank display name becomes "First Last".
/// The first broken rule is reported, in the form's order.
pub fn check_new_user(mut new: NewUser, domain: &str) -> Result<NewUser, Invalid> {
    let upn = new.user_principal_name.trim();
    if upn.is_empty() {
        return Err(invalid(UPN, "is required"));
    }
    let Some((local, upn_domain)) = upn.rsplit_once('@') else {
        return Err(invalid(
            UPN,
            format!("must be a sign-in name such as jane.doe@{domain}"),
        ));
    };
    if !is_mail_nickname(local) {
        return Err(invalid(
            UPN,
            format!(
                "{local:?} may hold only letters, digits, '.', '-' and '_' before @ (for example jane.doe@{domain})"
            ),
        ));
    }
    if !upn_domain.eq_ignore_ascii_case(domain) {
        return Err(invalid(
            UPN,
            format!("must end in @{domain}, the customer's domain"),
        ));
    }
    new.user_principal_name = format!("{local}@{}", domain.to_ascii_lowercase());
    check_name(FIRST_NAME, &mut new.first_name, false)?;
    check_name(LAST_NAME, &mut new.last_name, false)?;
    if new.display_name.trim().is_empty() {
        new.display_name = format!("{} {}", new.first_name, new.last_name);
    }
    check_name(DISPLAY_NAME, &mut new.display_name, true)?;
    let location = new.usage_location.trim().to_ascii_uppercase();
    if location.len() != 2 || !location.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(invalid(
            USAGE_LOCATION,
            "must be a two-letter country code such as US",
        ));
    }
    new.usage_location = location;
    check_password(&new.password_profile.password)?;
    Ok(new)
}
