//! `cspdash audit [list]`: the audit log, newest first, streamed page by page; `audit` alone is
//! `audit list`, and the list's options work in both spellings.

use clap::{Args, Subcommand};
use futures::StreamExt;

use super::context::Ctx;
use super::error::CliError;
use super::lookup;
use super::output::{Column, col};
use super::script::ScriptOptions;
use crate::api::AuditRecord;
use crate::client::AuditQuery;

/// Records a page: the backend's most.
const PAGE_SIZE: u32 = 1000;
/// The furthest back `--since 3650d` reaches (ten years).
const MAX_AGO_DAYS: u32 = 3650;

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub options: ScriptOptions,
    #[command(flatten)]
    pub list: ListArgs,
    #[command(subcommand)]
    pub verb: Option<AuditVerb>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum AuditVerb {
    /// The audit log, newest first: who changed what, on which customer, before and after (the
    /// default).
    List,
}

/// The list's options (global to the noun, so `audit --since 7d` and `audit list --since 7d`
/// are the same).
#[derive(Debug, Clone, Default, Args)]
pub struct ListArgs {
    /// From this long ago (`24h`, `7d`, `2w`) or this date (`2026-11-01`) or RFC 3339 time.
    #[arg(long, global = true, value_name = "WHEN")]
    pub since: Option<String>,
    /// Up to this date (the whole day) or RFC 3339 time, or this long ago (`1d`).
    #[arg(long, global = true, value_name = "WHEN")]
    pub until: Option<String>,
    /// Only this customer's records (its id or domain).
    #[arg(long, global = true, value_name = "CUSTOMER")]
    pub customer: Option<String>,
}

const RECORDS: &[Column<AuditRecord>] = &[
    col("id", |r| r.id.to_string()),
    col("operationDate", |r| r.operation_date.clone()),
    col("agent", |r| r.agent.clone()),
    col("customerName", |r| r.customer_name.clone()),
    col("operationType", |r| r.operation_type.clone()),
    col("resourceType", |r| r.resource_type.clone()),
    col("before", |r| r.before.clone()),
    col("after", |r| r.after.clone()),
    col("customerId", |r| r.customer_id.clone()),
];

pub async fn run(args: &AuditArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    match args.verb {
        None | Some(AuditVerb::List) => list(&args.list, ctx).await,
    }
}

async fn list(args: &ListArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let now = chrono::Utc::now();
    let start = args
        .since
        .as_deref()
        .map(|w| when(w, "--since", now))
        .transpose()?;
    let end = args
        .until
        .as_deref()
        .map(|w| when(w, "--until", now))
        .transpose()?;
    let customer_id = match &args.customer {
        Some(c) => Some(lookup::customer_id(&ctx.client, c).await?),
        None => None,
    };
    let query = AuditQuery {
        start,
        end,
        customer_id,
        size: Some(PAGE_SIZE),
    };
    let mut pages = Box::pin(ctx.client.audit_records(query));
    let mut list = ctx.out.list(RECORDS);
    while let Some(page) = pages.next().await {
        for record in &page?.items {
            list.push(record)?;
        }
    }
    list.finish()
}

/// A point in time as the backend takes it: `7d`/`24h`/`2w` ago from `now` (RFC 3339), or a
/// date or RFC 3339 time as given.
fn when(text: &str, option: &str, now: chrono::DateTime<chrono::Utc>) -> Result<String, CliError> {
    let text = text.trim();
    if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
        || chrono::DateTime::parse_from_rfc3339(text).is_ok()
    {
        return Ok(text.to_string());
    }
    let ago = match text.strip_suffix(['h', 'H']) {
        Some(hours) => hours
            .parse::<i64>()
            .ok()
            .filter(|h| (1..=i64::from(MAX_AGO_DAYS) * 24).contains(h))
            .map(chrono::Duration::hours),
        None => lookup::days(text, MAX_AGO_DAYS)
            .ok()
            .map(|d| chrono::Duration::days(i64::from(d))),
    };
    let ago = ago.ok_or_else(|| {
        CliError::Usage(format!(
            "{option} {text:?}: give a time ago (24h, 7d, 2w) or a date (2026-11-01) or an RFC \
             3339 time"
        ))
    })?;
    Ok((now - ago).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_time_is_ago_or_a_date_or_rfc_3339() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-02T12:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(when("7d", "--since", now).unwrap(), "2026-11-25T12:00:00Z");
        assert_eq!(when("24h", "--since", now).unwrap(), "2026-12-01T12:00:00Z");
        assert_eq!(when("1w", "--since", now).unwrap(), "2026-11-25T12:00:00Z");
        assert_eq!(when("2026-11-01", "--since", now).unwrap(), "2026-11-01");
        assert_eq!(
            when("2026-11-01T08:00:00+01:00", "--until", now).unwrap(),
            "2026-11-01T08:00:00+01:00"
        );
        let err = when("last week", "--since", now).unwrap_err();
        assert_eq!(err.exit(), crate::cli::Exit::Usage);
        assert!(err.to_string().contains("--since"));
    }
}
