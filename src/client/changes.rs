//! Reading one resource with its ETag and changing it under `If-Match`: a change made on an old
//! read fails with 412 ([`ClientError::is_stale`]) instead of overwriting someone else's.

use reqwest::Method;
use reqwest::header::{ETAG, HeaderMap};
use serde::de::DeserializeOwned;

use super::call::Call;
use super::{Client, ClientError};
use crate::api::{Customer, CustomerPatch, PurchasePermission, Relationship, Tagged};

impl Client {
    /// One customer with its ETag, for a change that must not overwrite another's.
    pub async fn customer_tagged(&self, id: &str) -> Result<Tagged<Customer>, ClientError> {
        self.tagged(Call::get(self.url(&["customers", id])?)).await
    }

    /// Ends (`None`: the partner's admin access ends with it) or reinstates (`Reseller`: the
    /// relationship only) the relationship with a customer read with `etag`.
    pub async fn set_relationship(
        &self,
        id: &str,
        relationship: Relationship,
        etag: &str,
    ) -> Result<Tagged<Customer>, ClientError> {
        let body = CustomerPatch {
            relationship_to_partner: Some(relationship),
        };
        let url = self.url(&["customers", id])?;
        self.tagged(Call::conditional(Method::PATCH, url, &body, etag)?)
            .await
    }

    /// Whether the customer may buy its own products, with its ETag.
    pub async fn purchase_permission(&self, id: &str) -> Result<Tagged<bool>, ClientError> {
        let url = self.url(&["customers", id, "purchasepermission"])?;
        let read: Tagged<PurchasePermission> = self.tagged(Call::get(url)).await?;
        Ok(read.map(|p| p.allow_customer_purchase))
    }

    pub async fn set_purchase_permission(
        &self,
        id: &str,
        allow: bool,
        etag: &str,
    ) -> Result<Tagged<bool>, ClientError> {
        let url = self.url(&["customers", id, "purchasepermission"])?;
        let body = PurchasePermission {
            allow_customer_purchase: allow,
        };
        let read: Tagged<PurchasePermission> = self
            .tagged(Call::conditional(Method::PUT, url, &body, etag)?)
            .await?;
        Ok(read.map(|p| p.allow_customer_purchase))
    }

    async fn tagged<T: DeserializeOwned>(&self, call: Call) -> Result<Tagged<T>, ClientError> {
        let url = call.url.to_string();
        let (value, headers) = self.call_with_headers(call).await?;
        Ok(Tagged::new(value, etag_of(&headers, &url)?))
    }
}

/// The `ETag` header, without which no later change could be made safely.
fn etag_of(headers: &HeaderMap, url: &str) -> Result<String, ClientError> {
    headers
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ClientError::Decode {
            url: url.to_string(),
            reason: "the answer has no ETag header, so it cannot be changed safely".into(),
        })
}
