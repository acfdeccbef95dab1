//! The store-neutral rules of a license change, shared by both stores. A SKU's free units are its
//! active units less the active users holding it; assigning the last one is refused, naming the
//! SKU.

use crate::api::users::{License, LicenseUpdate, User};
use crate::api::{ProductSku, SubscribedSku};
use crate::server::store::{StoreError, StoreResult};

/// The licenses `user` holds, each with its SKU's names from `skus` (the id alone for a SKU the
/// customer no longer has).
pub(crate) fn held_licenses(user: &User, skus: &[SubscribedSku]) -> Vec<License> {
    user.assigned_licenses
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
        .collect()
}

fn describe(sku: &SubscribedSku) -> String {
    format!(
        "{} ({})",
        sku.product_sku.name, sku.product_sku.sku_part_number
    )
}

/// Checks `update` against the user and the customer's SKUs before anything is written.
pub(crate) fn check(
    update: &LicenseUpdate,
    user: &User,
    skus: &[SubscribedSku],
) -> StoreResult<()> {
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
