//! The reconnect rules on their own: the cap and jitter of the waits, the quiet retry of a
//! healthy stream that ended, and the server's `retry:` advice kept within the cap.

use std::time::Duration;

use super::*;
use crate::client::ClientOptions;

fn state(max: Duration) -> State {
    let options = ClientOptions {
        reconnect_delay: Duration::from_millis(500),
        max_reconnect_delay: max,
        ..ClientOptions::default()
    };
    let client = Client::with_options("http://127.0.0.1:1", "t", options).expect("client");
    State::new(client, None)
}

fn refused() -> ClientError {
    ClientError::Unreachable {
        url: "http://127.0.0.1:1/v1/events".into(),
        reason: "refused".into(),
    }
}

#[test]
fn waits_double_from_half_a_second_up_to_the_three_second_cap_jittered_to_half_or_more() {
    let mut s = state(ClientOptions::default().max_reconnect_delay);
    for (failures, step_ms) in [
        (0, 500),
        (1, 1000),
        (2, 2000),
        (3, 3000),
        (9, 3000),
        (99, 3000),
    ] {
        s.failures = failures;
        let step = Duration::from_millis(step_ms);
        let waits: Vec<Duration> = (0..200).map(|_| s.backoff()).collect();
        assert!(
            waits.iter().all(|w| *w >= step / 2 && *w <= step),
            "after {failures} failures: {waits:?}"
        );
        let distinct: std::collections::HashSet<_> = waits.iter().collect();
        assert!(distinct.len() > 10, "jittered, not fixed: {distinct:?}");
    }
}

#[test]
fn a_stream_that_delivered_and_ended_is_retried_once_quietly_then_losses_are_reported() {
    let mut s = state(Duration::from_secs(3));
    s.ended(refused());
    assert!(
        s.ready.is_empty(),
        "no report for a stream the backend closed"
    );
    let quiet = s.wait_before_connect.expect("a retry is scheduled");
    assert!(quiet <= Duration::from_millis(500), "{quiet:?}");
    // The quiet retry could not connect: now it is a loss, with the wait it announces.
    s.fail(refused());
    let Some(LiveItem::Lost { retry_in, .. }) = s.ready.pop_front() else {
        panic!("a loss is reported");
    };
    assert_eq!(Some(retry_in), s.wait_before_connect);
    assert!(retry_in <= Duration::from_secs(1), "{retry_in:?}");
    // A connection that brought nothing and ended is reported at once.
    s.ended(refused());
    assert!(matches!(s.ready.pop_front(), Some(LiveItem::Lost { .. })));
}

#[test]
fn the_servers_retry_advice_is_followed_but_never_past_the_cap() {
    let mut s = state(Duration::from_secs(3));
    s.decoder.push(b"retry: 60000\n\n");
    s.failures = 1;
    s.lost(refused());
    assert_eq!(s.wait_before_connect, Some(Duration::from_secs(3)));
    let mut s = state(Duration::from_secs(3));
    s.decoder.push(b"retry: 700\n\n");
    s.failures = 1;
    s.lost(refused());
    assert_eq!(s.wait_before_connect, Some(Duration::from_millis(700)));
}

#[test]
fn errors_retrying_cannot_fix_end_the_stream() {
    let mut s = state(Duration::from_secs(3));
    s.fail(ClientError::Unauthorized {
        description: "revoked".into(),
    });
    assert!(s.done);
    assert!(matches!(s.ready.pop_front(), Some(LiveItem::Ended(_))));
}
