//! Input validation: every error names the field, as the API promises.

use crate::api::{CustomerFilter, MAX_PAGE_SIZE, NewCustomer};
use crate::server::error::ApiError;

pub use crate::api::validate::{has_forbidden_chars, is_domain, is_email};

/// Checks a new customer by the shared rules (`api::validate`), as the API's error body.
pub fn new_customer(new: NewCustomer) -> Result<NewCustomer, ApiError> {
    crate::api::validate::check_new_customer(new).map_err(|e| ApiError::invalid(e.field, e.message))
}

/// A search filter's value: not blank, at most 255 characters. Applied to the query's filter and
/// again to the one a continuation token carries.
pub fn filter(filter: &CustomerFilter) -> Result<(), ApiError> {
    if filter.value.trim().is_empty() {
        return Err(ApiError::invalid("filter", "Value must not be empty"));
    }
    if filter.value.chars().count() > 255 {
        return Err(ApiError::invalid(
            "filter",
            "Value is longer than 255 characters",
        ));
    }
    Ok(())
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
    fn page_size_is_capped_and_zero_is_refused() {
        assert_eq!(page_size(Some("5000")).ok().flatten(), Some(MAX_PAGE_SIZE));
        assert!(page_size(Some("0")).is_err());
        assert!(page_size(Some("ten")).is_err());
    }
}
