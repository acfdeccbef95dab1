//! Adding the customer: `request_id` goes out as `MS-RequestId`, so the same call sent again (a
//! retry after a lost answer) cannot add it twice.

use crate::api::{Customer, NewCustomer};
use crate::tui_call;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateCustomer {
    pub request_id: String,
    pub new: Box<NewCustomer>,
}

tui_call!(CreateCustomer, |this, client| async move {
    client
        .create_customer(&this.new, &this.request_id)
        .await
        .map(Box::new)
});

/// The answer: the customer as the backend stored it.
pub type Created = Box<Customer>;
