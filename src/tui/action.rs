//! Everything that can happen to the app, as values on one channel: keys and resizes from the terminal,
//! timer ticks, signals, and the results of background requests (by value, tagged with the request id
//! that asked for them, so a result nobody waits for any more is dropped).

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::KeyEvent;

use crate::api::{EventKind, Link, Me};
use crate::client::ClientError;
use crate::clipboard::{Copied, CopyError};
use crate::invitation::{MailError, SaveError};

use super::call::Reply;
use super::model::detail::Detail;
use super::model::rows::CustomerRow;
use super::model::{CopyWhat, RowPage};

/// Tags a background request; results carry it back so stale ones can be recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// Hands out request ids, never the same twice in a session.
#[derive(Debug, Default)]
pub struct RequestIds(u64);

impl RequestIds {
    pub fn next_id(&mut self) -> RequestId {
        self.0 += 1;
        RequestId(self.0)
    }
}

/// Why the app is asked to stop without a key press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuitReason {
    /// SIGTERM or SIGINT.
    Terminated,
    /// SIGHUP: the terminal (often an SSH session) went away.
    HangUp,
    /// The terminal's input ended or failed; nobody can type any more.
    InputClosed,
}

#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Resize {
        width: u16,
        height: u16,
    },
    /// Text pasted into the terminal, in one piece (bracketed paste).
    Paste(String),
    /// Animation and countdown tick; only sent while something is loading or waiting to retry.
    Tick,
    Quit(QuitReason),
    /// The backoff after a transient failure is over: send the failed requests again.
    Retry,
    MeLoaded {
        req: RequestId,
        result: Result<Me, ClientError>,
    },
    CustomersPage {
        req: RequestId,
        page: RowPage,
    },
    /// The first page of load `req` was read when the backend's latest event was `after` (None:
    /// the backend did not say): live changes are followed from there. Sent before that page.
    ListReadAt {
        req: RequestId,
        after: Option<i64>,
    },
    /// Loading the list stopped; `resume` is the page that failed (None: the first), so a retry
    /// continues where it stopped instead of starting over.
    CustomersFailed {
        req: RequestId,
        error: ClientError,
        resume: Option<Link>,
    },
    DetailLoaded {
        req: RequestId,
        row: u32,
        id: String,
        result: Result<Box<Detail>, ClientError>,
    },
    /// A customer changed (live event stream), already in compact form.
    CustomerChanged {
        kind: EventKind,
        row: CustomerRow,
    },
    /// The live event stream had trouble; `ended`: it gave up (retrying cannot help), else one
    /// event could not be read.
    LiveTrouble {
        error: ClientError,
        ended: bool,
    },
    /// The live event stream is connected (again).
    LiveConnected,
    /// The live event stream lost its connection (closed, failed, or two heartbeats missed);
    /// the client tries again after `retry_in`.
    LiveLost {
        error: ClientError,
        retry_in: Duration,
    },
    /// The answer to a call a screen made (see [`super::call`]): routed to the screen that
    /// awaits `req`.
    Reply {
        req: RequestId,
        result: Result<Reply, ClientError>,
    },
    /// A copy went to the clipboard, or why not (the message says to copy by hand).
    Copied {
        what: CopyWhat,
        result: Result<Copied, CopyError>,
    },
    /// The mail app was asked to open the draft, or why not.
    MailOpened {
        result: Result<(), MailError>,
    },
    /// The draft was saved as an `.eml` file at this path, or why not.
    DraftSaved {
        result: Result<PathBuf, SaveError>,
    },
}
