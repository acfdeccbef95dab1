//! A customer's users and their licenses. A user comes back with its ETag in
//! `attributes.etag` (filled from the `ETag` header when a backend leaves it out), which is what
//! removing or restoring it later needs.

use reqwest::Method;
use reqwest::header::{ETAG, HeaderMap};

use super::call::Call;
use super::{Client, ClientError};
use crate::api::users::{License, LicenseUpdate, NewUser, User, UserPatch, removed_users_filter};

impl Client {
    /// The customer's active users, each with its licenses.
    pub async fn users(&self, customer_id: &str) -> Result<Vec<User>, ClientError> {
        self.all_items(self.url(&["customers", customer_id, "users"])?)
            .await
    }

    /// Users removed from the customer (restorable for 30 days after `softDeletionTime`).
    pub async fn removed_users(&self, customer_id: &str) -> Result<Vec<User>, ClientError> {
        let mut url = self.url(&["customers", customer_id, "users"])?;
        url.query_pairs_mut()
            .append_pair("filter", &removed_users_filter());
        self.all_items(url).await
    }

    pub async fn user(&self, customer_id: &str, user_id: &str) -> Result<User, ClientError> {
        let url = self.url(&["customers", customer_id, "users", user_id])?;
        self.tagged_user(Call::get(url)).await
    }

    /// `MS-RequestId` makes the POST idempotent: a retry with the same id adds no second user.
    pub async fn create_user(
        &self,
        customer_id: &str,
        new: &NewUser,
        request_id: &str,
    ) -> Result<User, ClientError> {
        let url = self.url(&["customers", customer_id, "users"])?;
        self.tagged_user(Call::post(url, new, request_id)?).await
    }

    /// Removes the user (restorable for 30 days; its licenses are freed). `etag` is the one the
    /// user was read with (`*` to skip the check); a stale one is a 412.
    pub async fn remove_user(
        &self,
        customer_id: &str,
        user_id: &str,
        etag: &str,
    ) -> Result<User, ClientError> {
        let url = self.url(&["customers", customer_id, "users", user_id])?;
        let call = conditional(Call::get(url), Method::DELETE, etag, None)?;
        self.tagged_user(call).await
    }

    /// Restores a removed user (within 30 days), without its former licenses.
    pub async fn restore_user(
        &self,
        customer_id: &str,
        user_id: &str,
        etag: &str,
    ) -> Result<User, ClientError> {
        let url = self.url(&["customers", customer_id, "users", user_id])?;
        let patch = UserPatch {
            state: Some("active".into()),
        };
        let call = conditional(Call::get(url), Method::PATCH, etag, Some(&patch))?;
        self.tagged_user(call).await
    }

    pub async fn user_licenses(
        &self,
        customer_id: &str,
        user_id: &str,
    ) -> Result<Vec<License>, ClientError> {
        self.all_items(self.url(&["customers", customer_id, "users", user_id, "licenses"])?)
            .await
    }

    /// Assigns and removes licenses (SKU ids) in one change; 409 when a SKU has no free unit.
    pub async fn update_user_licenses(
        &self,
        customer_id: &str,
        user_id: &str,
        assign: &[&str],
        remove: &[&str],
        request_id: &str,
    ) -> Result<LicenseUpdate, ClientError> {
        let url = self.url(&["customers", customer_id, "users", user_id, "licenseupdates"])?;
        let update = LicenseUpdate::new(assign, remove);
        self.call(Call::post(url, &update, request_id)?).await
    }

    async fn tagged_user(&self, call: Call) -> Result<User, ClientError> {
        let (mut user, headers): (User, HeaderMap) = self.call_with_headers(call).await?;
        if user.attributes.etag.is_none() {
            user.attributes.etag = headers
                .get(ETAG)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
        }
        Ok(user)
    }
}

/// `base` turned into a `method` request guarded by `If-Match: etag`, with an optional JSON body.
/// Not retried: had the first attempt gone through, a second would meet a new ETag (412) and
/// report a change that in fact succeeded as a failure.
fn conditional(
    base: Call,
    method: Method,
    etag: &str,
    body: Option<&UserPatch>,
) -> Result<Call, ClientError> {
    let mut call = base.if_match(etag)?;
    if let Some(body) = body {
        call = call.with_json(body)?;
    }
    call.method = method;
    call.retry_safe = false;
    Ok(call)
}
