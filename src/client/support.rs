//! A customer's support contacts (read with their ETag, replaced with `If-Match`) and its service
//! requests (listed; opened idempotently by `MS-RequestId`).

use reqwest::header::{ETAG, HeaderMap};

use super::call::Call;
use super::{Client, ClientError};
use crate::api::{NewServiceRequest, ServiceRequest, SupportContacts, Tagged};

impl Client {
    /// The customer's support contacts (with names and emails) and the set's ETag.
    pub async fn support_contacts(
        &self,
        customer_id: &str,
    ) -> Result<Tagged<SupportContacts>, ClientError> {
        let url = self.url(&["customers", customer_id, "supportcontacts"])?;
        let (value, headers) = self.call_with_headers(Call::get(url.clone())).await?;
        tagged(value, &headers, &url)
    }

    /// Replaces the support contacts with `agent_ids`, if the set still has `etag` (`*` skips
    /// the check). A 412 means someone else changed them since they were read.
    pub async fn set_support_contacts(
        &self,
        customer_id: &str,
        agent_ids: &[String],
        etag: &str,
    ) -> Result<Tagged<SupportContacts>, ClientError> {
        let url = self.url(&["customers", customer_id, "supportcontacts"])?;
        let body = SupportContacts::of_agents(agent_ids);
        let call = Call::put(url.clone(), &body, etag)?;
        let (value, headers) = self.call_with_headers(call).await?;
        tagged(value, &headers, &url)
    }

    /// The customer's service requests, newest first (the backend lists the newest 200).
    pub async fn service_requests(
        &self,
        customer_id: &str,
    ) -> Result<Vec<ServiceRequest>, ClientError> {
        self.all_items(self.url(&["customers", customer_id, "servicerequests"])?)
            .await
    }

    /// Opens a service request. Keep `request_id` for retries of the same request: the backend
    /// then answers with the first one instead of opening another.
    pub async fn open_service_request(
        &self,
        customer_id: &str,
        new: &NewServiceRequest,
        request_id: &str,
    ) -> Result<ServiceRequest, ClientError> {
        let url = self.url(&["customers", customer_id, "servicerequests"])?;
        self.call(Call::post(url, new, request_id)?).await
    }
}

fn tagged<T>(value: T, headers: &HeaderMap, url: &reqwest::Url) -> Result<Tagged<T>, ClientError> {
    let etag = headers
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .ok_or_else(|| ClientError::Decode {
            url: url.to_string(),
            reason: "the answer has no ETag header, so a change could not be guarded".into(),
        })?;
    Ok(Tagged { value, etag })
}
