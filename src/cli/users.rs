//! `cspdash users list|add|remove|restore`: a customer's users as the dashboard's users screen
//! manages them. A user is named by its id or its sign-in name (UPN).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde::Serialize;

use super::context::Ctx;
use super::error::CliError;
use super::lookup;
use super::output::{Column, col};
use crate::api::SubscribedSku;
use crate::api::users::validate::{check_new_user, check_password};
use crate::api::users::{NewUser, PasswordProfile, User, temporary_password};
use crate::client::{Client, ClientError};

#[derive(Debug, Clone, Subcommand)]
pub enum UsersVerb {
    /// The customer's users with the licenses they hold.
    ///
    /// With --removed: the removed ones, which can be restored for 30 days.
    List {
        /// The customer's id or domain.
        customer: String,
        /// List the removed users instead, with the days left to restore each.
        #[arg(long)]
        removed: bool,
    },
    /// Adds a user with a temporary password.
    ///
    /// The password is generated (as the dashboard does) or read from stdin, and never printed
    /// unless --show-password asks for it: pass --password-out FILE to keep it in a file only
    /// you can read. One of the three is required, so no password is lost.
    Add(AddArgs),
    /// Removes a user (its licenses are freed; restorable for 30 days).
    ///
    /// Removing a user that is already removed changes nothing and succeeds.
    Remove(ChangeArgs),
    /// Restores a removed user (without its former licenses).
    ///
    /// Restoring an active user changes nothing and succeeds.
    Restore(ChangeArgs),
}

#[derive(Debug, Clone, Args)]
pub struct AddArgs {
    /// The customer's id or domain.
    pub customer: String,
    /// The sign-in name, `jane.doe@<customer domain>` (`jane.doe` alone gets the domain).
    #[arg(long, value_name = "UPN")]
    pub upn: String,
    /// First name.
    #[arg(long, value_name = "NAME")]
    pub first_name: Option<String>,
    /// Last name.
    #[arg(long, value_name = "NAME")]
    pub last_name: Option<String>,
    /// Display name (default: "FIRST LAST").
    #[arg(long, value_name = "NAME")]
    pub display_name: Option<String>,
    /// Two-letter country where the user's services are used (default: the customer's country).
    #[arg(long, value_name = "CC")]
    pub usage_location: Option<String>,
    /// Let the user keep the first password (by default it must be changed at first sign-in).
    #[arg(long)]
    pub no_force_change: bool,
    /// Write the password to FILE (created with mode 0600, before the user is sent, so a lost
    /// answer does not lose it). If FILE exists and --request-id is given, the run is a retry
    /// and sends the password FILE holds again; without --request-id an existing FILE is
    /// refused.
    #[arg(long, value_name = "FILE")]
    pub password_out: Option<PathBuf>,
    /// Read the password from the first line of stdin instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
    /// Print the password with the new user (a `password` field in JSON, a column otherwise).
    #[arg(long)]
    pub show_password: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ChangeArgs {
    /// The customer's id or domain.
    pub customer: String,
    /// The user's id or sign-in name (UPN).
    pub user: String,
    /// Change the user only if it still has this ETag (`attributes.etag` as listed); by default
    /// the one it has when read just before the change. A stale one exits with 5.
    #[arg(long, value_name = "ETAG")]
    pub if_match: Option<String>,
}

/// A user as printed: the wire object, with what the table adds kept out of JSON.
#[derive(Debug, Clone, Serialize)]
pub struct UserRow {
    #[serde(flatten)]
    pub user: User,
    /// Its licenses by part number where the customer's SKUs are known (else by SKU id).
    #[serde(skip)]
    licenses: String,
    #[serde(skip)]
    restore_days_left: Option<i64>,
    /// Only with `users add --show-password`.
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
}

impl UserRow {
    fn new(user: User, skus: &[SubscribedSku]) -> Self {
        let licenses = user
            .assigned_licenses
            .iter()
            .map(|l| {
                skus.iter()
                    .find(|s| s.product_sku.id == l.sku_id)
                    .map_or(l.sku_id.clone(), |s| s.product_sku.sku_part_number.clone())
            })
            .collect::<Vec<_>>()
            .join(",");
        let restore_days_left = user.restore_days_left(chrono::Utc::now());
        Self {
            user,
            licenses,
            restore_days_left,
            password: None,
        }
    }
}

const USERS: &[Column<UserRow>] = &[
    col("id", |r| r.user.id.clone()),
    col("userPrincipalName", |r| r.user.user_principal_name.clone()),
    col("displayName", |r| r.user.display_name.clone()),
    col("usageLocation", |r| r.user.usage_location.clone()),
    col("state", |r| r.user.state.clone()),
    col("licenses", |r| r.licenses.clone()),
];

const REMOVED_USERS: &[Column<UserRow>] = &[
    col("id", |r| r.user.id.clone()),
    col("userPrincipalName", |r| r.user.user_principal_name.clone()),
    col("displayName", |r| r.user.display_name.clone()),
    col("state", |r| r.user.state.clone()),
    col("softDeletionTime", |r| {
        r.user.soft_deletion_time.clone().unwrap_or_default()
    }),
    col("restoreDaysLeft", |r| {
        r.restore_days_left
            .map(|d| d.to_string())
            .unwrap_or_default()
    }),
];

const USER: &[Column<UserRow>] = &[
    col("id", |r| r.user.id.clone()),
    col("userPrincipalName", |r| r.user.user_principal_name.clone()),
    col("firstName", |r| r.user.first_name.clone()),
    col("lastName", |r| r.user.last_name.clone()),
    col("displayName", |r| r.user.display_name.clone()),
    col("usageLocation", |r| r.user.usage_location.clone()),
    col("state", |r| r.user.state.clone()),
    col("softDeletionTime", |r| {
        r.user.soft_deletion_time.clone().unwrap_or_default()
    }),
    col("licenses", |r| r.licenses.clone()),
    col("etag", |r| {
        r.user.attributes.etag.clone().unwrap_or_default()
    }),
];

const ADDED_WITH_PASSWORD: &[Column<UserRow>] = &[
    col("id", |r| r.user.id.clone()),
    col("userPrincipalName", |r| r.user.user_principal_name.clone()),
    col("displayName", |r| r.user.display_name.clone()),
    col("usageLocation", |r| r.user.usage_location.clone()),
    col("state", |r| r.user.state.clone()),
    col("password", |r| r.password.clone().unwrap_or_default()),
];

pub async fn run(verb: &UsersVerb, ctx: &mut Ctx) -> Result<(), CliError> {
    match verb {
        UsersVerb::List { customer, removed } => list(customer, *removed, ctx).await,
        UsersVerb::Add(args) => add(args, ctx).await,
        UsersVerb::Remove(args) => change(args, false, ctx).await,
        UsersVerb::Restore(args) => change(args, true, ctx).await,
    }
}

async fn list(customer: &str, removed: bool, ctx: &mut Ctx) -> Result<(), CliError> {
    let id = lookup::customer_id(&ctx.client, customer).await?;
    let (users, skus) = match removed {
        true => (ctx.client.removed_users(&id).await?, Vec::new()),
        false => {
            futures::future::try_join(ctx.client.users(&id), ctx.client.subscribed_skus(&id))
                .await?
        }
    };
    let rows: Vec<UserRow> = users.into_iter().map(|u| UserRow::new(u, &skus)).collect();
    let columns = if removed { REMOVED_USERS } else { USERS };
    ctx.out.all(columns, &rows)
}

/// The user `arg` names at the customer: by id, or by sign-in name (any case) among its active
/// users, then its removed ones. The answer is a fresh single read, with its ETag.
pub async fn find_user(client: &Client, customer_id: &str, arg: &str) -> Result<User, CliError> {
    let arg = arg.trim();
    let not_found = || CliError::NotFound(format!("no user has the id or sign-in name {arg:?}"));
    if arg.is_empty() {
        return Err(CliError::Usage(
            "a user is its id or its sign-in name".into(),
        ));
    }
    let id = if arg.contains('@') {
        let by_upn = |users: Vec<User>| {
            users
                .into_iter()
                .find(|u| u.user_principal_name.eq_ignore_ascii_case(arg))
        };
        match by_upn(client.users(customer_id).await?) {
            Some(user) => user.id,
            None => {
                by_upn(client.removed_users(customer_id).await?)
                    .ok_or_else(not_found)?
                    .id
            }
        }
    } else {
        arg.to_string()
    };
    client
        .user(customer_id, &id)
        .await
        .map_err(|err| match err {
            ClientError::NotFound { .. } => not_found(),
            other => other.into(),
        })
}

/// Removes (`restore` false) or restores the user, under the ETag just read (or `--if-match`).
async fn change(args: &ChangeArgs, restore: bool, ctx: &mut Ctx) -> Result<(), CliError> {
    let customer_id = lookup::customer_id(&ctx.client, &args.customer).await?;
    let user = find_user(&ctx.client, &customer_id, &args.user).await?;
    // Already as asked: nothing to send, so a retried remove (or restore) succeeds. With
    // --if-match the caller wants its ETag checked, so the backend is asked anyway.
    if args.if_match.is_none() && user.is_removed() != restore {
        // Said to a person; JSON readers see the state in the object (stderr stays theirs for
        // the error object).
        if !ctx.out.style().format.is_json() {
            eprintln!(
                "cspdash: {} is already {}",
                crate::sanitize::sanitize_max(&user.user_principal_name, 512),
                if restore { "active" } else { "removed" }
            );
        }
        return ctx.out.item(USER, &UserRow::new(user, &[]));
    }
    let etag = match &args.if_match {
        Some(tag) => tag.clone(),
        None => user.attributes.etag.clone().ok_or_else(|| {
            CliError::Failed(format!(
                "the backend gave no ETag for user {}, so the change could not be guarded",
                user.id
            ))
        })?,
    };
    let changed = match restore {
        true => {
            ctx.client
                .restore_user(&customer_id, &user.id, &etag)
                .await?
        }
        false => {
            ctx.client
                .remove_user(&customer_id, &user.id, &etag)
                .await?
        }
    };
    ctx.out.item(USER, &UserRow::new(changed, &[]))
}

async fn add(args: &AddArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    if args.password_out.is_none() && !args.show_password && !args.password_stdin {
        return Err(CliError::Usage(
            "the new user's password would be lost: pass --password-out FILE to keep it in a \
             private file, --show-password to print it, or --password-stdin to give your own"
                .into(),
        ));
    }
    let customer = lookup::customer(&ctx.client, &args.customer).await?;
    let domain = customer.company_profile.domain.clone();
    let upn = args.upn.trim();
    let upn = if upn.contains('@') || upn.is_empty() {
        upn.to_string()
    } else {
        format!("{upn}@{domain}")
    };
    let given_password = match args.password_stdin {
        true => Some(read_password_line()?),
        false => None,
    };
    let mut new = NewUser {
        user_principal_name: upn,
        first_name: args.first_name.clone().unwrap_or_default(),
        last_name: args.last_name.clone().unwrap_or_default(),
        display_name: args.display_name.clone().unwrap_or_default(),
        usage_location: args
            .usage_location
            .clone()
            .unwrap_or_else(|| customer.billing_profile.default_address.country.clone()),
        password_profile: PasswordProfile {
            // Checked below with the rest; replaced by the generated or kept one after.
            password: given_password.clone().unwrap_or_else(placeholder_password),
            force_change_password: !args.no_force_change,
        },
    };
    // The backend's own rules, before anything is written or sent.
    new = check_new_user(new, &domain).map_err(|invalid| {
        CliError::Usage(format!("{}: {}", flag_of(invalid.field), invalid.message))
    })?;
    let kept = match &args.password_out {
        Some(path) => PasswordFile::open(path, given_password, ctx.request_id_given())?,
        None => PasswordFile::none(given_password)?,
    };
    new.password_profile.password = kept.password.clone();
    let request_id = ctx.request_id("");
    let created = match ctx
        .client
        .create_user(&customer.id, &new, &request_id)
        .await
    {
        Ok(user) => user,
        Err(err) => {
            kept.refused(&err);
            return Err(err.into());
        }
    };
    let mut row = UserRow::new(created, &[]);
    if args.show_password {
        row.password = Some(kept.password.clone());
        ctx.out.item(ADDED_WITH_PASSWORD, &row)
    } else {
        ctx.out.item(USER, &row)
    }
}

/// Meets every password rule, so the check of the other fields can run before a real
/// password is drawn (or taken from a file); never sent.
fn placeholder_password() -> String {
    "Placeholder-2026".into()
}

/// The option a field of the new user comes from, for the message of a broken rule.
fn flag_of(field: &str) -> &'static str {
    use crate::api::users::validate as v;
    match field {
        f if f == v::UPN => "--upn",
        f if f == v::FIRST_NAME => "--first-name",
        f if f == v::LAST_NAME => "--last-name",
        f if f == v::DISPLAY_NAME => "--display-name",
        f if f == v::USAGE_LOCATION => "--usage-location",
        f if f == v::PASSWORD => "the password",
        _ => "the new user",
    }
}

fn read_password_line() -> Result<String, CliError> {
    let mut text = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut text)
        .map_err(CliError::io("stdin"))?;
    let password = text.lines().next().unwrap_or_default().to_string();
    check_password(&password)
        .map_err(|invalid| CliError::Usage(format!("the password on stdin {}", invalid.message)))?;
    Ok(password)
}

/// The password sent, and the file that keeps it (when --password-out asked for one).
struct PasswordFile {
    password: String,
    /// The file this run created: removed again if the backend refuses the user, since no
    /// account has that password then.
    created: Option<PathBuf>,
}

impl PasswordFile {
    fn none(given: Option<String>) -> Result<Self, CliError> {
        Ok(Self {
            password: match given {
                Some(password) => password,
                None => generate()?,
            },
            created: None,
        })
    }

    /// Writes the password to a new private file at `path` before the user is sent; or, on a
    /// retry (`--request-id` given) of a run that already wrote it, takes it up again.
    fn open(path: &Path, given: Option<String>, retry: bool) -> Result<Self, CliError> {
        let shown = path.display().to_string();
        let mut file = match crate::private_files::create_new_file(path) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                if !retry {
                    return Err(CliError::Usage(format!(
                        "{shown} already exists: remove it or choose another file (to retry a \
                         failed add, pass the --request-id it printed)"
                    )));
                }
                let password = read_kept(path)?;
                if given.as_ref().is_some_and(|g| *g != password) {
                    return Err(CliError::Usage(format!(
                        "{shown} holds another password than the one on stdin"
                    )));
                }
                return Ok(Self {
                    password,
                    created: None,
                });
            }
            Err(err) => return Err(CliError::io(shown)(err)),
        };
        let password = match given {
            Some(password) => password,
            None => generate()?,
        };
        let written = writeln!(file, "{password}").and_then(|()| file.sync_all());
        if let Err(err) = written {
            let _ = std::fs::remove_file(path);
            return Err(CliError::io(shown)(err));
        }
        Ok(Self {
            password,
            created: Some(path.to_path_buf()),
        })
    }

    /// The backend answered and made no user: the password this run wrote belongs to nobody.
    /// With no answer (unreachable, 5xx) the user may exist, so the file stays for the retry.
    fn refused(&self, err: &ClientError) {
        let answered = match err {
            ClientError::Unauthorized { .. }
            | ClientError::Forbidden { .. }
            | ClientError::NotFound { .. } => true,
            ClientError::Status { status, .. } => (400..500).contains(status),
            _ => false,
        };
        if let (true, Some(path)) = (answered, &self.created) {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn generate() -> Result<String, CliError> {
    temporary_password().map_err(|err| CliError::Failed(err.to_string()))
}

fn read_kept(path: &Path) -> Result<String, CliError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(CliError::io(shown.clone()))?;
    let password = text.lines().next().unwrap_or_default().to_string();
    check_password(&password).map_err(|_| {
        CliError::Usage(format!(
            "{shown} does not hold a password cspdash wrote; remove it or choose another file"
        ))
    })?;
    Ok(password)
}
