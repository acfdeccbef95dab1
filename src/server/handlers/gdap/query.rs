//! The list's OData query: `$top`, `$orderby=endDateTime`, `$skiptoken`, and `$filter` terms
//! joined by ` and ` (`status eq 'active'`, `customer/tenantId eq '...'`, `endDateTime le
//! '<RFC 3339>'`). Anything else is a 400 naming the parameter.

use std::collections::HashMap;

use crate::api::gdap::RelationshipStatus;
use crate::server::error::ApiError;
use crate::server::paging::gdap::{MAX_TENANT_CHARS, MAX_TOP, RelationshipContinuation};
use crate::server::signing::Signer;
use crate::server::store::gdap::RelationshipQuery;

/// `$top` when none is sent.
pub const DEFAULT_TOP: u32 = 100;
/// A longer `$filter` is refused before it is read.
const MAX_FILTER_CHARS: usize = 1000;

const FILTER: &str = "$filter";
const FILTER_HELP: &str = "understood: status eq '<status>', customer/tenantId eq '<tenant id>', \
    endDateTime le '<RFC 3339 time>', joined by and";

/// The store query a request's parameters ask for.
pub fn parse(
    params: &HashMap<String, String>,
    signer: &Signer,
) -> Result<RelationshipQuery, ApiError> {
    for name in params.keys() {
        if name.starts_with('$')
            && !matches!(
                name.as_str(),
                "$top" | "$filter" | "$orderby" | "$skiptoken"
            )
        {
            return Err(ApiError::invalid(
                name,
                "not understood here: use $top, $filter, $orderby=endDateTime or $skiptoken",
            ));
        }
    }
    if let Some(order) = params.get("$orderby") {
        let order = order.trim();
        if order != "endDateTime" && order != "endDateTime asc" {
            return Err(ApiError::invalid(
                "$orderby",
                "relationships are listed by endDateTime (none last), then id",
            ));
        }
    }
    // The token carries the size and filter the listing started with.
    if let Some(token) = params.get("$skiptoken") {
        return RelationshipContinuation::decode(token, signer)
            .map(|c| c.query())
            .ok_or_else(|| {
                ApiError::invalid(
                    "$skiptoken",
                    "unknown or altered token: start again from the first page",
                )
            });
    }
    let size = match params.get("$top").map(|t| t.trim().parse::<u32>()) {
        None => DEFAULT_TOP,
        Some(Ok(n)) if n > 0 => n.min(MAX_TOP),
        Some(_) => {
            return Err(ApiError::invalid(
                "$top",
                format!("must be a whole number from 1 to {MAX_TOP}"),
            ));
        }
    };
    let mut query = RelationshipQuery {
        size,
        ..RelationshipQuery::default()
    };
    if let Some(filter) = params.get(FILTER) {
        apply_filter(filter, &mut query)?;
    }
    Ok(query)
}

fn bad_filter(why: impl Into<String>) -> ApiError {
    ApiError::invalid(FILTER, format!("{}; {FILTER_HELP}", why.into()))
}

fn apply_filter(text: &str, query: &mut RelationshipQuery) -> Result<(), ApiError> {
    if text.chars().count() > MAX_FILTER_CHARS {
        return Err(bad_filter(format!(
            "longer than {MAX_FILTER_CHARS} characters"
        )));
    }
    let mut rest = text.trim();
    loop {
        let (field, after_field) = word(rest);
        let (op, after_op) = word(after_field);
        let (value, after_value) = literal(after_op)?;
        match (field, op) {
            ("status", "eq") => {
                let status = RelationshipStatus::parse(&value)
                    .ok_or_else(|| bad_filter(format!("{value:?} is not a relationship status")))?;
                set_once(&mut query.status, status, field)?;
            }
            ("customer/tenantId", "eq") => {
                if value.trim().is_empty() || value.chars().count() > MAX_TENANT_CHARS {
                    return Err(bad_filter("the tenant id is empty or too long"));
                }
                set_once(&mut query.tenant_id, value, field)?;
            }
            ("endDateTime", "le") => {
                let time = chrono::DateTime::parse_from_rfc3339(&value)
                    .map_err(|_| bad_filter(format!("{value:?} is not an RFC 3339 time")))?;
                // Stored times are RFC 3339 UTC with seconds: compared as text, so written alike.
                let utc = time
                    .with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                set_once(&mut query.end_before, utc, field)?;
            }
            _ => return Err(bad_filter(format!("\"{field} {op}\" is not understood"))),
        }
        let after_value = after_value.trim_start();
        if after_value.is_empty() {
            return Ok(());
        }
        let (joiner, next) = word(after_value);
        if joiner != "and" {
            return Err(bad_filter(format!("expected and, found {joiner:?}")));
        }
        rest = next;
    }
}

fn set_once<T>(slot: &mut Option<T>, value: T, field: &str) -> Result<(), ApiError> {
    if slot.is_some() {
        return Err(bad_filter(format!("{field} is filtered twice")));
    }
    *slot = Some(value);
    Ok(())
}

/// The next word (up to white space) and what follows it.
fn word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    (&text[..end], &text[end..])
}

/// A quoted OData string (`'o''neil'`: quotes doubled) or a bare word (times are often sent
/// unquoted), and what follows it.
fn literal(text: &str) -> Result<(String, &str), ApiError> {
    let text = text.trim_start();
    let Some(quoted) = text.strip_prefix('\'') else {
        let (bare, rest) = word(text);
        if bare.is_empty() {
            return Err(bad_filter("a value is missing"));
        }
        return Ok((bare.to_string(), rest));
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((at, c)) = chars.next() {
        if c != '\'' {
            value.push(c);
            continue;
        }
        if quoted[at + 1..].starts_with('\'') {
            value.push('\'');
            chars.next();
            continue;
        }
        return Ok((value, &quoted[at + 1..]));
    }
    Err(bad_filter("a quoted value is not closed"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::server::signing::random_key;

    fn parsed(pairs: &[(&str, &str)]) -> Result<RelationshipQuery, ApiError> {
        let params = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        parse(&params, &Signer::new(&random_key().unwrap()))
    }

    fn field_of(err: ApiError) -> String {
        match err {
            ApiError::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_term_reads_joined_by_and_with_quotes_doubled() {
        let q = parsed(&[(
            "$filter",
            "status eq 'active' and customer/tenantId eq 'o''neil and co' and endDateTime le '2027-01-01T01:00:00+01:00'",
        )])
        .unwrap();
        assert_eq!(q.status, Some(RelationshipStatus::Active));
        assert_eq!(q.tenant_id.as_deref(), Some("o'neil and co"));
        assert_eq!(q.end_before.as_deref(), Some("2027-01-01T00:00:00Z"));
        assert_eq!(q.size, DEFAULT_TOP);
        let bare = parsed(&[("$filter", "endDateTime le 2027-01-01T00:00:00Z")]).unwrap();
        assert_eq!(bare.end_before.as_deref(), Some("2027-01-01T00:00:00Z"));
    }

    #[test]
    fn anything_else_is_a_400_naming_the_parameter() {
        for filter in [
            "status eq 'sleeping'",
            "status ne 'active'",
            "displayName eq 'x'",
            "status eq 'active' or status eq 'expired'",
            "status eq 'active' and status eq 'expired'",
            "customer/tenantId eq 'open",
            "endDateTime le 'soon'",
            "status eq",
            "",
        ] {
            assert_eq!(
                field_of(parsed(&[("$filter", filter)]).unwrap_err()),
                "$filter",
                "{filter}"
            );
        }
        assert_eq!(field_of(parsed(&[("$top", "0")]).unwrap_err()), "$top");
        assert_eq!(
            field_of(parsed(&[("$orderby", "displayName")]).unwrap_err()),
            "$orderby"
        );
        assert_eq!(
            field_of(parsed(&[("$skiptoken", "forged")]).unwrap_err()),
            "$skiptoken"
        );
        assert_eq!(
            field_of(parsed(&[("$expand", "x")]).unwrap_err()),
            "$expand"
        );
        assert_eq!(parsed(&[("$top", "5000")]).unwrap().size, MAX_TOP);
    }
}
