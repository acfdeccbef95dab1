//! The part of the [`Store`](super::Store) that keeps a customer's users and their licenses.
//! Same rules as the rest: every method takes the caller's partner (through `actor` for changes),
//! and another partner's customer or user is `NotFound`.

pub(crate) mod rules;

use super::{Created, IfMatch, Principal, RequestKey, StoreResult, StoredResponse, Versioned};
use crate::api::users::{License, LicenseUpdate, NewUser, User};

/// Which of a customer's users to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserState {
    Active,
    /// Removed: restorable within 30 days, listed for longer.
    Removed,
}

/// Renders the answer stored for an idempotent POST about a user.
pub type Respond<'a> = &'a dyn Fn(&Versioned<User>) -> StoredResponse;

pub trait UserStore {
    /// Users of one state, by display name, each with its licenses and version.
    fn list_users(
        &self,
        partner_id: &str,
        customer_id: &str,
        state: UserState,
    ) -> StoreResult<Vec<Versioned<User>>>;
    fn user(
        &self,
        partner_id: &str,
        customer_id: &str,
        user_id: &str,
    ) -> StoreResult<Versioned<User>>;
    /// Adds a user (validated by the caller against the customer's domain; the password is
    /// neither stored nor hashed). A taken sign-in name is `Taken`. With a request key, a repeat
    /// returns the stored first answer. Audited (`addUser`), an event (`user.created`).
    fn create_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        new: &NewUser,
        key: Option<&RequestKey>,
        respond: Respond<'_>,
    ) -> StoreResult<Created<Versioned<User>>>;
    /// Removes a user: inactive, restorable for 30 days, its licenses freed. `if_match` None
    /// means `If-Match: *`. Audited (`removeUser`), an event (`user.deleted`).
    fn remove_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        user_id: &str,
        if_match: &IfMatch,
    ) -> StoreResult<Versioned<User>>;
    /// Brings a removed user back (within 30 days; later is a `Conflict`), without licenses.
    /// Audited (`restoreUser`), an event (`user.updated`).
    fn restore_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        user_id: &str,
        if_match: &IfMatch,
    ) -> StoreResult<Versioned<User>>;
    fn user_licenses(
        &self,
        partner_id: &str,
        customer_id: &str,
        user_id: &str,
    ) -> StoreResult<Vec<License>>;
    /// Assigns and removes licenses in one change: an unknown SKU is `Invalid`, a SKU without a
    /// free unit a `Conflict` naming it. Audited (`updateUserLicenses`), an event (`user.updated`).
    fn update_user_licenses(
        &self,
        actor: &Principal,
        customer_id: &str,
        user_id: &str,
        update: &LicenseUpdate,
        key: Option<&RequestKey>,
        respond: Respond<'_>,
    ) -> StoreResult<Created<Versioned<User>>>;
}
