//! The licenses a user holds: read them, assign and remove in one change (`users::rules` checks
//! the change).

use deadpool_postgres::Transaction;

use super::super::resources::{execute, subscribed_skus};
use super::Change;
use crate::api::users::{License, LicenseUpdate, User};
use crate::server::store::users::Respond;
use crate::server::store::users::rules::{check, held_licenses};
use crate::server::store::{Created, RequestKey, StoreResult, Versioned};

pub(super) async fn user_licenses(
    tx: &Transaction<'_>,
    partner_id: &str,
    customer_id: &str,
    user_id: &str,
) -> StoreResult<Vec<License>> {
    let user = super::get(tx, partner_id, customer_id, user_id)
        .await?
        .value;
    let skus = subscribed_skus(tx, partner_id, customer_id).await?;
    Ok(held_licenses(&user, &skus))
}

pub(super) async fn update_licenses(
    change: &Change<'_>,
    user_id: &str,
    update: &LicenseUpdate,
    key: Option<&RequestKey>,
    respond: Respond<'_>,
) -> StoreResult<Created<Versioned<User>>> {
    if let Some(first) = change.replayed(key).await? {
        return Ok(Created::Replayed(first));
    }
    let customer = change.manageable().await?;
    let before = change.bump(user_id).await?.value;
    let skus = subscribed_skus(change.tx, &change.actor.partner_id, change.customer_id).await?;
    check(update, &before, &skus)?;
    for assign in &update.licenses_to_assign {
        execute(
            change.tx,
            "INSERT INTO user_licenses (customer_id, user_id, sku_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
            &[&change.customer_id, &user_id, &assign.sku_id],
        )
        .await?;
    }
    for remove in &update.licenses_to_remove {
        execute(
            change.tx,
            "DELETE FROM user_licenses WHERE customer_id = $1 AND user_id = $2 AND sku_id = $3",
            &[&change.customer_id, &user_id, remove],
        )
        .await?;
    }
    let after = change.get(user_id).await?;
    let (was, is) = (
        change.names(&before.assigned_licenses).await?,
        change.names(&after.value.assigned_licenses).await?,
    );
    if was != is {
        change.updated().await?;
        let upn = &before.user_principal_name;
        super::record_change(
            change.tx,
            change.actor,
            &customer,
            "updateUserLicenses",
            "license",
            &format!("userPrincipalName {upn}, licenses {was}"),
            &format!("userPrincipalName {upn}, licenses {is}"),
        )
        .await?;
    }
    change.remember(key, &respond(&after)).await?;
    Ok(Created::New(after))
}
