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

/// Longest company name, contact name or address line, in characters.
pub const MAX_TEXT_CHARS: usize = 255;

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
                && !local.chars().any(|c| c.is_whitespace() || c.is_control())
                && is_domain(domain)
        }
        None => false,
    }
}

/// Names are shown in terminals and web pages: control characters have no place in them.
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
    if text.chars().any(char::is_control) {
        return Err(Invalid::new(field, "must not contain control characters"));
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
    for (field, text) in [
        (FIRST_NAME, &mut billing.first_name),
        (LAST_NAME, &mut billing.last_name),
    ] {
        *text = text.trim().to_string();
        if !text.is_empty() {
            check_text(field, text)?;
        }
    }
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
    for (field, text) in [
        (ADDRESS_LINE1, &mut address.address_line1),
        (CITY, &mut address.city),
        (POSTAL_CODE, &mut address.postal_code),
    ] {
        *text = text.trim().to_string();
        if !text.is_empty() {
            check_text(field, text)?;
        }
    }
    let country = address.country.trim().to_ascii_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(Invalid::new(
            COUNTRY,
            "must be a two-letter country code such as US",
        ));
    }
    address.country = country;
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
}
