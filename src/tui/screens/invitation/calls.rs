//! The backend calls the invitation draft makes, and the answers it gets back.

use crate::tui::model::Start;
use crate::tui_call;

/// The partner's direct link and its indirect resellers (to bind one with `p`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadDirect;

tui_call!(LoadDirect, |_this, client| async move {
    let (request, resellers) = futures::future::try_join(
        client.relationship_request(None),
        client.indirect_resellers(),
    )
    .await?;
    Ok::<_, crate::client::ClientError>(Start {
        link: request.url,
        resellers,
    })
});

/// The link issued for one existing customer, which restores its relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadForCustomer {
    pub customer_id: String,
}

tui_call!(LoadForCustomer, |this, client| async move {
    let request = client
        .customer_relationship_request(&this.customer_id)
        .await?;
    // A customer's link keeps its indirect reseller: nothing to pick.
    Ok::<_, crate::client::ClientError>(Start {
        link: request.url,
        resellers: Vec::new(),
    })
});

/// The link bound to one indirect reseller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadForReseller {
    pub reseller_id: String,
}

/// The answer to [`LoadForReseller`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResellerLink(pub String);

tui_call!(LoadForReseller, |this, client| async move {
    let request = client.relationship_request(Some(&this.reseller_id)).await?;
    Ok::<_, crate::client::ClientError>(ResellerLink(request.url))
});
