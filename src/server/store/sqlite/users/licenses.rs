//! The licenses a user holds: read them, assign and remove in one change (`users::rules` checks
//! the change).

use rusqlite::{Connection, params};

use super::Change;
use crate::api::users::{License, LicenseUpdate, User};
use crate::server::store::sqlite::resources::subscribed_skus;
use crate::server::store::users::Respond;
use crate::server::store::users::rules::{check, held_licenses};
use crate::server::store::{Created, RequestKey, StoreResult, Versioned};

pub(in crate::server::store::sqlite) fn user_licenses(
    conn: &Connection,
    partner_id: &str,
    customer_id: &str,
    user_id: &str,
) -> StoreResult<Vec<License>> {
    let user = super::get(conn, partner_id, customer_id, user_id)?.value;
    let skus = subscribed_skus(conn, partner_id, customer_id)?;
    Ok(held_licenses(&user, &skus))
}

pub(in crate::server::store::sqlite) fn update_licenses(
    change: &Change<'_>,
    user_id: &str,
    update: &LicenseUpdate,
    key: Option<&RequestKey>,
    respond: Respond<'_>,
) -> StoreResult<Created<Versioned<User>>> {
    if let Some(first) = change.replayed(key)? {
        return Ok(Created::Replayed(first));
    }
    let customer = change.manageable()?;
    let before = change.bump(user_id)?.value;
    let skus = subscribed_skus(change.tx, &change.actor.partner_id, change.customer_id)?;
    check(update, &before, &skus)?;
    for assign in &update.licenses_to_assign {
        change
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO user_licenses (customer_id, user_id, sku_id) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![change.customer_id, user_id, assign.sku_id])?;
    }
    for remove in &update.licenses_to_remove {
        change
            .tx
            .prepare_cached(
                "DELETE FROM user_licenses WHERE customer_id = ?1 AND user_id = ?2 AND sku_id = ?3",
            )?
            .execute(params![change.customer_id, user_id, remove])?;
    }
    let after = change.get(user_id)?;
    let (was, is) = (
        change.names(&before.assigned_licenses)?,
        change.names(&after.value.assigned_licenses)?,
    );
    if was != is {
        change.updated()?;
        let upn = &before.user_principal_name;
        super::record_change(
            change.tx,
            change.actor,
            &customer,
            "updateUserLicenses",
            "license",
            &format!("userPrincipalName {upn}, licenses {was}"),
            &format!("userPrincipalName {upn}, licenses {is}"),
        )?;
    }
    change.remember(key, &respond(&after))?;
    Ok(Created::New(after))
}
