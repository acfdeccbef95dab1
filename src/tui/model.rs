//! Payload types that actions, commands and screens all carry: below all of them, so `action`,
//! `command` and the screens import this and not each other (no import circle in `src/tui`).

pub mod admin;
pub mod admin_detail;
pub mod detail;
pub mod rows;
pub mod search;

use crate::api::PartnerRelationship;
use rows::CustomerRow;
use search::SearchKeys;

/// One page of the list, already in compact rows with their search keys (made where the page
/// arrives, off the UI thread).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowPage {
    pub rows: Vec<CustomerRow>,
    pub keys: SearchKeys,
    /// The backend's count of all customers.
    pub total: u64,
    /// More pages follow.
    pub more: bool,
}

impl RowPage {
    pub fn new(rows: Vec<CustomerRow>, total: u64, more: bool) -> Self {
        let keys = SearchKeys::of(&rows);
        Self {
            rows,
            keys,
            total,
            more,
        }
    }
}

/// The link and the indirect resellers, fetched together when the screen opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub link: String,
    pub resellers: Vec<PartnerRelationship>,
}

/// What is copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyWhat {
    Link,
    Email,
    /// A new user's temporary password (shown once).
    Password,
    /// Approval links of admin relationships, one per line with the customer's name.
    ApprovalLinks,
}

impl CopyWhat {
    /// As the status line names it: "the link", "the email".
    pub fn noun(self) -> &'static str {
        match self {
            CopyWhat::Link => "the link",
            CopyWhat::Email => "the whole email",
            CopyWhat::Password => "the temporary password",
            CopyWhat::ApprovalLinks => "the approval links",
        }
    }
}
