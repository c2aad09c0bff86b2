//! The generator's year of meetings and the HTTP load test at a small size, on the backend
//! the suite runs on (SQLite, or PostgreSQL when GRASSROOTS_TEST_DATABASE_URL is set).

#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

use std::collections::BTreeSet;

use grassroots_domain::meetings::MeetingKind;
use grassroots_storage::meetings::{MeetingReader, MeetingWriter, NewMeeting};
use grassroots_storage::testing::{TEST_DATABASE_ENV, fresh_url};
use grassroots_storage::{Actor, Scope, Store};
use sqlx::Row;

mod support;
use support::{count, generate, grassroots};

const MEMBERS: u64 = 2_000;

async fn ids(store: &Store, sql: &str) -> Vec<i64> {
    sqlx::query(sql)
        .fetch_all(store.db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<i64, _>("id").unwrap())
        .collect()
}

async fn member_rows(store: &Store) -> Vec<(i64, String, String, String)> {
    sqlx::query("SELECT id, full_name, citizen_id, org_path FROM members ORDER BY id")
        .fetch_all(store.db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.try_get("id").unwrap(),
                r.try_get("full_name").unwrap(),
                r.try_get("citizen_id").unwrap(),
                r.try_get("org_path").unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_year_of_meetings_follows_the_participation_rule() {
    let (url, _dir) = fresh_url().await.unwrap();
    let stdout = generate(&url, MEMBERS, 3, &["--json"]);
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let store = Store::open(&url).await.unwrap();
    let meetings = count(&store, "SELECT COUNT(*) AS n FROM meetings").await;
    let attendance = count(&store, "SELECT COUNT(*) AS n FROM meeting_attendance").await;
    assert_eq!(summary["meetings"], meetings);
    assert_eq!(summary["attendance"], attendance);
    let cells = count(
        &store,
        "SELECT COUNT(*) AS n FROM orgs WHERE kind IN ('cell', 'grassroots_cell')",
    )
    .await;
    // Twelve regular and four thematic meetings a year, fewer only for cells founded late.
    assert!(
        meetings > cells * 12 && meetings <= cells * 16,
        "{meetings} for {cells} cells"
    );
    assert!(attendance > MEMBERS as i64 * 10, "{attendance}");
    assert!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM meetings WHERE status = 'cancelled'"
        )
        .await
            > 0
    );
    assert!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM meetings WHERE kind = 'thematic'"
        )
        .await
            > 0
    );
    // Held meetings have their list recorded; cancelled ones have no attendance.
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM meetings WHERE status = 'held' AND attendance_recorded_at IS NULL"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id \
             WHERE m.status <> 'held'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM meeting_attendance a WHERE NOT EXISTS \
             (SELECT 1 FROM meetings m WHERE m.id = a.meeting_id) \
             OR NOT EXISTS (SELECT 1 FROM members p WHERE p.id = a.member_id)"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM meeting_attendance WHERE status = 'absent_excused' AND reason IS NULL"
        )
        .await,
        0
    );
    // For held meetings spread over the data set, the attendance list is exactly who the
    // registry expects that day (members, and guests on temporary transfer).
    let held = ids(
        &store,
        "SELECT id FROM meetings WHERE status = 'held' ORDER BY id",
    )
    .await;
    let scope = Scope::all();
    let step = (held.len() / 60).max(1);
    for id in held.iter().step_by(step) {
        let expected: BTreeSet<(i64, String)> = store
            .participants(&scope, *id)
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.member_id, p.role.as_str().to_owned()))
            .collect();
        let sql = store
            .db
            .sql("SELECT member_id, role FROM meeting_attendance WHERE meeting_id = ?");
        let listed: BTreeSet<(i64, String)> = sqlx::query(&sql)
            .bind(*id)
            .fetch_all(store.db.read())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.try_get("member_id").unwrap(), r.try_get("role").unwrap()))
            .collect();
        assert_eq!(listed, expected, "meeting {id}");
    }
    // Members on temporary transfer attend their host's meetings as guests.
    assert!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM meeting_attendance WHERE role = 'guest'"
        )
        .await
            > 0
    );
    // New meetings continue after the generated ids (PostgreSQL's identity sequences too).
    let cell = ids(
        &store,
        "SELECT id FROM orgs WHERE kind = 'cell' ORDER BY id LIMIT 1",
    )
    .await[0];
    let max_id = count(&store, "SELECT MAX(id) AS n FROM meetings").await;
    let created = store
        .create_meeting(
            &Actor::new("test"),
            &scope,
            NewMeeting {
                org_id: cell,
                kind: MeetingKind::Extraordinary,
                date: chrono::Local::now().date_naive(),
                agenda: None,
                topic: None,
            },
        )
        .await
        .unwrap();
    assert!(created.id > max_id);

    // Without meetings the members are the same.
    let (url2, _dir2) = fresh_url().await.unwrap();
    generate(&url2, MEMBERS, 3, &["--no-meetings"]);
    let store2 = Store::open(&url2).await.unwrap();
    assert_eq!(member_rows(&store).await, member_rows(&store2).await);
    assert_eq!(
        count(&store2, "SELECT COUNT(*) AS n FROM meetings").await,
        0
    );
}

#[tokio::test]
async fn http_load_writes_every_successful_check_in() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("http.json");
    let work = dir.path().join("data");
    let mut args = vec![
        "bench".to_owned(),
        "http".into(),
        "--members".into(),
        MEMBERS.to_string(),
        "--members-checking-in".into(),
        "60".into(),
        "--meetings-per-cell".into(),
        "3".into(),
        "--list-requests".into(),
        "200".into(),
        "--clients".into(),
        "8".into(),
        "--out".into(),
        out.display().to_string(),
        "--work-dir".into(),
        work.display().to_string(),
    ];
    let backend = match std::env::var(TEST_DATABASE_ENV) {
        Ok(admin) if !admin.is_empty() => {
            args.extend(["--postgres".into(), admin]);
            "postgres"
        }
        _ => "sqlite",
    };
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, stdout, stderr) = grassroots(&refs);
    assert!(ok, "bench http failed: {stderr}\n{stdout}");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(r["backend"], backend);
    assert_eq!(r["list"]["requests"], 200);
    assert_eq!(r["list"]["ok"], 200, "{}", r["list"]["first_error"]);
    let check_ins = &r["check_in"];
    assert_eq!(check_ins["requests"], 180);
    assert_eq!(check_ins["errors"], 0, "{}", check_ins["first_error"]);
    assert_eq!(check_ins["ok"], 180);
    // Every successful check-in is one attendance row and one audit entry: no lost write.
    assert_eq!(r["attendance_rows"], check_ins["ok"]);
    assert_eq!(r["audit_rows"], check_ins["ok"]);
    assert!(r["server_peak_kib"].as_u64().unwrap() > 0);
    assert!(check_ins["p99_ms"].as_f64().unwrap() >= check_ins["p50_ms"].as_f64().unwrap());
    // The data set is removed after the run.
    assert!(
        std::fs::read_dir(&work)
            .map(|d| d.count() == 0)
            .unwrap_or(true)
    );
}

#[tokio::test]
async fn the_year_of_dues_pays_what_the_ledger_asks() {
    use grassroots_domain::lifecycle::dues::YearMonth;
    let (url, _dir) = fresh_url().await.unwrap();
    let stdout = generate(&url, MEMBERS, 5, &["--json"]);
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let store = Store::open(&url).await.unwrap();
    let incomes = count(&store, "SELECT COUNT(*) AS n FROM dues_incomes").await;
    assert!(incomes > MEMBERS as i64 * 9 / 10, "{incomes}");
    let audit = count(
        &store,
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'demo.generate'",
    )
    .await;
    assert_eq!(audit, 1);
    let payments = count(&store, "SELECT COUNT(*) AS n FROM dues_payments").await;
    assert_eq!(summary["dues_payments"], payments);
    assert!(payments > incomes * 10, "{payments} for {incomes} incomes");
    // A payment is recorded by a cell, under that cell's path.
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM dues_payments p JOIN orgs o ON o.id = p.org_id \
             WHERE o.path <> p.org_path OR o.kind NOT IN ('cell', 'grassroots_cell')"
        )
        .await,
        0
    );
    // Every member with an income: each month paid is paid exactly what the ledger asks;
    // the months left unpaid are the last ones of the year, for a few members only.
    let (first, last) = (
        YearMonth::new("t", "m", 2025, 7).unwrap(),
        YearMonth::new("t", "m", 2026, 6).unwrap(),
    );
    let members = ids(&store, "SELECT member_id AS id FROM dues_incomes").await;
    let mut in_arrears = 0;
    for id in &members {
        let lines = store
            .member_dues(&Scope::all(), *id, first, last)
            .await
            .unwrap();
        assert!(!lines.is_empty(), "member {id} has active months");
        for line in &lines {
            assert!(
                line.dues.is_some(),
                "member {id}: income known in {}",
                line.month
            );
            assert!(
                line.paid_vnd == 0 || line.paid_vnd == line.due_vnd(),
                "member {id} in {}: paid {} of {}",
                line.month,
                line.paid_vnd,
                line.due_vnd()
            );
        }
        let unpaid: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.owed_vnd() > 0)
            .map(|(i, _)| i)
            .collect();
        if let Some(first_unpaid) = unpaid.first() {
            in_arrears += 1;
            assert_eq!(
                unpaid.len(),
                lines.len() - first_unpaid,
                "member {id}: a suffix"
            );
        }
    }
    let share = in_arrears as f64 / members.len() as f64;
    assert!(
        (0.01..0.08).contains(&share),
        "{in_arrears} of {}",
        members.len()
    );

    // Without the year of activity, no dues either.
    let (url2, _dir2) = fresh_url().await.unwrap();
    generate(&url2, 500, 5, &["--no-meetings"]);
    let store2 = Store::open(&url2).await.unwrap();
    assert_eq!(
        count(&store2, "SELECT COUNT(*) AS n FROM dues_payments").await,
        0
    );
}

/// The text of a `SELECT … AS v` query.
async fn text_of(store: &Store, sql: &str) -> String {
    sqlx::query(sql)
        .fetch_one(store.db.read())
        .await
        .unwrap()
        .try_get("v")
        .unwrap()
}

#[tokio::test]
async fn the_data_set_describes_the_day_it_is_generated_for() {
    let (url, _dir) = fresh_url().await.unwrap();
    let generate_as_of = |day: &str| {
        grassroots(&[
            "--database-url",
            &url,
            "demo",
            "generate",
            "--members",
            "400",
            "--as-of",
            day,
        ])
    };
    // A day before the history the data set holds, or no day at all, is refused.
    let (ok, _, stderr) = generate_as_of("2025-06-30");
    assert!(!ok);
    assert!(
        stderr.contains("--as-of 2025-06-30 is before 2026-01-01"),
        "{stderr}"
    );
    let (ok, _, stderr) = generate_as_of("31/11/2026");
    assert!(!ok);
    assert!(
        stderr.contains("as_of") && stderr.contains("31/11/2026"),
        "{stderr}"
    );

    let (ok, _, stderr) = generate_as_of("2026-11-25");
    assert!(ok, "{stderr}");
    let store = Store::open(&url).await.unwrap();
    // The year of meetings ends with the day's month, and nothing is after the day.
    assert_eq!(
        text_of(&store, "SELECT MAX(held_on) AS v FROM meetings").await[..7],
        *"2026-11"
    );
    assert!(
        text_of(&store, "SELECT MAX(held_on) AS v FROM meetings")
            .await
            .as_str()
            <= "2026-11-25"
    );
    assert!(
        text_of(&store, "SELECT MIN(held_on) AS v FROM meetings")
            .await
            .as_str()
            >= "2025-12-01"
    );
    // The twelve months of dues end with it.
    assert_eq!(
        text_of(&store, "SELECT MAX(month) AS v FROM dues_payments").await,
        "2026-11"
    );
    assert_eq!(
        text_of(&store, "SELECT MIN(month) AS v FROM dues_payments").await,
        "2025-12"
    );
    for sql in [
        "SELECT MAX(admitted_on) AS v FROM members",
        "SELECT MAX(valid_from) AS v FROM member_statuses",
        "SELECT MAX(valid_from) AS v FROM memberships",
    ] {
        let latest = text_of(&store, sql).await;
        assert!(latest.as_str() <= "2026-11-25", "{sql}: {latest}");
    }
}
