//! Deterministic demo data: the same N always yields the same customers, so demos, tests and
//! benchmarks agree. Pure generation only; the store writes it.
//!
//! The data is meant to look like a real partner's book: names in several scripts, accents,
//! ampersands and one 120-character name; a few ended relationships and removed admin permissions;
//! some customers sold through indirect resellers; realistic Microsoft offers and licenses.

pub mod admin;
pub mod history;
pub mod support;
mod words;

use chrono::{Days, NaiveDate};

use crate::api::users::{ACTIVE, AssignedLicense, INACTIVE, User, UserAttributes};
use crate::api::{
    Address, Agent, BillingProfile, ProductSku, Relationship, Role, SubscribedSku, Subscription,
};
use words::*;

/// A tiny deterministic generator (SplitMix64): stable across platforms and crate versions.
pub struct Dice(u64);

impl Dice {
    pub fn new(stream: u64, index: u64) -> Self {
        Dice(stream.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }
    pub fn roll(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.roll() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.roll().to_le_bytes());
        bytes[8..].copy_from_slice(&self.roll().to_le_bytes());
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }
}

pub struct DemoPartner {
    pub id: String,
    pub name: &'static str,
    pub cloud: &'static str,
    pub stream: u64,
    pub agents: Vec<Agent>,
    /// (id, name, location)
    pub resellers: Vec<(String, &'static str, &'static str)>,
    pub customers: u32,
}

pub struct DemoCustomer {
    pub id: String,
    pub tenant_id: String,
    pub domain: String,
    pub billing: BillingProfile,
    pub relationship: Relationship,
    pub allow_delegated_access: bool,
    pub allow_customer_purchase: bool,
    pub reseller: Option<usize>,
    pub subscriptions: Vec<Subscription>,
    pub skus: Vec<SubscribedSku>,
    pub users: Vec<DemoUser>,
}

/// Contoso Partner with `customers` customers and Fabrikam Partner with a few.
pub fn demo_partners(customers: u32) -> Vec<DemoPartner> {
    let partner = |stream: u64,
                   name: &'static str,
                   staff: &[(&'static str, Role)],
                   resellers: &[(&'static str, &'static str)],
                   customers: u32| {
        let mut dice = Dice::new(stream, u64::MAX);
        let id = dice.uuid();
        let domain = name.split(' ').next().unwrap_or("partner").to_lowercase();
        DemoPartner {
            id,
            name,
            cloud: "Partner Center",
            stream,
            agents: staff
                .iter()
                .map(|(agent, role)| Agent {
                    id: dice.uuid(),
                    name: (*agent).to_string(),
                    email: format!(
                        "{}@{domain}.example",
                        agent.to_lowercase().replace(' ', ".")
                    ),
                    role: *role,
                })
                .collect(),
            resellers: resellers
                .iter()
                .map(|(name, location)| (dice.uuid(), *name, *location))
                .collect(),
            customers,
        }
    };
    vec![
        partner(
            1,
            "Contoso Partner",
            CONTOSO_STAFF,
            CONTOSO_RESELLERS,
            customers,
        ),
        partner(2, "Fabrikam Partner", FABRIKAM_STAFF, FABRIKAM_RESELLERS, 6),
    ]
}

/// The id of customer number `index` (as in [`demo_customer`]), without making the rest.
pub fn demo_customer_id(partner: &DemoPartner, index: u32) -> String {
    Dice::new(partner.stream, u64::from(index)).uuid()
}

/// Customer number `index` of a partner, the same every time.
pub fn demo_customer(partner: &DemoPartner, index: u32) -> DemoCustomer {
    let mut dice = Dice::new(partner.stream, u64::from(index));
    // First roll: the id, as `demo_customer_id` makes it.
    let id = dice.uuid();
    let tenant_id = dice.uuid();
    let name = company_name(partner.stream, index, &mut dice);
    let domain = format!("{}{}.onmicrosoft.com", domain_stem(&name), base36(index));
    let country = dice.pick(COUNTRIES);
    let first = *dice.pick(FIRST_NAMES);
    let last = *dice.pick(LAST_NAMES);
    let billing = BillingProfile {
        first_name: first.to_string(),
        last_name: last.to_string(),
        email: format!("{}.{}@{}", ascii_fold(first), ascii_fold(last), domain),
        culture: country.culture.to_string(),
        language: country.language.to_string(),
        company_name: name,
        default_address: Address {
            country: country.code.to_string(),
            city: (*dice.pick(country.cities)).to_string(),
            state: country.state.to_string(),
            address_line1: format!("{} {}", 1 + dice.below(240), dice.pick(country.streets)),
            postal_code: format!("{:05}", dice.below(99_999)),
            first_name: first.to_string(),
            last_name: last.to_string(),
            phone_number: format!("{}{:09}", country.phone, dice.below(999_999_999)),
            ..Address::default()
        },
    };
    // A few ended relationships, removed admin permissions and indirect-reseller customers.
    let relationship = if index % 97 == 13 {
        Relationship::None
    } else {
        Relationship::Reseller
    };
    let allow_delegated_access = index % 41 != 7;
    let reseller = (!partner.resellers.is_empty() && index % 5 == 4)
        .then(|| (index as usize / 5) % partner.resellers.len());
    let (subscriptions, mut skus) = services(&mut dice);
    let users = users(&mut dice, index, &domain, country.code, &mut skus);
    DemoCustomer {
        id,
        tenant_id,
        domain,
        billing,
        relationship,
        allow_delegated_access,
        allow_customer_purchase: index.is_multiple_of(3),
        reseller,
        subscriptions,
        skus,
        users,
    }
}

fn company_name(stream: u64, index: u32, dice: &mut Dice) -> String {
    if let Some(special) = SPECIAL_NAMES.get(index as usize).filter(|_| stream == 1) {
        return (*special).to_string();
    }
    match dice.below(40) {
        0 => format!("株式会社{}{}", dice.pick(JP_FAMILY), dice.pick(JP_TRADE)),
        1 => format!("ООО «{} {}»", dice.pick(RU_WORDS), dice.pick(RU_TRADE)),
        2 => format!("{}{}有限公司", dice.pick(ZH_CITY), dice.pick(ZH_TRADE)),
        _ => {
            let prefix = dice.pick(PREFIXES);
            let core = dice.pick(CORES);
            let suffix = dice.pick(SUFFIXES);
            if dice.below(3) == 0 {
                format!("{prefix} {core} {} {suffix}", dice.pick(PLACES))
            } else {
                format!("{prefix} {core} {suffix}")
            }
        }
    }
}

fn services(dice: &mut Dice) -> (Vec<Subscription>, Vec<SubscribedSku>) {
    let count = 1 + dice.below(4);
    let start = dice.below(OFFERS.len());
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let mut subscriptions = Vec::with_capacity(count);
    let mut skus = Vec::with_capacity(count);
    for n in 0..count {
        let offer = &OFFERS[(start + n * 3) % OFFERS.len()];
        let seats = if offer.sku.is_empty() {
            1
        } else {
            [5, 10, 12, 25, 40, 50, 100, 250][dice.below(8)]
        };
        let created = base + Days::new(dice.below(700) as u64);
        let annual = dice.below(4) != 0;
        let renews = created + Days::new(if annual { 365 } else { 30 });
        let status = if dice.below(15) == 0 {
            "suspended"
        } else {
            "active"
        };
        subscriptions.push(Subscription {
            id: dice.uuid(),
            offer_id: offer.id.to_string(),
            offer_name: offer.name.to_string(),
            friendly_name: offer.name.to_string(),
            quantity: seats,
            unit_type: if offer.sku.is_empty() {
                "Usage-based"
            } else {
                "Licenses"
            }
            .to_string(),
            status: status.to_string(),
            auto_renew_enabled: dice.below(6) != 0,
            billing_cycle: if annual { "annual" } else { "monthly" }.to_string(),
            term_duration: if annual { "P1Y" } else { "P1M" }.to_string(),
            creation_date: format!("{created}T00:00:00Z"),
            commitment_end_date: format!("{renews}T00:00:00Z"),
        });
        if !offer.sku.is_empty() {
            // Rolled (and unused: users' licenses are the consumed units now) so the rest of
            // the demo data stays what it was.
            let _ = dice.below(seats as usize / 2 + 1);
            skus.push(SubscribedSku {
                product_sku: ProductSku {
                    id: offer.sku_id.to_string(),
                    name: offer.name.to_string(),
                    sku_part_number: offer.sku.to_string(),
                },
                status: if status == "active" {
                    "Enabled"
                } else {
                    "Suspended"
                }
                .to_string(),
                active_units: seats,
                consumed_units: 0,
                suspended_units: 0,
                warning_units: 0,
            });
        }
    }
    (subscriptions, skus)
}

/// A demo user with the licenses it holds and, if removed, how long ago (seeding turns that into
/// a time, so removed users stay restorable for as long after seeding as the data says).
pub struct DemoUser {
    pub user: User,
    pub removed_days_ago: Option<u32>,
}

/// 2 to 6 active users, most holding licenses (never more than a SKU has units: the consumed
/// units below count them); a removed user in every fourth customer (within the 30 days it can
/// be restored) and one removed too long ago to restore in every twelfth.
fn users(
    dice: &mut Dice,
    index: u32,
    domain: &str,
    country: &str,
    skus: &mut [SubscribedSku],
) -> Vec<DemoUser> {
    let count = 2 + dice.below(5);
    let mut users: Vec<DemoUser> = (0..count)
        .map(|n| {
            let (first, last) = if n == 0 {
                ("Admin", "")
            } else {
                (*dice.pick(FIRST_NAMES), *dice.pick(LAST_NAMES))
            };
            let local = if n == 0 {
                "admin".to_string()
            } else {
                format!("{}.{}{}", ascii_fold(first), ascii_fold(last), n)
            };
            DemoUser {
                user: demo_user(dice.uuid(), &local, domain, (first, last), country),
                removed_days_ago: None,
            }
        })
        .collect();
    for user in &mut users {
        for (n, sku) in skus.iter_mut().enumerate() {
            // Most users get the first product, fewer the others.
            let wants = if n == 0 {
                dice.below(4) != 0
            } else {
                dice.below(3) == 0
            };
            if wants && sku.consumed_units < sku.active_units {
                sku.consumed_units += 1;
                user.user.assigned_licenses.push(AssignedLicense {
                    sku_id: sku.product_sku.id.clone(),
                });
            }
        }
    }
    let mut removed = |local: &str, days: u32| {
        let (first, last) = (*dice.pick(FIRST_NAMES), *dice.pick(LAST_NAMES));
        let mut user = demo_user(dice.uuid(), local, domain, (first, last), country);
        user.state = INACTIVE.to_string();
        DemoUser {
            user,
            removed_days_ago: Some(days),
        }
    };
    if index % 4 == 1 {
        users.push(removed("former.staff", 2 + index % 25));
    }
    if index % 12 == 5 {
        users.push(removed("left.long.ago", 45));
    }
    users
}

fn demo_user(
    id: String,
    local: &str,
    domain: &str,
    (first, last): (&str, &str),
    country: &str,
) -> User {
    User {
        id,
        user_principal_name: format!("{local}@{domain}"),
        first_name: first.to_string(),
        last_name: last.to_string(),
        display_name: format!("{first} {last}").trim().to_string(),
        usage_location: country.to_string(),
        state: ACTIVE.to_string(),
        soft_deletion_time: None,
        assigned_licenses: Vec::new(),
        attributes: UserAttributes::default(),
    }
}

/// Lower-case ASCII letters and digits of `text`, accents folded (ü → u); other scripts dropped.
pub fn ascii_fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'a'..='z' | '0'..='9' => c,
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ß' | 'ś' | 'š' => 's',
            'ł' => 'l',
            'ý' | 'ÿ' => 'y',
            'ž' | 'ź' | 'ż' => 'z',
            _ => continue,
        };
        out.push(folded);
    }
    out
}

fn domain_stem(name: &str) -> String {
    let mut stem = ascii_fold(name);
    stem.truncate(20);
    if stem.is_empty() {
        "tenant".to_string()
    } else {
        stem
    }
}

fn base36(mut n: u32) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_index_always_gives_the_same_customer() {
        let partners = demo_partners(100);
        let a = demo_customer(&partners[0], 42);
        let b = demo_customer(&partners[0], 42);
        assert_eq!(a.id, b.id);
        assert_eq!(a.billing, b.billing);
        assert_eq!(a.subscriptions, b.subscriptions);
        assert_ne!(a.id, demo_customer(&partners[0], 43).id);
        assert_eq!(a.id, demo_customer_id(&partners[0], 42));
    }

    #[test]
    fn demo_names_cover_accents_scripts_ampersands_and_a_120_character_name() {
        let partners = demo_partners(50);
        let names: Vec<String> = (0..50)
            .map(|i| demo_customer(&partners[0], i).billing.company_name)
            .collect();
        assert!(names.iter().any(|n| n == "Müller & Söhne GmbH"));
        assert!(names.iter().any(|n| n == "株式会社サンプル"));
        assert!(names.iter().any(|n| n.chars().count() == 120), "{names:?}");
    }

    #[test]
    fn domains_are_unique_and_ascii() {
        let partners = demo_partners(5000);
        let mut seen = std::collections::HashSet::new();
        for i in 0..5000 {
            let domain = demo_customer(&partners[0], i).domain;
            assert!(domain.is_ascii(), "{domain}");
            assert!(seen.insert(domain.clone()), "duplicate {domain}");
        }
    }

    #[test]
    fn licenses_held_are_the_consumed_units_and_never_more_than_bought() {
        let partners = demo_partners(200);
        let (mut removed, mut too_old, mut held) = (0, 0, 0);
        for i in 0..200 {
            let c = demo_customer(&partners[0], i);
            for sku in &c.skus {
                let holders = c
                    .users
                    .iter()
                    .filter(|u| u.removed_days_ago.is_none() && u.user.holds(&sku.product_sku.id))
                    .count() as i64;
                assert_eq!(sku.consumed_units, holders, "customer {i}");
                assert!(sku.consumed_units <= sku.active_units);
                held += holders;
            }
            for u in &c.users {
                if let Some(days) = u.removed_days_ago {
                    assert!(
                        u.user.assigned_licenses.is_empty(),
                        "a removed user holds licenses"
                    );
                    removed += 1;
                    too_old += usize::from(days > 30);
                }
            }
        }
        assert!(held > 200, "few licenses held: {held}");
        assert!(
            removed > 40 && too_old > 10,
            "{removed} removed, {too_old} too old"
        );
    }

    #[test]
    fn accents_fold_to_ascii_for_emails_and_domains() {
        assert_eq!(ascii_fold("Müller & Söhne"), "mullersohne");
        assert_eq!(ascii_fold("株式会社"), "");
    }
}
