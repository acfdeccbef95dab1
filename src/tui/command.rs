//! What `update` asks the outside world to do, as values, and the runner that does it: each command
//! becomes a tokio task that calls the client and sends the result back as an [`Action`].
//!
//! `update` stays free of I/O (so tests assert on the commands it returns); this file is the only
//! place in the dashboard that calls the backend.

use std::time::Duration;

use futures::StreamExt;
use futures::future::try_join4;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use crate::api::{Link, MAX_PAGE_SIZE};
use crate::client::{Client, ClientError};

use super::action::{Action, RequestId};
use super::screens::customers::RowPage;
use super::screens::customers::detail::{CustomerDetail, Detail};
use super::screens::customers::rows::CustomerRow;

/// Customers per page while streaming the list: the API's maximum, fewest round trips.
pub const PAGE_SIZE: u32 = MAX_PAGE_SIZE;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Who is signed in (header, role).
    LoadMe { req: RequestId },
    /// Stream the customer list from `from` (None: the first page) to the end, page by page.
    /// Replaces a list load already running.
    LoadCustomers { req: RequestId, from: Option<Link> },
    /// Account, services, users and licenses of one customer.
    LoadDetail {
        req: RequestId,
        row: u32,
        id: String,
    },
    /// Send [`Action::Retry`] after this long; replaces a retry already scheduled.
    RetryAfter(Duration),
    /// Follow the live event stream from now on, for the rest of the session (it reconnects and
    /// resumes by itself); replaces a stream already followed.
    WatchEvents,
}

/// Runs commands against one backend. Owned by the event loop; never shared with widgets.
pub struct Runner {
    client: Client,
    tx: UnboundedSender<Action>,
    list_task: Option<AbortHandle>,
    retry_timer: Option<AbortHandle>,
    live_task: Option<AbortHandle>,
}

impl Runner {
    pub fn new(client: Client, tx: UnboundedSender<Action>) -> Self {
        Self {
            client,
            tx,
            list_task: None,
            retry_timer: None,
            live_task: None,
        }
    }

    /// Starts `command` in the background; must be called inside a tokio runtime.
    pub fn run(&mut self, command: Command) {
        let client = self.client.clone();
        let tx = self.tx.clone();
        match command {
            Command::LoadMe { req } => {
                tokio::spawn(async move {
                    let result = client.me().await;
                    let _ = tx.send(Action::MeLoaded { req, result });
                });
            }
            Command::LoadCustomers { req, from } => {
                if let Some(old) = self.list_task.take() {
                    old.abort();
                }
                let task = tokio::spawn(stream_customers(client, tx, req, from));
                self.list_task = Some(task.abort_handle());
            }
            Command::LoadDetail { req, row, id } => {
                tokio::spawn(async move {
                    let result = load_detail(&client, &id).await.map(Box::new);
                    let _ = tx.send(Action::DetailLoaded {
                        req,
                        row,
                        id,
                        result,
                    });
                });
            }
            Command::RetryAfter(delay) => {
                if let Some(old) = self.retry_timer.take() {
                    old.abort();
                }
                let task = tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    let _ = tx.send(Action::Retry);
                });
                self.retry_timer = Some(task.abort_handle());
            }
            Command::WatchEvents => {
                if let Some(old) = self.live_task.take() {
                    old.abort();
                }
                let task = tokio::spawn(watch_events(client, tx));
                self.live_task = Some(task.abort_handle());
            }
        }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        // The event stream never ends by itself; nothing else outlives the loop for long.
        if let Some(task) = self.live_task.take() {
            task.abort();
        }
    }
}

/// Forwards the live event stream as actions until it ends or the loop stops listening. It starts
/// from "now" (no `Last-Event-ID`): see `App::start` for why that does not lose changes.
async fn watch_events(client: Client, tx: UnboundedSender<Action>) {
    let events = client.events(None);
    futures::pin_mut!(events);
    while let Some(item) = events.next().await {
        let action = match item {
            Ok(event) => Action::CustomerChanged {
                kind: event.kind,
                row: CustomerRow::from_customer(&event.customer),
            },
            Err(error) => Action::LiveTrouble {
                ended: !error.is_transient(),
                error,
            },
        };
        if tx.send(action).is_err() {
            return;
        }
    }
}

/// Follows `links.next` page by page (rather than `Client::customer_pages`) so that after a failure
/// the link of the failed page goes back to `update`, and a retry resumes there instead of reloading
/// everything. Rows are made compact here, off the UI thread.
async fn stream_customers(
    client: Client,
    tx: UnboundedSender<Action>,
    req: RequestId,
    mut from: Option<Link>,
) {
    loop {
        match client.customers_page(from.as_ref(), PAGE_SIZE, None).await {
            Ok(page) => {
                let next = page.links.next;
                let rows = page.items.iter().map(CustomerRow::from_customer).collect();
                let more = next.is_some();
                let page = RowPage {
                    rows,
                    total: page.total_count,
                    more,
                };
                if tx.send(Action::CustomersPage { req, page }).is_err() || !more {
                    return;
                }
                from = next;
            }
            Err(error) => {
                let _ = tx.send(Action::CustomersFailed {
                    req,
                    error,
                    resume: from,
                });
                return;
            }
        }
    }
}

async fn load_detail(client: &Client, id: &str) -> Result<Detail, ClientError> {
    let (customer, subscriptions, users, licenses) = try_join4(
        client.customer(id),
        client.subscriptions(id),
        client.users(id),
        client.subscribed_skus(id),
    )
    .await?;
    Ok(Detail::new(CustomerDetail {
        customer,
        subscriptions,
        users,
        licenses,
    }))
}
