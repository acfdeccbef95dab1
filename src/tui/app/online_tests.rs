//! The connection as the user sees it, driven through `update`: the header says `live`, then
//! `offline · reconnecting in Ns` counting down while the stream is lost (the rows stay), and
//! `live` again when it is back; requests waiting to be retried go out the moment it is.

use std::time::Duration;

use super::*;
use crate::client::ClientError;
use crate::tui::testing::{code, following_the_stream, page, plain_rows, screen};
use crossterm::event::KeyCode;

/// Signed in with `n` customers loaded and the stream followed (not connected yet).
fn following(width: u16, n: usize) -> App {
    let (mut app, req) = following_the_stream(width, 12);
    app.update(Action::CustomersPage {
        req,
        page: page(plain_rows(n), n as u64, false),
    });
    app
}

fn refused() -> ClientError {
    ClientError::Unreachable {
        url: "http://127.0.0.1:8080/v1/events".into(),
        reason: "Connection refused (os error 111)".into(),
    }
}

fn header(app: &App) -> String {
    screen(app).lines().next().unwrap_or_default().to_string()
}

/// Lets `by` pass on the app's clock, as the loop's ticks do.
fn wait(app: &mut App, by: Duration) {
    app.now += by;
    app.update(Action::Tick);
}

#[test]
fn the_header_counts_down_while_the_stream_is_lost_and_says_live_when_it_is_back() {
    let mut app = following(100, 5);
    assert!(!header(&app).contains("live"), "not connected yet");
    app.update(Action::LiveConnected);
    assert!(
        header(&app).contains(" live │ 5 customers"),
        "{}",
        header(&app)
    );

    app.update(Action::LiveLost {
        error: refused(),
        retry_in: Duration::from_millis(2600),
    });
    insta::assert_snapshot!("stream_lost_100_columns", screen(&app));
    assert_eq!(
        app.tick_interval(),
        Some(COUNTDOWN_TICK),
        "the countdown moves"
    );

    wait(&mut app, Duration::from_millis(1000));
    assert!(
        header(&app).contains("offline · reconnecting in 2s"),
        "{}",
        header(&app)
    );
    wait(&mut app, Duration::from_millis(1700));
    assert!(
        header(&app).contains("offline · reconnecting…"),
        "{}",
        header(&app)
    );
    assert_eq!(
        app.tick_interval(),
        None,
        "nothing moves while the attempt runs"
    );
    assert!(screen(&app).contains("Customer 0005"), "the rows stay");

    // The attempt failed too: a new countdown.
    app.update(Action::LiveLost {
        error: refused(),
        retry_in: Duration::from_secs(3),
    });
    assert!(
        header(&app).contains("offline · reconnecting in 3s"),
        "{}",
        header(&app)
    );
    app.update(Action::LiveConnected);
    assert!(
        header(&app).contains(" live │ 5 customers"),
        "{}",
        header(&app)
    );
    assert!(!screen(&app).contains("paused"), "{}", screen(&app));
}

#[test]
fn offline_fits_an_80_column_header_next_to_the_count() {
    let mut app = following(80, 3);
    app.update(Action::LiveConnected);
    app.update(Action::LiveLost {
        error: refused(),
        retry_in: Duration::from_secs(3),
    });
    insta::assert_snapshot!("stream_lost_80_columns", screen(&app));
    assert!(header(&app).contains("offline · reconnecting in 3s │ 3 customers"));
}

#[test]
fn a_stream_back_sends_the_requests_waiting_for_their_retry_at_once() {
    let mut app = following(100, 2);
    app.update(Action::LiveConnected);
    let commands = app.update(code(KeyCode::Enter));
    let Some((req, row, id)) = commands.iter().find_map(|c| match c {
        Command::LoadDetail { req, row, id } => Some((*req, *row, id.clone())),
        _ => None,
    }) else {
        panic!("no detail request: {commands:?}");
    };
    let commands = app.update(Action::DetailLoaded {
        req,
        row,
        id: id.clone(),
        result: Err(refused()),
    });
    assert_eq!(commands, [Command::RetryAfter(Duration::from_secs(1))]);
    assert!(
        header(&app).contains("offline · reconnecting in 1s"),
        "{}",
        header(&app)
    );
    app.update(Action::LiveLost {
        error: refused(),
        retry_in: Duration::from_millis(500),
    });
    let commands = app.update(Action::LiveConnected);
    assert_eq!(commands, [Command::LoadDetail { req, row, id }]);
}

#[test]
fn reports_of_a_stream_that_gave_up_are_not_taken_for_a_connection() {
    let mut app = following(100, 2);
    app.update(Action::LiveTrouble {
        error: ClientError::Unauthorized {
            description: "revoked".into(),
        },
        ended: true,
    });
    app.update(Action::LiveLost {
        error: refused(),
        retry_in: Duration::from_secs(1),
    });
    app.update(Action::LiveConnected);
    assert!(
        matches!(app.live(), live::Live::Stopped(_)),
        "{:?}",
        app.live()
    );
    assert!(!header(&app).contains("live"), "{}", header(&app));
}
