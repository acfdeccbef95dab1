//! `cspdash service-requests list|open`: service requests opened on a customer's behalf, as the
//! dashboard's service requests screen lists and opens them.

use std::io::Read;

use clap::{Args, Subcommand, ValueEnum};

use super::context::Ctx;
use super::error::CliError;
use super::lookup;
use super::output::{Column, col};
use super::support_contacts::agent_id;
use crate::api::support::{self, check_new_service_request};
use crate::api::{NewServiceRequest, ServiceRequest, Severity, SupportContact};

#[derive(Debug, Clone, Subcommand)]
pub enum ServiceRequestsVerb {
    /// The customer's service requests, newest first.
    List {
        /// The customer's id or domain.
        customer: String,
    },
    /// Opens a service request.
    ///
    /// Retrying with the same --request-id opens no second one.
    Open(OpenArgs),
}

#[derive(Debug, Clone, Args)]
pub struct OpenArgs {
    /// The customer's id or domain.
    pub customer: String,
    /// What is wrong, in a line (at most 120 characters).
    #[arg(long)]
    pub title: String,
    /// How badly the customer is affected.
    #[arg(long, value_enum)]
    pub severity: SeverityArg,
    /// The details (at most 4000 characters); `-` reads them from stdin.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Whom Microsoft support should talk to: an agent by id, email or name (default: you).
    #[arg(long, value_name = "AGENT")]
    pub contact: Option<String>,
}

/// The severities a user may choose (`api::Severity::CHOICES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Minimal,
    Moderate,
    Critical,
}

impl SeverityArg {
    fn severity(self) -> Severity {
        match self {
            SeverityArg::Minimal => Severity::Minimal,
            SeverityArg::Moderate => Severity::Moderate,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

const REQUESTS: &[Column<ServiceRequest>] = &[
    col("id", |r| r.id.clone()),
    col("title", |r| r.title.clone()),
    col("severity", |r| r.severity.as_str().into()),
    col("status", |r| r.status.as_str().into()),
    col("createdDate", |r| r.created_date.clone()),
    col("lastUpdatedDate", |r| r.last_updated_date.clone()),
    col("closedDate", |r| r.closed_date.clone().unwrap_or_default()),
    col("contact", contact),
    col("openedBy", |r| r.opened_by.clone()),
];

const REQUEST: &[Column<ServiceRequest>] = &[
    col("id", |r| r.id.clone()),
    col("title", |r| r.title.clone()),
    col("severity", |r| r.severity.as_str().into()),
    col("status", |r| r.status.as_str().into()),
    col("createdDate", |r| r.created_date.clone()),
    col("lastUpdatedDate", |r| r.last_updated_date.clone()),
    col("closedDate", |r| r.closed_date.clone().unwrap_or_default()),
    col("contact", contact),
    col("openedBy", |r| r.opened_by.clone()),
    col("description", |r| r.description.clone()),
];

fn contact(r: &ServiceRequest) -> String {
    r.contact
        .as_ref()
        .map(|c| c.name.clone().unwrap_or_else(|| c.agent_id.clone()))
        .unwrap_or_default()
}

pub async fn run(verb: &ServiceRequestsVerb, ctx: &mut Ctx) -> Result<(), CliError> {
    match verb {
        ServiceRequestsVerb::List { customer } => {
            let id = lookup::customer_id(&ctx.client, customer).await?;
            let requests = ctx.client.service_requests(&id).await?;
            ctx.out.all(REQUESTS, &requests)
        }
        ServiceRequestsVerb::Open(args) => open(args, ctx).await,
    }
}

async fn open(args: &OpenArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let description = match args.description.as_deref() {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .take(64 * 1024)
                .read_to_string(&mut text)
                .map_err(CliError::io("stdin"))?;
            text
        }
        Some(text) => text.to_string(),
        None => String::new(),
    };
    let customer_id = lookup::customer_id(&ctx.client, &args.customer).await?;
    let contact = match &args.contact {
        Some(arg) => {
            let agents = ctx.client.agents().await?;
            Some(SupportContact::agent(agent_id(&agents, arg)?))
        }
        None => None,
    };
    let new = NewServiceRequest {
        title: args.title.clone(),
        description,
        severity: Some(args.severity.severity()),
        contact,
    };
    // The backend's own rules, before sending (as the dashboard's form does).
    let checked = check_new_service_request(&new).map_err(|invalid| {
        let flag = match invalid.field.as_str() {
            support::TITLE => "--title",
            support::DESCRIPTION => "--description",
            support::SEVERITY => "--severity",
            _ => "--contact",
        };
        CliError::Usage(format!("{flag}: {}", invalid.message))
    })?;
    let new = NewServiceRequest {
        title: checked.title,
        description: checked.description,
        severity: Some(checked.severity),
        contact: checked
            .contact_agent_id
            .as_deref()
            .map(SupportContact::agent),
    };
    let request_id = ctx.request_id("");
    let opened = ctx
        .client
        .open_service_request(&customer_id, &new, &request_id)
        .await?;
    ctx.out.item(REQUEST, &opened)
}
