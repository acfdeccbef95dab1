//! What `update` asks the outside world to do, as values, and the runner that does it: each command
//! becomes a tokio task that calls the client and sends the result back as an [`Action`].
//!
//! `update` stays free of I/O (so tests assert on the commands it returns); this file is the only
//! place in the dashboard that calls the backend, the clipboard, the mail app or the file system.

use std::time::Duration;

use futures::future::try_join5;
use futures::{FutureExt, StreamExt};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use crate::api::gdap::RelationshipStatus;
use crate::api::{Link, MAX_PAGE_SIZE};
use crate::client::{Client, ClientError, LiveItem, RelationshipFilter};

use super::action::{Action, RequestId};
use super::call::CallBox;
use super::model::CopyWhat;
use super::model::RowPage;
use super::model::admin_detail::AdminDetail;
use super::model::detail::{CustomerDetail, Detail};
use super::model::rows::CustomerRow;
use crate::clipboard::Clipboard;
use crate::invitation;

/// Customers per page while streaming the list: the API's maximum, fewest round trips.
pub const PAGE_SIZE: u32 = MAX_PAGE_SIZE;
/// At most this many rows of pages that arrived together go to the screen as one.
const BATCH_ROWS: usize = 20_000;

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
    /// A call a screen made; its answer goes back as [`Action::Reply`] tagged `req`.
    Call { req: RequestId, call: CallBox },
    /// Put `text` on the clipboard. Run by the loop itself, between frames: OSC 52 must go out
    /// through the same terminal output the screen is drawn on.
    Copy { what: CopyWhat, text: String },
    /// Open a `mailto:` URL in the user's mail app.
    OpenMail { url: String },
    /// Save the draft as an `.eml` file in the working directory.
    SaveDraft {
        from: String,
        subject: String,
        body: String,
    },
    /// Follow the live event stream after event `after` (None: from now on), for the rest of the
    /// session (it reconnects and resumes by itself); replaces a stream already followed.
    WatchEvents { after: Option<i64> },
}

/// Runs commands against one backend. Owned by the event loop; never shared with widgets.
pub struct Runner {
    client: Client,
    tx: UnboundedSender<Action>,
    list_task: Option<AbortHandle>,
    retry_timer: Option<AbortHandle>,
    live_task: Option<AbortHandle>,
    /// Lives as long as the dashboard: on X11 copied text vanishes with its owner.
    clipboard: Clipboard,
}

impl Runner {
    pub fn new(client: Client, tx: UnboundedSender<Action>, clipboard: Clipboard) -> Self {
        Self {
            clipboard,
            client,
            tx,
            list_task: None,
            retry_timer: None,
            live_task: None,
        }
    }

    /// Starts `command` in the background; must be called inside a tokio runtime. `terminal` is
    /// the output the screen is drawn on (only a copy by OSC 52 writes to it, between frames).
    pub fn run(&mut self, command: Command, terminal: &mut impl std::io::Write) {
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
            Command::Call { req, call } => {
                tokio::spawn(async move {
                    let result = call.run(client).await;
                    let _ = tx.send(Action::Reply { req, result });
                });
            }
            Command::Copy { what, text } => {
                let result = self.clipboard.copy(&text, terminal);
                let _ = tx.send(Action::Copied { what, result });
            }
            Command::OpenMail { url } => {
                // The opener may take a few seconds to report failure: off the loop.
                tokio::task::spawn_blocking(move || {
                    let result = invitation::open_mail_app(&url);
                    let _ = tx.send(Action::MailOpened { result });
                });
            }
            Command::SaveDraft {
                from,
                subject,
                body,
            } => {
                tokio::task::spawn_blocking(move || {
                    let result = std::env::current_dir()
                        .map_err(|source| invitation::SaveError {
                            dir: ".".into(),
                            source,
                        })
                        .and_then(|dir| invitation::save_eml(&dir, &from, &subject, &body));
                    let _ = tx.send(Action::DraftSaved { result });
                });
            }
            Command::WatchEvents { after } => {
                if let Some(old) = self.live_task.take() {
                    old.abort();
                }
                let task = tokio::spawn(watch_events(client, tx, after));
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

/// Forwards the live event stream after event `after` as actions until it ends or the loop stops
/// listening (see `app::live` for where `after` comes from).
async fn watch_events(client: Client, tx: UnboundedSender<Action>, after: Option<i64>) {
    let events = client.follow_events(after);
    futures::pin_mut!(events);
    while let Some(item) = events.next().await {
        let action = match item {
            LiveItem::Event(event) => Action::CustomerChanged {
                kind: event.kind,
                row: CustomerRow::from_customer(&event.customer),
            },
            LiveItem::Connected => Action::LiveConnected,
            LiveItem::Lost { error, retry_in } => Action::LiveLost { error, retry_in },
            LiveItem::Unreadable(error) => Action::LiveTrouble {
                error,
                ended: false,
            },
            LiveItem::Ended(error) => Action::LiveTrouble { error, ended: true },
        };
        if tx.send(action).is_err() {
            return;
        }
    }
}

/// Streams the list from `from` (None: the first page), in one bulk read where the backend offers
/// it and page by page where not, keeping the last page's `links.next`: after a failure it goes
/// back to `update`, and a retry resumes there instead of reloading everything. Rows are made
/// compact here, off the UI thread; each page reaches the screen as soon as it arrives.
async fn stream_customers(
    client: Client,
    tx: UnboundedSender<Action>,
    req: RequestId,
    mut from: Option<Link>,
) {
    let pages = client
        .customer_pages_from(PAGE_SIZE, None, from.clone())
        .fuse();
    futures::pin_mut!(pages);
    let mut first = true;
    while let Some(read) = pages.next().await {
        let (page, read_at) = match read {
            Ok(read) => read,
            Err(error) => {
                let _ = tx.send(Action::CustomersFailed {
                    req,
                    error,
                    resume: from,
                });
                return;
            }
        };
        let first_page = std::mem::take(&mut first);
        if first_page && from.is_none() {
            let _ = tx.send(Action::ListReadAt {
                req,
                after: read_at,
            });
        }
        let mut total = page.total_count;
        let mut next = page.links.next;
        let mut rows: Vec<CustomerRow> =
            page.items.iter().map(CustomerRow::from_customer).collect();
        // Pages already here (a bulk read outrunning the screen) go to it together: the screen
        // makes a pass over all its rows per page. The first page goes alone, at once.
        let mut failed = None;
        while !first_page && next.is_some() && rows.len() < BATCH_ROWS {
            match pages.next().now_or_never() {
                Some(Some(Ok((page, _)))) => {
                    rows.extend(page.items.iter().map(CustomerRow::from_customer));
                    total = page.total_count;
                    next = page.links.next;
                }
                Some(Some(Err(error))) => {
                    failed = Some(error);
                    break;
                }
                Some(None) | None => break,
            }
        }
        let more = next.is_some();
        let page = RowPage::new(rows, total, more);
        if tx.send(Action::CustomersPage { req, page }).is_err() || (!more && failed.is_none()) {
            return;
        }
        from = next;
        if let Some(error) = failed {
            let _ = tx.send(Action::CustomersFailed {
                req,
                error,
                resume: from,
            });
            return;
        }
    }
}

async fn load_detail(client: &Client, id: &str) -> Result<Detail, ClientError> {
    let (((customer, admin), subscriptions, users, licenses, purchase), contacts) =
        futures::future::try_join(
            try_join5(
                customer_and_admin(client, id),
                client.subscriptions(id),
                client.users(id),
                client.subscribed_skus(id),
                client.purchase_permission(id),
            ),
            support_contacts(client, id),
        )
        .await?;
    Ok(Detail::new(CustomerDetail {
        customer,
        subscriptions,
        users,
        licenses,
        purchase_permission: Some(purchase.value),
        support_contacts: contacts,
        admin,
    }))
}

/// The customer, then its admin relationships (by its tenant id) and each one's access
/// assignments, read together. A backend without admin relationships (404) has none.
async fn customer_and_admin(
    client: &Client,
    id: &str,
) -> Result<(crate::api::Customer, Vec<AdminDetail>), ClientError> {
    let customer = client.customer(id).await?;
    let filter = RelationshipFilter::of_customer(&customer.company_profile.tenant_id);
    let relationships = match client.admin_relationships(&filter).await {
        Ok(all) => all,
        Err(ClientError::NotFound { .. }) => return Ok((customer, Vec::new())),
        Err(other) => return Err(other),
    };
    // Only a relationship that grants its roles now has assignments worth showing.
    let assignments = futures::future::try_join_all(relationships.iter().map(|r| async {
        if r.status != RelationshipStatus::Active {
            return Ok(Vec::new());
        }
        match client.access_assignments(&r.id).await {
            Err(ClientError::NotFound { .. }) => Ok(Vec::new()),
            other => other,
        }
    }))
    .await?;
    let admin = relationships
        .into_iter()
        .zip(assignments)
        .map(|(relationship, assignments)| AdminDetail {
            relationship,
            assignments,
        })
        .collect();
    Ok((customer, admin))
}

/// A backend without support contacts (Partner Center itself keeps them elsewhere) answers 404:
/// the row then shows none rather than failing to expand.
async fn support_contacts(
    client: &Client,
    id: &str,
) -> Result<Vec<crate::api::SupportContact>, ClientError> {
    match client.support_contacts(id).await {
        Ok(tagged) => Ok(tagged.value.items),
        Err(ClientError::NotFound { .. }) => Ok(Vec::new()),
        Err(other) => Err(other),
    }
}
