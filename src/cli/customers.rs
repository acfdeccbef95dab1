//! `cspdash customers list|show|add|end|reinstate`: the customers list as the dashboard shows it,
//! the add-customer form, and ending or reinstating the reseller relationship, for scripts.

use clap::{Args, Subcommand, ValueEnum};
use futures::StreamExt;

use super::context::Ctx;
use super::error::CliError;
use super::lookup;
use super::output::{Column, col};
use crate::api::gdap::{AdminAccessStatus, EXPIRING_DAYS};
use crate::api::validate::{self, check_new_customer};
use crate::api::{Address, BillingProfile, Customer, NewCompanyProfile, NewCustomer, Relationship};

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
    /// Adds a new customer, as the dashboard's add-customer form does (the same fields, checks
    /// and defaults); prints it as the backend stored it. Safe to retry with `--request-id`.
    Add(Box<AddArgs>),
    /// Ends the reseller relationship with a customer; the partner's admin access ends with it.
    /// Prints the customer after the change.
    End {
        /// Its id or its primary domain.
        customer: String,
    },
    /// Reinstates the reseller relationship with a customer (the relationship only: admin access
    /// comes back through `invite link --customer` or an admin relationship). Prints the customer
    /// after the change.
    Reinstate {
        /// Its id or its primary domain.
        customer: String,
    },
}

/// The fields of the dashboard's add-customer form.
#[derive(Debug, Clone, Args)]
pub struct AddArgs {
    /// The company's name.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// Its primary domain, such as contoso.onmicrosoft.com.
    #[arg(long, value_name = "DOMAIN")]
    pub domain: String,
    /// The billing contact's email address.
    #[arg(long, value_name = "ADDRESS")]
    pub email: String,
    /// The billing address's country, two letters.
    #[arg(long, value_name = "CODE", default_value = "US")]
    pub country: String,
    /// The billing contact's first name.
    #[arg(long, value_name = "NAME")]
    pub first_name: Option<String>,
    /// The billing contact's last name.
    #[arg(long, value_name = "NAME")]
    pub last_name: Option<String>,
    /// The billing address's street line.
    #[arg(long, value_name = "LINE")]
    pub address: Option<String>,
    /// The billing address's city.
    #[arg(long, value_name = "CITY")]
    pub city: Option<String>,
    /// The billing address's postal code.
    #[arg(long, value_name = "CODE")]
    pub postal_code: Option<String>,
    /// The billing profile's culture (default en-US).
    #[arg(long, value_name = "TAG")]
    pub culture: Option<String>,
    /// The billing profile's language (default en).
    #[arg(long, value_name = "TAG")]
    pub language: Option<String>,
    /// Sold through this indirect reseller of the partner (its name or id).
    #[arg(long, value_name = "NAME_OR_ID")]
    pub indirect_reseller: Option<String>,
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

pub const CUSTOMER: &[Column<Customer>] = &[
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
        CustomersVerb::Add(args) => add(args, ctx).await,
        CustomersVerb::End { customer } => {
            set_relationship(customer, Relationship::None, ctx).await
        }
        CustomersVerb::Reinstate { customer } => {
            set_relationship(customer, Relationship::Reseller, ctx).await
        }
    }
}

async fn add(args: &AddArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let associated_partner_id = match &args.indirect_reseller {
        Some(arg) => Some(lookup::indirect_reseller(&ctx.client, arg).await?.id),
        None => None,
    };
    let new = NewCustomer {
        company_profile: NewCompanyProfile {
            domain: args.domain.clone(),
        },
        billing_profile: BillingProfile {
            company_name: args.name.clone(),
            first_name: text(&args.first_name),
            last_name: text(&args.last_name),
            email: args.email.clone(),
            culture: text(&args.culture),
            language: text(&args.language),
            default_address: Address {
                address_line1: text(&args.address),
                city: text(&args.city),
                postal_code: text(&args.postal_code),
                country: args.country.clone(),
                ..Address::default()
            },
        },
        associated_partner_id,
    };
    // The backend's own rules, before sending: a wrong field is a wrong command line.
    let new = check_new_customer(new).map_err(|invalid| {
        CliError::Usage(format!(
            "{}: {} ({})",
            option_of(invalid.field),
            invalid.message,
            invalid.field
        ))
    })?;
    let request_id = ctx.request_id("");
    let created = ctx.client.create_customer(&new, &request_id).await?;
    ctx.out.item(CUSTOMER, &created)
}

/// The option that sets the field at JSON path `field`.
fn option_of(field: &str) -> &'static str {
    match field {
        validate::COMPANY_NAME => "--name",
        validate::DOMAIN => "--domain",
        validate::EMAIL => "--email",
        validate::COUNTRY => "--country",
        validate::FIRST_NAME => "--first-name",
        validate::LAST_NAME => "--last-name",
        validate::ADDRESS_LINE1 => "--address",
        validate::CITY => "--city",
        validate::POSTAL_CODE => "--postal-code",
        validate::CULTURE => "--culture",
        validate::LANGUAGE => "--language",
        validate::ASSOCIATED_PARTNER_ID => "--indirect-reseller",
        _ => "a field",
    }
}

/// Ends or reinstates as the dashboard's dialog does: reads the customer with its ETag and sends
/// the change under `If-Match`, so a change someone made in between is not overwritten (412,
/// exit 5: read again and decide). Sending the state it already has changes nothing.
async fn set_relationship(arg: &str, to: Relationship, ctx: &mut Ctx) -> Result<(), CliError> {
    let id = lookup::customer_id(&ctx.client, arg).await?;
    let read = ctx
        .client
        .customer_tagged(&id)
        .await
        .map_err(lookup::customer_missing(arg))?;
    let changed = ctx.client.set_relationship(&id, to, &read.etag).await?;
    ctx.out.item(CUSTOMER, &changed.value)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_the_command_line_sets_is_named_by_its_option() {
        for field in [
            validate::COMPANY_NAME,
            validate::DOMAIN,
            validate::EMAIL,
            validate::COUNTRY,
            validate::FIRST_NAME,
            validate::LAST_NAME,
            validate::ADDRESS_LINE1,
            validate::CITY,
            validate::POSTAL_CODE,
            validate::CULTURE,
            validate::LANGUAGE,
            validate::ASSOCIATED_PARTNER_ID,
        ] {
            assert!(option_of(field).starts_with("--"), "{field}");
        }
    }
}
