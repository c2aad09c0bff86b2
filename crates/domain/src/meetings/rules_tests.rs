use proptest::prelude::*;

use super::*;
use crate::date::Span;
use crate::meetings::participation::MemberHistory;
use crate::member::MemberStatus;

use AttendanceStatus::{AbsentExcused as E, AbsentUnexcused as U, Present as P};

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).unwrap()
}

fn rules() -> MeetingRules {
    MeetingRules::from_rulebook(&Rulebook::in_force(d(2025, 6, 1)).unwrap())
}

/// A member of cell 10 since 2020, official throughout.
fn member() -> MemberHistory {
    MemberHistory {
        member_id: 7,
        memberships: vec![(
            10,
            MembershipKind::Official,
            Span {
                from: d(2020, 1, 1),
                to: None,
            },
        )],
        statuses: vec![(
            MemberStatus::Official,
            Span {
                from: d(2015, 1, 1),
                to: None,
            },
        )],
    }
}

/// Regular meetings of `org` on the 3rd of consecutive months from `(year, month)`.
fn monthly(org: i64, year: i32, month: u32, marks: &[AttendanceStatus]) -> Vec<AttendanceFact> {
    marks
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m0 = month - 1 + i as u32;
            let date = d(year + (m0 / 12) as i32, m0 % 12 + 1, 3);
            AttendanceFact {
                meeting_id: org * 1000 + i as i64 + month as i64 * 10,
                org_id: org,
                date,
                kind: MeetingKind::Regular,
                status: *s,
            }
        })
        .collect()
}

fn of_rule(alerts: &[Alert], rule: AlertRule) -> Vec<&Alert> {
    alerts.iter().filter(|a| a.rule == rule).collect()
}

#[test]
fn the_rulebook_gives_the_numbers() {
    let r = rules();
    assert_eq!(r.max_consecutive_excused, 3);
    assert_eq!(r.removal_months_in_year, 3);
    assert_eq!(r.min_official_members, 3);
    assert_eq!(r.committee_from_official_members, 9);
    for rule in AlertRule::ALL {
        assert_eq!(AlertRule::parse(rule.key()), Some(rule));
    }
}

#[test]
fn exactly_three_excused_in_a_row_is_allowed() {
    let facts = monthly(10, 2025, 1, &[P, E, E, E, P, E, E, E]);
    let alerts = evaluate_member(&rules(), &member(), &facts, &[]);
    assert!(alerts.is_empty(), "{alerts:?}");
}

#[test]
fn the_fourth_excused_in_a_row_raises_one_alert_with_the_whole_run() {
    let facts = monthly(10, 2025, 1, &[P, E, E, E, E, E, P]);
    let alerts = evaluate_member(&rules(), &member(), &facts, &[]);
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let a = &alerts[0];
    assert_eq!(a.rule, AlertRule::ExcusedInARow);
    assert_eq!(a.on, d(2025, 5, 3), "the fourth absence crosses the line");
    assert_eq!(a.evidence.dates.len(), 5);
    assert_eq!(a.evidence.dates[0], d(2025, 2, 3));
    assert_eq!(a.member_id, Some(7));
}

#[test]
fn an_unexcused_absence_breaks_the_run_and_is_its_own_alert() {
    let facts = monthly(10, 2025, 1, &[E, E, U, E, E]);
    let alerts = evaluate_member(&rules(), &member(), &facts, &[]);
    assert_eq!(of_rule(&alerts, AlertRule::ExcusedInARow).len(), 0);
    let u = of_rule(&alerts, AlertRule::AbsentUnexcused);
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].evidence.dates, [d(2025, 3, 3)]);
}

#[test]
fn a_run_does_not_cross_the_year_boundary() {
    // November, December 2024, then January, February 2025: two runs of two.
    let facts = monthly(10, 2024, 11, &[E, E, E, E]);
    assert!(evaluate_member(&rules(), &member(), &facts, &[]).is_empty());
    // September to December 2024 is four in one year.
    let facts = monthly(10, 2024, 9, &[E, E, E, E, E, E]);
    let alerts = evaluate_member(&rules(), &member(), &facts, &[]);
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].on, d(2024, 12, 3));
    assert_eq!(alerts[0].evidence.dates.len(), 4);
}

#[test]
fn removal_needs_three_different_months_in_one_year() {
    let r = rules();
    // Three unexcused absences in one month: one month only.
    let mut facts = monthly(10, 2025, 3, &[U]);
    for (i, day) in [10, 20].into_iter().enumerate() {
        facts.push(AttendanceFact {
            meeting_id: 900 + i as i64,
            org_id: 10,
            date: d(2025, 3, day),
            kind: MeetingKind::Extraordinary,
            status: U,
        });
    }
    let alerts = evaluate_member(&r, &member(), &facts, &[]);
    assert_eq!(of_rule(&alerts, AlertRule::AbsentUnexcused).len(), 3);
    assert!(of_rule(&alerts, AlertRule::ProposedRemoval).is_empty());

    // Months 1, 4, 9 of 2025: the third month triggers, once.
    let facts = monthly(10, 2025, 1, &[U, P, P, U, P, P, P, P, U, P, U]);
    let alerts = evaluate_member(&r, &member(), &facts, &[]);
    let removal = of_rule(&alerts, AlertRule::ProposedRemoval);
    assert_eq!(removal.len(), 1);
    assert_eq!(removal[0].on, d(2025, 9, 3));
    assert_eq!(
        removal[0].evidence.periods,
        ["2025-01", "2025-04", "2025-09", "2025-11"]
    );

    // Two months in 2024 and one in 2025: different years.
    let facts = monthly(10, 2024, 11, &[U, U, U]);
    let alerts = evaluate_member(&r, &member(), &facts, &[]);
    assert!(of_rule(&alerts, AlertRule::ProposedRemoval).is_empty());
}

#[test]
fn unpaid_dues_months_count_towards_removal() {
    let facts = monthly(10, 2025, 1, &[U, P, U]);
    let dues = [YearMonth {
        year: 2025,
        month: 6,
    }];
    let alerts = evaluate_member(&rules(), &member(), &facts, &dues);
    let removal = of_rule(&alerts, AlertRule::ProposedRemoval);
    assert_eq!(removal.len(), 1);
    assert_eq!(removal[0].on, d(2025, 6, 30));
    assert_eq!(removal[0].org_id, 10);
    assert!(removal[0].message.contains("dues"));
    assert_eq!(removal[0].evidence.meeting_ids.len(), 2);
}

#[test]
fn a_member_who_transfers_mid_year_keeps_one_record() {
    let mut h = member();
    h.memberships = vec![
        (
            10,
            MembershipKind::Official,
            Span {
                from: d(2020, 1, 1),
                to: Some(d(2025, 7, 1)),
            },
        ),
        (
            20,
            MembershipKind::Official,
            Span {
                from: d(2025, 7, 1),
                to: None,
            },
        ),
    ];
    let mut facts = monthly(10, 2025, 5, &[E, E]);
    facts.extend(monthly(20, 2025, 7, &[E, E]));
    let alerts = evaluate_member(&rules(), &h, &facts, &[]);
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].rule, AlertRule::ExcusedInARow);
    assert_eq!(alerts[0].org_id, 20, "raised where the line was crossed");
    assert_eq!(alerts[0].evidence.dates.len(), 4);

    // A record left at the old cell after the move is not the member's duty any more.
    let stray = monthly(10, 2025, 8, &[U]);
    assert!(evaluate_member(&rules(), &h, &stray, &[]).is_empty());
}

#[test]
fn an_exempt_member_owes_no_attendance() {
    let mut h = member();
    h.statuses = vec![
        (
            MemberStatus::Official,
            Span {
                from: d(2015, 1, 1),
                to: Some(d(2025, 4, 1)),
            },
        ),
        (
            MemberStatus::Exempt,
            Span {
                from: d(2025, 4, 1),
                to: None,
            },
        ),
    ];
    let facts = monthly(10, 2025, 1, &[E, E, E, U, U, U, E, E]);
    let alerts = evaluate_member(&rules(), &h, &facts, &[]);
    assert!(alerts.is_empty(), "{alerts:?}");
}

#[test]
fn a_temporary_member_is_judged_at_the_host() {
    let mut h = member();
    h.memberships.push((
        20,
        MembershipKind::Temporary,
        Span {
            from: d(2025, 3, 1),
            to: Some(d(2025, 9, 1)),
        },
    ));
    // At home in Jan-Feb (2 excused), at the host Mar-Aug (2 excused then present).
    let mut facts = monthly(10, 2025, 1, &[E, E]);
    facts.extend(monthly(20, 2025, 3, &[E, E, P, U, P, P]));
    // A record at home while away is ignored.
    facts.extend(monthly(10, 2025, 4, &[U]));
    let alerts = evaluate_member(&rules(), &h, &facts, &[]);
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    assert_eq!(alerts[0].rule, AlertRule::ExcusedInARow);
    assert_eq!(alerts[0].org_id, 20);
    assert_eq!(alerts[0].on, d(2025, 4, 3));
    assert_eq!(alerts[1].rule, AlertRule::AbsentUnexcused);
    assert_eq!(alerts[1].org_id, 20);
}

#[test]
fn plenaries_are_not_judged_by_the_attendance_rules() {
    let mut facts = monthly(10, 2025, 1, &[U]);
    facts[0].kind = MeetingKind::CommitteePlenary;
    assert!(evaluate_member(&rules(), &member(), &facts, &[]).is_empty());
}

fn cell(meetings: Vec<MeetingFact>, official: usize, committee: bool) -> CellFacts {
    CellFacts {
        org_id: 10,
        founded_on: d(2020, 1, 1),
        dissolved_on: None,
        meetings,
        official_member_ids: (1..=official as i64).collect(),
        has_committee: committee,
    }
}

fn year_of_meetings(skip_month: Option<u32>, skip_quarter: Option<u32>) -> Vec<MeetingFact> {
    let mut out = Vec::new();
    for m in 1..=12u32 {
        out.push(MeetingFact {
            id: m as i64,
            kind: MeetingKind::Regular,
            date: d(2025, m, 3),
            status: if Some(m) == skip_month {
                MeetingStatus::Cancelled
            } else {
                MeetingStatus::Held
            },
        });
    }
    for q in 0..4u32 {
        if Some(q + 1) != skip_quarter {
            out.push(MeetingFact {
                id: 100 + q as i64,
                kind: MeetingKind::Thematic,
                date: d(2025, q * 3 + 2, 15),
                status: MeetingStatus::Held,
            });
        }
    }
    out
}

#[test]
fn a_cell_that_meets_every_month_and_quarter_is_clean() {
    let period = Period::year(2025).unwrap();
    let alerts = evaluate_cell(
        &rules(),
        &cell(year_of_meetings(None, None), 5, false),
        &period,
    );
    assert!(alerts.is_empty(), "{alerts:?}");
}

#[test]
fn a_missed_month_and_a_missed_quarter_are_named() {
    let period = Period::year(2025).unwrap();
    let alerts = evaluate_cell(
        &rules(),
        &cell(year_of_meetings(Some(8), Some(3)), 5, false),
        &period,
    );
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    assert_eq!(alerts[0].rule, AlertRule::NoRegularMeeting);
    assert_eq!(alerts[0].evidence.periods, ["2025-08"]);
    assert_eq!(alerts[0].evidence.meeting_ids, [8], "the cancelled meeting");
    assert_eq!(alerts[0].on, d(2025, 8, 31));
    assert_eq!(alerts[1].rule, AlertRule::NoThematicMeeting);
    assert_eq!(alerts[1].evidence.periods, ["2025-Q3"]);
    assert_eq!(alerts[1].on, d(2025, 9, 30));
}

#[test]
fn size_rules_at_the_edges() {
    let period = Period::year(2025).unwrap();
    let meetings = year_of_meetings(None, None);
    let r = rules();
    let rules_of = |n: usize, committee: bool| -> Vec<AlertRule> {
        evaluate_cell(&r, &cell(meetings.clone(), n, committee), &period)
            .iter()
            .map(|a| a.rule)
            .collect()
    };
    assert_eq!(rules_of(2, false), [AlertRule::TooFewOfficialMembers]);
    assert!(rules_of(3, false).is_empty());
    assert!(rules_of(8, false).is_empty());
    assert_eq!(rules_of(9, false), [AlertRule::NoCellCommittee]);
    assert!(rules_of(9, true).is_empty());
}

#[test]
fn a_cell_founded_mid_year_is_judged_from_its_first_whole_month() {
    let period = Period::year(2025).unwrap();
    let mut c = cell(Vec::new(), 3, false);
    c.founded_on = d(2025, 10, 15);
    let alerts = evaluate_cell(&rules(), &c, &period);
    let labels: Vec<_> = alerts
        .iter()
        .flat_map(|a| a.evidence.periods.clone())
        .collect();
    assert_eq!(labels, ["2025-11", "2025-12"], "no whole quarter yet");
}

proptest! {
    #[test]
    fn alerts_match_a_plain_count(marks in proptest::collection::vec(0u8..3, 0..12)) {
        let statuses: Vec<AttendanceStatus> = marks.iter().map(|m| match m {
            0 => P,
            1 => E,
            _ => U,
        }).collect();
        let facts = monthly(10, 2025, 1, &statuses);
        let alerts = evaluate_member(&rules(), &member(), &facts, &[]);
        let unexcused = statuses.iter().filter(|s| **s == U).count();
        prop_assert_eq!(of_rule(&alerts, AlertRule::AbsentUnexcused).len(), unexcused);
        // Maximal runs of E longer than 3.
        let mut runs = 0;
        let mut len = 0;
        for s in statuses.iter().chain(std::iter::once(&P)) {
            if *s == E { len += 1 } else { if len > 3 { runs += 1 } len = 0 }
        }
        prop_assert_eq!(of_rule(&alerts, AlertRule::ExcusedInARow).len(), runs);
        let months_missed = unexcused; // one meeting a month
        prop_assert_eq!(of_rule(&alerts, AlertRule::ProposedRemoval).len(), usize::from(months_missed >= 3));
        prop_assert!(alerts.windows(2).all(|w| w[0].on <= w[1].on));
    }
}

proptest! {
    #[test]
    fn missed_months_and_quarters_match_a_plain_count(
        held in proptest::collection::vec(any::<bool>(), 12),
        themed in proptest::collection::vec(any::<bool>(), 4),
    ) {
        let mut meetings = Vec::new();
        for (i, h) in held.iter().enumerate() {
            meetings.push(MeetingFact {
                id: i as i64,
                kind: MeetingKind::Regular,
                date: d(2025, i as u32 + 1, 3),
                status: if *h { MeetingStatus::Held } else { MeetingStatus::Scheduled },
            });
        }
        for (q, t) in themed.iter().enumerate() {
            if *t {
                meetings.push(MeetingFact {
                    id: 100 + q as i64,
                    kind: MeetingKind::Thematic,
                    date: d(2025, q as u32 * 3 + 3, 28),
                    status: MeetingStatus::Held,
                });
            }
        }
        let alerts = evaluate_cell(&rules(), &cell(meetings, 5, false), &Period::year(2025).unwrap());
        prop_assert_eq!(
            of_rule(&alerts, AlertRule::NoRegularMeeting).len(),
            held.iter().filter(|h| !**h).count()
        );
        prop_assert_eq!(
            of_rule(&alerts, AlertRule::NoThematicMeeting).len(),
            themed.iter().filter(|t| !**t).count()
        );
    }

    #[test]
    fn a_member_is_expected_in_at_most_one_cell_a_day(
        away_from in 0i64..365,
        away_days in 1i64..200,
        exempt_from in 0i64..400,
        day in 0i64..365,
    ) {
        let start = d(2025, 1, 1);
        let at = |n: i64| start + chrono::Duration::days(n);
        let mut h = member();
        h.memberships.push((
            20,
            MembershipKind::Temporary,
            Span { from: at(away_from), to: Some(at(away_from + away_days)) },
        ));
        h.statuses = vec![
            (MemberStatus::Official, Span { from: d(2015, 1, 1), to: Some(at(exempt_from)) }),
            (MemberStatus::Exempt, Span { from: at(exempt_from), to: None }),
        ];
        let day = at(day);
        let roles: Vec<_> = [10, 20, 30].iter().filter_map(|o| h.role_at(*o, day)).collect();
        prop_assert!(roles.len() <= 1);
        prop_assert_eq!(roles.is_empty(), day >= at(exempt_from));
    }
}
