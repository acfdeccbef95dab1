//! `cspdash purchase-permission show|set`: whether a customer may buy its own products, read and
//! changed as the dashboard's `b` dialog does (read with the ETag, change under `If-Match`).

use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use super::context::Ctx;
use super::error::CliError;
use super::lookup;
use super::output::{Column, col};

#[derive(Debug, Clone, Subcommand)]
pub enum PurchasePermissionVerb {
    /// Whether the customer may buy its own products.
    Show {
        /// Its id or its primary domain.
        customer: String,
    },
    /// Lets the customer buy its own products (`on`) or not (`off`); prints the result.
    Set {
        /// Its id or its primary domain.
        customer: String,
        /// `on`: the customer may buy; `off`: it may not.
        #[arg(value_enum)]
        allow: OnOff,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

/// The wire object (`allowCustomerPurchase`), with the customer it belongs to.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Permission {
    customer_id: String,
    allow_customer_purchase: bool,
}

const PERMISSION: &[Column<Permission>] = &[
    col("customerId", |p| p.customer_id.clone()),
    col("allowCustomerPurchase", |p| {
        p.allow_customer_purchase.to_string()
    }),
];

pub async fn run(verb: &PurchasePermissionVerb, ctx: &mut Ctx) -> Result<(), CliError> {
    let (arg, set) = match verb {
        PurchasePermissionVerb::Show { customer } => (customer, None),
        PurchasePermissionVerb::Set { customer, allow } => (customer, Some(*allow == OnOff::On)),
    };
    let id = lookup::customer_id(&ctx.client, arg).await?;
    let read = ctx
        .client
        .purchase_permission(&id)
        .await
        .map_err(lookup::customer_missing(arg))?;
    let allow = match set {
        None => read.value,
        // Under the ETag just read: a change made in between is a 412 (exit 5), not overwritten.
        Some(allow) => {
            ctx.client
                .set_purchase_permission(&id, allow, &read.etag)
                .await?
                .value
        }
    };
    let permission = Permission {
        customer_id: id,
        allow_customer_purchase: allow,
    };
    ctx.out.item(PERMISSION, &permission)
}
