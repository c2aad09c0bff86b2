//! Helpers shared by the CLI integration tests that run the `grassroots` binary on a
//! generated nation. Each test file uses a part of them, hence `dead_code` is allowed here.
#![allow(dead_code, clippy::unwrap_used)]

use std::process::Command;

use grassroots_storage::Store;
use sqlx::Row;

/// Runs the binary with `args`: (success, stdout, stderr).
pub fn grassroots(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_grassroots"))
        .args(args)
        .env("GRASSROOTS_LOG", "warn")
        .output()
        .expect("run grassroots");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `grassroots demo generate --members N --seed S [extra…]` into `url`, which must succeed;
/// returns its standard output (the summary when `extra` holds `--json`).
/// The day the tests' generated data sets describe.
pub const TEST_AS_OF: &str = "2026-06-30";

pub fn generate(url: &str, members: u64, seed: u64, extra: &[&str]) -> String {
    let (members, seed) = (members.to_string(), seed.to_string());
    let mut args = vec![
        "--database-url",
        url,
        "demo",
        "generate",
        "--members",
        &members,
        "--seed",
        &seed,
        // The tests' data sets describe one day, whatever day they run on.
        "--as-of",
        TEST_AS_OF,
    ];
    args.extend_from_slice(extra);
    let (ok, stdout, stderr) = grassroots(&args);
    assert!(ok, "generate failed: {stderr}");
    stdout
}

/// The value of a `SELECT … AS n` query.
pub async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(store.db.read())
        .await
        .unwrap()
        .try_get::<i64, _>("n")
        .unwrap()
}
