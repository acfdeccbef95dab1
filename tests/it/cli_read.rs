//! The reading commands through the real binary against the real server: each format parsed
//! back, the filters, and the exit codes a script branches on.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use cspdash::api::Role;

use crate::helpers::{CONTOSO, FABRIKAM, spawn_server};
use crate::scripting::{cspdash, cspdash_as};

async fn total(server: &crate::helpers::TestServer) -> usize {
    let (_, page) = server.get_json("/v1/customers?size=1").await;
    page["totalCount"].as_u64().unwrap() as usize
}

#[tokio::test]
async fn customers_list_gives_every_customer_in_every_format() {
    let server = spawn_server(120).await;
    let expected = total(&server).await;

    // Piped, the default is TSV with a header row.
    let tsv = cspdash(&server, &["customers", "list"]).await.ok().tsv();
    assert_eq!(tsv.len(), expected);
    assert!(
        tsv.iter()
            .all(|r| r["id"].len() == 36 && !r["domain"].is_empty())
    );

    let json = cspdash(&server, &["customers", "list", "-o", "json"])
        .await
        .ok()
        .json();
    let json = json.as_array().unwrap();
    assert_eq!(json.len(), expected);
    // JSON is the wire shape.
    assert!(
        json[0]["companyProfile"]["domain"].is_string(),
        "{}",
        json[0]
    );

    let lines = cspdash(&server, &["customers", "list", "--output", "jsonl"])
        .await
        .ok()
        .jsonl();
    assert_eq!(lines.len(), expected);

    let csv = cspdash(&server, &["customers", "list", "-o", "csv"])
        .await
        .ok()
        .csv();
    assert_eq!(csv.len(), expected);
    // The same customers, in the same order, whatever the format.
    for ((t, c), j) in tsv.iter().zip(&csv).zip(json) {
        assert_eq!(t, c);
        assert_eq!(j["id"], t["id"].as_str());
    }

    let table = cspdash(&server, &["customers", "list", "-o", "table"])
        .await
        .ok();
    assert_eq!(table.stdout.lines().count(), expected + 1);
    assert!(table.stdout.starts_with("ID "), "{}", table.stdout);

    // Another partner's token sees its own customers only.
    let theirs = cspdash_as(
        &server,
        FABRIKAM,
        Role::GlobalAdmin,
        &["customers", "list", "-o", "json"],
    )
    .await
    .ok()
    .json();
    let ours: Vec<&str> = json.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert!(!theirs.as_array().unwrap().is_empty());
    assert!(
        theirs
            .as_array()
            .unwrap()
            .iter()
            .all(|c| !ours.contains(&c["id"].as_str().unwrap()))
    );
}

#[tokio::test]
async fn customers_list_filters_as_the_dashboard_does() {
    let server = spawn_server(150).await;
    let all = cspdash(&server, &["customers", "list", "-o", "json"])
        .await
        .ok()
        .json();
    let all = all.as_array().unwrap().clone();

    // Any part of the name or the domain, any case.
    let name = all[7]["companyProfile"]["companyName"]
        .as_str()
        .unwrap()
        .to_string();
    let needle = name.split_whitespace().next().unwrap().to_uppercase();
    let found = cspdash(
        &server,
        &["customers", "list", "--filter", &needle, "-o", "json"],
    )
    .await
    .ok()
    .json();
    let want = all
        .iter()
        .filter(|c| {
            let n = needle.to_lowercase();
            c["companyProfile"]["companyName"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains(&n)
                || c["companyProfile"]["domain"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains(&n)
        })
        .count();
    assert!(want > 0);
    assert_eq!(found.as_array().unwrap().len(), want);

    for status in ["active", "pending", "expired", "terminated", "none"] {
        let found = cspdash(
            &server,
            &["customers", "list", "--admin", status, "-o", "jsonl"],
        )
        .await
        .ok()
        .jsonl();
        let want = all
            .iter()
            .filter(|c| c["adminAccess"]["status"].as_str().unwrap_or("none") == status)
            .count();
        assert_eq!(found.len(), want, "--admin {status}");
        assert!(
            found
                .iter()
                .all(|c| c["adminAccess"]["status"].as_str().unwrap_or("none") == status)
        );
    }
    let expiring = cspdash(
        &server,
        &["customers", "list", "--admin", "expiring", "-o", "jsonl"],
    )
    .await
    .ok()
    .jsonl();
    let soon = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    assert!(expiring.iter().all(|c| {
        c["adminAccess"]["status"] == "active"
            && c["adminAccess"]["endDateTime"].as_str().unwrap() <= soon.as_str()
    }));

    let reseller = cspdash(
        &server,
        &[
            "customers",
            "list",
            "--relationship",
            "reseller",
            "-o",
            "jsonl",
        ],
    )
    .await
    .ok()
    .jsonl();
    let none = cspdash(
        &server,
        &["customers", "list", "--relationship", "none", "-o", "jsonl"],
    )
    .await
    .ok()
    .jsonl();
    assert_eq!(reseller.len() + none.len(), all.len());
    assert!(none.iter().all(|c| c["relationshipToPartner"] == "none"));
}

#[tokio::test]
async fn customers_show_finds_a_customer_by_id_or_domain() {
    let server = spawn_server(20).await;
    let all = cspdash(&server, &["customers", "list", "-o", "json"])
        .await
        .ok()
        .json();
    let one = &all[3];
    let id = one["id"].as_str().unwrap();
    let domain = one["companyProfile"]["domain"].as_str().unwrap();
    let by_id = cspdash(&server, &["customers", "show", id, "-o", "json"])
        .await
        .ok()
        .json();
    let by_domain = cspdash(
        &server,
        &["customers", "show", &domain.to_uppercase(), "-o", "json"],
    )
    .await
    .ok()
    .json();
    assert_eq!(by_id["id"], one["id"]);
    assert_eq!(by_domain["id"], one["id"]);
    let fields = cspdash(&server, &["customers", "show", domain, "-o", "table"])
        .await
        .ok();
    assert!(fields.stdout.contains("DOMAIN "), "{}", fields.stdout);
    assert!(
        fields
            .stdout
            .lines()
            .any(|l| l.starts_with("ID") && l.ends_with(id)),
        "{}",
        fields.stdout
    );
    let csv = cspdash(&server, &["customers", "show", id, "-o", "csv"])
        .await
        .ok()
        .csv();
    assert_eq!(csv.len(), 1);
    assert_eq!(csv[0]["domain"], domain);
}

#[tokio::test]
async fn me_and_agents_say_who_the_token_is() {
    let server = spawn_server(5).await;
    let me = cspdash_as(&server, FABRIKAM, Role::SalesAgent, &["me", "-o", "json"])
        .await
        .ok()
        .json();
    assert_eq!(me["partnerName"], FABRIKAM);
    assert_eq!(me["role"], "sales-agent");
    let shown = cspdash_as(&server, FABRIKAM, Role::SalesAgent, &["me", "show"])
        .await
        .ok()
        .tsv();
    assert_eq!(shown[0]["role"], "sales-agent");
    let agents = cspdash(&server, &["agents", "list", "-o", "csv"])
        .await
        .ok()
        .csv();
    assert!(
        agents.iter().any(|a| a["role"] == "helpdesk-agent"),
        "{agents:?}"
    );
    assert!(
        agents
            .iter()
            .all(|a| !a["name"].is_empty() && !a["id"].is_empty())
    );
}

#[tokio::test]
async fn exit_codes_tell_a_script_what_went_wrong() {
    let server = spawn_server(5).await;
    // 404 by id.
    let ran = cspdash(
        &server,
        &["customers", "show", "00000000-0000-4000-8000-000000000000"],
    )
    .await;
    assert_eq!(ran.code, 3, "{ran:?}");
    assert_eq!(ran.stderr.lines().count(), 1, "{ran:?}");
    // Not found by domain, reported as JSON with --output json.
    let ran = cspdash(
        &server,
        &["customers", "show", "nobody.example", "-o", "json"],
    )
    .await;
    assert_eq!(ran.code, 3);
    let error = ran.error_json();
    assert_eq!(error["error"]["exitCode"], 3);
    assert_eq!(error["error"]["kind"], "notFound");
    assert!(ran.stdout.is_empty());

    // 401: a token the backend does not know.
    let home = tempfile::tempdir().unwrap();
    let mut command = crate::scripting::command(home.path());
    command
        .args(["me", "--backend", &server.url, "-o", "json"])
        .env("CSPDASH_TOKEN", "not-a-token");
    let ran = crate::scripting::run(command).await;
    assert_eq!(ran.code, 4, "{ran:?}");
    assert_eq!(ran.error_json()["error"]["status"], 401);

    // 2: usage.
    let ran = cspdash(&server, &["customers", "list", "-o", "yaml"]).await;
    assert_eq!(ran.code, 2, "{ran:?}");
    let ran = cspdash(&server, &["customers", "frobnicate"]).await;
    assert_eq!(ran.code, 2, "{ran:?}");
}

#[tokio::test]
async fn an_unreachable_backend_is_exit_6_within_15_seconds() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let home = tempfile::tempdir().unwrap();
    let mut command = crate::scripting::command(home.path());
    command
        .args([
            "customers",
            "list",
            "--backend",
            &format!("http://127.0.0.1:{port}"),
        ])
        .env("CSPDASH_TOKEN", "t");
    let started = Instant::now();
    let ran = crate::scripting::run(command).await;
    assert_eq!(ran.code, 6, "{ran:?}");
    assert!(started.elapsed() < Duration::from_secs(15));
    assert!(ran.stderr.contains(&port.to_string()), "{ran:?}");

    // A backend that accepts the connection and never answers: still reported in time.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let mut command = crate::scripting::command(home.path());
    command
        .args([
            "me",
            "--backend",
            &format!("http://127.0.0.1:{port}"),
            "-o",
            "json",
        ])
        .env("CSPDASH_TOKEN", "t");
    let started = Instant::now();
    let ran = crate::scripting::run(command).await;
    assert_eq!(ran.code, 6, "{ran:?}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(ran.error_json()["error"]["kind"], "unreachable");
    drop(silent);
}

#[tokio::test]
async fn backend_strings_are_sanitised_in_a_table_and_untouched_in_json_and_csv() {
    let server = spawn_server(3).await;
    // Stored text no longer accepts controls; an older or hostile backend could still send them.
    let all = cspdash(&server, &["customers", "list", "-o", "json"])
        .await
        .ok()
        .json();
    let id = all[0]["id"].as_str().unwrap().to_string();
    let hostile = "Evil\u{202E}moc.elgoog\u{1b}[2J\nCorp";
    server
        .sql(&format!(
            "UPDATE customers SET company_name = '{}' WHERE id = '{id}'",
            hostile.replace('\'', "''")
        ))
        .await;
    let table = cspdash(&server, &["customers", "list", "-o", "table"])
        .await
        .ok();
    assert!(
        !table.stdout.contains('\u{202E}') && !table.stdout.contains('\u{1b}'),
        "{}",
        table.stdout
    );
    assert_eq!(
        table.stdout.lines().count(),
        all.as_array().unwrap().len() + 1,
        "{}",
        table.stdout
    );
    let json = cspdash(&server, &["customers", "show", &id, "-o", "json"])
        .await
        .ok()
        .json();
    assert_eq!(json["companyProfile"]["companyName"], hostile);
    let csv = cspdash(&server, &["customers", "show", &id, "-o", "csv"])
        .await
        .ok()
        .csv();
    assert_eq!(csv[0]["companyName"], hostile);
    let tsv = cspdash(&server, &["customers", "show", &id]).await.ok();
    assert_eq!(
        tsv.stdout.lines().count(),
        2,
        "one record, one line: {}",
        tsv.stdout
    );
    assert_eq!(tsv.tsv()[0]["companyName"], hostile);
}

#[tokio::test]
async fn the_connection_options_work_before_or_after_the_verb() {
    let server = spawn_server(5).await;
    let home = tempfile::tempdir().unwrap();
    for args in [
        vec!["--backend", server.url.as_str(), "me", "-o", "json"],
        vec!["me", "--backend", server.url.as_str(), "-o", "json"],
        vec!["me", "show", "-o", "json", "--backend", server.url.as_str()],
    ] {
        let mut command = crate::scripting::command(home.path());
        command
            .args(&args)
            .env("CSPDASH_TOKEN", server.token(CONTOSO, Role::AdminAgent));
        let me = crate::scripting::run(command).await.ok().json();
        assert_eq!(me["role"], "admin-agent", "{args:?}");
    }
}

#[tokio::test]
async fn with_nothing_configured_a_command_runs_on_the_embedded_default() {
    let home = tempfile::tempdir().unwrap();
    let mut command = crate::scripting::command(home.path());
    command.args(["me", "-o", "json"]);
    let me = crate::scripting::run(command).await.ok().json();
    assert_eq!(me["partnerName"], CONTOSO);
    assert_eq!(me["role"], "global-admin");
    // `--public-url` shapes its invitation links, as it does the dashboard's.
    let mut command = crate::scripting::command(home.path());
    command.args([
        "--public-url",
        "https://partner.example.net",
        "invite",
        "link",
    ]);
    let link = crate::scripting::run(command).await.ok();
    assert!(
        link.stdout
            .starts_with("https://partner.example.net/invite/"),
        "{link:?}"
    );
    // The command's token is gone with it: the database keeps none.
    let db = home.path().join("data/cspdash/cspdash.db");
    let mut command = crate::scripting::command(home.path());
    command
        .args(["token", "list", "-o", "json", "--db"])
        .arg(&db);
    let tokens = crate::scripting::run(command).await.ok().json();
    assert_eq!(tokens, serde_json::json!([]), "{tokens}");
}

#[tokio::test]
async fn a_dashboard_flag_before_serve_or_token_is_refused_not_ignored() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        vec!["--backend", "http://127.0.0.1:9", "serve", "--db", "x.db"],
        vec!["--profile", "global", "token", "list", "--db", "x.db"],
    ] {
        let mut command = crate::scripting::command(home.path());
        command.current_dir(home.path()).args(&args);
        let ran = crate::scripting::run(command).await;
        assert_eq!(ran.code, 2, "{args:?}: {ran:?}");
        assert!(ran.stderr.contains("applies to the dashboard"), "{ran:?}");
        assert!(!home.path().join("x.db").exists(), "nothing was started");
    }
}
