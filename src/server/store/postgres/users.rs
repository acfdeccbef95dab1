//! A customer's users and their licenses on PostgreSQL.
#![allow(unused_variables)] // TODO(pg): stubs until ported

use super::PgStore;
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
        unimplemented!("postgres: users::list_users")
    }

    fn user(
        &self,
        partner_id: &str,
        customer_id: &str,
        user_id: &str,
    ) -> StoreResult<Versioned<User>> {
        unimplemented!("postgres: users::user")
    }

    fn create_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        new: &NewUser,
        key: Option<&RequestKey>,
        respond: Respond<'_>,
    ) -> StoreResult<Created<Versioned<User>>> {
        unimplemented!("postgres: users::create_user")
    }

    fn remove_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        user_id: &str,
        if_match: &IfMatch,
    ) -> StoreResult<Versioned<User>> {
        unimplemented!("postgres: users::remove_user")
    }

    fn restore_user(
        &self,
        actor: &Principal,
        customer_id: &str,
        user_id: &str,
        if_match: &IfMatch,
    ) -> StoreResult<Versioned<User>> {
        unimplemented!("postgres: users::restore_user")
    }

    fn user_licenses(
        &self,
        partner_id: &str,
        customer_id: &str,
        user_id: &str,
    ) -> StoreResult<Vec<License>> {
        unimplemented!("postgres: users::user_licenses")
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
        unimplemented!("postgres: users::update_user_licenses")
    }
}
