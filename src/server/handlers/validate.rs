//! Input validation: every error names the field, as the API promises.

use crate::api::{MAX_PAGE_SIZE, NewCustomer};
use crate::server::error::ApiError;

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
fn check_text(field: &str, text: &str, max_chars: usize) -> Result<(), ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::invalid(field, "is required"));
    }
    if text.chars().count() > max_chars {
        return Err(ApiError::invalid(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// Checks a new customer and fills Partner Center's defaults (culture, language); trims names.
pub fn new_customer(mut new: NewCustomer) -> Result<NewCustomer, ApiError> {
    let domain = new.company_profile.domain.trim().to_ascii_lowercase();
    if domain.is_empty() {
        return Err(ApiError::invalid("companyProfile.domain", "is required"));
    }
    if !is_domain(&domain) {
        return Err(ApiError::invalid(
            "companyProfile.domain",
            format!("{domain:?} is not a valid domain name (for example contoso.onmicrosoft.com)"),
        ));
    }
    new.company_profile.domain = domain;
    let billing = &mut new.billing_profile;
    billing.company_name = billing.company_name.trim().to_string();
    check_text("billingProfile.companyName", &billing.company_name, 255)?;
    billing.email = billing.email.trim().to_string();
    if billing.email.is_empty() {
        return Err(ApiError::invalid("billingProfile.email", "is required"));
    }
    if !is_email(&billing.email) {
        return Err(ApiError::invalid(
            "billingProfile.email",
            format!("{:?} is not a valid email address", billing.email),
        ));
    }
    let country = billing.default_address.country.trim().to_ascii_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(ApiError::invalid(
            "billingProfile.defaultAddress.country",
            "must be a two-letter country code such as US",
        ));
    }
    billing.default_address.country = country;
    for (field, text) in [
        ("billingProfile.firstName", &billing.first_name),
        ("billingProfile.lastName", &billing.last_name),
        (
            "billingProfile.defaultAddress.city",
            &billing.default_address.city,
        ),
        (
            "billingProfile.defaultAddress.addressLine1",
            &billing.default_address.address_line1,
        ),
    ] {
        if !text.is_empty() {
            check_text(field, text, 255)?;
        }
    }
    if billing.culture.is_empty() {
        billing.culture = "en-US".to_string();
    }
    if billing.language.is_empty() {
        billing.language = "en".to_string();
    }
    Ok(new)
}

/// `size`: 1 or more; above the maximum it is capped, as Partner Center does.
pub fn page_size(raw: Option<&str>) -> Result<Option<u32>, ApiError> {
    match raw {
        None => Ok(None),
        Some(text) => match text.parse::<u32>() {
            Ok(0) | Err(_) => Err(ApiError::invalid(
                "size",
                format!("must be a whole number from 1 to {MAX_PAGE_SIZE}"),
            )),
            Ok(n) => Ok(Some(n.min(MAX_PAGE_SIZE))),
        },
    }
}

/// `startDate`/`endDate`: a date (`2026-11-01`) or an RFC 3339 time, normalised to RFC 3339 UTC.
pub fn date_bound(
    field: &str,
    raw: Option<&str>,
    end_of_day: bool,
) -> Result<Option<String>, ApiError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(Some(
            time.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ));
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let clock = if end_of_day { "23:59:59" } else { "00:00:00" };
        return Ok(Some(format!("{date}T{clock}Z")));
    }
    Err(ApiError::invalid(
        field,
        "must be a date (2026-11-01) or an RFC 3339 time",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn page_size_is_capped_and_zero_is_refused() {
        assert_eq!(page_size(Some("5000")).ok().flatten(), Some(MAX_PAGE_SIZE));
        assert!(page_size(Some("0")).is_err());
        assert!(page_size(Some("ten")).is_err());
    }
}
