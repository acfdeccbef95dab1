//! `cspdash subscriptions list`: the services a customer subscribes to.

use clap::Subcommand;

use super::context::Ctx;
use super::error::CliError;
use super::lookup;
use super::output::{Column, col};
use crate::api::Subscription;

#[derive(Debug, Clone, Subcommand)]
pub enum SubscriptionsVerb {
    /// The customer's subscriptions: offer, quantity, status, renewal, term.
    List {
        /// The customer's id or domain.
        customer: String,
    },
}

const SUBSCRIPTIONS: &[Column<Subscription>] = &[
    col("id", |s| s.id.clone()),
    col("offerName", |s| s.offer_name.clone()),
    col("friendlyName", |s| s.friendly_name.clone()),
    col("quantity", |s| s.quantity.to_string()),
    col("unitType", |s| s.unit_type.clone()),
    col("status", |s| s.status.clone()),
    col("autoRenewEnabled", |s| s.auto_renew_enabled.to_string()),
    col("billingCycle", |s| s.billing_cycle.clone()),
    col("termDuration", |s| s.term_duration.clone()),
    col("creationDate", |s| s.creation_date.clone()),
    col("commitmentEndDate", |s| s.commitment_end_date.clone()),
    col("offerId", |s| s.offer_id.clone()),
];

pub async fn run(verb: &SubscriptionsVerb, ctx: &mut Ctx) -> Result<(), CliError> {
    match verb {
        SubscriptionsVerb::List { customer } => {
            let id = lookup::customer_id(&ctx.client, customer).await?;
            let subscriptions = ctx.client.subscriptions(&id).await?;
            ctx.out.all(SUBSCRIPTIONS, &subscriptions)
        }
    }
}
