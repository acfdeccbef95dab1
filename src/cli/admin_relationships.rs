//! `cspdash admin-relationships`: granular admin relationships (GDAP) — list (the server's own
//! `$filter`, page by page), show, request (what the dashboard's request form sends: create, then
//! lock for approval), and the bulk actions (auto-extend on/off, terminate, assign a security
//! group), each one request for up to 1000 relationships with a result per item.

use clap::{ArgGroup, Args, Subcommand, ValueEnum};

use super::context::Ctx;
use super::error::{CliError, Exit, status_exit};
use super::lookup;
use super::output::{Column, col};
use crate::api::gdap::{
    AccessDetails, AdminRelationship, BulkAction, BulkItem, BulkOutcome, BulkRequest, BulkResult,
    MAX_BULK_ITEMS, MAX_DURATION_DAYS, NewAdminRelationship, RelationshipCustomer,
    RelationshipStatus, RoleDefinition, SecurityGroup, days_to_iso, roles, validate,
};
use crate::client::{Client, RelationshipFilter};

/// Relationships a page: the backend's most.
const PAGE_SIZE: u32 = 1000;
/// The longest `--expiring-within` (ten years: anything that ends at all).
const MAX_WITHIN_DAYS: u32 = 3650;
/// Failed items named in the error line before "and N more".
const NAMED_FAILURES: usize = 3;

#[derive(Debug, Clone, Subcommand)]
pub enum AdminRelationshipsVerb {
    /// The partner's admin relationships, soonest end first, streamed page by page (filtered
    /// by the backend).
    List(ListArgs),
    /// One relationship: customer, roles, status, dates, and the approval link while it waits
    /// for the customer.
    Show {
        /// The relationship's id.
        id: String,
    },
    /// Asks a customer for admin access, as the dashboard's request form does: the
    /// relationship is made and sent for approval; prints it with the approval URL the
    /// customer's Global admin must open.
    Request(RequestArgs),
    /// Turns auto-extend (180 days at a time) on or off for the relationships named, or for
    /// those expiring soon, in one request; prints each one's outcome.
    ///
    /// Items skipped (nothing to do, or not possible for that one) don't fail the command;
    /// failed items do: exit 3 when all were unknown ids, 5 when all were conflicts, else 1.
    AutoExtend(AutoExtendArgs),
    /// Terminates the relationships named, in one request; prints each one's outcome.
    ///
    /// Items skipped (nothing to do, or not possible for that one) don't fail the command;
    /// failed items do: exit 3 when all were unknown ids, 5 when all were conflicts, else 1.
    Terminate {
        /// The relationships' ids.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
    /// Gives roles of active relationships to one of the partner's security groups, in one
    /// request; prints each one's outcome.
    ///
    /// Items skipped (nothing to do, or not possible for that one) don't fail the command;
    /// failed items do: exit 3 when all were unknown ids, 5 when all were conflicts, else 1.
    Assign(AssignArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only active relationships that end within this many days (`30d`, `2w`); with
    /// `--status`, that status instead of active.
    #[arg(long, value_name = "DAYS")]
    pub expiring_within: Option<String>,
    /// Only relationships with this status: created, approvalPending, active,
    /// terminationRequested, terminated, expired.
    #[arg(long, value_name = "STATUS", value_parser = status)]
    pub status: Option<RelationshipStatus>,
    /// Only this customer's relationships (its id or domain).
    #[arg(long, value_name = "CUSTOMER")]
    pub customer: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RequestArgs {
    /// The customer (its id or domain).
    pub customer: String,
    /// The roles to ask for, comma-separated: their names as the dashboard shows them
    /// ("Directory Readers,Helpdesk Administrator") or their template GUIDs.
    #[arg(long, required = true, value_delimiter = ',', value_name = "ROLE,...")]
    pub roles: Vec<String>,
    /// How long the relationship lasts once approved (1 to 730 days).
    #[arg(long, value_name = "DAYS", default_value = "730d")]
    pub duration: String,
    /// Extend it by 180 days whenever it would end (not possible with Global Administrator).
    #[arg(long)]
    pub auto_extend: bool,
    /// Its name (at most 50 characters, unique among the partner's relationships; default, as
    /// in the dashboard: "<company> admin access <yyyy-mm>").
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

#[derive(Debug, Clone, Args)]
#[command(
    group(ArgGroup::new("which").required(true).args(["ids", "expiring_within"])),
    override_usage = "cspdash admin-relationships auto-extend <on|off> (<ID>... | --expiring-within <DAYS>) [OPTIONS]"
)]
pub struct AutoExtendArgs {
    /// On or off.
    #[arg(value_enum)]
    pub switch: Switch,
    /// The relationships' ids.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Instead of ids: every active relationship that ends within this many days (`30d`).
    #[arg(long, value_name = "DAYS", conflicts_with = "ids")]
    pub expiring_within: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct AssignArgs {
    /// The relationships' ids.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// The security group (its name or id).
    #[arg(long, value_name = "GROUP")]
    pub group: String,
    /// The roles to give the group, comma-separated (names or GUIDs); each relationship gives
    /// those it grants.
    #[arg(long, required = true, value_delimiter = ',', value_name = "ROLE,...")]
    pub roles: Vec<String>,
}

/// A status as the wire writes it (`approvalPending`), in any case, or kebab-case.
fn status(text: &str) -> Result<RelationshipStatus, String> {
    let wanted: String = text
        .trim()
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect();
    [
        RelationshipStatus::Created,
        RelationshipStatus::ApprovalPending,
        RelationshipStatus::Active,
        RelationshipStatus::TerminationRequested,
        RelationshipStatus::Terminated,
        RelationshipStatus::Expired,
    ]
    .into_iter()
    .find(|s| s.as_str().eq_ignore_ascii_case(&wanted))
    .ok_or_else(|| {
        "one of created, approvalPending, active, terminationRequested, terminated, expired".into()
    })
}

fn role_names(r: &AdminRelationship) -> String {
    let names: Vec<&str> = r.access_details.role_ids().map(roles::name_of).collect();
    names.join(", ")
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

const RELATIONSHIPS: &[Column<AdminRelationship>] = &[
    col("id", |r| r.id.clone()),
    col("displayName", |r| r.display_name.clone()),
    col("customerName", |r| r.customer.display_name.clone()),
    col("status", |r| r.status.as_str().into()),
    col("endDateTime", |r| opt(&r.end_date_time)),
    col("autoExtendDuration", |r| r.auto_extend_duration.clone()),
    col("roles", role_names),
    col("accessAssignmentCount", |r| {
        r.access_assignment_count.to_string()
    }),
];

const RELATIONSHIP: &[Column<AdminRelationship>] = &[
    col("id", |r| r.id.clone()),
    col("displayName", |r| r.display_name.clone()),
    col("customerName", |r| r.customer.display_name.clone()),
    col("customerTenantId", |r| r.customer.tenant_id.clone()),
    col("status", |r| r.status.as_str().into()),
    col("roles", role_names),
    col("duration", |r| r.duration.clone()),
    col("autoExtendDuration", |r| r.auto_extend_duration.clone()),
    col("createdDateTime", |r| r.created_date_time.clone()),
    col("activatedDateTime", |r| opt(&r.activated_date_time)),
    col("endDateTime", |r| opt(&r.end_date_time)),
    col("lastModifiedDateTime", |r| {
        r.last_modified_date_time.clone()
    }),
    col("approvalUrl", |r| opt(&r.approval_url)),
    col("accessAssignmentCount", |r| {
        r.access_assignment_count.to_string()
    }),
];

fn of_result<T: Default>(r: &BulkResult, field: fn(&AdminRelationship) -> T) -> T {
    r.relationship.as_ref().map(field).unwrap_or_default()
}

fn outcome_name(outcome: BulkOutcome) -> &'static str {
    match outcome {
        BulkOutcome::Succeeded => "succeeded",
        BulkOutcome::Skipped => "skipped",
        BulkOutcome::Failed => "failed",
    }
}

/// A bulk request's results: JSON is the wire's `BulkResult` (the relationship as it is now
/// inside).
const RESULTS: &[Column<BulkResult>] = &[
    col("id", |r| r.id.clone()),
    col("outcome", |r| outcome_name(r.outcome).into()),
    col("status", |r| r.status.to_string()),
    col("message", |r| opt(&r.message)),
    col("customerName", |r| {
        of_result(r, |x| x.customer.display_name.clone())
    }),
    col("relationshipStatus", |r| {
        of_result(r, |x| x.status.as_str().to_string())
    }),
    col("autoExtendDuration", |r| {
        of_result(r, |x| x.auto_extend_duration.clone())
    }),
];

pub async fn run(verb: &AdminRelationshipsVerb, ctx: &mut Ctx) -> Result<(), CliError> {
    match verb {
        AdminRelationshipsVerb::List(args) => list(args, ctx).await,
        AdminRelationshipsVerb::Show { id } => {
            let relationship = ctx.client.admin_relationship(id).await?;
            ctx.out.item(RELATIONSHIP, &relationship)
        }
        AdminRelationshipsVerb::Request(args) => request(args, ctx).await,
        AdminRelationshipsVerb::AutoExtend(args) => {
            let action = match args.switch {
                Switch::On => BulkAction::EnableAutoExtend,
                Switch::Off => BulkAction::DisableAutoExtend,
            };
            let ids = match &args.expiring_within {
                Some(within) => {
                    let filter = expiring(within, None)?;
                    let mut ids = Vec::new();
                    each_page(&ctx.client, &filter, |page| {
                        ids.extend(page.iter().map(|r| r.id.clone()));
                        Ok(())
                    })
                    .await?;
                    ids
                }
                None => args.ids.clone(),
            };
            bulk(action, ids, ctx).await
        }
        AdminRelationshipsVerb::Terminate { ids } => {
            bulk(BulkAction::Terminate, ids.clone(), ctx).await
        }
        AdminRelationshipsVerb::Assign(args) => {
            let groups = ctx.client.security_groups().await?;
            let group = find_group(&groups, &args.group)?;
            let catalog = ctx.client.role_definitions().await?;
            let action = BulkAction::AssignSecurityGroup {
                security_group_id: group.id.clone(),
                roles: resolve_roles(&catalog, &args.roles)?,
            };
            bulk(action, args.ids.clone(), ctx).await
        }
    }
}

/// Active relationships (or `status` ones) that end within `within` days from now.
fn expiring(
    within: &str,
    status: Option<RelationshipStatus>,
) -> Result<RelationshipFilter, CliError> {
    let days = lookup::days(within, MAX_WITHIN_DAYS)?;
    let until = chrono::Utc::now() + chrono::Duration::days(i64::from(days));
    Ok(RelationshipFilter {
        status: Some(status.unwrap_or(RelationshipStatus::Active)),
        tenant_id: None,
        end_before: Some(until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    })
}

/// Hands each page of what `filter` matches to `each`, as it arrives.
async fn each_page(
    client: &Client,
    filter: &RelationshipFilter,
    mut each: impl FnMut(&[AdminRelationship]) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let mut page = client.admin_relationships_page(filter, PAGE_SIZE).await?;
    loop {
        each(&page.value)?;
        match page.next_link.take() {
            Some(next) => page = client.admin_relationships_next(&next).await?,
            None => return Ok(()),
        }
    }
}

async fn list(args: &ListArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let mut filter = match &args.expiring_within {
        Some(within) => expiring(within, args.status)?,
        None => RelationshipFilter {
            status: args.status,
            ..RelationshipFilter::default()
        },
    };
    if let Some(customer) = &args.customer {
        let customer = lookup::customer(&ctx.client, customer).await?;
        filter.tenant_id = Some(customer.company_profile.tenant_id);
    }
    let mut list = ctx.out.list(RELATIONSHIPS);
    each_page(&ctx.client, &filter, |page| {
        page.iter().try_for_each(|r| list.push(r))
    })
    .await?;
    list.finish()
}

/// The catalog's role each of `wanted` names (by GUID or by name, any case), each once, in the
/// order given.
fn resolve_roles(catalog: &[RoleDefinition], wanted: &[String]) -> Result<Vec<String>, CliError> {
    let mut ids: Vec<String> = Vec::new();
    for want in wanted.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
        let found = catalog
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(want) || r.display_name.eq_ignore_ascii_case(want));
        let Some(role) = found else {
            let known: Vec<&str> = catalog.iter().map(|r| r.display_name.as_str()).collect();
            return Err(CliError::Usage(format!(
                "no role is called {want:?}; known roles: {}",
                known.join(", ")
            )));
        };
        if !ids.contains(&role.id) {
            ids.push(role.id.clone());
        }
    }
    if ids.is_empty() {
        return Err(CliError::Usage(
            "name at least one role with --roles".into(),
        ));
    }
    Ok(ids)
}

fn find_group<'a>(
    groups: &'a [SecurityGroup],
    wanted: &str,
) -> Result<&'a SecurityGroup, CliError> {
    let wanted = wanted.trim();
    groups
        .iter()
        .find(|g| g.id.eq_ignore_ascii_case(wanted))
        .or_else(|| {
            groups
                .iter()
                .find(|g| g.display_name.eq_ignore_ascii_case(wanted))
        })
        .ok_or_else(|| {
            let known: Vec<&str> = groups.iter().map(|g| g.display_name.as_str()).collect();
            CliError::NotFound(format!(
                "no security group has the id or name {wanted:?}; yours: {}",
                known.join(", ")
            ))
        })
}

/// Create, then lock for approval (each with its own `MS-RequestId`, so a retry with the same
/// `--request-id` makes one relationship), as the dashboard's form does; checked first by the
/// backend's own rules.
async fn request(args: &RequestArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let days = lookup::days(&args.duration, MAX_DURATION_DAYS)?;
    let customer = lookup::customer(&ctx.client, &args.customer).await?;
    let catalog = ctx.client.role_definitions().await?;
    let role_ids = resolve_roles(&catalog, &args.roles)?;
    let company = customer.company_profile.company_name.clone();
    let name = match &args.name {
        Some(name) => name.clone(),
        None => {
            crate::api::gdap::default_relationship_name(&company, chrono::Utc::now().date_naive())
        }
    };
    let ids: Vec<&str> = role_ids.iter().map(String::as_str).collect();
    let new = NewAdminRelationship {
        display_name: name,
        duration: days_to_iso(days),
        auto_extend_duration: days_to_iso(if args.auto_extend {
            crate::api::gdap::AUTO_EXTEND_DAYS
        } else {
            0
        }),
        customer: RelationshipCustomer {
            tenant_id: customer.company_profile.tenant_id.clone(),
            display_name: company,
        },
        access_details: AccessDetails::of(&ids),
    };
    if let Err(invalid) = validate::check_new(&new) {
        return Err(CliError::Usage(format!(
            "{}: {}",
            flag_of(&invalid.field),
            invalid.message
        )));
    }
    let (create_id, lock_id) = (ctx.request_id(""), ctx.request_id("lock"));
    let created = ctx
        .client
        .create_admin_relationship(&new, &create_id)
        .await?;
    let locked = ctx.client.lock_for_approval(&created.id, &lock_id).await?;
    ctx.out.item(RELATIONSHIP, &locked)
}

/// The option a field of the request comes from.
fn flag_of(field: &str) -> &'static str {
    if field.starts_with(validate::ROLES) {
        "--roles"
    } else if field == validate::DURATION {
        "--duration"
    } else if field == validate::AUTO_EXTEND {
        "--auto-extend"
    } else if field == validate::DISPLAY_NAME {
        "--name"
    } else {
        "customer"
    }
}

/// Sends `action` over `ids` (each once, in order) in requests of at most 1000; prints every
/// result. Items that failed make the command fail (see [`failures`]).
async fn bulk(action: BulkAction, ids: Vec<String>, ctx: &mut Ctx) -> Result<(), CliError> {
    let mut unique: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids.into_iter().map(|id| id.trim().to_string()) {
        if id.is_empty() {
            return Err(CliError::Usage("a relationship id is empty".into()));
        }
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    let chunks: Vec<&[String]> = unique.chunks(MAX_BULK_ITEMS).collect();
    // The first request is the command's `--request-id`; later ones name their place.
    let keys: Vec<String> = (0..chunks.len())
        .map(|n| match n {
            0 => ctx.request_id(""),
            n => ctx.request_id(&(n + 1).to_string()),
        })
        .collect();
    let mut failed: Vec<BulkResult> = Vec::new();
    let mut list = ctx.out.list(RESULTS);
    for (chunk, key) in chunks.into_iter().zip(keys) {
        let request = BulkRequest {
            action: action.clone(),
            items: chunk
                .iter()
                .map(|id| BulkItem {
                    id: id.clone(),
                    etag: None,
                })
                .collect(),
        };
        let results = ctx.client.bulk_admin_relationships(&request, &key).await?;
        for result in &results {
            list.push(result)?;
            if result.outcome == BulkOutcome::Failed {
                failed.push(result.clone());
            }
        }
    }
    list.finish()?;
    failures(&failed, unique.len())
}

/// Failed items (not skipped ones: those had nothing to do, or may not change, and the others
/// went ahead) make the command fail with the exit code their status gives — 3 when all of
/// them were unknown ids, 5 when all were conflicts, 4 when all were refused — and 1 when
/// their statuses differ.
fn failures(failed: &[BulkResult], total: usize) -> Result<(), CliError> {
    let Some(first) = failed.first() else {
        return Ok(());
    };
    let exit = status_exit(first.status);
    let exit = if failed.iter().all(|f| status_exit(f.status) == exit) && exit != Exit::Done {
        exit
    } else {
        Exit::Failed
    };
    let mut named: Vec<String> = failed
        .iter()
        .take(NAMED_FAILURES)
        .map(|f| format!("{} ({})", f.id, f.message.as_deref().unwrap_or("failed")))
        .collect();
    if failed.len() > NAMED_FAILURES {
        named.push(format!("and {} more", failed.len() - NAMED_FAILURES));
    }
    Err(CliError::Items {
        exit,
        message: format!(
            "{} of {total} relationships failed: {}",
            failed.len(),
            named.join("; ")
        ),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn result(status: u16) -> BulkResult {
        BulkResult {
            id: format!("r{status}"),
            outcome: BulkOutcome::Failed,
            status,
            message: Some("why".into()),
            relationship: None,
        }
    }

    #[test]
    fn failed_items_exit_with_their_common_code_or_1() {
        assert!(failures(&[], 3).is_ok());
        assert_eq!(
            failures(&[result(404)], 3).unwrap_err().exit(),
            Exit::NotFound
        );
        assert_eq!(
            failures(&[result(412), result(409)], 3).unwrap_err().exit(),
            Exit::Conflict
        );
        assert_eq!(
            failures(&[result(404), result(412)], 3).unwrap_err().exit(),
            Exit::Failed
        );
        assert_eq!(
            failures(&[result(400)], 3).unwrap_err().exit(),
            Exit::Failed
        );
    }

    #[test]
    fn statuses_read_in_wire_or_kebab_case() {
        assert_eq!(
            status("approvalPending"),
            Ok(RelationshipStatus::ApprovalPending)
        );
        assert_eq!(
            status("approval-pending"),
            Ok(RelationshipStatus::ApprovalPending)
        );
        assert_eq!(status("ACTIVE"), Ok(RelationshipStatus::Active));
        assert!(status("pending").is_err());
    }

    #[test]
    fn roles_by_name_or_guid_each_once_and_unknown_names_list_the_known() {
        let catalog: Vec<RoleDefinition> = roles::REQUESTABLE
            .iter()
            .map(|r| RoleDefinition {
                id: r.id.into(),
                display_name: r.name.into(),
                description: r.description.into(),
            })
            .collect();
        let ids = resolve_roles(
            &catalog,
            &[
                "directory readers".into(),
                roles::GLOBAL_READER.to_uppercase(),
                "Directory Readers".into(),
            ],
        )
        .unwrap();
        assert_eq!(ids, [roles::DIRECTORY_READERS, roles::GLOBAL_READER]);
        let err = resolve_roles(&catalog, &["Root".into()]).unwrap_err();
        assert_eq!(err.exit(), Exit::Usage);
        assert!(err.to_string().contains("Helpdesk Administrator"), "{err}");
    }
}
