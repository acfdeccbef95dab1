//! The dashboard's hot paths on 100,000 demo customers: a filter keystroke, a page arriving, a cursor
//! move (update + draw), and, printed before the benchmarks, the list's memory against the JSON it
//! came from. Run with `cargo bench --bench tui`.

use std::time::Instant;

use crossterm::event::KeyCode;
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use cspdash::api::{Attributes, CompanyProfile, Customer};
use cspdash::server::store::seed::{demo_customer, demo_partners};
use cspdash::tui::action::{Action, RequestId};
use cspdash::tui::app::App;
use cspdash::tui::model::rows::CustomerRow;
use cspdash::tui::screens::customers::rowset::RowSet;
use cspdash::tui::testing::{code, ids, key, page};
use cspdash::tui::{testing, view};

const CUSTOMERS: u32 = 100_000;

/// The demo customers as the API sends them.
fn customers(n: u32) -> Vec<Customer> {
    let partners = demo_partners(n);
    let partner = &partners[0];
    (0..n)
        .map(|i| {
            let c = demo_customer(partner, i);
            let reseller = c.reseller.and_then(|r| partner.resellers.get(r));
            Customer {
                id: c.id,
                company_profile: CompanyProfile {
                    tenant_id: c.tenant_id,
                    domain: c.domain,
                    company_name: c.billing.company_name.clone(),
                },
                billing_profile: c.billing,
                relationship_to_partner: c.relationship,
                allow_delegated_access: c.allow_delegated_access,
                associated_partner_id: reseller.map(|r| r.0.clone()),
                associated_partner_name: reseller.map(|r| r.1.to_string()),
                admin_access: None,
                attributes: Attributes::customer(),
            }
        })
        .collect()
}

/// The rows in the order the backend sends them (by name).
fn rows() -> Vec<CustomerRow> {
    let mut rows: Vec<CustomerRow> = customers(CUSTOMERS)
        .iter()
        .map(CustomerRow::from_customer)
        .collect();
    rows.sort_by_cached_key(|r| (r.name().to_lowercase(), r.id().to_string()));
    rows
}

/// An app of 120×40 with every customer loaded.
fn loaded_app() -> App {
    let (mut app, commands) = testing::app(120, 40);
    let (_, list) = ids(&commands);
    app.update(Action::CustomersPage {
        req: list.unwrap_or(RequestId(0)),
        page: page(rows(), u64::from(CUSTOMERS), false),
    });
    app
}

fn main() {
    let all = customers(CUSTOMERS);
    let json: usize = all
        .iter()
        .map(|c| serde_json::to_vec(c).map_or(0, |v| v.len()))
        .sum();
    let started = Instant::now();
    let mut set = RowSet::new();
    set.reserve(all.len());
    for chunk in all.chunks(1000) {
        set.extend(chunk.iter().map(CustomerRow::from_customer).collect());
    }
    set.loaded();
    eprintln!(
        "{} customers: JSON {:.1} MB, list in memory {:.1} MB ({:.0}%), built in {:?}",
        all.len(),
        json as f64 / 1e6,
        set.heap_bytes() as f64 / 1e6,
        set.heap_bytes() as f64 * 100.0 / json as f64,
        started.elapsed()
    );
    drop(all);
    divan::main();
}

/// One keystroke that scans every row ("e" then Backspace, alternately), including the rebuild of
/// the visible lines; the figure is for two keystrokes.
#[divan::bench(sample_count = 20)]
fn filter_two_full_scan_keystrokes(bencher: Bencher) {
    let mut app = loaded_app();
    app.update(key('/'));
    bencher.bench_local(|| {
        app.update(key('e'));
        app.update(code(KeyCode::Backspace));
    });
}

/// A keystroke that narrows an existing filter ("ra" → "rad" → "ra" …); figure for two keystrokes.
#[divan::bench(sample_count = 20)]
fn filter_two_narrowing_keystrokes(bencher: Bencher) {
    let mut app = loaded_app();
    app.update(key('/'));
    app.update(key('r'));
    app.update(key('a'));
    bencher.bench_local(|| {
        app.update(key('d'));
        app.update(code(KeyCode::Backspace));
    });
}

/// The last page of 1,000 arriving on top of 99,000 loaded rows, through `update`.
#[divan::bench(sample_count = 10)]
fn last_page_arrives(bencher: Bencher) {
    let mut all = rows();
    let last: Vec<CustomerRow> = all.split_off(all.len() - 1000);
    bencher
        .with_inputs(|| {
            let (mut app, commands) = testing::app(120, 40);
            let (_, list) = ids(&commands);
            let req = list.unwrap_or(RequestId(0));
            app.update(Action::CustomersPage {
                req,
                page: page(all.clone(), u64::from(CUSTOMERS), true),
            });
            // Made as the network task makes it (rows and search keys), outside the timing.
            let last = page(last.clone(), u64::from(CUSTOMERS), false);
            (app, req, last)
        })
        .bench_local_values(|(mut app, req, last)| {
            app.update(Action::CustomersPage { req, page: last });
            app
        });
}

/// `j` and drawing the next frame at 120×40 with 100,000 rows loaded.
#[divan::bench(sample_count = 50)]
fn cursor_move_update_and_draw(bencher: Bencher) {
    let mut app = loaded_app();
    let Ok(mut terminal) = Terminal::new(TestBackend::new(120, 40));
    bencher.bench_local(|| {
        app.update(key('j'));
        let _ = terminal.draw(|f| view::view(&app, f));
    });
}
