//! The audit log (`GET /v1/auditrecords`): one page at a time, for a screen that loads the next
//! as the user scrolls, or every page in order as a stream.

use futures::Stream;

use super::call::Call;
use super::{Client, ClientError};
use crate::api::{AuditRecord, Collection, Link};

/// Which records: a time range and a customer. The backend keeps the filters of the first page
/// in its continuation token, so they shape the first page only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// From this date (`2026-11-01`) or RFC 3339 time, inclusive.
    pub start: Option<String>,
    /// Up to this date (the whole day) or RFC 3339 time, inclusive.
    pub end: Option<String>,
    pub customer_id: Option<String>,
    /// Records per page; None: the backend's default (100). The backend caps it at 1000.
    pub size: Option<u32>,
}

impl Client {
    /// One page of the audit log, newest first: the first (when `next` is None) or the one
    /// `next` points to.
    pub async fn audit_page(
        &self,
        query: &AuditQuery,
        next: Option<&Link>,
    ) -> Result<Collection<AuditRecord>, ClientError> {
        let call = match next {
            Some(link) => Call::follow(&self.base_url, link)?,
            None => {
                let mut url = self.url(&["auditrecords"])?;
                {
                    let mut pairs = url.query_pairs_mut();
                    let given = [
                        ("startDate", &query.start),
                        ("endDate", &query.end),
                        ("customerId", &query.customer_id),
                    ];
                    for (name, value) in given {
                        if let Some(value) = value {
                            pairs.append_pair(name, value);
                        }
                    }
                    if let Some(size) = query.size {
                        pairs.append_pair("size", &size.to_string());
                    }
                }
                Call::get(url)
            }
        };
        self.call(call).await
    }

    /// Every page of the audit log in order, newest records first. After an error (already
    /// retried) the stream yields it and ends.
    pub fn audit_records(
        &self,
        query: AuditQuery,
    ) -> impl Stream<Item = Result<Collection<AuditRecord>, ClientError>> + Send + 'static {
        enum Next {
            First,
            Link(Link),
            Done,
        }
        let client = self.clone();
        futures::stream::unfold(Next::First, move |next| {
            let (client, query) = (client.clone(), query.clone());
            async move {
                let link = match next {
                    Next::Done => return None,
                    Next::First => None,
                    Next::Link(link) => Some(link),
                };
                match client.audit_page(&query, link.as_ref()).await {
                    Ok(page) => {
                        let next = page.links.next.clone().map_or(Next::Done, Next::Link);
                        Some((Ok(page), next))
                    }
                    Err(e) => Some((Err(e), Next::Done)),
                }
            }
        })
    }
}
