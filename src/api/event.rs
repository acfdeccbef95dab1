//! Server-Sent Events on `GET /v1/events`: each change to a partner's customers, with a resumable id.

use serde::{Deserialize, Serialize};

use super::customer::Customer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "customer.created")]
    CustomerCreated,
    #[serde(rename = "customer.updated")]
    CustomerUpdated,
    #[serde(rename = "user.created")]
    UserCreated,
    #[serde(rename = "user.updated")]
    UserUpdated,
    #[serde(rename = "user.deleted")]
    UserDeleted,
}

impl EventKind {
    /// The SSE `event:` name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CustomerCreated => "customer.created",
            EventKind::CustomerUpdated => "customer.updated",
            EventKind::UserCreated => "user.created",
            EventKind::UserUpdated => "user.updated",
            EventKind::UserDeleted => "user.deleted",
        }
    }

    pub const ALL: [EventKind; 5] = [
        EventKind::CustomerCreated,
        EventKind::CustomerUpdated,
        EventKind::UserCreated,
        EventKind::UserUpdated,
        EventKind::UserDeleted,
    ];

    /// The kind an SSE `event:` name (or a stored kind) names; None for kinds this build does
    /// not know.
    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether the event is about the customer's users (the customer itself is unchanged).
    pub fn is_about_users(self) -> bool {
        matches!(
            self,
            EventKind::UserCreated | EventKind::UserUpdated | EventKind::UserDeleted
        )
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
