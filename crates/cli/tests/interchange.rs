#![allow(clippy::unwrap_used)] // Tests fail loudly by design.
//! The real binary: `grassroots demo`, then `grassroots export | grassroots import -` into an
//! empty database reproduces every record; a bad table row is named and nothing written.
//! Runs on SQLite, and on PostgreSQL when GRASSROOTS_TEST_DATABASE_URL is set.

use std::process::{Command, Output, Stdio};

use grassroots_storage::testing::fresh_url;

fn grassroots(url: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_grassroots"));
    cmd.arg("--database-url").arg(url).args(args);
    // Neither a configuration file nor the environment of the test run may choose the database.
    cmd.env_remove("GRASSROOTS_DATABASE_URL")
        .env("GRASSROOTS_CONFIG", "/dev/null");
    cmd
}

fn ok(output: Output) -> Output {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[tokio::test]
async fn export_piped_into_import_reproduces_every_record() {
    let (source, _dir_a) = fresh_url().await.unwrap();
    let (target, _dir_b) = fresh_url().await.unwrap();
    let loaded = ok(grassroots(&source, &["demo"]).output().unwrap());
    let said = String::from_utf8_lossy(&loaded.stderr);
    assert!(said.contains("loaded the La Gi demo"), "{said}");

    let mut export = grassroots(&source, &["export"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let import = grassroots(&target, &["import", "-"])
        .stdin(Stdio::from(export.stdout.take().unwrap()))
        .output()
        .unwrap();
    assert!(export.wait().unwrap().success());
    let import = ok(import);
    assert!(String::from_utf8_lossy(&import.stderr).contains("imported"));

    let first = ok(grassroots(&source, &["export"]).output().unwrap()).stdout;
    let second = ok(grassroots(&target, &["export"]).output().unwrap()).stdout;
    assert!(first.len() > 1_000_000, "{} bytes", first.len());
    assert!(first == second, "the exports differ");

    // Importing again into the now full database is refused and changes nothing.
    let mut again = grassroots(&target, &["import", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        // The importer refuses before reading, so the pipe may break: that is the point.
        let _ = again.stdin.take().unwrap().write_all(&first);
    }
    let again = again.wait_with_output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[tokio::test]
async fn a_bad_row_of_a_table_is_named_and_nothing_is_written() {
    let (url, _dir) = fresh_url().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let orgs = dir.path().join("orgs.csv");
    std::fs::write(
        &orgs,
        "Mã,Tên,Loại,Mã cấp trên,Ngày thành lập\nBT,Đảng bộ tỉnh,Tỉnh ủy,,01/04/1992\nLG,Đảng bộ thị xã,Thị ủy,BT,05/09/2005\n\
         LG.CB01,Chi bộ Văn phòng,Chi bộ cơ sở,LG,32/10/2006\n",
    )
    .unwrap();
    let out = grassroots(&url, &["import", orgs.to_str().unwrap(), "--kind", "orgs"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 4 (organization LG.CB01): field \"founded_on\""),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    let exported = ok(grassroots(&url, &["export"]).output().unwrap()).stdout;
    assert_eq!(
        String::from_utf8(exported).unwrap().lines().count(),
        1,
        "only the header"
    );
    // A table needs its kind.
    let out = grassroots(&url, &["import", orgs.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("--kind"));
}
