//! `cspdash licenses list|assign|remove`: the licenses a customer has (per SKU, with the units
//! free) and a user's share of them. A SKU is named by its id or its part number.

use clap::Subcommand;
use serde::Serialize;

use super::context::Ctx;
use super::error::CliError;
use super::lookup;
use super::output::{Column, col};
use super::users::find_user;
use crate::api::SubscribedSku;
use crate::api::users::License;

#[derive(Debug, Clone, Subcommand)]
pub enum LicensesVerb {
    /// The customer's subscribed SKUs: units bought, in use and free.
    List {
        /// The customer's id or domain.
        customer: String,
    },
    /// Gives a user a license of each SKU.
    ///
    /// One change: a SKU with no free unit exits with 5 and nothing is assigned. Prints the
    /// user's licenses afterwards.
    Assign(LicenseArgs),
    /// Takes licenses of these SKUs from a user.
    ///
    /// Prints the user's licenses afterwards.
    Remove(LicenseArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct LicenseArgs {
    /// The customer's id or domain.
    pub customer: String,
    /// The user's id or sign-in name (UPN).
    pub user: String,
    /// The SKUs, by id or part number (as `licenses list` shows them).
    #[arg(required = true, value_name = "SKU")]
    pub skus: Vec<String>,
}

/// A SKU as printed: the wire object and the units still free.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct SkuRow {
    #[serde(flatten)]
    sku: SubscribedSku,
    available_units: i64,
}

const SKUS: &[Column<SkuRow>] = &[
    col("skuId", |r| r.sku.product_sku.id.clone()),
    col("skuPartNumber", |r| {
        r.sku.product_sku.sku_part_number.clone()
    }),
    col("name", |r| r.sku.product_sku.name.clone()),
    col("status", |r| r.sku.status.clone()),
    col("activeUnits", |r| r.sku.active_units.to_string()),
    col("consumedUnits", |r| r.sku.consumed_units.to_string()),
    col("availableUnits", |r| r.available_units.to_string()),
    col("suspendedUnits", |r| r.sku.suspended_units.to_string()),
    col("warningUnits", |r| r.sku.warning_units.to_string()),
];

const LICENSES: &[Column<License>] = &[
    col("skuId", |l| l.product_sku.id.clone()),
    col("skuPartNumber", |l| l.product_sku.sku_part_number.clone()),
    col("name", |l| l.product_sku.name.clone()),
];

pub async fn run(verb: &LicensesVerb, ctx: &mut Ctx) -> Result<(), CliError> {
    match verb {
        LicensesVerb::List { customer } => {
            let id = lookup::customer_id(&ctx.client, customer).await?;
            let rows: Vec<SkuRow> = ctx
                .client
                .subscribed_skus(&id)
                .await?
                .into_iter()
                .map(|sku| SkuRow {
                    available_units: sku.available_units(),
                    sku,
                })
                .collect();
            ctx.out.all(SKUS, &rows)
        }
        LicensesVerb::Assign(args) => update(args, true, ctx).await,
        LicensesVerb::Remove(args) => update(args, false, ctx).await,
    }
}

async fn update(args: &LicenseArgs, assign: bool, ctx: &mut Ctx) -> Result<(), CliError> {
    let customer_id = lookup::customer_id(&ctx.client, &args.customer).await?;
    let (user, skus) =
        futures::future::try_join(find_user(&ctx.client, &customer_id, &args.user), async {
            ctx.client
                .subscribed_skus(&customer_id)
                .await
                .map_err(CliError::from)
        })
        .await?;
    let mut ids: Vec<&str> = Vec::new();
    for arg in &args.skus {
        let id = sku_id(&skus, arg)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let (to_assign, to_remove): (&[&str], &[&str]) = match assign {
        true => (&ids, &[]),
        false => (&[], &ids),
    };
    let request_id = ctx.request_id("");
    ctx.client
        .update_user_licenses(&customer_id, &user.id, to_assign, to_remove, &request_id)
        .await?;
    let licenses = ctx.client.user_licenses(&customer_id, &user.id).await?;
    ctx.out.all(LICENSES, &licenses)
}

/// The id of the customer's SKU `arg` names: its id, or its part number (any case).
fn sku_id<'a>(skus: &'a [SubscribedSku], arg: &str) -> Result<&'a str, CliError> {
    let arg = arg.trim();
    skus.iter()
        .find(|s| s.product_sku.id == arg)
        .or_else(|| {
            skus.iter()
                .find(|s| s.product_sku.sku_part_number.eq_ignore_ascii_case(arg))
        })
        .map(|s| s.product_sku.id.as_str())
        .ok_or_else(|| {
            CliError::NotFound(format!(
                "the customer has no SKU with the id or part number {arg:?} (see licenses list)"
            ))
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::api::ProductSku;

    fn sku(id: &str, part: &str) -> SubscribedSku {
        SubscribedSku {
            product_sku: ProductSku {
                id: id.into(),
                name: part.into(),
                sku_part_number: part.into(),
            },
            status: "Enabled".into(),
            active_units: 1,
            consumed_units: 0,
            suspended_units: 0,
            warning_units: 0,
        }
    }

    #[test]
    fn a_sku_is_found_by_id_or_part_number_in_any_case() {
        let skus = [sku("s1", "SPE_E3"), sku("s2", "SPB")];
        assert_eq!(sku_id(&skus, "s2").unwrap(), "s2");
        assert_eq!(sku_id(&skus, "spe_e3").unwrap(), "s1");
        assert_eq!(sku_id(&skus, "E5").unwrap_err().exit().code(), 3);
    }
}
