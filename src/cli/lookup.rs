//! Turning what a user types into what the backend knows: a customer by id or domain, a number
//! of days (`730d`).

use futures::StreamExt;

use super::error::CliError;
use crate::api::{Customer, CustomerFilter, FilterField, PartnerRelationship};
use crate::client::{Client, ClientError};

/// The customer whose id or primary domain is `arg` (domains compare case-insensitively).
pub async fn customer(client: &Client, arg: &str) -> Result<Customer, CliError> {
    let arg = arg.trim();
    if arg.is_empty() {
        return Err(CliError::Usage("a customer is its id or its domain".into()));
    }
    if uuid::Uuid::parse_str(arg).is_ok() {
        return client.customer(arg).await.map_err(customer_missing(arg));
    }
    let filter = CustomerFilter::starts_with(FilterField::Domain, arg);
    let mut pages = Box::pin(client.customer_pages(100, Some(filter)));
    while let Some(page) = pages.next().await {
        if let Some(found) = page?
            .items
            .into_iter()
            .find(|c| c.company_profile.domain.eq_ignore_ascii_case(arg))
        {
            return Ok(found);
        }
    }
    Err(not_found(arg))
}

/// The id of the customer `arg` names.
pub async fn customer_id(client: &Client, arg: &str) -> Result<String, CliError> {
    if uuid::Uuid::parse_str(arg.trim()).is_ok() {
        return Ok(arg.trim().to_string());
    }
    Ok(customer(client, arg).await?.id)
}

/// A 404 about the customer `arg` named, said in the words the user typed.
pub fn customer_missing(arg: &str) -> impl FnOnce(ClientError) -> CliError + '_ {
    move |err| match err {
        ClientError::NotFound { .. } => not_found(arg),
        other => other.into(),
    }
}

fn not_found(arg: &str) -> CliError {
    CliError::NotFound(format!("no customer has the id or domain {arg:?}"))
}

/// `730d`, `730` (days) or `2w` (weeks) as a number of days, from 1 to `max`.
pub fn days(text: &str, max: u32) -> Result<u32, CliError> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, "d"),
    };
    let factor = match unit {
        "d" | "D" => 1,
        "w" | "W" => 7,
        _ => 0,
    };
    number
        .parse::<u32>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| {
            CliError::Usage(format!(
                "{text:?} is not a number of days from 1 to {max} (such as 30d or 2w)"
            ))
        })
}

/// The partner's indirect reseller `arg` names: its id, or its name (any case).
pub async fn indirect_reseller(
    client: &Client,
    arg: &str,
) -> Result<PartnerRelationship, CliError> {
    let arg = arg.trim();
    let all = client.indirect_resellers().await?;
    if let Some(found) = all.iter().find(|r| r.id == arg) {
        return Ok(found.clone());
    }
    let wanted = arg.to_lowercase();
    let named: Vec<&PartnerRelationship> = all
        .iter()
        .filter(|r| r.name.trim().to_lowercase() == wanted)
        .collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            // The partner has a handful: naming them saves a look-up.
            let known: Vec<&str> = all.iter().take(20).map(|r| r.name.as_str()).collect();
            let known = match known.is_empty() {
                true => "the partner has none".to_string(),
                false => format!("known: {}", known.join(", ")),
            };
            Err(CliError::NotFound(format!(
                "no indirect reseller has the id or name {arg:?} ({known})"
            )))
        }
        many => Err(CliError::Usage(format!(
            "{} indirect resellers are named {arg:?}: give the id of one ({})",
            many.len(),
            many.iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn days_take_a_unit_or_none() {
        assert_eq!(days("730d", 730).unwrap(), 730);
        assert_eq!(days("30", 730).unwrap(), 30);
        assert_eq!(days("2w", 730).unwrap(), 14);
        assert!(days("0d", 730).is_err());
        assert!(days("731d", 730).is_err());
        assert!(days("3m", 730).is_err());
        assert!(days("", 730).is_err());
    }
}
