#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! A timing check, not part of the regular suite: a grassroots committee with 40 cells of
//! 12 members, a simulated year each, then the figures and alerts of the whole committee.
//! Run with `cargo test -p grassroots-storage --test meetings_scale -- --ignored --nocapture`.

use std::time::Instant;

use grassroots_domain::meetings::Period;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::org::OrgKind;
use grassroots_storage::meetings::MeetingFiguresReader;
use grassroots_storage::meetings::demo::simulate_year;
use grassroots_storage::members::{MemberWriter, NewMember};
use grassroots_storage::orgs::{NewOrg, OrgWriter};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Actor, Scope};

mod support;
use support::d;

#[tokio::test]
#[ignore = "timing run; see the module documentation"]
async fn a_committee_of_forty_cells() {
    let store = fresh_store().await;
    let actor = Actor::new("scale");
    let scope = Scope::all();
    let mut parent = None;
    for (code, kind) in [
        ("T", OrgKind::Provincial),
        ("W", OrgKind::Commune),
        ("G", OrgKind::GrassrootsCommittee),
    ] {
        let new = NewOrg {
            code: code.into(),
            name: format!("Đảng bộ {code}"),
            kind,
            parent_id: parent,
            founded_on: d("2015-01-01"),
            decision: None,
        };
        parent = Some(store.create_org(&actor, &scope, new).await.unwrap().id);
    }
    let committee = parent.unwrap();
    let started = Instant::now();
    let mut cells = Vec::new();
    for c in 0..40 {
        let new = NewOrg {
            code: format!("CB{c:02}"),
            name: format!("Chi bộ khu phố {c}"),
            kind: OrgKind::Cell,
            parent_id: Some(committee),
            founded_on: d("2015-01-01"),
            decision: None,
        };
        let cell = store.create_org(&actor, &scope, new).await.unwrap();
        for m in 0..12 {
            let new = NewMember {
                identity: MemberIdentity {
                    full_name: format!("Nguyễn Văn {}", ["An", "Bình", "Cường", "Dũng"][m % 4]),
                    birth_date: d("1975-01-01"),
                    gender: Gender::Male,
                    ethnicity: "Kinh".into(),
                    citizen_id: None,
                    party_card_no: None,
                    admitted_on: Some(d("2005-01-01")),
                    official_on: Some(d("2006-01-01")),
                },
                org_id: cell.id,
                status: MemberStatus::Official,
                status_since: d("2006-01-01"),
                joined_on: d("2006-01-01"),
            };
            store.create_member(&actor, &scope, new).await.unwrap();
        }
        cells.push(cell.id);
    }
    eprintln!("40 cells, 480 members: {:?}", started.elapsed());
    let started = Instant::now();
    for (i, cell) in cells.iter().enumerate() {
        simulate_year(&store, *cell, 2025, i as u64).await.unwrap();
    }
    eprintln!("40 simulated years: {:?}", started.elapsed());
    let started = Instant::now();
    let f = store
        .meeting_figures(&scope, committee, Period::year(2025).unwrap())
        .await
        .unwrap();
    eprintln!(
        "figures of the committee for 2025: {:?} ({} meetings held, {} marks)",
        started.elapsed(),
        f.totals.regular_held + f.totals.thematic_held,
        f.totals.present + f.totals.absent_excused + f.totals.absent_unexcused
    );
    assert_eq!(f.cells.len(), 40);
    assert_eq!(f.totals.thematic_held, 160);
    assert_eq!(f.totals.regular_held + f.totals.cancelled, 480);
}
