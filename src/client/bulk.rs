//! The whole customer list in as few round trips as the backend allows.
//!
//! Negotiated, never assumed: the first request is the ordinary first page with
//! `Accept: application/x-ndjson, application/json;q=0.9`. A cspdash backend answers with the bulk
//! read (every page, one JSON `Collection` a line, in one streamed response); any other backend
//! answers its first page of JSON, and the rest is read page by page following `links.next` (as
//! is a 406). A bulk response that ends after a page that still has `links.next` (the server
//! stopped early) is continued from that link. Compression is reqwest's (`Accept-Encoding`).

use futures::Stream;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};

use super::call::Call;
use super::retry::parse_retry_after;
use super::{Client, ClientError, paging};
use crate::api::{
    BULK_CONTENT_TYPE, Collection, Customer, CustomerFilter, LAST_EVENT_ID_HEADER, Link,
};

/// A line longer than this is not a page of ours: refuse it rather than buffer without bound.
/// (A page of 1,000 customers is about 0.7 MB.)
const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// The bulk read first, one page of JSON as the fallback a backend without it will send.
const ACCEPT_BULK: &str = "application/x-ndjson, application/json;q=0.9";

/// A page, with the backend's latest event id as it read the first page (on that page only).
pub type ReadPage = (Collection<Customer>, Option<i64>);

enum Next {
    /// Ask for the rest of the listing from `from` (None: the first page), preferring the bulk read.
    Open(Option<Link>),
    /// Reading the lines of a bulk response.
    Lines(Box<Lines>),
    /// The backend pages: one request per page from `from`.
    Page(Option<Link>),
    Done,
}

struct Lines {
    response: reqwest::Response,
    url: String,
    buffer: Vec<u8>,
    /// Bytes of `buffer` already searched for a newline.
    scanned: usize,
    read_at: Option<i64>,
    /// For errors: how long a read may stay silent.
    idle_timeout: std::time::Duration,
    /// The `links.next` of the last page read (None before the first).
    last_next: Option<Link>,
    pages: usize,
}

pub(super) fn pages(
    client: Client,
    size: u32,
    filter: Option<CustomerFilter>,
    from: Option<Link>,
) -> impl Stream<Item = Result<ReadPage, ClientError>> + Send + 'static {
    futures::stream::unfold(Next::Open(from), move |next| {
        let client = client.clone();
        let filter = filter.clone();
        async move {
            let (item, after) = step(&client, size, filter.as_ref(), next).await?;
            Some((item, after))
        }
    })
}

/// One page and what comes after it; None when the listing is complete.
async fn step(
    client: &Client,
    size: u32,
    filter: Option<&CustomerFilter>,
    mut next: Next,
) -> Option<(Result<ReadPage, ClientError>, Next)> {
    loop {
        next = match next {
            Next::Done => return None,
            Next::Open(from) => match client.open_bulk(from.as_ref(), size, filter).await {
                Ok(Opened::Bulk(lines)) => Next::Lines(lines),
                Ok(Opened::Page(page)) => {
                    let after = paged_after(&page.0);
                    return Some((Ok(page), after));
                }
                Ok(Opened::NotAcceptable) => Next::Page(from),
                Err(error) => return Some((Err(error), Next::Done)),
            },
            Next::Page(from) => {
                let result = client
                    .customers_page_read_at(from.as_ref(), size, filter)
                    .await;
                let after = match &result {
                    Ok((page, _)) => paged_after(page),
                    Err(_) => Next::Done,
                };
                return Some((result, after));
            }
            Next::Lines(mut lines) => match lines.next_page().await {
                Ok(Some(page)) => {
                    let more = page.0.links.next.is_some();
                    return Some((Ok(page), if more { Next::Lines(lines) } else { Next::Done }));
                }
                // The response ended on a page that says more follow: continue from there.
                Ok(None) => match lines.last_next.take() {
                    Some(link) if lines.pages > 0 => Next::Open(Some(link)),
                    _ => {
                        let error = ClientError::Decode {
                            url: lines.url.clone(),
                            reason: "the bulk read ended before its first page".into(),
                        };
                        return Some((Err(error), Next::Done));
                    }
                },
                Err(error) => return Some((Err(error), Next::Done)),
            },
        };
    }
}

/// Paging goes on while a page links to the next one.
fn paged_after(page: &Collection<Customer>) -> Next {
    match &page.links.next {
        Some(link) => Next::Page(Some(link.clone())),
        None => Next::Done,
    }
}

enum Opened {
    Bulk(Box<Lines>),
    /// A backend without the bulk read: its first page.
    Page(ReadPage),
    /// 406: ask again for plain pages.
    NotAcceptable,
}

impl Client {
    /// Sends the (first or continued) page request asking for the bulk read, with the usual
    /// retries; the body is left to read as it streams.
    async fn open_bulk(
        &self,
        from: Option<&Link>,
        size: u32,
        filter: Option<&CustomerFilter>,
    ) -> Result<Opened, ClientError> {
        let mut call = match from {
            None => Call::get(paging::first_page_url(&self.base_url, size, filter)?),
            Some(link) => Call::follow(&self.base_url, link)?,
        };
        call.headers
            .insert(ACCEPT, HeaderValue::from_static(ACCEPT_BULK));
        let url = call.url.to_string();
        let response = self
            .with_retries(&call, || self.send_for_stream(&call))
            .await?;
        if response.status() == StatusCode::NOT_ACCEPTABLE {
            return Ok(Opened::NotAcceptable);
        }
        let headers = response.headers().clone();
        let read_at = read_at(&headers);
        let bulk = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.trim().to_ascii_lowercase().starts_with(BULK_CONTENT_TYPE));
        if !bulk {
            let timeout = self.options.request_timeout;
            let body = response
                .bytes()
                .await
                .map_err(|e| ClientError::from_transport(&e, &url, timeout))?;
            let page = serde_json::from_slice(&body).map_err(|e| ClientError::Decode {
                url: url.clone(),
                reason: e.to_string(),
            })?;
            return Ok(Opened::Page((page, read_at)));
        }
        Ok(Opened::Bulk(Box::new(Lines {
            response,
            url,
            buffer: Vec::new(),
            scanned: 0,
            read_at,
            idle_timeout: self.options.request_timeout,
            last_next: None,
            pages: 0,
        })))
    }

    /// One attempt: a success status (or 406) gives the response with its body unread; any
    /// other status is read and mapped to its error, as [`Client::call`] does.
    async fn send_for_stream(&self, call: &Call) -> Result<reqwest::Response, ClientError> {
        let url = call.url.as_str();
        let timeout = self.options.request_timeout;
        let response = self
            .bulk_http
            .request(call.method.clone(), call.url.clone())
            .headers(call.headers.clone())
            .send()
            .await
            .map_err(|e| ClientError::from_transport(&e, url, timeout))?;
        let status = response.status();
        if status.is_success() || status == StatusCode::NOT_ACCEPTABLE {
            return Ok(response);
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
        let body = response
            .bytes()
            .await
            .map_err(|e| ClientError::from_transport(&e, url, timeout))?;
        Err(super::request::status_error(
            status,
            retry_after,
            &body,
            url,
        ))
    }
}

fn read_at(headers: &HeaderMap) -> Option<i64> {
    headers
        .get(LAST_EVENT_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

impl Lines {
    /// The next page of the response; None at its end.
    async fn next_page(&mut self) -> Result<Option<ReadPage>, ClientError> {
        while let Some(line) = self.next_line().await? {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let page: Collection<Customer> =
                serde_json::from_slice(&line).map_err(|e| ClientError::Decode {
                    url: self.url.clone(),
                    reason: format!("bulk read line {}: {e}", self.pages + 1),
                })?;
            self.pages += 1;
            self.last_next = page.links.next.clone();
            return Ok(Some((page, self.read_at.take())));
        }
        Ok(None)
    }

    async fn next_line(&mut self) -> Result<Option<Vec<u8>>, ClientError> {
        loop {
            if let Some(at) = memchr::memchr(b'\n', &self.buffer[self.scanned..]) {
                let end = self.scanned + at;
                let line = self.buffer[..end].to_vec();
                self.buffer.drain(..=end);
                self.scanned = 0;
                return Ok(Some(line));
            }
            self.scanned = self.buffer.len();
            if self.buffer.len() > MAX_LINE_BYTES {
                return Err(ClientError::Decode {
                    url: self.url.clone(),
                    reason: format!("a bulk read line is longer than {MAX_LINE_BYTES} bytes"),
                });
            }
            match self.response.chunk().await {
                Ok(Some(chunk)) => self.buffer.extend_from_slice(&chunk),
                Ok(None) if self.buffer.is_empty() => return Ok(None),
                Ok(None) => {
                    self.scanned = 0;
                    return Ok(Some(std::mem::take(&mut self.buffer)));
                }
                Err(e) => {
                    return Err(ClientError::from_transport(
                        &e,
                        &self.url,
                        self.idle_timeout,
                    ));
                }
            }
        }
    }
}
