//! `cspdash token list|revoke` through the real binary, on both stores: who holds each token and
//! when it was last used (never the token, never its hash), revoking an agent's tokens or one
//! token, and the refusals a script branches on. And the store's side: use recorded at most once
//! a minute, an id two tokens share refused.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use cspdash::api::Role;
use cspdash::server::auth::token_hash;
use serde_json::Value;

use crate::helpers::*;
use crate::scripting::{Ran, command, run};
use crate::served::db_arg;

/// `cspdash token ARGS --db <the server's database>`.
async fn token(server: &TestServer, args: &[&str]) -> Ran {
    let home = tempfile::tempdir().unwrap();
    let mut command = command(home.path());
    command
        .arg("token")
        .args(args)
        .arg("--db")
        .arg(db_arg(&server.db));
    let ran = run(command).await;
    drop(home);
    ran
}

/// The id `token list` gives the token: the start of its hash.
fn id_of(token: &str) -> String {
    token_hash(token)[..cspdash::server::store::TOKEN_ID_LEN].to_string()
}

/// The entry for `token` in a JSON list.
fn entry<'a>(list: &'a [Value], token: &str) -> &'a Value {
    let id = id_of(token);
    list.iter()
        .find(|t| t["id"] == id.as_str())
        .unwrap_or_else(|| panic!("no token {id} in {list:?}"))
}

async fn me_status(server: &TestServer, token: &str) -> u16 {
    server
        .http
        .get(format!("{}/v1/me", server.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Waits for a revoked token to be refused: at once unless a server checked it in the last few
/// seconds (its auth cache), within 15 s whatever.
async fn refused_soon(server: &TestServer, token: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while me_status(server, token).await != 401 {
        assert!(
            std::time::Instant::now() < deadline,
            "a revoked token still works"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// A new token for the agent `name` (made if missing) of `partner`, with `token create`.
async fn named_token(server: &TestServer, partner: &str, name: &str) -> String {
    let ran = token(
        server,
        &[
            "create",
            "--role",
            "sales-agent",
            "--partner",
            partner,
            "--name",
            name,
        ],
    )
    .await
    .ok();
    ran.stdout.trim().to_string()
}

contract! {
    async fn token_list_names_each_tokens_holder_and_never_shows_a_token() {
        let server = spawn_server(2).await;
        let json = token(&server, &["list", "-o", "json"]).await.ok();
        let list = json.json().as_array().unwrap().clone();
        assert_eq!(list.len(), 8, "two partners, four roles: {list:?}");
        for ((partner, role), secret) in &server.tokens {
            let t = entry(&list, secret);
            assert_eq!(t["partner"], *partner);
            assert_eq!(t["role"], role.as_str());
            assert!(t["agent"].as_str().is_some_and(|a| !a.is_empty()), "{t}");
            assert!(t["createdAt"].as_str().unwrap().ends_with('Z'), "{t}");
            assert_eq!(t["expiresAt"], Value::Null, "token create's never expire");
            assert_eq!(t["lastUsedAt"], Value::Null, "not used yet");
            // Neither the token nor its hash is anywhere in any format.
            for format in ["json", "csv", "tsv", "jsonl", "table"] {
                let out = token(&server, &["list", "-o", format]).await.ok().stdout;
                assert!(!out.contains(secret.as_str()), "{format}: the token is shown");
                assert!(!out.contains(&token_hash(secret)), "{format}: the hash is shown");
            }
        }

        // One use is recorded, and only for the token used.
        let used = server.token(CONTOSO, Role::SalesAgent).to_string();
        assert_eq!(me_status(&server, &used).await, 200);
        let list = token(&server, &["list", "-o", "jsonl"]).await.ok().jsonl();
        let at = entry(&list, &used)["lastUsedAt"].as_str().unwrap().to_string();
        let at = chrono::DateTime::parse_from_rfc3339(&at).unwrap();
        let age = chrono::Utc::now().signed_duration_since(at).num_seconds();
        assert!((-5..=60).contains(&age), "last used {age} s ago");
        let unused = list.iter().filter(|t| t["lastUsedAt"].is_null()).count();
        assert_eq!(unused, 7);

        // CSV and TSV carry the same tokens under the documented headers.
        let csv = token(&server, &["list", "-o", "csv"]).await.ok().csv();
        let tsv = token(&server, &["list"]).await.ok().tsv();
        for rows in [&csv, &tsv] {
            let ids: BTreeSet<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
            let want: BTreeSet<String> = server.tokens.values().map(|t| id_of(t)).collect();
            assert_eq!(ids, want.iter().map(String::as_str).collect());
            let row = rows.iter().find(|r| r["id"] == id_of(&used)).unwrap();
            assert_eq!(row["role"], "sales-agent");
            assert_eq!(row["partner"], CONTOSO);
            assert!(!row["lastUsedAt"].is_empty() && row["expiresAt"].is_empty(), "{row:?}");
        }

        let fabrikam = token(&server, &["list", "--partner", "fabrikam partner", "-o", "json"])
            .await
            .ok()
            .json();
        let fabrikam = fabrikam.as_array().unwrap();
        assert_eq!(fabrikam.len(), 4);
        assert!(fabrikam.iter().all(|t| t["partner"] == FABRIKAM));
    }

    async fn token_revoke_takes_an_agents_tokens_or_one_and_refuses_what_is_unclear() {
        let server = spawn_server(2).await;
        let first = named_token(&server, CONTOSO, "Ops bot").await;
        let second = named_token(&server, CONTOSO, "Ops bot").await;
        let theirs = named_token(&server, FABRIKAM, "Ops bot").await;

        // Two partners have an "Ops bot": refused, both named, nothing revoked.
        let unclear = token(&server, &["revoke", "Ops bot"]).await;
        assert_eq!(unclear.code, 2, "{unclear:?}");
        assert!(
            unclear.stderr.contains(CONTOSO) && unclear.stderr.contains(FABRIKAM),
            "{}",
            unclear.stderr
        );
        assert!(unclear.stderr.contains("--partner"), "{}", unclear.stderr);
        let unclear = token(&server, &["revoke", "Ops bot", "-o", "json"]).await;
        assert_eq!(unclear.code, 2);
        assert_eq!(unclear.error_json()["error"]["kind"], "usage");
        for t in [&first, &second, &theirs] {
            assert_eq!(me_status(&server, t).await, 200);
        }

        // With the partner: that agent's tokens, all of them, and no other.
        let revoked = token(
            &server,
            &["revoke", "Ops bot", "--partner", CONTOSO, "-o", "json"],
        )
        .await
        .ok();
        assert!(revoked.stderr.contains("revoked 2 tokens"), "{}", revoked.stderr);
        let gone = revoked.json();
        let gone = gone.as_array().unwrap();
        let ids: BTreeSet<&str> = gone.iter().map(|t| t["id"].as_str().unwrap()).collect();
        assert_eq!(ids, BTreeSet::from([id_of(&first).as_str(), id_of(&second).as_str()]));
        assert!(gone.iter().all(|t| t["agent"] == "Ops bot" && t["partner"] == CONTOSO));
        // Used above, so the server has it cached for a few seconds: refused once that passes.
        refused_soon(&server, &first).await;
        let list = token(&server, &["list", "-o", "json"]).await.ok().json();
        let list = list.as_array().unwrap().clone();
        assert_eq!(list.len(), 9, "8 + the Fabrikam Ops bot's");
        entry(&list, &theirs);

        // By id: that one token.
        let helpdesk = server.token(CONTOSO, Role::HelpdeskAgent).to_string();
        let one = token(&server, &["revoke", &id_of(&helpdesk), "-o", "csv"])
            .await
            .ok();
        let rows = one.csv();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["id"], id_of(&helpdesk));
        assert_eq!(rows[0]["role"], "helpdesk-agent");
        // Never used, so not cached: refused at once.
        assert_eq!(me_status(&server, &helpdesk).await, 401, "revoked");
        assert_eq!(me_status(&server, server.token(CONTOSO, Role::SalesAgent)).await, 200);
        assert_eq!(
            token(&server, &["revoke", &id_of(&helpdesk).to_uppercase()]).await.code,
            3,
            "already gone"
        );

        // By the agent's id; and an agent with no tokens left revokes none, not an error.
        let agent_id = entry(&list, &theirs)["agentId"].as_str().unwrap().to_string();
        let by_id = token(&server, &["revoke", &agent_id]).await.ok();
        assert!(by_id.stderr.contains("revoked 1 token of Ops bot"), "{}", by_id.stderr);
        assert_eq!(by_id.tsv().len(), 1);
        refused_soon(&server, &theirs).await;
        let again = token(&server, &["revoke", &agent_id, "-o", "json"]).await.ok();
        assert_eq!(again.json(), serde_json::json!([]));
        assert!(again.stderr.contains("revoked 0 tokens"), "{}", again.stderr);

        // Nothing by that name or id: not found, as JSON with -o json.
        let none = token(&server, &["revoke", "nobody@example.invalid", "-o", "json"]).await;
        assert_eq!(none.code, 3, "{none:?}");
        assert_eq!(none.error_json()["error"]["kind"], "notFound");
        let wrong_partner = token(&server, &["revoke", &agent_id, "--partner", CONTOSO]).await;
        assert_eq!(wrong_partner.code, 3, "{wrong_partner:?}");
    }

    async fn a_tokens_use_is_recorded_at_most_once_a_minute() {
        let server = spawn_server(1).await;
        let hash = token_hash(server.token(CONTOSO, Role::AdminAgent));
        let last_used = async |server: &TestServer| {
            server
                .scalar_i64(&format!(
                    "SELECT coalesce(last_used_at, -1) FROM tokens WHERE hash = '{hash}'"
                ))
                .await
        };
        let use_it = async |server: &TestServer| {
            let hash = hash.clone();
            let store = server.store();
            tokio::task::spawn_blocking(move || store.principal_for_token(&hash).unwrap())
                .await
                .unwrap()
                .is_some()
        };
        assert_eq!(last_used(&server).await, -1, "never used");
        assert!(use_it(&server).await);
        let now = chrono::Utc::now().timestamp();
        let first = last_used(&server).await;
        assert!((now - 5..=now).contains(&first), "{first} vs {now}");

        // Recorded 30 s ago: another use writes nothing.
        let aged = format!("UPDATE tokens SET last_used_at = last_used_at - 30 WHERE hash = '{hash}'");
        server.sql(&aged).await;
        assert!(use_it(&server).await);
        assert!(use_it(&server).await);
        assert_eq!(last_used(&server).await, first - 30);
        // A minute ago: recorded again.
        server.sql(&aged.replace("- 30", "- 31")).await;
        assert!(use_it(&server).await);
        let later = last_used(&server).await;
        assert!(later >= first, "{later} vs {first}");
        let listed = server.store().tokens().unwrap();
        let listed = listed.iter().find(|t| hash.starts_with(&t.id)).unwrap();
        assert!(listed.last_used_at.is_some());
        assert_eq!(listed.expires_at, None);
    }

    async fn two_tokens_with_one_id_are_refused_not_guessed_at() {
        let server = spawn_server(1).await;
        let store = server.store();
        tokio::task::spawn_blocking(move || {
            for hash in ["abcdefabcdef01", "abcdefabcdef02"] {
                store.create_token(hash, Some(CONTOSO), Role::SalesAgent, None).unwrap();
            }
            assert!(store.revoke_token_id("abcdefabcdef").is_err());
            let left = store.tokens().unwrap();
            assert_eq!(left.iter().filter(|t| t.id == "abcdefabcdef").count(), 2);
            assert_eq!(store.revoke_token_id("abcdefabcde0").unwrap(), None);
            assert_eq!(store.revoke_token_id("abcdefabcdea").unwrap(), None);
            assert!(store.revoke_token("abcdefabcdef02").unwrap());
            let gone = store.revoke_token_id("abcdefabcdef").unwrap().unwrap();
            assert_eq!((gone.partner.as_str(), gone.role), (CONTOSO, Role::SalesAgent));
            assert_eq!(store.tokens().unwrap().len(), 8);
        })
        .await
        .unwrap();
    }
}
