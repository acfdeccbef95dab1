//! Demo admin relationships (GDAP) and the partner's security groups, decided by customer index
//! like the rest of the demo data, so that every status a partner meets is there: active with a
//! year or more left, expiring within 30 and within 7 days, pending for 2, 40 and 85 days, a draft
//! not yet sent, expired (ran out, or never answered), terminated, one with Global Administrator,
//! and customers with none. About 1.5 relationships per customer.
//!
//! Times are days relative to the moment of seeding (the store turns them into times), so the
//! demo looks the same whenever it is seeded.

use super::Dice;
use crate::api::gdap::roles::{self, GLOBAL_ADMINISTRATOR, TEMPLATES};
use crate::api::gdap::{APPROVAL_DAYS, RelationshipStatus};

/// The partner's security groups: (name, the roles an assignment gives it where granted).
const GROUPS: &[(&str, &[&str])] = &[
    (
        "Helpdesk Agents",
        &[
            roles::HELPDESK_ADMINISTRATOR,
            roles::SERVICE_SUPPORT_ADMINISTRATOR,
            roles::DIRECTORY_READERS,
        ],
    ),
    ("Exchange Admins", &[roles::EXCHANGE_ADMINISTRATOR]),
    (
        "Security Readers",
        &[
            roles::SECURITY_READER,
            roles::GLOBAL_READER,
            roles::REPORTS_READER,
        ],
    ),
    (
        "User Admins",
        &[roles::USER_ADMINISTRATOR, roles::GROUPS_ADMINISTRATOR],
    ),
    ("License Admins", &[roles::LICENSE_ADMINISTRATOR]),
    ("Global Admins (break-glass)", &[GLOBAL_ADMINISTRATOR]),
];

/// Fabrikam, the small partner, has only these of them.
const SMALL_PARTNER_GROUPS: usize = 3;

/// One of the partner's security groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoGroup {
    pub id: String,
    pub name: &'static str,
}

/// The security groups of partner `stream` (1: Contoso, all of them; others a few).
pub fn demo_groups(stream: u64) -> Vec<DemoGroup> {
    let mut dice = Dice::new(stream.wrapping_add(GROUP_STREAM), u64::MAX);
    GROUPS[..group_count(stream)]
        .iter()
        .map(|(name, _)| DemoGroup {
            id: dice.uuid(),
            name,
        })
        .collect()
}

/// A demo relationship; `*_days_ago` count back from the seeding moment, `ends_in_days` forward
/// (negative: in the past).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRelationship {
    pub id: String,
    pub display_name: String,
    pub roles: Vec<&'static str>,
    pub duration_days: u32,
    pub auto_extend: bool,
    pub status: RelationshipStatus,
    pub created_days_ago: i64,
    pub locked_days_ago: Option<i64>,
    pub activated_days_ago: Option<i64>,
    pub ends_in_days: Option<i64>,
    /// The last change (its status's start).
    pub changed_days_ago: i64,
    /// Only on active relationships (most of them).
    pub assignments: Vec<DemoAssignment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAssignment {
    pub id: String,
    /// Index into [`demo_groups`].
    pub group: usize,
    pub roles: Vec<&'static str>,
}

/// Dice streams of their own, so the customers' data stays what it was.
const GROUP_STREAM: u64 = 0x5EC0_0000;
const RELATIONSHIP_STREAM: u64 = 0x6DA9_0000;

/// What one relationship of a customer is, before the details are rolled.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Active with this many days left at least and below the second.
    Active(i64, i64),
    ActiveGlobalAdmin,
    Pending(i64),
    Draft,
    Expired,
    Terminated,
}

use Kind::*;

const LONG: Kind = Active(400, 700);
const WITHIN_30: Kind = Active(8, 31);
const WITHIN_7: Kind = Active(1, 8);

/// The relationships of each customer by `index % 20`: 30 relationships per 20 customers.
const PATTERNS: [&[Kind]; 20] = [
    &[LONG],
    &[LONG, Expired],
    &[ActiveGlobalAdmin],
    &[],
    &[WITHIN_30, Pending(2)],
    &[LONG, LONG],
    &[WITHIN_7],
    &[Pending(85)],
    &[LONG, Terminated],
    &[Expired],
    // The first active one of this pattern gets no access assignment.
    &[LONG, Expired],
    &[Pending(2)],
    &[LONG, WITHIN_30],
    &[Terminated],
    &[LONG, Pending(40)],
    &[WITHIN_7, Expired],
    &[LONG, Expired],
    &[],
    &[LONG, Expired, Terminated],
    &[Active(100, 400), Draft],
];

/// Pattern 10's first relationship: active without any access assignment.
const UNASSIGNED_PATTERN: u32 = 10;

/// Customer `index`'s relationships with partner `stream`. A customer that removed the
/// partner's admin permissions (`admin_removed`) has one that ended and no active one.
pub fn demo_relationships(
    stream: u64,
    index: u32,
    domain: &str,
    admin_removed: bool,
) -> Vec<DemoRelationship> {
    let mut dice = Dice::new(stream.wrapping_add(RELATIONSHIP_STREAM), u64::from(index));
    let removed: &[Kind] = if index.is_multiple_of(2) {
        &[Expired]
    } else {
        &[Terminated]
    };
    let kinds = if admin_removed {
        removed
    } else {
        PATTERNS[(index % 20) as usize]
    };
    let stem = domain.split('.').next().unwrap_or(domain);
    kinds
        .iter()
        .enumerate()
        .map(|(n, kind)| {
            let unassigned = index % 20 == UNASSIGNED_PATTERN && n == 0;
            relationship(&mut dice, *kind, stem, n, unassigned, stream)
        })
        .collect()
}

fn relationship(
    dice: &mut Dice,
    kind: Kind,
    stem: &str,
    n: usize,
    unassigned: bool,
    stream: u64,
) -> DemoRelationship {
    let id = dice.uuid();
    let (template, mut roles): (&str, Vec<&'static str>) = match kind {
        ActiveGlobalAdmin => {
            let mut roles = TEMPLATES[3].roles.to_vec();
            roles.push(GLOBAL_ADMINISTRATOR);
            ("Full admin + GA", roles)
        }
        _ => {
            let template = dice.below(TEMPLATES.len());
            let short = [
                "Helpdesk",
                "User and license",
                "Security reader",
                "Full admin",
            ];
            (short[template], TEMPLATES[template].roles.to_vec())
        }
    };
    // Some ask for Exchange too, so that group has work beyond the full-admin template.
    if dice.below(4) == 0 && !roles.contains(&roles::EXCHANGE_ADMINISTRATOR) {
        roles.push(roles::EXCHANGE_ADMINISTRATOR);
    }
    // The name is unique per partner: the domain's stem holds no '-', and it ends in the
    // customer's index; `n` tells one customer's relationships apart.
    let display_name = format!("{template} {stem} #{}", n + 1);
    let mut r = DemoRelationship {
        id,
        display_name,
        duration_days: 730,
        auto_extend: false,
        status: RelationshipStatus::Active,
        created_days_ago: 0,
        locked_days_ago: None,
        activated_days_ago: None,
        ends_in_days: None,
        changed_days_ago: 0,
        assignments: Vec::new(),
        roles,
    };
    let answered_after = 1 + dice.below(5) as i64;
    match kind {
        Active(least, below) => {
            let left = least + dice.below((below - least) as usize) as i64;
            r.duration_days = if left > 365 || dice.below(2) == 0 {
                730
            } else {
                365
            };
            r.auto_extend = dice.below(3) != 0;
            let since = i64::from(r.duration_days) - left;
            active_since(&mut r, since, answered_after);
            r.ends_in_days = Some(left);
        }
        ActiveGlobalAdmin => {
            let left = 400 + dice.below(300) as i64;
            active_since(&mut r, 730 - left, answered_after);
            r.ends_in_days = Some(left);
        }
        Pending(days) => {
            r.status = RelationshipStatus::ApprovalPending;
            r.auto_extend = dice.below(2) == 0;
            r.created_days_ago = days;
            r.locked_days_ago = Some(days);
            r.changed_days_ago = days;
        }
        Draft => {
            r.status = RelationshipStatus::Created;
            r.created_days_ago = 1;
            r.changed_days_ago = 1;
        }
        Expired if dice.below(4) == 0 => {
            // Nobody answered the approval link.
            r.status = RelationshipStatus::Expired;
            let asked = 95 + dice.below(400) as i64;
            r.created_days_ago = asked;
            r.locked_days_ago = Some(asked);
            r.changed_days_ago = asked - APPROVAL_DAYS;
        }
        Expired => {
            r.status = RelationshipStatus::Expired;
            let ago = 10 + dice.below(300) as i64;
            active_since(&mut r, 730 + ago, answered_after);
            r.ends_in_days = Some(-ago);
            r.changed_days_ago = ago;
        }
        _ => {
            r.status = RelationshipStatus::Terminated;
            let since = 200 + dice.below(400) as i64;
            active_since(&mut r, since, answered_after);
            r.ends_in_days = Some(730 - since);
            r.changed_days_ago = dice.below(since as usize - 10) as i64;
        }
    }
    if r.status == RelationshipStatus::Active && !unassigned {
        r.assignments = assignments(dice, &r.roles, stream);
    }
    r
}

/// Activated `days_ago`, sent `answered_after` days before that and made the same day.
fn active_since(r: &mut DemoRelationship, days_ago: i64, answered_after: i64) {
    r.activated_days_ago = Some(days_ago);
    r.changed_days_ago = days_ago;
    r.locked_days_ago = Some(days_ago + answered_after);
    r.created_days_ago = days_ago + answered_after;
}

/// One to three of the groups whose roles the relationship grants, with those roles.
fn assignments(dice: &mut Dice, granted: &[&'static str], stream: u64) -> Vec<DemoAssignment> {
    let fitting: Vec<(usize, Vec<&'static str>)> = GROUPS[..group_count(stream)]
        .iter()
        .enumerate()
        .map(|(g, (_, roles))| {
            let given: Vec<&'static str> = roles
                .iter()
                .copied()
                .filter(|role| granted.contains(role))
                .collect();
            (g, given)
        })
        .filter(|(_, given)| !given.is_empty())
        .collect();
    let wanted = 1 + dice.below(3);
    fitting
        .into_iter()
        .take(wanted)
        .map(|(group, roles)| DemoAssignment {
            id: dice.uuid(),
            group,
            roles,
        })
        .collect()
}

/// Contoso (stream 1) has every group, the small partner a few.
fn group_count(stream: u64) -> usize {
    if stream == 1 {
        GROUPS.len()
    } else {
        SMALL_PARTNER_GROUPS
    }
}

#[cfg(test)]
mod tests;
