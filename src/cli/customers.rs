//! `cspdash customers list|show`: the customers list as the dashboard shows it, for scripts.

use clap::{Args, Subcommand, ValueEnum};
use futures::StreamExt;

use super::context::Ctx;
use super::error::CliError;
use super::lookup;
use super::output::{Column, col};
use crate::api::gdap::{AdminAccessStatus, EXPIRING_DAYS};
use crate::api::{Customer, Relationship};

/// Customers a page: the backend's largest, so 100,000 take 100 requests (or one bulk read).
const PAGE_SIZE: u32 = 1000;

#[derive(Debug, Clone, Subcommand)]
pub enum CustomersVerb {
    /// Every customer (filtered as the dashboard's `/` filter does), streamed page by page.
    List(ListArgs),
    /// One customer's account: company, billing contact, relationship, admin access.
    Show {
        /// Its id or its primary domain.
        customer: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only customers whose name or domain contains TEXT (any case).
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Only customers with this relationship to the partner.
    #[arg(long, value_enum)]
    pub relationship: Option<RelationshipArg>,
    /// Only customers whose admin access (GDAP) is in this state; `expiring`: active with 30 days
    /// or fewer left.
    #[arg(long, value_enum)]
    pub admin: Option<AdminArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RelationshipArg {
    Reseller,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AdminArg {
    Active,
    Expiring,
    Pending,
    Expired,
    Terminated,
    None,
}

fn admin_status(c: &Customer) -> AdminAccessStatus {
    c.admin_access
        .as_ref()
        .map_or(AdminAccessStatus::None, |a| a.status)
}

fn admin_end(c: &Customer) -> String {
    c.admin_access
        .as_ref()
        .and_then(|a| a.end_date_time.clone())
        .unwrap_or_default()
}

pub const CUSTOMERS: &[Column<Customer>] = &[
    col("id", |c| c.id.clone()),
    col("companyName", |c| c.company_profile.company_name.clone()),
    col("domain", |c| c.company_profile.domain.clone()),
    col("relationship", |c| {
        c.relationship_to_partner.as_str().into()
    }),
    col("adminStatus", |c| admin_status(c).as_str().into()),
    col("adminEnds", admin_end),
];

const CUSTOMER: &[Column<Customer>] = &[
    col("id", |c| c.id.clone()),
    col("companyName", |c| c.company_profile.company_name.clone()),
    col("domain", |c| c.company_profile.domain.clone()),
    col("tenantId", |c| c.company_profile.tenant_id.clone()),
    col("relationship", |c| {
        c.relationship_to_partner.as_str().into()
    }),
    col("allowDelegatedAccess", |c| {
        c.allow_delegated_access.to_string()
    }),
    col("indirectReseller", |c| {
        c.associated_partner_name.clone().unwrap_or_default()
    }),
    col("email", |c| c.billing_profile.email.clone()),
    col("contact", |c| {
        let b = &c.billing_profile;
        format!("{} {}", b.first_name, b.last_name)
            .trim()
            .to_string()
    }),
    col("country", |c| {
        c.billing_profile.default_address.country.clone()
    }),
    col("city", |c| c.billing_profile.default_address.city.clone()),
    col("adminStatus", |c| admin_status(c).as_str().into()),
    col("adminEnds", admin_end),
];

pub async fn run(verb: &CustomersVerb, ctx: &mut Ctx) -> Result<(), CliError> {
    match verb {
        CustomersVerb::List(args) => list(args, ctx).await,
        CustomersVerb::Show { customer } => {
            let customer = lookup::customer(&ctx.client, customer).await?;
            ctx.out.item(CUSTOMER, &customer)
        }
    }
}

async fn list(args: &ListArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let keep = Keep::new(args);
    let mut pages = Box::pin(ctx.client.customer_pages(PAGE_SIZE, None));
    let mut list = ctx.out.list(CUSTOMERS);
    while let Some(page) = pages.next().await {
        for customer in page?.items.iter().filter(|c| keep.keeps(c)) {
            list.push(customer)?;
        }
    }
    list.finish()
}

/// The list's filters, applied as pages arrive (the backend filters by prefix only; the
/// dashboard's filter, and this one, by any part of the name or domain).
struct Keep {
    needle: Option<String>,
    relationship: Option<Relationship>,
    admin: Option<AdminArg>,
    expiring_before: chrono::DateTime<chrono::Utc>,
}

impl Keep {
    fn new(args: &ListArgs) -> Self {
        Self {
            needle: args.filter.as_deref().map(str::to_lowercase),
            relationship: args.relationship.map(|r| match r {
                RelationshipArg::Reseller => Relationship::Reseller,
                RelationshipArg::None => Relationship::None,
            }),
            admin: args.admin,
            expiring_before: chrono::Utc::now() + chrono::Duration::days(EXPIRING_DAYS),
        }
    }

    fn keeps(&self, c: &Customer) -> bool {
        if let Some(needle) = &self.needle {
            let name = c.company_profile.company_name.to_lowercase();
            let domain = c.company_profile.domain.to_lowercase();
            if !name.contains(needle) && !domain.contains(needle) {
                return false;
            }
        }
        if self
            .relationship
            .is_some_and(|r| r != c.relationship_to_partner)
        {
            return false;
        }
        let Some(admin) = self.admin else {
            return true;
        };
        let status = admin_status(c);
        match admin {
            AdminArg::Active => status == AdminAccessStatus::Active,
            AdminArg::Expiring => {
                status == AdminAccessStatus::Active
                    && c.admin_access
                        .as_ref()
                        .and_then(|a| a.end_date_time.as_deref())
                        .and_then(|end| chrono::DateTime::parse_from_rfc3339(end).ok())
                        .is_some_and(|end| end <= self.expiring_before)
            }
            AdminArg::Pending => status == AdminAccessStatus::Pending,
            AdminArg::Expired => status == AdminAccessStatus::Expired,
            AdminArg::Terminated => status == AdminAccessStatus::Terminated,
            AdminArg::None => status == AdminAccessStatus::None,
        }
    }
}
