//! The backend calls of the service requests screen and its form.

use crate::api::{Agent, NewServiceRequest, ServiceRequest};
use crate::tui_call;

/// The customer's service requests, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadRequests {
    pub customer_id: String,
}

/// The answer to [`LoadRequests`]: the requests and the wall-clock time they were read, which
/// ages ("3d") are counted from (the loop itself reads no clock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requests {
    pub items: Vec<ServiceRequest>,
    pub read_at: chrono::DateTime<chrono::Utc>,
}

tui_call!(LoadRequests, |this, client| async move {
    let items = client.service_requests(&this.customer_id).await?;
    Ok::<_, crate::client::ClientError>(Requests {
        items,
        read_at: chrono::Utc::now(),
    })
});

/// Opens one. `request_id` goes out as `MS-RequestId` and stays the same for the same input, so
/// a retry after a lost answer never opens two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRequest {
    pub customer_id: String,
    pub request_id: String,
    pub new: NewServiceRequest,
}

/// The answer to [`OpenRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened(pub ServiceRequest);

tui_call!(OpenRequest, |this, client| async move {
    client
        .open_service_request(&this.customer_id, &this.new, &this.request_id)
        .await
        .map(Opened)
});

/// The partner's agents, any of whom the form offers as the request's contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadAgents;

/// The answer to [`LoadAgents`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agents(pub Vec<Agent>);

tui_call!(LoadAgents, |_this, client| async move {
    client.agents().await.map(Agents)
});
