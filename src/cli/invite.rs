//! `cspdash invite link|rotate|email`: the reseller-relationship invitation as the dashboard's
//! invitation screen gives it — the personalized link (bound to an indirect reseller, or issued
//! for one existing customer to restore it), a new general link, and the email draft (text, or
//! the `.eml` the dashboard saves).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::context::Ctx;
use super::error::CliError;
use super::lookup;
use super::output::{Column, Format, col};
use crate::api::RelationshipRequest;
use crate::invitation::{self, Draft, usable_link};
use crate::sanitize::sanitize;

#[derive(Debug, Clone, Subcommand)]
pub enum InviteVerb {
    /// The partner's personalized invitation link: a prospective customer opens it to accept the
    /// reseller relationship. Prints the link (`{"url": ...}` with `--output json`).
    Link(LinkArgs),
    /// Replaces the general invitation link with a new one and prints it: the old general link,
    /// and those bound to an indirect reseller, stop working (customer-bound links do not).
    Rotate,
    /// The invitation email the dashboard drafts, in the partner's name and signed by you, with
    /// the link on a line of its own: as text (subject, blank line, body) or as an unsent `.eml`
    /// draft that mail apps open ready to send.
    Email(EmailArgs),
}

#[derive(Debug, Clone, Args)]
pub struct LinkArgs {
    /// Bind this indirect reseller of the partner (its name or id) into the link.
    #[arg(long, value_name = "NAME_OR_ID", conflicts_with = "customer")]
    pub indirect_reseller: Option<String>,
    /// The link issued for this existing customer (id or domain): accepting it restores that
    /// customer's relationship and admin permissions. The general link only adds new customers.
    #[arg(long, value_name = "CUSTOMER")]
    pub customer: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct EmailArgs {
    #[command(flatten)]
    pub link: LinkArgs,
    /// `text`: subject, a blank line, the body; `eml`: an unsent RFC 5322 draft, as the dashboard
    /// saves it.
    #[arg(long, value_enum, default_value_t = EmailFormat::Text)]
    pub format: EmailFormat,
    /// Write the email to FILE (readable by you only; replaces FILE) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EmailFormat {
    Text,
    Eml,
}

const LINK: &[Column<RelationshipRequest>] = &[col("url", |r| r.url.clone())];

/// The email as `--output json|csv` gives it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Email {
    subject: String,
    body: String,
    link: String,
    /// The whole `.eml` message, with `--format eml` (and no `--out`).
    #[serde(skip_serializing_if = "Option::is_none")]
    eml: Option<String>,
    /// Where `--out` wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
}

const EMAIL: &[Column<Email>] = &[
    col("subject", |e| e.subject.clone()),
    col("body", |e| e.body.clone()),
    col("link", |e| e.link.clone()),
];

pub async fn run(verb: &InviteVerb, ctx: &mut Ctx) -> Result<(), CliError> {
    match verb {
        InviteVerb::Link(args) => {
            let (request, _) = link(args, ctx).await?;
            print_link(&request, ctx)
        }
        InviteVerb::Rotate => {
            let request_id = ctx.request_id("");
            let request = ctx
                .client
                .rotate_relationship_request_keyed(&request_id)
                .await?;
            checked(&request)?;
            print_link(&request, ctx)
        }
        InviteVerb::Email(args) => email(args, ctx).await,
    }
}

/// Whom a link was issued for: the email's wording follows it.
enum For {
    New { reseller: Option<String> },
    Customer { name: String },
}

async fn link(args: &LinkArgs, ctx: &Ctx) -> Result<(RelationshipRequest, For), CliError> {
    let client = &ctx.client;
    let (request, issued_for) = match (&args.customer, &args.indirect_reseller) {
        (Some(arg), _) => {
            let customer = lookup::customer(client, arg).await?;
            let request = client.customer_relationship_request(&customer.id).await?;
            let name = customer.company_profile.company_name;
            (request, For::Customer { name })
        }
        (None, Some(arg)) => {
            let reseller = lookup::indirect_reseller(client, arg).await?;
            let request = client.relationship_request(Some(&reseller.id)).await?;
            let reseller = Some(reseller.name);
            (request, For::New { reseller })
        }
        (None, None) => {
            let request = client.relationship_request(None).await?;
            (request, For::New { reseller: None })
        }
    };
    checked(&request)?;
    Ok((request, issued_for))
}

/// A link a terminal or a mail app could misread is not handed on (the dashboard's own check).
fn checked(request: &RelationshipRequest) -> Result<(), CliError> {
    usable_link(&request.url)
        .map(drop)
        .map_err(CliError::Failed)
}

/// The wire object for JSON and CSV; the bare link otherwise, for `$(cspdash invite link)`.
fn print_link(request: &RelationshipRequest, ctx: &mut Ctx) -> Result<(), CliError> {
    match ctx.out.style().format {
        Format::Table | Format::Tsv => ctx.out.text(&request.url),
        Format::Json | Format::Jsonl | Format::Csv => ctx.out.item(LINK, request),
    }
}

async fn email(args: &EmailArgs, ctx: &mut Ctx) -> Result<(), CliError> {
    let ((request, issued_for), me) = futures::future::try_join(link(&args.link, ctx), async {
        ctx.client.me().await.map_err(CliError::from)
    })
    .await?;
    // Names from the backend, as the dashboard puts them in the draft.
    let partner = sanitize(&me.partner_name).into_owned();
    let agent = sanitize(&me.agent).into_owned();
    let draft = match &issued_for {
        For::Customer { name } => Draft::restore(&partner, &agent, &request.url, &sanitize(name)),
        For::New { reseller } => {
            let reseller = reseller.as_deref().map(sanitize);
            Draft::new(&partner, &agent, &request.url, reseller.as_deref())
        }
    };
    let text = match args.format {
        EmailFormat::Text => draft.full_text(),
        EmailFormat::Eml => invitation::eml(&partner, &draft.subject, &draft.body),
    };
    let mut email = Email {
        subject: draft.subject.clone(),
        body: draft.body.clone(),
        link: draft.link.clone(),
        eml: None,
        file: None,
    };
    let format = ctx.out.style().format;
    if let Some(path) = &args.out {
        write_private(path, text.as_bytes())?;
        email.file = Some(path.display().to_string());
        return match format.is_json() {
            true => ctx.out.item(EMAIL, &email),
            false => Ok(()),
        };
    }
    match (format, args.format) {
        (Format::Json | Format::Jsonl | Format::Csv, format) => {
            if format == EmailFormat::Eml {
                email.eml = Some(text);
            }
            ctx.out.item(EMAIL, &email)
        }
        (Format::Table | Format::Tsv, EmailFormat::Text) => ctx.out.text(&text),
        // The message exactly as a mail app reads it (CRLF line endings).
        (Format::Table | Format::Tsv, EmailFormat::Eml) => ctx.out.raw(text.as_bytes()),
    }
}

/// Writes `bytes` to `path` readable by the user only: into a new 0600 file beside it, then
/// renamed over it, so an existing file (whatever its mode) is replaced whole, never half-written
/// or left readable by others.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let shown = path.display().to_string();
    let name = path
        .file_name()
        .ok_or_else(|| CliError::Usage(format!("--out {shown:?} does not name a file")))?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temporary = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        uuid::Uuid::new_v4().simple()
    ));
    let written = crate::private_files::create_new_file(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(CliError::io(shown))
}
