//! The one backend call the audit screen makes: a page of the audit log.

use crate::api::{AuditRecord, Collection, Link};
use crate::client::AuditQuery;
use crate::tui_call;

/// How far back the records go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Range {
    #[default]
    All,
    Day,
    Week,
    Month,
}

impl Range {
    pub fn next(self) -> Self {
        match self {
            Range::All => Range::Day,
            Range::Day => Range::Week,
            Range::Week => Range::Month,
            Range::Month => Range::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Range::All => "all time",
            Range::Day => "last 24 h",
            Range::Week => "last 7 days",
            Range::Month => "last 30 days",
        }
    }

    fn hours(self) -> Option<i64> {
        match self {
            Range::All => None,
            Range::Day => Some(24),
            Range::Week => Some(7 * 24),
            Range::Month => Some(30 * 24),
        }
    }
}

/// The first page for these filters (`next` None), or the page `next` points to (which carries
/// the filters the listing started with).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadAudit {
    pub customer_id: Option<String>,
    pub range: Range,
    pub next: Option<Link>,
}

/// The answer to [`LoadAudit`].
pub type AuditPage = Collection<AuditRecord>;

tui_call!(LoadAudit, |this, client| async move {
    // The range's start is reckoned when the call runs (in its task: the loop reads no clock).
    let start = this.range.hours().map(|h| {
        (chrono::Utc::now() - chrono::TimeDelta::hours(h))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    });
    let query = AuditQuery {
        start,
        end: None,
        customer_id: this.customer_id.clone(),
        size: None,
    };
    client.audit_page(&query, this.next.as_ref()).await
});
