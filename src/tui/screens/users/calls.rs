//! The backend calls the users screen makes, and the answers it gets back.

use crate::api::SubscribedSku;
use crate::api::users::{NewUser, User};
use crate::client::ClientError;
use crate::tui_call;

/// Everything the screen shows: active and removed users, and the customer's licenses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadUsers {
    pub customer_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub active: Vec<User>,
    pub removed: Vec<User>,
    pub skus: Vec<SubscribedSku>,
    /// The customer's country (its billing address): a new user's usage location by default.
    pub country: String,
}

tui_call!(LoadUsers, |this, client| async move {
    let id = this.customer_id.as_str();
    let (active, removed, skus, customer) = futures::future::try_join4(
        client.users(id),
        client.removed_users(id),
        client.subscribed_skus(id),
        client.customer(id),
    )
    .await?;
    Ok::<_, ClientError>(Loaded {
        active,
        removed,
        skus,
        country: customer.billing_profile.default_address.country,
    })
});

/// Adds a user; `request_id` goes out as `MS-RequestId`, so a re-sent call adds no second one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateUser {
    pub customer_id: String,
    pub request_id: String,
    pub new: Box<NewUser>,
}

/// The answer to [`CreateUser`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added(pub User);

tui_call!(CreateUser, |this, client| async move {
    client
        .create_user(&this.customer_id, &this.new, &this.request_id)
        .await
        .map(Added)
});

/// Removes (`restore: false`) or restores a user, guarded by the ETag it was listed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetRemoved {
    pub customer_id: String,
    pub user_id: String,
    pub etag: String,
    pub restore: bool,
}

/// The answer to [`SetRemoved`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed(pub User);

tui_call!(SetRemoved, |this, client| async move {
    let (id, uid, tag) = (&this.customer_id, &this.user_id, &this.etag);
    match this.restore {
        true => client.restore_user(id, uid, tag).await,
        false => client.remove_user(id, uid, tag).await,
    }
    .map(Changed)
});

/// Assigns and removes licenses (SKU ids) in one change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateLicenses {
    pub customer_id: String,
    pub user_id: String,
    pub assign: Vec<String>,
    pub remove: Vec<String>,
    pub request_id: String,
}

/// The answer to [`UpdateLicenses`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicensesUpdated;

tui_call!(UpdateLicenses, |this, client| async move {
    let assign: Vec<&str> = this.assign.iter().map(String::as_str).collect();
    let remove: Vec<&str> = this.remove.iter().map(String::as_str).collect();
    client
        .update_user_licenses(
            &this.customer_id,
            &this.user_id,
            &assign,
            &remove,
            &this.request_id,
        )
        .await
        .map(|_| LicensesUpdated)
});
