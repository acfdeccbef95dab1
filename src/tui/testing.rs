//! Fixtures for the dashboard's tests: an app at a given size, actions for keys, sample customers and
//! details, and rendering to ratatui's `TestBackend`.

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::api::{
    Address, BillingProfile, CompanyProfile, Customer, Me, ProductSku, Relationship, Role,
    SubscribedSku, Subscription,
};

use super::action::{Action, RequestId};
use super::app::{App, Session};
use super::call::CallBox;
use super::command::Command;
use super::model::RowPage;
use super::model::detail::{CustomerDetail, Detail};
use super::model::rows::CustomerRow;
use super::theme::Theme;
use super::view;
use crate::client::ClientError;

pub fn session() -> Session {
    Session {
        profile: "global".into(),
        cloud: "Partner Center".into(),
        backend_url: "http://127.0.0.1:8080".into(),
    }
}

/// The date tests draw on, so days left and waited are the same on every run.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default()
}

/// A started app of `width`×`height`, and the commands `start` returned.
pub fn app(width: u16, height: u16) -> (App, Vec<Command>) {
    let mut app = App::new(session(), Theme::new(false), Instant::now());
    app.today = today();
    app.update(Action::Resize { width, height });
    let commands = app.start();
    (app, commands)
}

/// Signed in as a Global admin at `width` × `height`, the first page's read position arrived (so
/// the live stream is followed, not connected yet); the list request's id, nothing loaded yet.
pub fn following_the_stream(width: u16, height: u16) -> (App, RequestId) {
    let (mut app, commands) = app(width, height);
    let (me_req, list_req) = ids(&commands);
    app.update(Action::MeLoaded {
        req: me_req.unwrap_or(RequestId(0)),
        result: Ok(me(Role::GlobalAdmin)),
    });
    let req = list_req.unwrap_or(RequestId(0));
    // The first page's read position arrives just before it and starts the stream.
    app.update(Action::ListReadAt {
        req,
        after: Some(0),
    });
    (app, req)
}

/// The request ids of the first `LoadMe` and `LoadCustomers` in `commands`.
pub fn ids(commands: &[Command]) -> (Option<RequestId>, Option<RequestId>) {
    let me = commands.iter().find_map(|c| match c {
        Command::LoadMe { req } => Some(*req),
        _ => None,
    });
    let list = commands.iter().find_map(|c| match c {
        Command::LoadCustomers { req, .. } => Some(*req),
        _ => None,
    });
    (me, list)
}

pub fn me(role: Role) -> Me {
    Me {
        partner_id: "p-1".into(),
        partner_name: "Contoso Partner".into(),
        cloud: "Partner Center".into(),
        agent_id: "a-1".into(),
        agent: "Ada Lovelace".into(),
        role,
        can: role
            .permissions()
            .iter()
            .map(|p| p.as_str().to_string())
            .collect(),
    }
}

/// An app of `width`×`height` signed in as `role` with `rows` loaded (the whole list).
pub fn signed_in_with(role: Role, width: u16, height: u16, rows: Vec<CustomerRow>) -> App {
    let (mut app, commands) = app(width, height);
    let (me_req, list_req) = ids(&commands);
    app.update(Action::MeLoaded {
        req: me_req.unwrap_or(RequestId(0)),
        result: Ok(me(role)),
    });
    let total = rows.len() as u64;
    app.update(Action::CustomersPage {
        req: list_req.unwrap_or(RequestId(0)),
        page: page(rows, total, false),
    });
    app
}

/// An app of 100×20 signed in as `role` with `n` customers loaded.
pub fn loaded(role: Role, n: usize) -> App {
    signed_in_with(role, 100, 20, plain_rows(n))
}

pub fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}
pub fn code(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}
pub fn ctrl(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// `n` plain customers named `Customer 0001` … with domains `customer0001.example`.
pub fn plain_rows(n: usize) -> Vec<CustomerRow> {
    (1..=n)
        .map(|i| {
            CustomerRow::new(
                &format!("id-{i:04}"),
                &format!("Customer {i:04}"),
                &format!("customer{i:04}.example"),
                None,
                Relationship::Reseller,
                true,
            )
        })
        .collect()
}

/// Customers showing every state the list can draw, in name order.
pub fn showcase_rows() -> Vec<CustomerRow> {
    let long = format!("Adatum {}", "Very Long Holding Company Name ".repeat(4));
    vec![
        CustomerRow::new(
            "c1",
            &long,
            "adatum.example",
            None,
            Relationship::Reseller,
            true,
        ),
        CustomerRow::new(
            "c2",
            "Contoso Ltd",
            "contoso.example",
            Some("Tailspin Toys"),
            Relationship::Reseller,
            true,
        ),
        CustomerRow::new(
            "c3",
            "Fabrikam Inc",
            "fabrikam.example",
            None,
            Relationship::Reseller,
            false,
        ),
        CustomerRow::new(
            "c4",
            "Litware \u{202E}gnirepS\u{202C} Co\u{200B}",
            "litware.example",
            None,
            Relationship::None,
            true,
        ),
        CustomerRow::new(
            "c5",
            "Northwind\u{1b}[31m Traders",
            "northwind.example",
            None,
            Relationship::None,
            false,
        ),
        CustomerRow::new(
            "c6",
            "東京トレーディング株式会社グループホールディングス",
            "tokyo-trading.example",
            Some("Wide World Importers"),
            Relationship::Reseller,
            true,
        ),
    ]
}

pub fn page(rows: Vec<CustomerRow>, total: u64, more: bool) -> RowPage {
    RowPage::new(rows, total, more)
}

pub fn sample_detail() -> Box<Detail> {
    let customer = Customer {
        id: "c2".into(),
        company_profile: CompanyProfile {
            tenant_id: "8f0c2b1e-5d7a-4e8b-9c3f-2a1b0c9d8e7f".into(),
            domain: "contoso.example".into(),
            company_name: "Contoso Ltd".into(),
        },
        billing_profile: BillingProfile {
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            email: "jane@contoso.example".into(),
            culture: "en-US".into(),
            language: "en".into(),
            company_name: "Contoso Ltd".into(),
            default_address: Address {
                country: "US".into(),
                city: "Redmond".into(),
                state: "WA".into(),
                address_line1: "1 Microsoft Way".into(),
                postal_code: "98052".into(),
                ..Address::default()
            },
        },
        relationship_to_partner: Relationship::Reseller,
        allow_delegated_access: true,
        associated_partner_id: Some("r-1".into()),
        associated_partner_name: Some("Tailspin Toys".into()),
        admin_access: None,
        attributes: crate::api::Attributes::customer(),
    };
    let subscription = Subscription {
        id: "s1".into(),
        offer_id: "o1".into(),
        offer_name: "Microsoft 365 E3".into(),
        friendly_name: "M365 E3 (sales team)".into(),
        quantity: 25,
        unit_type: "licenses".into(),
        status: "active".into(),
        auto_renew_enabled: true,
        billing_cycle: "monthly".into(),
        term_duration: "P1Y".into(),
        creation_date: "2025-02-01T00:00:00Z".into(),
        commitment_end_date: "2026-01-31T00:00:00Z".into(),
    };
    let suspended = Subscription {
        id: "s2".into(),
        friendly_name: String::new(),
        offer_name: "Exchange Online (Plan 1)".into(),
        quantity: 3,
        status: "suspended".into(),
        auto_renew_enabled: false,
        ..subscription.clone()
    };
    let user = crate::api::users::User {
        id: "u1".into(),
        user_principal_name: "jane@contoso.example".into(),
        first_name: "Jane".into(),
        last_name: "Doe".into(),
        display_name: "Jane Doe".into(),
        usage_location: "US".into(),
        state: "active".into(),
        soft_deletion_time: None,
        assigned_licenses: Vec::new(),
        attributes: crate::api::users::UserAttributes::default(),
    };
    let licenses = SubscribedSku {
        product_sku: ProductSku {
            id: "sku1".into(),
            name: "Microsoft 365 E3".into(),
            sku_part_number: "SPE_E3".into(),
        },
        status: "Enabled".into(),
        active_units: 25,
        consumed_units: 20,
        suspended_units: 0,
        warning_units: 0,
    };
    Box::new(Detail::new(CustomerDetail {
        customer,
        subscriptions: vec![subscription, suspended],
        users: vec![user],
        licenses: vec![licenses],
        purchase_permission: Some(false),
        support_contacts: vec![crate::api::SupportContact {
            agent_id: "a-2".into(),
            name: Some("Megan Bowen".into()),
            email: Some("megan.bowen@contoso.example".into()),
        }],
        admin: Vec::new(),
    }))
}

/// Draws `app` on a `TestBackend` of its own size.
pub fn render(app: &App) -> Terminal<TestBackend> {
    let (width, height) = app.size();
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(never) => match never {},
    };
    if let Err(never) = terminal.draw(|f| view::view(app, f)) {
        match never {}
    }
    terminal
}

/// What `app` shows, as `TestBackend` prints it (a quoted line per row).
pub fn screen(app: &App) -> String {
    format!("{}", render(app).backend())
}

/// Bytes a real terminal receives: `app` drawn in full on a blank screen, then the frame after
/// `then` is applied (only the cells that changed are sent). Returns both byte counts.
pub fn terminal_bytes(
    app: &mut App,
    then: impl IntoIterator<Item = Action>,
) -> std::io::Result<(usize, usize)> {
    let (width, height) = app.size();
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
    };
    let written = ByteCounter::default();
    let mut terminal = Terminal::with_options(CrosstermBackend::new(written.clone()), options)?;
    terminal.draw(|f| view::view(app, f))?;
    let full = written.0.replace(0);
    for action in then {
        app.update(action);
    }
    terminal.draw(|f| view::view(app, f))?;
    Ok((full, written.0.get()))
}

/// A terminal that only counts what it is sent.
#[derive(Debug, Clone, Default)]
struct ByteCounter(std::rc::Rc<std::cell::Cell<usize>>);

impl std::io::Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The first call of type `T` among `commands`: its id, the call as sent, and what it asks.
pub fn find_call<T: 'static>(commands: &[Command]) -> Option<(RequestId, CallBox, &T)> {
    commands.iter().find_map(|c| match c {
        Command::Call { req, call } => call.get::<T>().map(|t| (*req, call.clone(), t)),
        _ => None,
    })
}

/// The id of the first call of type `T` among `commands`; panics when there is none.
pub fn call_id<T: 'static>(commands: &[Command]) -> RequestId {
    match find_call::<T>(commands) {
        Some((req, _, _)) => req,
        None => panic!("no {} in {commands:?}", std::any::type_name::<T>()),
    }
}

/// The backend's answer `value` to the call of type `T` among `commands`.
pub fn answer<T: 'static>(commands: &[Command], value: impl Send + 'static) -> Action {
    reply(call_id::<T>(commands), value)
}

/// The call of type `T` among `commands` failed with `error`.
pub fn refuse<T: 'static>(commands: &[Command], error: ClientError) -> Action {
    failure(call_id::<T>(commands), error)
}

/// The backend's answer `value` to call `req`.
pub fn reply(req: RequestId, value: impl Send + 'static) -> Action {
    Action::Reply {
        req,
        result: Ok(crate::tui::call::reply(value)),
    }
}

/// Call `req` failed with `error`.
pub fn failure(req: RequestId, error: ClientError) -> Action {
    Action::Reply {
        req,
        result: Err(error),
    }
}

/// The title of the screen on top ("Customers" with none open over the list).
pub fn top_title(app: &App) -> &'static str {
    app.top().map_or("Customers", |s| s.title())
}
