//! The real dashboard in a pty against a backend whose bulk read sends its first page and then
//! keeps the rest coming: the first rows are on screen while the one response is still open, and
//! the dashboard asked for the bulk read (and nothing page by page).

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use cspdash::api::BULK_CONTENT_TYPE;
use futures::StreamExt;
use serde_json::json;

use crate::e2e_pty::{WAIT, at_home};
use crate::fake_backend::{customer, me};
use crate::pty::Pty;

#[test]
fn the_first_rows_show_while_the_bulk_read_is_still_streaming() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let accepts = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = accepts.clone();
    let router = Router::new()
        .route("/v1/me", get(|| async { Json(me()) }))
        .route(
            "/v1/events",
            get(|| async {
                let open = futures::stream::pending::<Result<String, std::io::Error>>();
                (
                    [(header::CONTENT_TYPE, "text/event-stream")],
                    Body::from_stream(open),
                )
            }),
        )
        .route(
            "/v1/customers",
            get(move |headers: HeaderMap| async move {
                let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
                seen.lock()
                    .expect("lock")
                    .push(accept.unwrap_or("").to_string());
                let first = json!({"totalCount": 5000, "items": [customer("c1", "Alpha Bulk"),
                    customer("c2", "Bravo Bulk")], "links": {"next": {"uri": "/customers?size=2",
                    "headers": [{"key": "MS-ContinuationToken", "value": "2"}]}}});
                let line = futures::stream::iter([Ok::<_, std::io::Error>(format!("{first}\n"))]);
                // The rest of the listing is still on its way when the test looks.
                let body = Body::from_stream(line.chain(futures::stream::pending()));
                ([(header::CONTENT_TYPE, BULK_CONTENT_TYPE)], body).into_response()
            }),
        );
    let url = runtime.block_on(crate::fake_backend::serve(router));
    let home = tempfile::tempdir().expect("temp dir");
    let mut cmd = at_home(home.path());
    cmd.args(["--backend", &url]);
    cmd.env("CSPDASH_TOKEN", "test-token");
    let mut tui = Pty::spawn(cmd, 120, 40);
    let screen = tui.wait_for("Bravo Bulk", WAIT);
    assert!(screen.contains("Alpha Bulk"), "{screen}");
    assert!(screen.contains("2 of 5,000"), "still loading: {screen}");
    let accepts = accepts.lock().expect("lock").clone();
    assert_eq!(accepts.len(), 1, "one request, no paging: {accepts:?}");
    assert!(accepts[0].contains(BULK_CONTENT_TYPE), "{accepts:?}");
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
}
