//! The licenses a user holds: read them, assign and remove in one change. A SKU's free units are
//! its active units less the active users holding it; assigning the last one is refused, naming
//! the SKU.

use rusqlite::{Connection, params};

use super::Change;
use crate::api::users::{License, LicenseUpdate, User};
use crate::api::{ProductSku, SubscribedSku};
use crate::server::store::sqlite::resources::subscribed_skus;
use crate::server::store::users::Respond;
use crate::server::store::{Created, RequestKey, StoreError, StoreResult, Versioned};

pub(in crate::server::store::sqlite) fn user_licenses(
    conn: &Connection,
    partner_id: &str,
    customer_id: &str,
    user_id: &str,
) -> StoreResult<Vec<License>> {
    let user = super::get(conn, partner_id, customer_id, user_id)?.value;
    let skus = subscribed_skus(conn, partner_id, customer_id)?;
    Ok(user
        .assigned_licenses
        .iter()
        .map(|held| {
            let sku = skus.iter().find(|s| s.product_sku.id == held.sku_id);
            License::new(sku.map_or_else(
                || ProductSku {
                    id: held.sku_id.clone(),
                    ..ProductSku::default()
                },
                |s| s.product_sku.clone(),
            ))
        })
        .collect())
}

fn describe(sku: &SubscribedSku) -> String {
    format!(
        "{} ({})",
        sku.product_sku.name, sku.product_sku.sku_part_number
    )
}

/// Checks `update` against the user and the customer's SKUs before anything is written.
fn check(update: &LicenseUpdate, user: &User, skus: &[SubscribedSku]) -> StoreResult<()> {
    if update.licenses_to_assign.is_empty() && update.licenses_to_remove.is_empty() {
        return Err(StoreError::Invalid {
            field: "licensesToAssign".into(),
            message: "name at least one license to assign or remove".into(),
        });
    }
    if user.is_removed() {
        return Err(StoreError::Conflict(format!(
            "{} was removed: restore the user before assigning licenses",
            user.user_principal_name
        )));
    }
    let known = |id: &str| skus.iter().find(|s| s.product_sku.id == id);
    for assign in &update.licenses_to_assign {
        let Some(sku) = known(&assign.sku_id) else {
            return Err(StoreError::Invalid {
                field: "licensesToAssign".into(),
                message: format!(
                    "{} is not one of the customer's subscribed SKUs",
                    assign.sku_id
                ),
            });
        };
        if update.licenses_to_remove.contains(&assign.sku_id) {
            return Err(StoreError::Invalid {
                field: "licensesToRemove".into(),
                message: format!("{} is also in licensesToAssign", describe(sku)),
            });
        }
        if !user.holds(&assign.sku_id) && sku.available_units() <= 0 {
            return Err(StoreError::Conflict(format!(
                "no {} licenses are available: all {} are assigned; buy more or free one first",
                describe(sku),
                sku.active_units
            )));
        }
    }
    for remove in &update.licenses_to_remove {
        if known(remove).is_none() {
            return Err(StoreError::Invalid {
                field: "licensesToRemove".into(),
                message: format!("{remove} is not one of the customer's subscribed SKUs"),
            });
        }
    }
    Ok(())
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
