//! `grassroots user add` through the real binary, on a fresh database.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Stdio};

use grassroots_storage::accounts::AccountReader;
use grassroots_storage::testing::fresh_store;

fn user_add(url: &str, args: &[&str], password: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_grassroots"))
        .env("GRASSROOTS_CONFIG", "/dev/null")
        .args(["--database-url", url, "user", "add"])
        .args(args)
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn creates_the_first_administrator_and_refuses_bad_input() {
    let db = fresh_store().await;
    let ok = user_add(
        &db.url,
        &["admin", "--role", "administrator"],
        "a good long password",
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let (user, hash) = db.store.user_for_sign_in("admin").await.unwrap();
    assert!(hash.starts_with("$argon2id$"));
    let roles = db.store.assignments(user.id).await.unwrap();
    assert_eq!(roles.len(), 1);
    assert!(roles[0].scope().is_all());

    let short = user_add(&db.url, &["short", "--role", "administrator"], "short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("password"));
    let no_org = user_add(
        &db.url,
        &["office", "--role", "committee_office"],
        "a good long password",
    );
    assert!(String::from_utf8_lossy(&no_org.stderr).contains("--org"));
    let bad_role = user_add(&db.url, &["x.y", "--role", "king"], "a good long password");
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("king"));
    let unknown_org = user_add(
        &db.url,
        &["office", "--role", "committee_office", "--org", "NOPE"],
        "a good long password",
    );
    assert!(String::from_utf8_lossy(&unknown_org.stderr).contains("NOPE"));
    // Nothing half-made: the refused users do not exist.
    for name in ["short", "office", "x.y"] {
        assert!(db.store.user_for_sign_in(name).await.is_err(), "{name}");
    }
}
