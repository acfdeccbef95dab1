//! Server-Sent Events on `GET /v1/events`: each change to a partner's customers, with a resumable id.
//! Every event carries the customer it concerns (as it is now); a client refetches the changed
//! part (its support contacts, its service requests) when it shows it.

use serde::{Deserialize, Serialize};

use super::customer::Customer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "customer.created")]
    CustomerCreated,
    #[serde(rename = "customer.updated")]
    CustomerUpdated,
    /// The customer's support contacts were replaced.
    #[serde(rename = "supportContacts.updated")]
    SupportContactsUpdated,
    /// A service request was opened for the customer.
    #[serde(rename = "serviceRequest.created")]
    ServiceRequestCreated,
}

impl EventKind {
    /// The SSE `event:` name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CustomerCreated => "customer.created",
            EventKind::CustomerUpdated => "customer.updated",
            EventKind::SupportContactsUpdated => "supportContacts.updated",
            EventKind::ServiceRequestCreated => "serviceRequest.created",
        }
    }

    /// Every kind this build knows, for parsing stored names and for skipping unknown ones.
    pub const ALL: [EventKind; 4] = [
        EventKind::CustomerCreated,
        EventKind::CustomerUpdated,
        EventKind::SupportContactsUpdated,
        EventKind::ServiceRequestCreated,
    ];

    /// The kind its SSE name stands for; None for one this build does not know.
    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// The `data:` of one event. `id` is also sent as the SSE `id:` for `Last-Event-ID` resume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub customer: Customer,
    pub occurred: String,
}
