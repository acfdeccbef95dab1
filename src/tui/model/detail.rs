//! What an expanded row shows: the customer's account, support contacts, services, users and
//! licenses, fetched on demand and turned once into sanitized display lines.

use crate::api::users::User;
use crate::api::{Customer, Relationship, SubscribedSku, Subscription, SupportContact};
use crate::tui::sanitize::sanitize;
use crate::tui::theme::Tone;

use super::admin_detail::{AdminDetail, access_words, admin_lines};

/// Everything fetched when a row is expanded.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerDetail {
    pub customer: Customer,
    pub subscriptions: Vec<Subscription>,
    pub users: Vec<User>,
    pub licenses: Vec<SubscribedSku>,
    /// Whether the customer may buy its own products (`.../purchasepermission`); None when not
    /// known.
    pub purchase_permission: Option<bool>,
    /// The partner's agents who look after it.
    pub support_contacts: Vec<SupportContact>,
    /// Its admin relationships (GDAP), with their access assignments.
    pub admin: Vec<AdminDetail>,
}

/// One line under an expanded row: a section label on the first line of each section, then text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailLine {
    pub label: &'static str,
    pub text: String,
    pub tone: Tone,
}

/// A loaded detail with its lines built, so drawing does no formatting.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub data: CustomerDetail,
    pub lines: Vec<DetailLine>,
}

impl Detail {
    pub fn new(data: CustomerDetail) -> Self {
        let lines = detail_lines(&data);
        Self { data, lines }
    }
}

struct Section<'a> {
    label: &'static str,
    out: &'a mut Vec<DetailLine>,
    first: bool,
}

impl Section<'_> {
    fn line(&mut self, text: String, tone: Tone) {
        let label = if self.first { self.label } else { "" };
        self.first = false;
        self.out.push(DetailLine { label, text, tone });
    }
}

fn section<'a>(out: &'a mut Vec<DetailLine>, label: &'static str) -> Section<'a> {
    Section {
        label,
        out,
        first: true,
    }
}

/// `2026-01-31T00:00:00Z` → `2026-01-31`; anything else as sent.
fn day(s: &str) -> &str {
    s.get(..10)
        .filter(|d| d.as_bytes().get(4) == Some(&b'-'))
        .unwrap_or(s)
}

fn join_nonempty(parts: &[&str], sep: &str) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// The display lines of a detail, every backend string sanitized.
pub fn detail_lines(d: &CustomerDetail) -> Vec<DetailLine> {
    let mut out = Vec::new();
    account(&mut out, &d.customer, d.purchase_permission);
    support(&mut out, &d.support_contacts);
    let mut s = section(&mut out, "Admin");
    admin_lines(d.customer.admin_access.as_ref(), &d.admin, |text, tone| {
        s.line(text, tone)
    });
    services(&mut out, &d.subscriptions);
    users(&mut out, &d.users);
    licenses(&mut out, &d.licenses);
    out
}

fn account(out: &mut Vec<DetailLine>, c: &Customer, purchase: Option<bool>) {
    let mut s = section(out, "Account");
    let company = &c.company_profile;
    s.line(
        format!(
            "tenant {}  ·  domain {}",
            sanitize(&company.tenant_id),
            sanitize(&company.domain)
        ),
        Tone::Normal,
    );
    let b = &c.billing_profile;
    let person = join_nonempty(&[&b.first_name, &b.last_name], " ");
    let contact = match (person.is_empty(), b.email.is_empty()) {
        (true, true) => "—".to_string(),
        (true, false) => b.email.clone(),
        (false, true) => person,
        (false, false) => format!("{person} <{}>", b.email),
    };
    let culture = join_nonempty(&[&b.culture, &b.language], " / ");
    let contact = join_nonempty(&[&contact, &culture], "  ·  ");
    s.line(format!("billing {}", sanitize(&contact)), Tone::Normal);
    let a = &b.default_address;
    let region = join_nonempty(&[&a.state, &a.postal_code], " ");
    let address = join_nonempty(
        &[
            &a.address_line1,
            &a.address_line2,
            &a.city,
            &region,
            &a.country,
        ],
        ", ",
    );
    let address = if address.is_empty() { "—" } else { &address };
    s.line(format!("address {}", sanitize(address)), Tone::Normal);
    let relationship = match c.relationship_to_partner {
        Relationship::Reseller => "reseller",
        Relationship::None => "ended",
        Relationship::Unknown => "unknown",
    };
    let (admin, tone) = match &c.admin_access {
        Some(access) => access_words(access),
        None if c.allow_delegated_access => ("admin permissions granted".into(), Tone::Normal),
        None => (
            "admin permissions REMOVED by the customer".into(),
            Tone::Bad,
        ),
    };
    s.line(format!("relationship {relationship}  ·  {admin}"), tone);
    let may_buy = match purchase {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    };
    s.line(
        format!("customer may buy its own products: {may_buy}  (b changes it)"),
        Tone::Normal,
    );
    if c.relationship_to_partner == Relationship::None {
        s.line(
            "x: reinstate (admin access comes back only through R or GDAP)".into(),
            Tone::Warn,
        );
    }
    // Only a link issued for this customer restores it (the general one creates new customers).
    if c.relationship_to_partner != Relationship::Reseller || !c.allow_delegated_access {
        s.line(
            "R: a link that restores its relationship and admin permissions".into(),
            Tone::Warn,
        );
        // Without admin access the partner still answers for its support (Partner Center).
        s.line(
            "you stay responsible for its support: t opens a service request".into(),
            Tone::Warn,
        );
    }
}

fn support(out: &mut Vec<DetailLine>, contacts: &[SupportContact]) {
    let mut s = section(out, "Support");
    if contacts.is_empty() {
        s.line("no support contacts".into(), Tone::Dim);
        return;
    }
    let names: Vec<String> = contacts
        .iter()
        .map(|c| match (&c.name, &c.email) {
            (Some(name), Some(email)) => format!("{name} <{email}>"),
            (Some(name), None) => name.clone(),
            _ => c.agent_id.clone(),
        })
        .collect();
    s.line(
        format!("contacts {}", sanitize(&names.join(", "))),
        Tone::Normal,
    );
}

fn services(out: &mut Vec<DetailLine>, subs: &[Subscription]) {
    let mut s = section(out, "Services");
    if subs.is_empty() {
        s.line("no subscriptions".into(), Tone::Dim);
    }
    for sub in subs {
        let name = if sub.friendly_name.is_empty() {
            &sub.offer_name
        } else {
            &sub.friendly_name
        };
        let quantity = join_nonempty(&[&sub.quantity.to_string(), &sub.unit_type], " ");
        let end = day(&sub.commitment_end_date);
        let renewal = match (sub.auto_renew_enabled, end.is_empty()) {
            (true, true) => "auto-renews".to_string(),
            (true, false) => format!("renews {end}"),
            (false, true) => "does not renew".to_string(),
            (false, false) => format!("ends {end}, no auto-renew"),
        };
        let tone = match sub.status.as_str() {
            "active" => Tone::Normal,
            "deleted" | "expired" => Tone::Dim,
            _ => Tone::Warn,
        };
        let text = join_nonempty(&[name, &quantity, &sub.status, &renewal], "  ·  ");
        s.line(sanitize(&text).into_owned(), tone);
    }
}

fn users(out: &mut Vec<DetailLine>, users: &[User]) {
    let mut s = section(out, "Users");
    if users.is_empty() {
        s.line("no users".into(), Tone::Dim);
    }
    for u in users {
        let name = if u.display_name.is_empty() {
            join_nonempty(&[&u.first_name, &u.last_name], " ")
        } else {
            u.display_name.clone()
        };
        let tone = if u.state == "inactive" {
            Tone::Dim
        } else {
            Tone::Normal
        };
        let text = join_nonempty(
            &[&format!("{name} <{}>", u.user_principal_name), &u.state],
            "  ·  ",
        );
        s.line(sanitize(&text).into_owned(), tone);
    }
}

fn licenses(out: &mut Vec<DetailLine>, skus: &[SubscribedSku]) {
    let mut s = section(out, "Licenses");
    if skus.is_empty() {
        s.line("no licenses".into(), Tone::Dim);
    }
    for sku in skus {
        let p = &sku.product_sku;
        let name = match (p.name.is_empty(), p.sku_part_number.is_empty()) {
            (false, false) => format!("{} ({})", p.name, p.sku_part_number),
            (false, true) => p.name.clone(),
            _ => p.sku_part_number.clone(),
        };
        let available = sku.available_units();
        let tone = if available == 0 && sku.active_units > 0 {
            Tone::Warn
        } else {
            Tone::Normal
        };
        let text = format!(
            "{name}  ·  {} assigned / {available} available of {}",
            sku.consumed_units, sku.active_units
        );
        s.line(sanitize(&text).into_owned(), tone);
    }
}
