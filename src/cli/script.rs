//! The scripting commands, `cspdash NOUN VERB` (DESIGN.md §2): the options every one takes, the
//! list of nouns, and the dispatch to each noun's module.

use clap::{Args, Subcommand};

use super::context::Ctx;
use super::error::{CliError, EXIT_CODES_HELP};
use super::output::Format;
use super::{
    admin_relationships, audit, customers, invite, licenses, me, purchase_permission,
    service_requests, subscriptions, support_contacts, users,
};

/// Options of every scripting command (accepted before or after its verb).
#[derive(Debug, Clone, Default, Args)]
pub struct ScriptOptions {
    /// Use this profile of the config file.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Talk to this backend URL (token from CSPDASH_TOKEN).
    #[arg(long, global = true, value_name = "URL")]
    pub backend: Option<String>,
    /// How to print results (default: table on a terminal, tsv otherwise).
    #[arg(short, long, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<Format>,
    /// Leave out the header row of table, tsv and csv.
    #[arg(long, global = true)]
    pub no_headers: bool,
    /// The idempotency key (MS-RequestId) of a write: pass the one a failed write printed to
    /// retry it safely (default: a new one).
    #[arg(long, global = true, value_name = "ID", value_parser = request_id)]
    pub request_id: Option<String>,
    /// Log level for the log file: error, warn, info, debug, trace (RUST_LOG overrides).
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,
}

fn request_id(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text.len() > 100 || !text.chars().all(|c| c.is_ascii_graphic()) {
        return Err("a request id is 1 to 100 visible ASCII characters".into());
    }
    Ok(text.to_string())
}

/// A noun's options and its verb.
#[derive(Debug, Clone, Args)]
pub struct With<V: Subcommand> {
    #[command(flatten)]
    pub options: ScriptOptions,
    #[command(subcommand)]
    pub verb: V,
}

/// A noun that works without a verb too (`cspdash me`).
#[derive(Debug, Clone, Args)]
pub struct WithOptional<V: Subcommand> {
    #[command(flatten)]
    pub options: ScriptOptions,
    #[command(subcommand)]
    pub verb: Option<V>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Noun {
    /// The partner's customers: list, show, add; end or reinstate the reseller relationship.
    #[command(after_help = EXIT_CODES_HELP)]
    Customers(With<customers::CustomersVerb>),
    /// A customer's users: list, add, remove, restore.
    #[command(after_help = EXIT_CODES_HELP)]
    Users(With<users::UsersVerb>),
    /// A customer's licenses: list what it has, assign to and remove from a user.
    #[command(after_help = EXIT_CODES_HELP)]
    Licenses(With<licenses::LicensesVerb>),
    /// A customer's subscriptions.
    #[command(after_help = EXIT_CODES_HELP)]
    Subscriptions(With<subscriptions::SubscriptionsVerb>),
    /// Whether a customer may buy its own products.
    #[command(after_help = EXIT_CODES_HELP)]
    PurchasePermission(With<purchase_permission::PurchasePermissionVerb>),
    /// The agents a customer's support requests go to.
    #[command(after_help = EXIT_CODES_HELP)]
    SupportContacts(With<support_contacts::SupportContactsVerb>),
    /// Service requests opened on a customer's behalf.
    #[command(after_help = EXIT_CODES_HELP)]
    ServiceRequests(With<service_requests::ServiceRequestsVerb>),
    /// Granular admin relationships (GDAP): list, request, auto-extend, terminate, assign.
    #[command(after_help = EXIT_CODES_HELP)]
    AdminRelationships(With<admin_relationships::AdminRelationshipsVerb>),
    /// The reseller-relationship invitation: its link, a new link, the email.
    #[command(after_help = EXIT_CODES_HELP)]
    Invite(With<invite::InviteVerb>),
    /// The audit log (`audit` alone is `audit list`).
    #[command(after_help = EXIT_CODES_HELP)]
    Audit(audit::AuditArgs),
    /// The partner's agents.
    #[command(after_help = EXIT_CODES_HELP)]
    Agents(With<me::AgentsVerb>),
    /// Who the token belongs to (`me` alone is `me show`).
    #[command(after_help = EXIT_CODES_HELP)]
    Me(WithOptional<me::MeVerb>),
}

impl Noun {
    pub fn options(&self) -> &ScriptOptions {
        match self {
            Noun::Customers(w) => &w.options,
            Noun::Users(w) => &w.options,
            Noun::Licenses(w) => &w.options,
            Noun::Subscriptions(w) => &w.options,
            Noun::PurchasePermission(w) => &w.options,
            Noun::SupportContacts(w) => &w.options,
            Noun::ServiceRequests(w) => &w.options,
            Noun::AdminRelationships(w) => &w.options,
            Noun::Invite(w) => &w.options,
            Noun::Audit(a) => &a.options,
            Noun::Agents(w) => &w.options,
            Noun::Me(w) => &w.options,
        }
    }
}

/// Runs the command `noun` names against `ctx`'s backend.
pub async fn execute(noun: &Noun, ctx: &mut Ctx) -> Result<(), CliError> {
    match noun {
        Noun::Customers(w) => customers::run(&w.verb, ctx).await,
        Noun::Users(w) => users::run(&w.verb, ctx).await,
        Noun::Licenses(w) => licenses::run(&w.verb, ctx).await,
        Noun::Subscriptions(w) => subscriptions::run(&w.verb, ctx).await,
        Noun::PurchasePermission(w) => purchase_permission::run(&w.verb, ctx).await,
        Noun::SupportContacts(w) => support_contacts::run(&w.verb, ctx).await,
        Noun::ServiceRequests(w) => service_requests::run(&w.verb, ctx).await,
        Noun::AdminRelationships(w) => admin_relationships::run(&w.verb, ctx).await,
        Noun::Invite(w) => invite::run(&w.verb, ctx).await,
        Noun::Audit(a) => audit::run(a, ctx).await,
        Noun::Agents(w) => me::agents(&w.verb, ctx).await,
        Noun::Me(w) => me::me(w.verb.as_ref(), ctx).await,
    }
}
