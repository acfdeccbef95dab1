//! The backend calls of the relationship and purchase-permission dialogs. Each answer has its own
//! type, so the dialog knows a read from a change by what comes back.

use crate::api::{Customer, Relationship, Tagged};
use crate::tui_call;

/// The customer as it is now, with the ETag a change must send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadCustomer {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRead(pub Tagged<Customer>);

tui_call!(ReadCustomer, |this, client| async move {
    client.customer_tagged(&this.id).await.map(CustomerRead)
});

/// Whether the customer may buy its own products, with its ETag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadPurchase {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseRead(pub Tagged<bool>);

tui_call!(ReadPurchase, |this, client| async move {
    client.purchase_permission(&this.id).await.map(PurchaseRead)
});

/// End (`None`) or reinstate (`Reseller`) under `If-Match: etag`. Sent again as is after
/// transient trouble: the body is the wanted state, and `If-Match` keeps it from overwriting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetRelationship {
    pub id: String,
    pub to: Relationship,
    pub etag: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationshipSet(pub Tagged<Customer>);

tui_call!(SetRelationship, |this, client| async move {
    client
        .set_relationship(&this.id, this.to, &this.etag)
        .await
        .map(RelationshipSet)
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetPurchase {
    pub id: String,
    pub allow: bool,
    pub etag: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseSet(pub Tagged<bool>);

tui_call!(SetPurchase, |this, client| async move {
    client
        .set_purchase_permission(&this.id, this.allow, &this.etag)
        .await
        .map(PurchaseSet)
});
