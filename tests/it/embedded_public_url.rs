//! The embedded default's invitation links: a loopback demo link unless a public URL is given,
//! then links on that base (item 7 of issue 9).
#![allow(clippy::unwrap_used)]

use cspdash::client::Client;
use cspdash::server::embedded::{self, EmbeddedOptions};

use crate::fake_backend::quick_options;
use crate::helpers::install_crypto;

#[tokio::test]
async fn the_embedded_backend_makes_links_on_its_public_url_or_else_on_loopback() {
    install_crypto();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("embedded.db");
    let options = EmbeddedOptions {
        public_url: Some("https://links.example.net/partner".into()),
        ..EmbeddedOptions::default()
    };
    let backend = embedded::start_with_options(&db, &options).await.unwrap();
    assert_eq!(backend.public_url, "https://links.example.net/partner");
    let client = Client::with_options(&backend.url, &backend.token, quick_options()).unwrap();
    let link = client.relationship_request(None).await.unwrap();
    assert!(
        link.url
            .starts_with("https://links.example.net/partner/invite/"),
        "{}",
        link.url
    );
    drop(backend);

    let backend = embedded::start(&db).await.unwrap();
    assert_eq!(backend.public_url, backend.url);
    let client = Client::with_options(&backend.url, &backend.token, quick_options()).unwrap();
    let link = client.relationship_request(None).await.unwrap();
    assert!(
        link.url.starts_with(&format!("{}/invite/", backend.url)),
        "{}",
        link.url
    );
}
