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
    /// Whether the customer may buy its own products changed (the event carries the customer;
    /// read `.../purchasepermission` for the value).
    #[serde(rename = "purchasePermission.updated")]
    PurchasePermissionUpdated,
    #[serde(rename = "user.created")]
    UserCreated,
    #[serde(rename = "user.updated")]
    UserUpdated,
    #[serde(rename = "user.deleted")]
    UserDeleted,
    /// The customer's support contacts were replaced.
    #[serde(rename = "supportContacts.updated")]
    SupportContactsUpdated,
    /// A service request was opened for the customer.
    #[serde(rename = "serviceRequest.created")]
    ServiceRequestCreated,
    /// An admin relationship (GDAP) was made for the customer (the event carries the customer,
    /// whose `adminAccess` is already the new summary).
    #[serde(rename = "adminRelationship.created")]
    AdminRelationshipCreated,
    /// One of the customer's admin relationships changed: approved, declined, expired, extended,
    /// terminated, or given an access assignment.
    #[serde(rename = "adminRelationship.updated")]
    AdminRelationshipUpdated,
}

impl EventKind {
    /// The SSE `event:` name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CustomerCreated => "customer.created",
            EventKind::CustomerUpdated => "customer.updated",
            EventKind::PurchasePermissionUpdated => "purchasePermission.updated",
            EventKind::UserCreated => "user.created",
            EventKind::UserUpdated => "user.updated",
            EventKind::UserDeleted => "user.deleted",
            EventKind::SupportContactsUpdated => "supportContacts.updated",
            EventKind::ServiceRequestCreated => "serviceRequest.created",
            EventKind::AdminRelationshipCreated => "adminRelationship.created",
            EventKind::AdminRelationshipUpdated => "adminRelationship.updated",
        }
    }

    /// Every kind this build knows; a client skips the others (DESIGN.md §3).
    pub const ALL: [EventKind; 10] = [
        EventKind::CustomerCreated,
        EventKind::CustomerUpdated,
        EventKind::PurchasePermissionUpdated,
        EventKind::UserCreated,
        EventKind::UserUpdated,
        EventKind::UserDeleted,
        EventKind::SupportContactsUpdated,
        EventKind::ServiceRequestCreated,
        EventKind::AdminRelationshipCreated,
        EventKind::AdminRelationshipUpdated,
    ];

    /// The kind named `name` (an SSE `event:` or a stored kind), if this build knows it.
    pub fn from_name(name: &str) -> Option<EventKind> {
        EventKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
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
