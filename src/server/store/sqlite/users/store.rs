//! [`UserStore`](crate::server::store::UserStore) on SQLite: each method one read or one write
//! transaction around the functions of the parent module.

use super::{Change, create, get, list, remove, restore, update_licenses, user_licenses};
use crate::api::users::{NewUser, User};
use crate::server::store::users::{Respond, UserState};
use crate::server::store::{Created, IfMatch, Principal, RequestKey, StoreResult, Versioned};

impl crate::server::store::UserStore for super::super::SqliteStore {
    fn list_users(
        &self,
        partner_id: &str,
        customer_id: &str,
        state: UserState,
    ) -> StoreResult<Vec<Versioned<User>>> {
        self.read(|c| list(c, partner_id, customer_id, state))
    }

    fn user(
        &self,
        partner_id: &str,
        customer_id: &str,
        user_id: &str,
    ) -> StoreResult<Versioned<User>> {
        self.read(|c| get(c, partner_id, customer_id, user_id))
    }

    fn create_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        new: &NewUser,
        key: Option<&RequestKey>,
        respond: Respond<'_>,
    ) -> StoreResult<Created<Versioned<User>>> {
        self.write(|tx| create(tx, actor, customer_id, new, key, respond))
    }

    fn remove_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        user_id: &str,
        if_match: &IfMatch,
    ) -> StoreResult<Versioned<User>> {
        self.write(|tx| remove(tx, actor, customer_id, user_id, if_match))
    }

    fn restore_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        user_id: &str,
        if_match: &IfMatch,
    ) -> StoreResult<Versioned<User>> {
        self.write(|tx| restore(tx, actor, customer_id, user_id, if_match))
    }

    fn user_licenses(
        &self,
        partner_id: &str,
        customer_id: &str,
        user_id: &str,
    ) -> StoreResult<Vec<crate::api::users::License>> {
        self.read(|c| user_licenses(c, partner_id, customer_id, user_id))
    }

    fn update_user_licenses(
        &self,
        actor: &Principal,
        customer_id: &str,
        user_id: &str,
        update: &crate::api::users::LicenseUpdate,
        key: Option<&RequestKey>,
        respond: Respond<'_>,
    ) -> StoreResult<Created<Versioned<User>>> {
        self.write(|tx| {
            let change = Change {
                tx,
                actor,
                customer_id,
            };
            update_licenses(&change, user_id, update, key, respond)
        })
    }
}
