#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! Warming: the running year's reports computed ahead of the first reader, deepest first,
//! leave kept figures for the day that equal the records; dissolved organizations are
//! skipped, and a failure is counted while the others go on.

use chrono::Datelike;
use grassroots_domain::date::Date;
use grassroots_domain::meetings::{Absence, MeetingKind};
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::org::OrgKind;
use grassroots_reports::warm::{chain, to_warm, warm};
use grassroots_reports::{Period, build, build_from_records};
use grassroots_storage::meetings::{MeetingWriter, NewMeeting};
use grassroots_storage::members::{MemberWriter, NewMember};
use grassroots_storage::orgs::{NewOrg, Org, OrgWriter};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Actor, Backend, Scope, Store};
use sqlx::Row;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn today() -> Date {
    chrono::Local::now().date_naive()
}

async fn org(store: &Store, code: &str, kind: OrgKind, parent: Option<&Org>) -> Org {
    let new = NewOrg {
        code: code.into(),
        name: format!("Tổ chức {code}"),
        kind,
        parent_id: parent.map(|p| p.id),
        founded_on: d("2010-01-01"),
        decision: None,
    };
    store
        .create_org(&Actor::new("t"), &Scope::all(), new)
        .await
        .unwrap()
}

async fn member(store: &Store, name: &str, cell: &Org) -> i64 {
    let new = NewMember {
        identity: MemberIdentity {
            full_name: name.into(),
            birth_date: d("1985-04-12"),
            gender: Gender::Male,
            ethnicity: "Kinh".into(),
            citizen_id: None,
            party_card_no: None,
            admitted_on: Some(d("2015-03-01")),
            official_on: Some(d("2016-03-01")),
        },
        org_id: cell.id,
        status: MemberStatus::Official,
        status_since: d("2016-03-01"),
        joined_on: d("2015-03-01"),
    };
    store
        .create_member(&Actor::new("t"), &Scope::all(), new)
        .await
        .unwrap()
        .id
}

/// A meeting of `cell` on `day` whose list has `absent` away without a reason.
async fn meeting(store: &Store, cell: &Org, day: Date, absent: i64) {
    let m = store
        .create_meeting(
            &Actor::new("t"),
            &Scope::all(),
            NewMeeting {
                org_id: cell.id,
                kind: MeetingKind::Regular,
                date: day,
                agenda: None,
                topic: None,
            },
        )
        .await
        .unwrap();
    store
        .record_attendance(
            &Actor::new("t"),
            &Scope::all(),
            m.id,
            &[Absence {
                member_id: absent,
                reason: None,
            }],
        )
        .await
        .unwrap();
}

/// The organizations of a small nation.
struct Nation {
    centre: Org,
    north: Org,
    south: Org,
    dissolved: Org,
    commune: Org,
}

/// A nation (depth 1) with two provinces (depth 2) holding meetings this year, a commune
/// (depth 3) with two cells below the northern one, and a third province dissolved today.
async fn nation(store: &Store) -> Nation {
    let centre = org(store, "TW", OrgKind::Central, None).await;
    let north = org(store, "PN", OrgKind::Provincial, Some(&centre)).await;
    let south = org(store, "PS", OrgKind::Provincial, Some(&centre)).await;
    let dissolved = org(store, "PX", OrgKind::Provincial, Some(&centre)).await;
    let commune = org(store, "PN.1", OrgKind::Commune, Some(&north)).await;
    let gc = org(
        store,
        "PN.1.1",
        OrgKind::GrassrootsCommittee,
        Some(&commune),
    )
    .await;
    let c1 = org(store, "PN.1.1.1", OrgKind::Cell, Some(&gc)).await;
    let c2 = org(store, "PN.1.1.2", OrgKind::Cell, Some(&gc)).await;
    let s1 = org(store, "PS.1", OrgKind::GrassrootsCell, Some(&south)).await;
    let a = member(store, "Nguyễn Văn An", &c1).await;
    member(store, "Trần Thị Bình", &c1).await;
    let c = member(store, "Lê Văn Cường", &c2).await;
    let s = member(store, "Phạm Thị Sương", &s1).await;
    member(store, "Hồ Văn Sơn", &s1).await;
    let jan1 = Date::from_ymd_opt(today().year(), 1, 1).unwrap();
    meeting(store, &c1, jan1, a).await;
    meeting(store, &c2, today(), c).await;
    meeting(store, &s1, jan1, s).await;
    store
        .dissolve_org(&Actor::new("t"), &Scope::all(), dissolved.id, today(), None)
        .await
        .unwrap();
    Nation {
        centre,
        north,
        south,
        dissolved,
        commune,
    }
}

/// Organizations with a row in `table` for `period` (and `open_on`, when given).
async fn kept_for(store: &Store, table: &str, period: Period, open_on: Option<Date>) -> Vec<i64> {
    let open = if open_on.is_some() {
        "open_on = ?"
    } else {
        "open_on IS NULL"
    };
    let sql = store
        .db
        .sql(&format!(
            "SELECT org_id FROM {table} WHERE period_from = ? AND period_to = ? AND {open} ORDER BY org_id"
        ))
        .into_owned();
    let mut q = sqlx::query(&sql)
        .bind(period.from.to_string())
        .bind(period.to.to_string());
    if let Some(day) = open_on {
        q = q.bind(day.to_string());
    }
    q.fetch_all(store.db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<i64, _>("org_id").unwrap())
        .collect()
}

#[tokio::test]
async fn warming_keeps_the_running_year_of_every_organization_in_force() {
    let store = fresh_store().await;
    let n = nation(&store).await;
    let today = today();
    let running = Period::running_year(today);

    // Deepest first, the dissolved province left out; depth 0 covers nothing.
    let codes = |orgs: Vec<Org>| orgs.into_iter().map(|o| o.code).collect::<Vec<_>>();
    assert_eq!(
        codes(to_warm(&store, 2, today).await.unwrap()),
        ["PN", "PS", "TW"]
    );
    assert_eq!(
        codes(to_warm(&store, 3, today).await.unwrap()),
        ["PN.1", "PS.1", "PN", "PS", "TW"]
    );
    assert!(to_warm(&store, 0, today).await.unwrap().is_empty());

    let mut done = Vec::new();
    let summary = warm(&store, 2, today, |w| {
        assert!(w.error.is_none(), "{}: {:?}", w.org.code, w.error);
        done.push(w.org.code.clone());
    })
    .await
    .unwrap();
    assert_eq!(done, ["PN", "PS", "TW"]);
    assert_eq!(summary.period, running);
    assert_eq!(summary.warmed, 3);
    assert!(summary.failed.is_empty());

    // (a) Kept for today: every warmed organization's meeting parts (the provinces'
    // gathering kept their subtrees' parts too), and the snapshots of the running year and
    // of its previous period; no report of the dissolved province (its meeting parts may be
    // kept by the nation's gathering: it was in force in January).
    let warmed = [n.centre.id, n.north.id, n.south.id];
    let parts = kept_for(&store, "meeting_parts", running, Some(today)).await;
    for id in warmed.iter().chain([&n.commune.id]) {
        assert!(parts.contains(id), "meeting parts of {id} in {parts:?}");
    }
    let mut snapshots = kept_for(&store, "report_snapshots", running, Some(today)).await;
    snapshots.sort_unstable();
    let mut expected = warmed.to_vec();
    expected.sort_unstable();
    assert_eq!(snapshots, expected, "running-year snapshots");
    assert!(!snapshots.contains(&n.dissolved.id), "no report of PX");
    let previous = running.previous();
    let mut previous_snapshots = kept_for(&store, "report_snapshots", previous, None).await;
    previous_snapshots.sort_unstable();
    assert_eq!(previous_snapshots, expected, "previous-period snapshots");
    let previous_parts = kept_for(&store, "meeting_parts", previous, None).await;
    for id in warmed {
        assert!(previous_parts.contains(&id), "previous parts of {id}");
    }

    // (b) A report read afterwards is the records' report.
    for o in [&n.centre, &n.north, &n.south] {
        let kept = build(&store, &Scope::all(), o.id, running).await.unwrap();
        let records = build_from_records(&store, &Scope::all(), o.id, running)
            .await
            .unwrap();
        assert_eq!(kept.lines, records.lines, "{}", o.code);
        assert_eq!(kept.years, records.years, "{}", o.code);
        let absent = kept
            .get("meetings.attendance.absent_unexcused")
            .unwrap()
            .value;
        assert!(
            absent.as_f64() >= 1.0,
            "{}: the absences are counted",
            o.code
        );
    }

    // Warming again the same day reads what is kept and counts the same.
    let again = warm(&store, 2, today, |_| {}).await.unwrap();
    assert_eq!((again.warmed, again.failed.len()), (3, 0));
}

/// A report that cannot be built (here: the database refuses the northern province's
/// snapshot) is counted and named in the summary; the other organizations are warmed.
#[tokio::test]
async fn a_failed_organization_is_counted_and_the_others_go_on() {
    let store = fresh_store().await;
    let n = nation(&store).await;
    let refuse: &[String] = match store.db.backend() {
        Backend::Sqlite => &[format!(
            "CREATE TRIGGER refuse_north BEFORE INSERT ON report_snapshots \
             WHEN NEW.org_id = {} BEGIN SELECT RAISE(ABORT, 'refused for the test'); END",
            n.north.id
        )],
        Backend::Postgres => &[
            format!(
                "CREATE FUNCTION refuse_north() RETURNS trigger AS $$ BEGIN \
                 IF NEW.org_id = {} THEN RAISE EXCEPTION 'refused for the test'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql",
                n.north.id
            ),
            "CREATE TRIGGER refuse_north BEFORE INSERT ON report_snapshots \
             FOR EACH ROW EXECUTE FUNCTION refuse_north()"
                .to_string(),
        ],
    };
    for sql in refuse {
        sqlx::query(sql).execute(store.db.write()).await.unwrap();
    }
    let mut failed_seen = Vec::new();
    let summary = warm(&store, 2, today(), |w| {
        if let Some(e) = w.error {
            failed_seen.push((w.org.code.clone(), chain(e)));
        }
    })
    .await
    .unwrap();
    assert_eq!(summary.warmed, 2);
    assert_eq!(summary.failed, ["PN"]);
    assert_eq!(failed_seen.len(), 1);
    assert_eq!(failed_seen[0].0, "PN");
    // The chain names the cause, not only "database error".
    assert!(failed_seen[0].1.contains("refused"), "{:?}", failed_seen[0]);
    let running = Period::running_year(today());
    let snapshots = kept_for(&store, "report_snapshots", running, Some(today())).await;
    assert!(snapshots.contains(&n.south.id) && snapshots.contains(&n.centre.id));
    assert!(!snapshots.contains(&n.north.id));
}
