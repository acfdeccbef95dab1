//! The rules a new customer must meet, shared by the server (which enforces them) and the
//! dashboard's add-customer form (which checks before sending, with the same words). Every error
//! names the field by its JSON path, as the API's error body does.

use super::NewCustomer;

/// A field that broke a rule, by JSON path (`billingProfile.email`), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

pub const DOMAIN: &str = "companyProfile.domain";
pub const COMPANY_NAME: &str = "billingProfile.companyName";
pub const EMAIL: &str = "billingProfile.email";
pub const FIRST_NAME: &str = "billingProfile.firstName";
pub const LAST_NAME: &str = "billingProfile.lastName";
pub const COUNTRY: &str = "billingProfile.defaultAddress.country";
pub const CITY: &str = "billingProfile.defaultAddress.city";
pub const ADDRESS_LINE1: &str = "billingProfile.defaultAddress.addressLine1";
pub const POSTAL_CODE: &str = "billingProfile.defaultAddress.postalCode";
pub const CULTURE: &str = "billingProfile.culture";
pub const LANGUAGE: &str = "billingProfile.language";
pub const REGION: &str = "billingProfile.defaultAddress.region";
pub const STATE: &str = "billingProfile.defaultAddress.state";
pub const ADDRESS_LINE2: &str = "billingProfile.defaultAddress.addressLine2";
pub const ADDRESS_FIRST_NAME: &str = "billingProfile.defaultAddress.firstName";
pub const ADDRESS_LAST_NAME: &str = "billingProfile.defaultAddress.lastName";
pub const PHONE_NUMBER: &str = "billingProfile.defaultAddress.phoneNumber";
pub const ASSOCIATED_PARTNER_ID: &str = "associatedPartnerId";

/// Longest company name, contact name or address line, in characters.
pub const MAX_TEXT_CHARS: usize = 255;
/// Longest culture or language tag (BCP 47 allows 35 characters in practice).
const MAX_TAG_CHARS: usize = 35;

/// Characters no stored text may hold: C0/C1 controls (a newline, an escape that would drive a
/// terminal), line and paragraph separators, and the bidi embeddings, overrides and isolates that
/// make text display as something else ("Trojan Source"). Marks such as U+200C (ZWNJ), which some
/// scripts need in names, are fine.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Whether `text` holds any [`is_forbidden_char`].
pub fn has_forbidden_chars(text: &str) -> bool {
    text.chars().any(is_forbidden_char)
}

/// A DNS name such as `contoso.onmicrosoft.com`: letters, digits and hyphens, at least two labels.
pub fn is_domain(text: &str) -> bool {
    text.len() <= 253
        && text.split('.').count() >= 2
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

pub fn is_email(text: &str) -> bool {
    match text.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && !local
                    .chars()
                    .any(|c| c.is_whitespace() || is_forbidden_char(c))
                && is_domain(domain)
        }
        None => false,
    }
}

/// Stored text is shown in terminals and web pages: control characters have no place in it.
fn check_text(field: &'static str, text: &str) -> Result<(), Invalid> {
    if text.trim().is_empty() {
        return Err(Invalid::new(field, "is required"));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(Invalid::new(
            field,
            format!("must be at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    if has_forbidden_chars(text) {
        return Err(Invalid::new(field, "must not contain control characters"));
    }
    Ok(())
}

/// An optional text field: trimmed; when given, held to [`check_text`].
fn check_optional_text(field: &'static str, text: &mut String) -> Result<(), Invalid> {
    *text = text.trim().to_string();
    match text.is_empty() {
        true => Ok(()),
        false => check_text(field, text),
    }
}

/// A culture (`en-US`) or language (`en`) tag: letters, digits and hyphens. Empty gets the
/// default later.
fn check_tag(field: &'static str, text: &mut String) -> Result<(), Invalid> {
    *text = text.trim().to_string();
    if has_forbidden_chars(text) {
        return Err(Invalid::new(field, "must not contain control characters"));
    }
    let tag_chars = text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !tag_chars || text.len() > MAX_TAG_CHARS {
        return Err(Invalid::new(
            field,
            format!("{text:?} is not a language tag such as en-US"),
        ));
    }
    Ok(())
}

/// Checks a new customer and fills Partner Center's defaults (culture, language); trims names and
/// lowercases the domain. The first broken rule is reported, in the form's order.
pub fn check_new_customer(mut new: NewCustomer) -> Result<NewCustomer, Invalid> {
    let billing = &mut new.billing_profile;
    billing.company_name = billing.company_name.trim().to_string();
    check_text(COMPANY_NAME, &billing.company_name)?;
    let domain = new.company_profile.domain.trim().to_ascii_lowercase();
    if domain.is_empty() {
        return Err(Invalid::new(DOMAIN, "is required"));
    }
    if !is_domain(&domain) {
        return Err(Invalid::new(
            DOMAIN,
            format!("{domain:?} is not a valid domain name (for example contoso.onmicrosoft.com)"),
        ));
    }
    new.company_profile.domain = domain;
    let billing = &mut new.billing_profile;
    check_optional_text(FIRST_NAME, &mut billing.first_name)?;
    check_optional_text(LAST_NAME, &mut billing.last_name)?;
    billing.email = billing.email.trim().to_string();
    if billing.email.is_empty() {
        return Err(Invalid::new(EMAIL, "is required"));
    }
    if !is_email(&billing.email) {
        return Err(Invalid::new(
            EMAIL,
            format!("{:?} is not a valid email address", billing.email),
        ));
    }
    let address = &mut billing.default_address;
    // The form's fields in its order, then the rest of the address a client may send.
    for (field, text) in [
        (ADDRESS_LINE1, &mut address.address_line1),
        (CITY, &mut address.city),
        (POSTAL_CODE, &mut address.postal_code),
    ] {
        check_optional_text(field, text)?;
    }
    let country = address.country.trim().to_ascii_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(Invalid::new(
            COUNTRY,
            "must be a two-letter country code such as US",
        ));
    }
    address.country = country;
    for (field, text) in [
        (ADDRESS_LINE2, &mut address.address_line2),
        (STATE, &mut address.state),
        (REGION, &mut address.region),
        (ADDRESS_FIRST_NAME, &mut address.first_name),
        (ADDRESS_LAST_NAME, &mut address.last_name),
        (PHONE_NUMBER, &mut address.phone_number),
    ] {
        check_optional_text(field, text)?;
    }
    check_tag(CULTURE, &mut billing.culture)?;
    check_tag(LANGUAGE, &mut billing.language)?;
    if let Some(id) = new.associated_partner_id.as_mut() {
        check_optional_text(ASSOCIATED_PARTNER_ID, id)?;
    }
    let billing = &mut new.billing_profile;
    if billing.culture.is_empty() {
        billing.culture = "en-US".to_string();
    }
    if billing.language.is_empty() {
        billing.language = "en".to_string();
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Address, BillingProfile, NewCompanyProfile};

    fn new_customer(name: &str, domain: &str, email: &str, country: &str) -> NewCustomer {
        NewCustomer {
            company_profile: NewCompanyProfile {
                domain: domain.into(),
            },
            billing_profile: BillingProfile {
                company_name: name.into(),
                email: email.into(),
                default_address: Address {
                    country: country.into(),
                    ..Address::default()
                },
                ..BillingProfile::default()
            },
            associated_partner_id: None,
        }
    }

    #[test]
    fn domains_and_emails_are_checked_like_a_mail_server_would() {
        assert!(is_domain("contoso.onmicrosoft.com"));
        assert!(!is_domain("contoso"));
        assert!(!is_domain("-bad.example"));
        assert!(!is_domain("spa ce.example"));
        assert!(is_email("anna.schmidt@contoso.example"));
        assert!(!is_email("anna"));
        assert!(!is_email("an na@contoso.example"));
    }

    #[test]
    fn a_good_customer_is_trimmed_lowercased_and_given_defaults() {
        let checked = check_new_customer(new_customer(
            "  Müller & Söhne GmbH ",
            " Mueller.Example ",
            "anna@mueller.example",
            "de",
        ))
        .expect("valid");
        assert_eq!(checked.billing_profile.company_name, "Müller & Söhne GmbH");
        assert_eq!(checked.company_profile.domain, "mueller.example");
        assert_eq!(checked.billing_profile.default_address.country, "DE");
        assert_eq!(checked.billing_profile.culture, "en-US");
    }

    #[test]
    fn the_first_broken_rule_is_named_by_its_field_in_form_order() {
        let bad = |n, d, e, c| {
            check_new_customer(new_customer(n, d, e, c))
                .err()
                .map(|e| e.field)
        };
        assert_eq!(bad("", "", "", ""), Some(COMPANY_NAME));
        assert_eq!(bad("A\u{7}B", "a.b", "x@a.b", "US"), Some(COMPANY_NAME));
        assert_eq!(bad("A", "nodot", "x@a.b", "US"), Some(DOMAIN));
        assert_eq!(bad("A", "a.b", "x", "US"), Some(EMAIL));
        assert_eq!(bad("A", "a.b", "x@a.b", "USA"), Some(COUNTRY));
    }

    #[test]
    fn control_and_bidi_characters_are_refused_in_every_stored_field() {
        type Set = fn(&mut NewCustomer, &str);
        let fields: [(&str, Set); 17] = [
            (COMPANY_NAME, |c, v| {
                c.billing_profile.company_name = v.into()
            }),
            (FIRST_NAME, |c, v| c.billing_profile.first_name = v.into()),
            (LAST_NAME, |c, v| c.billing_profile.last_name = v.into()),
            (EMAIL, |c, v| c.billing_profile.email = format!("a{v}@a.b")),
            (DOMAIN, |c, v| c.company_profile.domain = format!("a{v}.b")),
            (CULTURE, |c, v| c.billing_profile.culture = v.into()),
            (LANGUAGE, |c, v| c.billing_profile.language = v.into()),
            (ADDRESS_LINE1, |c, v| {
                c.billing_profile.default_address.address_line1 = v.into()
            }),
            (ADDRESS_LINE2, |c, v| {
                c.billing_profile.default_address.address_line2 = v.into()
            }),
            (CITY, |c, v| {
                c.billing_profile.default_address.city = v.into()
            }),
            (STATE, |c, v| {
                c.billing_profile.default_address.state = v.into()
            }),
            (REGION, |c, v| {
                c.billing_profile.default_address.region = v.into()
            }),
            (POSTAL_CODE, |c, v| {
                c.billing_profile.default_address.postal_code = v.into()
            }),
            (COUNTRY, |c, v| {
                c.billing_profile.default_address.country = format!("U{v}")
            }),
            (PHONE_NUMBER, |c, v| {
                c.billing_profile.default_address.phone_number = v.into()
            }),
            (ADDRESS_FIRST_NAME, |c, v| {
                c.billing_profile.default_address.first_name = v.into()
            }),
            (ASSOCIATED_PARTNER_ID, |c, v| {
                c.associated_partner_id = Some(v.into())
            }),
        ];
        for bad in [
            "a\u{1b}[2Jb",
            "a\nb",
            "a\u{7f}b",
            "a\u{9b}b",
            "a\u{202e}b",
            "a\u{2028}b",
        ] {
            for (field, set) in fields {
                let mut customer = new_customer("A", "a.b", "x@a.b", "US");
                set(&mut customer, bad);
                let refused = check_new_customer(customer).expect_err(field);
                assert_eq!(refused.field, field, "{bad:?}");
            }
        }
        let mut fine = new_customer("A", "a.b", "x@a.b", "US");
        fine.billing_profile.default_address.address_line2 = "Suite 5".into();
        fine.billing_profile.default_address.phone_number = "+1 425 555 0100".into();
        fine.billing_profile.last_name = "Rahimi\u{200c}zadeh".into();
        fine.billing_profile.culture = "de-DE".into();
        assert!(check_new_customer(fine).is_ok());
    }

    #[test]
    fn the_rule_is_controls_separators_and_bidi_overrides() {
        for c in [
            '\0', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{2029}', '\u{202a}',
            '\u{2069}',
        ] {
            assert!(is_forbidden_char(c), "{c:?}");
        }
        for c in ['a', 'ü', ' ', '\u{200c}', '\u{200d}', '€', '中'] {
            assert!(!is_forbidden_char(c), "{c:?}");
        }
    }
}
