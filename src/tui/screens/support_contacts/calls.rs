//! The backend calls of the support contacts picker.

use crate::api::{Agent, SupportContacts, Tagged};
use crate::tui_call;

/// The partner's agents and the customer's current contacts (with their ETag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadContacts {
    pub customer_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub agents: Vec<Agent>,
    pub contacts: Tagged<SupportContacts>,
}

tui_call!(LoadContacts, |this, client| async move {
    let (agents, contacts) =
        futures::future::try_join(client.agents(), client.support_contacts(&this.customer_id))
            .await?;
    Ok::<_, crate::client::ClientError>(Loaded { agents, contacts })
});

/// Replaces the contacts, if they still have `etag`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveContacts {
    pub customer_id: String,
    pub agent_ids: Vec<String>,
    pub etag: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved(pub Tagged<SupportContacts>);

tui_call!(SaveContacts, |this, client| async move {
    client
        .set_support_contacts(&this.customer_id, &this.agent_ids, &this.etag)
        .await
        .map(Saved)
});
