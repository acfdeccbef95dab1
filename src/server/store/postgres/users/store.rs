//! [`UserStore`](crate::server::store::UserStore) on PostgreSQL: each method one read or one
//! write transaction around the functions of the parent module.

use super::super::PgStore;
use super::{Change, create, get, list, remove, restore, update_licenses, user_licenses};
use crate::api::users::{License, LicenseUpdate, NewUser, User};
use crate::server::store::users::{Respond, UserState, UserStore};
use crate::server::store::{Created, IfMatch, Principal, RequestKey, StoreResult, Versioned};

impl UserStore for PgStore {
    fn list_users(
        &self,
        partner_id: &str,
        customer_id: &str,
        state: UserState,
    ) -> StoreResult<Vec<Versioned<User>>> {
        self.read(async |tx| list(tx, partner_id, customer_id, state).await)
    }

    fn user(
        &self,
        partner_id: &str,
        customer_id: &str,
        user_id: &str,
    ) -> StoreResult<Versioned<User>> {
        self.read(async |tx| get(tx, partner_id, customer_id, user_id).await)
    }

    fn create_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        new: &NewUser,
        key: Option<&RequestKey>,
        respond: Respond<'_>,
    ) -> StoreResult<Created<Versioned<User>>> {
        self.write(async |tx| create(tx, actor, customer_id, new, key, respond).await)
    }

    fn remove_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        user_id: &str,
        if_match: &IfMatch,
    ) -> StoreResult<Versioned<User>> {
        self.write(async |tx| remove(tx, actor, customer_id, user_id, if_match).await)
    }

    fn restore_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        user_id: &str,
        if_match: &IfMatch,
    ) -> StoreResult<Versioned<User>> {
        self.write(async |tx| restore(tx, actor, customer_id, user_id, if_match).await)
    }

    fn user_licenses(
        &self,
        partner_id: &str,
        customer_id: &str,
        user_id: &str,
    ) -> StoreResult<Vec<License>> {
        self.read(async |tx| user_licenses(tx, partner_id, customer_id, user_id).await)
    }

    fn update_user_licenses(
        &self,
        actor: &Principal,
        customer_id: &str,
        user_id: &str,
        update: &LicenseUpdate,
        key: Option<&RequestKey>,
        respond: Respond<'_>,
    ) -> StoreResult<Created<Versioned<User>>> {
        self.write(async |tx| {
            let change = Change {
                tx,
                actor,
                customer_id,
            };
            update_licenses(&change, user_id, update, key, respond).await
        })
    }
}
