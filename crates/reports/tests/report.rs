#![allow(clippy::unwrap_used)] // Tests fail loudly by design.

//! Reports built from a small organization with known activity: every figure is asserted,
//! and every export is produced and checked for its format.

use grassroots_domain::date::Date;
use grassroots_domain::figures::FigureValue;
use grassroots_domain::member::{Gender, MemberIdentity, MemberStatus};
use grassroots_domain::org::OrgKind;
use grassroots_reports::template::{Template, layout};
use grassroots_reports::{Period, build, contract, export, format};
use grassroots_storage::members::{MemberWriter, NewMember};
use grassroots_storage::orgs::{NewOrg, Org, OrgReader, OrgWriter};
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Actor, Scope, Store};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

async fn org(
    store: &Store,
    code: &str,
    name: &str,
    kind: OrgKind,
    parent: Option<&Org>,
    founded: &str,
) -> Org {
    let new = NewOrg {
        code: code.into(),
        name: name.into(),
        kind,
        parent_id: parent.map(|p| p.id),
        founded_on: d(founded),
        decision: None,
    };
    store
        .create_org(&Actor::new("t"), &Scope::all(), new)
        .await
        .unwrap()
}

async fn member(
    store: &Store,
    name: &str,
    cell: &Org,
    admitted: &str,
    official: Option<&str>,
) -> i64 {
    let status = if official.is_some() {
        MemberStatus::Official
    } else {
        MemberStatus::Probationary
    };
    let new = NewMember {
        identity: MemberIdentity {
            full_name: name.into(),
            birth_date: d("1990-06-01"),
            gender: Gender::Female,
            ethnicity: "Kinh".into(),
            citizen_id: None,
            party_card_no: None,
            admitted_on: Some(d(admitted)),
            official_on: official.map(d),
        },
        org_id: cell.id,
        status,
        status_since: d(official.unwrap_or(admitted)),
        joined_on: d(admitted),
    };
    store
        .create_member(&Actor::new("t"), &Scope::all(), new)
        .await
        .unwrap()
        .id
}

/// A town with one grassroots committee (two cells) and one grassroots cell; six members
/// admitted over 2022–2024, one removed in 2024.
async fn town(store: &Store) -> Org {
    let province = org(
        store,
        "BT",
        "Tỉnh Bình Thuận",
        OrgKind::Provincial,
        None,
        "2010-01-01",
    )
    .await;
    let town = org(
        store,
        "LG",
        "Đảng bộ thị xã La Gi",
        OrgKind::District,
        Some(&province),
        "2010-01-01",
    )
    .await;
    let gc = org(
        store,
        "LG.01",
        "Đảng bộ phường Phước Hội",
        OrgKind::GrassrootsCommittee,
        Some(&town),
        "2010-01-01",
    )
    .await;
    let c1 = org(
        store,
        "LG.01.1",
        "Chi bộ khu phố 1",
        OrgKind::Cell,
        Some(&gc),
        "2010-01-01",
    )
    .await;
    let c2 = org(
        store,
        "LG.01.2",
        "Chi bộ khu phố 2",
        OrgKind::Cell,
        Some(&gc),
        "2010-01-01",
    )
    .await;
    let gcell = org(
        store,
        "LG.02",
        "Chi bộ Công an thị xã",
        OrgKind::GrassrootsCell,
        Some(&town),
        "2010-01-01",
    )
    .await;
    member(
        store,
        "Nguyễn Thị Hoa",
        &c1,
        "2015-03-01",
        Some("2016-03-01"),
    )
    .await;
    member(store, "Trần Văn Nam", &c1, "2022-05-19", Some("2023-05-19")).await;
    member(store, "Lê Thị Mai", &c2, "2023-02-03", Some("2024-02-03")).await;
    let removed = member(store, "Phạm Văn Đức", &c2, "2023-09-02", Some("2024-09-02")).await;
    member(store, "Võ Thị Lan", &gcell, "2024-11-07", None).await;
    member(store, "Đặng Văn Tài", &gcell, "2024-12-20", None).await;
    store
        .change_status(
            &Actor::new("t"),
            &Scope::all(),
            removed,
            MemberStatus::Removed,
            d("2024-10-01"),
            Some("Charter art. 8"),
        )
        .await
        .unwrap();
    town
}

/// The town's annual reviews: 2023 (Hoa, Nam good) and 2024 (five members good, Đức —
/// removed in October, still a member in 2024 — completed; the grassroots committee
/// excellent, the grassroots cell good, cell 1 good), all under 124-QĐ/TW.
async fn classify_town(store: &Store) {
    use grassroots_domain::classification::{Decision, Level, SubjectKind};
    use grassroots_storage::classification::{ClassificationWriter, NewClassification};
    let scope = Scope::all();
    let id_of = async |name: &str| -> i64 {
        use sqlx::Row;
        let sql = store.db.sql("SELECT id FROM members WHERE full_name = ?");
        sqlx::query(&sql)
            .bind(name)
            .fetch_one(store.db.read())
            .await
            .unwrap()
            .try_get("id")
            .unwrap()
    };
    let org_of = async |code: &str| store.org_by_code(&scope, code).await.unwrap().id;
    let (town, gc, gcell, c1) = (
        org_of("LG").await,
        org_of("LG.01").await,
        org_of("LG.02").await,
        org_of("LG.01.1").await,
    );
    let reviews: Vec<(SubjectKind, i64, i32, Level, i64)> = vec![
        (
            SubjectKind::Member,
            id_of("Nguyễn Thị Hoa").await,
            2023,
            Level::Good,
            gc,
        ),
        (
            SubjectKind::Member,
            id_of("Trần Văn Nam").await,
            2023,
            Level::Good,
            gc,
        ),
        (
            SubjectKind::Member,
            id_of("Nguyễn Thị Hoa").await,
            2024,
            Level::Good,
            gc,
        ),
        (
            SubjectKind::Member,
            id_of("Trần Văn Nam").await,
            2024,
            Level::Good,
            gc,
        ),
        (
            SubjectKind::Member,
            id_of("Lê Thị Mai").await,
            2024,
            Level::Good,
            gc,
        ),
        (
            SubjectKind::Member,
            id_of("Phạm Văn Đức").await,
            2024,
            Level::Completed,
            gc,
        ),
        (
            SubjectKind::Member,
            id_of("Võ Thị Lan").await,
            2024,
            Level::Good,
            gcell,
        ),
        (
            SubjectKind::Member,
            id_of("Đặng Văn Tài").await,
            2024,
            Level::Good,
            gcell,
        ),
        (SubjectKind::Org, gc, 2024, Level::Excellent, town),
        (SubjectKind::Org, gcell, 2024, Level::Good, town),
        (SubjectKind::Org, c1, 2024, Level::Good, gc),
    ];
    for (subject_kind, subject_id, year, level, decided_by) in reviews {
        store
            .classify(
                &Actor::new("t"),
                &scope,
                NewClassification {
                    subject_kind,
                    subject_id,
                    decision: Decision {
                        year,
                        level,
                        points: None,
                        decided_on: Date::from_ymd_opt(year, 12, 26).unwrap(),
                        note: None,
                    },
                    decided_by,
                    supersedes: None,
                },
            )
            .await
            .unwrap();
    }
}

fn count(report: &grassroots_reports::Report, key: &str) -> (i64, Option<i64>) {
    let line = report.get(key).unwrap_or_else(|| panic!("no figure {key}"));
    let n = |v: FigureValue| match v {
        FigureValue::Count(n) => n,
        other => panic!("{key}: {other:?}"),
    };
    (n(line.value), line.previous.map(n))
}

#[tokio::test]
async fn every_figure_of_a_small_town_is_counted_from_records() {
    let store = fresh_store().await;
    let town = town(&store).await;
    let period = Period::new(d("2024-01-01"), d("2024-12-31")).unwrap();
    let report = build(&store, &Scope::all(), town.id, period).await.unwrap();
    assert_eq!(
        report.previous_period,
        Period::new(d("2023-01-01"), d("2023-12-31")).unwrap()
    );
    let expected: &[(&str, i64, i64)] = &[
        ("org.grassroots_organizations", 2, 2),
        ("org.provincial_committees", 0, 0),
        ("org.district_committees", 0, 0),
        ("org.commune_committees", 0, 0),
        ("org.grassroots_committees", 1, 1),
        ("org.grassroots_cells", 1, 1),
        ("org.cells", 2, 2),
        ("org.party_groups", 0, 0),
        // End of 2024: Hoa, Nam, Mai official; Lan, Tài probationary; Đức removed.
        ("members.total", 5, 4),
        ("members.official", 3, 2),
        ("members.probationary", 2, 2),
        ("members.temporarily_exempt", 0, 0),
        ("members.exempt", 0, 0),
        // Admitted in 2024: Lan, Tài; in 2023: Mai, Đức.
        ("members.admitted", 2, 2),
        // Official in 2024: Mai, Đức; in 2023: Nam.
        ("members.recognized_official", 2, 1),
        ("members.removed", 1, 0),
        ("members.expelled", 0, 0),
        ("members.deceased", 0, 0),
        ("members.transferred_out", 0, 0),
    ];
    for (key, now, before) in expected {
        assert_eq!(count(&report, key), (*now, Some(*before)), "{key}");
    }
    // The areas that count themselves: three cells owe twelve regular meetings each and held
    // none; no document, class or course was recorded.
    assert_eq!(count(&report, "meetings.cells").0, 3);
    assert_eq!(count(&report, "meetings.regular.due").0, 36);
    assert_eq!(count(&report, "meetings.regular.held").0, 0);
    assert_eq!(count(&report, "training.dissemination.classes").0, 0);
    assert_eq!(count(&report, "documents.issued").0, 0);
    // No attendance was marked in either year: tables show the rate as a dash, not 0 %,
    // while the JSON keeps the contract's 0.
    let rate = report.get("meetings.attendance.rate").unwrap();
    assert_eq!(rate.value, FigureValue::Ratio(0.0));
    let shown = report.shown(rate);
    assert_eq!(
        (shown.value, shown.previous, shown.change),
        (None, None, None)
    );
    assert_eq!(format::cells(shown, true), ["–", "–", ""]);
    let total = report.get("members.total").unwrap();
    assert_eq!(format::cells(report.shown(total), true), ["5", "4", "+1"]);
    // No review recorded yet: the classification figures are there, at zero.
    assert_eq!(count(&report, "classification.members.total"), (0, Some(0)));
    // Every figure is in the contract.
    for line in &report.lines {
        assert!(
            contract::entry(&line.key).is_some(),
            "{} is not in the contract",
            line.key
        );
    }
    let change = report.get("members.total").unwrap().change;
    assert_eq!(change, Some(FigureValue::Count(1)));
    // A period ending today reads the rollups; it agrees with the history.
    let today = chrono::Local::now().date_naive();
    let now = build(
        &store,
        &Scope::all(),
        town.id,
        Period::new(d("2024-01-01"), today).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(count(&now, "members.total").0, 5);
    assert_eq!(count(&now, "org.cells").0, 2);
    // A caller whose scope does not hold the organization gets nothing.
    let scoped = build(
        &store,
        &Scope::subtree(town.path.clone() + "999/"),
        town.id,
        period,
    )
    .await;
    assert!(scoped.is_err());
}

#[tokio::test]
async fn classification_figures_are_those_of_the_review_year_ending_in_the_period() {
    let store = fresh_store().await;
    let town = town(&store).await;
    classify_town(&store).await;
    let period = Period::new(d("2024-01-01"), d("2024-12-31")).unwrap();
    let report = build(&store, &Scope::all(), town.id, period).await.unwrap();
    let expected: &[(&str, i64, i64)] = &[
        ("classification.members.excellent", 0, 0),
        ("classification.members.good", 5, 2),
        ("classification.members.completed", 1, 0),
        ("classification.members.not_completed", 0, 0),
        ("classification.members.total", 6, 2),
        // Grassroots organizations only: cell 1 (under the committee) is not counted here.
        ("classification.orgs.excellent", 1, 0),
        ("classification.orgs.good", 1, 0),
        ("classification.orgs.completed", 0, 0),
        ("classification.orgs.not_completed", 0, 0),
        ("classification.orgs.total", 2, 0),
    ];
    for (key, now, before) in expected {
        assert_eq!(count(&report, key), (*now, Some(*before)), "{key}");
    }
    let rate = report
        .get("classification.members.good_or_better_rate")
        .unwrap();
    assert_eq!(rate.value, FigureValue::Ratio(5.0 / 6.0));
    assert_eq!(rate.previous, Some(FigureValue::Ratio(1.0)));
    let orgs_rate = report
        .get("classification.orgs.good_or_better_rate")
        .unwrap();
    assert_eq!(orgs_rate.value, FigureValue::Ratio(1.0));
    // The grassroots committee's own report counts its members and its cell is not a
    // grassroots organization; a half year has no review year.
    let gc = store.org_by_code(&Scope::all(), "LG.01").await.unwrap();
    let own = build(&store, &Scope::all(), gc.id, period).await.unwrap();
    assert_eq!(count(&own, "classification.members.total").0, 4);
    assert_eq!(count(&own, "classification.orgs.total").0, 0);
    let half = Period::new(d("2024-01-01"), d("2024-06-30")).unwrap();
    let half = build(&store, &Scope::all(), town.id, half).await.unwrap();
    assert_eq!(count(&half, "classification.members.total").0, 0);
    let rate = half
        .get("classification.members.good_or_better_rate")
        .unwrap();
    assert_eq!(rate.value, FigureValue::Ratio(0.0));
}

#[tokio::test]
async fn a_term_report_has_a_column_per_year() {
    let store = fresh_store().await;
    let town = town(&store).await;
    let period = Period::new(d("2022-01-01"), d("2024-12-31")).unwrap();
    let report = build(&store, &Scope::all(), town.id, period).await.unwrap();
    let admitted: Vec<(i32, f64)> = report
        .years
        .iter()
        .map(|y| {
            (
                y.year,
                y.figures
                    .iter()
                    .find(|f| f.key == "members.admitted")
                    .unwrap()
                    .value
                    .as_f64(),
            )
        })
        .collect();
    assert_eq!(admitted, [(2022, 1.0), (2023, 2.0), (2024, 2.0)]);
    assert_eq!(count(&report, "members.admitted"), (5, Some(0)));
}

#[tokio::test]
async fn exports_are_well_formed() {
    let store = fresh_store().await;
    let town = town(&store).await;
    classify_town(&store).await;
    let period = Period::new(d("2022-01-01"), d("2024-12-31")).unwrap();
    let report = build(&store, &Scope::all(), town.id, period).await.unwrap();

    let json: serde_json::Value = serde_json::from_slice(&export::json(&report).unwrap()).unwrap();
    let line = json["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["key"] == "members.total")
        .unwrap();
    assert_eq!(
        line["value"],
        serde_json::json!({"unit": "count", "amount": 5})
    );

    let xlsx = export::xlsx::workbook(&report).unwrap();
    assert_eq!(&xlsx[..2], b"PK");

    let doc = layout(&report, &Template::default_vi().unwrap(), d("2025-01-10"));
    assert_eq!(doc.issuer, "ĐẢNG BỘ THỊ XÃ LA GI");
    assert_eq!(doc.superior, "TỈNH BÌNH THUẬN");
    assert_eq!(doc.place_and_date, "La Gi, ngày 10 tháng 01 năm 2025");
    let first = &doc.sections[0].paragraphs[0];
    assert!(
        first.contains(
            "có 2 tổ chức cơ sở đảng (1 đảng bộ cơ sở, 1 chi bộ cơ sở) và 2 chi bộ trực thuộc"
        ),
        "{first}"
    );
    let meetings = doc
        .sections
        .iter()
        .find(|s| s.heading.contains("SINH HOẠT"))
        .unwrap();
    assert!(
        meetings.paragraphs[0].contains("tổ chức 0 buổi sinh hoạt định kỳ trên 108 buổi"),
        "{}",
        meetings.paragraphs[0]
    );
    // A paragraph naming a figure the report does not hold is left out.
    let template = include_str!("../templates/report-vi.toml")
        .replace("{meetings.thematic.held}", "{meetings.nonexistent}");
    let custom = layout(
        &report,
        &Template::parse(&template).unwrap(),
        d("2025-01-10"),
    );
    assert!(
        custom
            .sections
            .iter()
            .all(|s| s.paragraphs.iter().all(|p| !p.contains("chuyên đề")))
    );

    let docx = export::docx::document(&doc, &report).unwrap();
    assert_eq!(&docx[..2], b"PK");
    let xml = export::docx::document_xml(&doc, &report);
    assert!(xml.contains("ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert!(xml.contains("Năm 2023"));
    // Two charts (admissions and attendance per year), each a chart part of the package
    // referenced by an inline drawing.
    assert!(xml.contains(r#"r:id="rIdChart1""#) && xml.contains(r#"r:id="rIdChart2""#));
    let charts = export::chart::trends(&report);
    assert_eq!(charts.len(), 2);
    assert_eq!(charts[0].categories, ["2022", "2023", "2024"]);
    assert_eq!(charts[0].values, [Some(1.0), Some(2.0), Some(2.0)]);
    let part = export::chart::part(&charts[0]);
    assert!(part.contains("<c:barChart>") && part.contains("<c:v>2023</c:v>"));
    // No meeting was held in these years: the attendance line has gaps, not a 0 % rate.
    assert_eq!(charts[1].values, [None, None, None]);
    let attendance = export::chart::part(&charts[1]);
    assert!(attendance.contains("<c:lineChart>"));
    // Three category points and the series name, and no value point.
    assert_eq!(attendance.matches("<c:pt ").count(), 4);
    let names: Vec<String> = {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
        (0..zip.len())
            .map(|i| zip.by_index(i).unwrap().name().to_owned())
            .collect()
    };
    assert!(names.contains(&"word/charts/chart1.xml".to_owned()));
    assert!(names.contains(&"word/charts/chart2.xml".to_owned()));
    // The classification distribution of 2024 (the review year ending in the period): a
    // chart of members and one of grassroots organizations per level, after the trends.
    let dist = export::chart::distribution(&report);
    assert_eq!(dist.len(), 2);
    assert_eq!(dist[0].title, "Xếp loại đảng viên năm 2024");
    assert_eq!(dist[0].values, [Some(0.0), Some(5.0), Some(1.0), Some(0.0)]);
    assert_eq!(dist[1].values, [Some(1.0), Some(1.0), Some(0.0), Some(0.0)]);
    assert_eq!(dist[0].categories[0], "Hoàn thành xuất sắc");
    assert!(xml.contains(r#"r:id="rIdChart3""#) && xml.contains(r#"r:id="rIdChart4""#));
    assert!(names.contains(&"word/charts/chart4.xml".to_owned()));
    let part = export::chart::part(&dist[0]);
    assert!(part.contains("<c:v>Hoàn thành tốt</c:v>") && part.contains("<c:v>5</c:v>"));

    let pages = export::pdf::layout(&doc, &report).unwrap();
    assert!(!pages.is_empty());
    let texts: Vec<&str> = pages
        .iter()
        .flatten()
        .filter_map(|op| match op {
            export::pdf::Op::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(texts.contains(&"BÁO CÁO"));
    assert!(texts.contains(&"Kết nạp đảng viên theo năm"));
    assert!(texts.contains(&"Xếp loại đảng viên năm 2024"));
    assert!(texts.contains(&"Xếp loại tổ chức cơ sở đảng năm 2024"));
    assert!(texts.contains(&"Không hoàn thành"));
    let pdf = export::pdf::render(&pages).unwrap();
    assert_eq!(&pdf[..5], b"%PDF-");
    // For looking at the documents (and for scripts/check-exports.sh): write them out.
    if let Ok(dir) = std::env::var("GRASSROOTS_REPORT_SAMPLES") {
        let dir = std::path::Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("report.xlsx"), &xlsx).unwrap();
        std::fs::write(dir.join("report.docx"), &docx).unwrap();
        std::fs::write(dir.join("report.pdf"), &pdf).unwrap();
    }
}

#[test]
fn the_contract_document_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/report-contract.md");
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    if std::env::var("GRASSROOTS_UPDATE_CONTRACT").is_ok() {
        std::fs::write(path, contract::markdown()).unwrap();
        return;
    }
    assert_eq!(
        on_disk,
        contract::markdown(),
        "docs/report-contract.md is stale: run with GRASSROOTS_UPDATE_CONTRACT=1 and review the diff"
    );
    let mut keys: Vec<&str> = contract::CONTRACT.iter().map(|(k, _, _)| *k).collect();
    let before = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), before, "a key is listed twice");
}

/// Snapshots of closed periods give exactly what the records give, warm or cold, and a
/// write dated inside a snapshotted period (in the subtree, or moving a member out of it)
/// shows in the next report.
#[tokio::test]
async fn snapshots_equal_the_records_and_follow_backdated_writes() {
    use grassroots_reports::build_from_records;
    let store = fresh_store().await;
    let town = town(&store).await;
    let scope = Scope::all();
    let term = Period::new(d("2023-01-01"), d("2024-12-31")).unwrap();
    let same = |a: &grassroots_reports::Report, b: &grassroots_reports::Report| {
        assert_eq!(a.lines, b.lines);
        assert_eq!(a.years, b.years);
    };
    let records = build_from_records(&store, &scope, town.id, term)
        .await
        .unwrap();
    let cold = build(&store, &scope, town.id, term).await.unwrap();
    same(&cold, &records);
    let warm = build(&store, &scope, town.id, term).await.unwrap();
    same(&warm, &records);
    let kept: i64 = {
        use sqlx::Row;
        let sql = store
            .db
            .sql("SELECT COUNT(*) AS n FROM report_snapshots WHERE org_id = ?");
        sqlx::query(&sql)
            .bind(town.id)
            .fetch_one(store.db.read())
            .await
            .unwrap()
            .try_get("n")
            .unwrap()
    };
    // The term, the previous term and the two years.
    assert_eq!(kept, 4);

    // A death recorded late, dated in 2024: the snapshot of 2024 is no longer used.
    let cell = store.org_by_code(&scope, "LG.01.1").await.unwrap();
    let late = member(
        &store,
        "Hồ Văn Muộn",
        &cell,
        "2011-01-01",
        Some("2012-01-01"),
    )
    .await;
    store
        .change_status(
            &Actor::new("t"),
            &scope,
            late,
            MemberStatus::Deceased,
            d("2024-06-01"),
            None,
        )
        .await
        .unwrap();
    let after = build(&store, &scope, town.id, term).await.unwrap();
    same(
        &after,
        &build_from_records(&store, &scope, town.id, term)
            .await
            .unwrap(),
    );
    assert_eq!(count(&after, "members.deceased").0, 1);
    assert_eq!(count(&warm, "members.deceased").0, 0);

    // The annual reviews of 2023 and 2024 recorded afterwards: the snapshots follow.
    classify_town(&store).await;
    let reviewed = build(&store, &scope, town.id, term).await.unwrap();
    same(
        &reviewed,
        &build_from_records(&store, &scope, town.id, term)
            .await
            .unwrap(),
    );
    assert_eq!(count(&reviewed, "classification.members.total").0, 6);
    assert_eq!(count(&after, "classification.members.total").0, 0);

    // A member moved out of the town (into another province's cell) in 2024: the town's
    // snapshot follows although the write is recorded at the receiving cell.
    let other = org(
        &store,
        "NT",
        "Tỉnh Ninh Thuận",
        OrgKind::Provincial,
        None,
        "2010-01-01",
    )
    .await;
    let away = org(
        &store,
        "NT.1",
        "Chi bộ Phan Rang",
        OrgKind::GrassrootsCell,
        Some(&other),
        "2010-01-01",
    )
    .await;
    let before_move = build(&store, &scope, town.id, term).await.unwrap();
    let hoa: i64 = {
        use sqlx::Row;
        let sql = store.db.sql("SELECT id FROM members WHERE full_name = ?");
        sqlx::query(&sql)
            .bind("Nguyễn Thị Hoa")
            .fetch_one(store.db.read())
            .await
            .unwrap()
            .try_get("id")
            .unwrap()
    };
    store
        .transfer_member(
            &Actor::new("t"),
            &scope,
            hoa,
            grassroots_storage::members::Transfer {
                to_org: away.id,
                kind: grassroots_domain::member::MembershipKind::Official,
                on: d("2024-03-01"),
                until: None,
            },
        )
        .await
        .unwrap();
    let moved = build(&store, &scope, town.id, term).await.unwrap();
    same(
        &moved,
        &build_from_records(&store, &scope, town.id, term)
            .await
            .unwrap(),
    );
    assert_eq!(
        count(&moved, "members.total").0,
        count(&before_move, "members.total").0 - 1
    );
}

/// The running year (1 January to today) is kept (meeting parts per organization, a snapshot
/// of the other figures), and a report equals the records cold and again right after each
/// ordinary write in the subtree — a check-in, an attendance list with absences, an
/// admission, a death, a transfer out of the province, and a write dated last year (which
/// moves the previous period's column). Writes in the meetings area leave the snapshot of
/// the other figures in place; the others renew it.
#[tokio::test]
async fn the_running_year_equals_the_records_after_each_write() {
    use chrono::Datelike;
    use grassroots_domain::meetings::{Absence, MeetingKind};
    use grassroots_reports::build_from_records;
    use grassroots_storage::meetings::{MeetingWriter, NewMeeting};
    let store = fresh_store().await;
    let town = town(&store).await;
    let scope = Scope::all();
    let actor = Actor::new("t");
    let today = chrono::Local::now().date_naive();
    let jan1 = Date::from_ymd_opt(today.year(), 1, 1).unwrap();
    let running = Period::new(jan1, today).unwrap();
    let check = |label: &'static str| {
        let store = &store;
        async move {
            let fast = build(store, &Scope::all(), town.id, running).await.unwrap();
            let records = build_from_records(store, &Scope::all(), town.id, running)
                .await
                .unwrap();
            assert_eq!(fast.lines, records.lines, "{label}");
            assert_eq!(fast.years, records.years, "{label}");
            fast
        }
    };
    let cold = check("cold").await;
    // The snapshot of the running year's other figures, as (counter, built at).
    let kept = || {
        let store = &store;
        async move {
            use sqlx::Row;
            let sql = store.db.sql(
                "SELECT changes, built_at FROM report_snapshots WHERE org_id = ? AND period_from = ? \
                 AND period_to = ? AND open_on = ?",
            );
            let row = sqlx::query(&sql)
                .bind(town.id)
                .bind(running.from.to_string())
                .bind(running.to.to_string())
                .bind(today.to_string())
                .fetch_one(store.db.read())
                .await
                .unwrap();
            (
                row.try_get::<i64, _>("changes").unwrap(),
                row.try_get::<String, _>("built_at").unwrap(),
            )
        }
    };
    let first_kept = kept().await;
    let c1 = store.org_by_code(&scope, "LG.01.1").await.unwrap();
    let id_of = |name: &'static str| {
        let store = &store;
        async move {
            use sqlx::Row;
            let sql = store.db.sql("SELECT id FROM members WHERE full_name = ?");
            sqlx::query(&sql)
                .bind(name)
                .fetch_one(store.db.read())
                .await
                .unwrap()
                .try_get::<i64, _>("id")
                .unwrap()
        }
    };
    let (hoa, nam) = (id_of("Nguyễn Thị Hoa").await, id_of("Trần Văn Nam").await);

    // A meeting today: one member checks in with the code.
    let today_meeting = store
        .create_meeting(
            &actor,
            &scope,
            NewMeeting {
                org_id: c1.id,
                kind: MeetingKind::Regular,
                date: today,
                agenda: None,
                topic: None,
            },
        )
        .await
        .unwrap();
    store
        .check_in(
            &actor,
            &scope,
            today_meeting.id,
            hoa,
            &today_meeting.check_in_code,
            today,
        )
        .await
        .unwrap();
    check("after a check-in").await;

    // The list of a meeting on 1 January: one absence without reason.
    let first = store
        .create_meeting(
            &actor,
            &scope,
            NewMeeting {
                org_id: c1.id,
                kind: MeetingKind::Extraordinary,
                date: jan1,
                agenda: None,
                topic: None,
            },
        )
        .await
        .unwrap();
    store
        .record_attendance(
            &actor,
            &scope,
            first.id,
            &[Absence {
                member_id: nam,
                reason: None,
            }],
        )
        .await
        .unwrap();
    let listed = check("after an attendance list").await;
    assert!(count(&listed, "meetings.attendance.absent_unexcused").0 >= 1);
    assert_eq!(
        kept().await,
        first_kept,
        "meetings leave the other figures kept"
    );

    // An admission this year.
    let new = member(&store, "Bùi Thị Mới", &c1, &jan1.to_string(), None).await;
    let admitted = check("after an admission").await;
    assert_eq!(
        count(&admitted, "members.admitted").0,
        count(&cold, "members.admitted").0 + 1
    );
    assert!(kept().await.0 > first_kept.0, "an admission renews them");

    // A death today.
    store
        .change_status(&actor, &scope, new, MemberStatus::Deceased, today, None)
        .await
        .unwrap();
    let died = check("after a death").await;
    assert_eq!(
        count(&died, "members.deceased").0,
        count(&cold, "members.deceased").0 + 1
    );

    // A transfer out of the province today.
    let other = org(
        &store,
        "NT",
        "Tỉnh Ninh Thuận",
        OrgKind::Provincial,
        None,
        "2010-01-01",
    )
    .await;
    let away = org(
        &store,
        "NT.1",
        "Chi bộ Phan Rang",
        OrgKind::GrassrootsCell,
        Some(&other),
        "2010-01-01",
    )
    .await;
    let before_move = check("with a new province").await;
    store
        .transfer_member(
            &actor,
            &scope,
            hoa,
            grassroots_storage::members::Transfer {
                to_org: away.id,
                kind: grassroots_domain::member::MembershipKind::Official,
                on: today,
                until: None,
            },
        )
        .await
        .unwrap();
    let moved = check("after a transfer out").await;
    assert_eq!(
        count(&moved, "members.total").0,
        count(&before_move, "members.total").0 - 1
    );

    // A removal recorded today but dated last year: the previous-period column follows.
    let last_year = Date::from_ymd_opt(today.year() - 1, 6, 1).unwrap();
    let mai = id_of("Lê Thị Mai").await;
    store
        .change_status(
            &actor,
            &scope,
            mai,
            MemberStatus::Removed,
            last_year,
            Some("Charter art. 8"),
        )
        .await
        .unwrap();
    let backdated = check("after a backdated write").await;
    assert_eq!(
        count(&backdated, "members.removed").1,
        Some(count(&moved, "members.removed").1.unwrap_or(0) + 1)
    );
}

/// A regular meeting of `cell` on `date`, held: its attendance list records `absences`, and
/// everyone else present.
async fn regular_meeting_held(
    store: &Store,
    cell: &Org,
    date: &str,
    absences: &[grassroots_domain::meetings::Absence],
) {
    use grassroots_domain::meetings::MeetingKind;
    use grassroots_storage::meetings::{MeetingWriter, NewMeeting};
    let (actor, scope) = (Actor::new("t"), Scope::all());
    let new = NewMeeting {
        org_id: cell.id,
        kind: MeetingKind::Regular,
        date: d(date),
        agenda: None,
        topic: None,
    };
    let meeting = store.create_meeting(&actor, &scope, new).await.unwrap();
    store
        .record_attendance(&actor, &scope, meeting.id, absences)
        .await
        .unwrap();
}

/// A plan issued by `issuer` on `date` and disseminated the same day at a class of `cell`,
/// attended by `members` and `non_members` others.
async fn plan_disseminated(
    store: &Store,
    issuer: &Org,
    cell: &Org,
    date: &str,
    members: &[i64],
    non_members: i64,
) {
    use grassroots_domain::documents::DisseminationKind;
    use grassroots_storage::documents::{
        DisseminationWriter, DocumentWriter, NewDissemination, NewDocument,
    };
    let (actor, scope) = (Actor::new("t"), Scope::all());
    let plan = NewDocument {
        issuer_org_id: issuer.id,
        type_code: "KH".into(),
        issuer_code: None,
        number: None,
        issued_on: d(date),
        title: format!("Kế hoạch của {}", issuer.code),
        summary: None,
        parent_id: None,
        concretize_by: Vec::new(),
        term: None,
    };
    let plan = store.register_document(&actor, &scope, plan).await.unwrap();
    let class = NewDissemination {
        org_id: cell.id,
        kind: DisseminationKind::Class,
        title: "Lớp học tập kế hoạch".into(),
        held_on: d(date),
        document_ids: vec![plan.id],
        member_ids: members.to_vec(),
        non_member_count: non_members,
        note: None,
    };
    store
        .record_dissemination(&actor, &scope, class)
        .await
        .unwrap();
}

/// The 2025 reorganization of the town: its grassroots organizations move under a commune of
/// the province founded on 1 July 2025. Returns the province and the commune.
async fn reorganize_town(store: &Store) -> (Org, Org) {
    let scope = Scope::all();
    let province = store.org_by_code(&scope, "BT").await.unwrap();
    let commune = org(
        store,
        "PH",
        "Đảng bộ phường Phước Hội",
        OrgKind::Commune,
        Some(&province),
        "2025-07-01",
    )
    .await;
    for code in ["LG.01", "LG.02"] {
        let moved = store.org_by_code(&scope, code).await.unwrap();
        store
            .move_org(
                &Actor::new("t"),
                &scope,
                moved.id,
                commune.id,
                d("2025-07-01"),
                None,
                None,
            )
            .await
            .unwrap();
    }
    (province, commune)
}

/// The 2025 reorganization: the town's grassroots organizations move under a commune founded
/// on 1 July 2025. The province's report of 2024 counts their cells where they are now, as
/// the records do, both when its subtree is gathered at once and when parts are kept below
/// it (the commune reported first), through the commune that did not exist in 2024.
#[tokio::test]
async fn a_past_year_counts_cells_moved_under_a_commune_founded_after_it() {
    use grassroots_reports::build_from_records;
    for commune_first in [false, true] {
        let store = fresh_store().await;
        town(&store).await;
        let scope = Scope::all();
        let (province, commune) = reorganize_town(&store).await;
        let year = Period::new(d("2024-01-01"), d("2024-12-31")).unwrap();
        if commune_first {
            let records = build_from_records(&store, &scope, commune.id, year)
                .await
                .unwrap();
            let ours = build(&store, &scope, commune.id, year).await.unwrap();
            same_lines(&ours, &records);
        }
        let records = build_from_records(&store, &scope, province.id, year)
            .await
            .unwrap();
        let cells = records
            .lines
            .iter()
            .find(|l| l.key == "meetings.cells")
            .unwrap();
        assert_eq!(cells.value, FigureValue::Count(3));
        let ours = build(&store, &scope, province.id, year).await.unwrap();
        same_lines(&ours, &records);
        assert_eq!(ours.years, records.years, "commune first: {commune_first}");
    }
}

/// The town's term 2020 – June 2025, reported after the 2025 reorganization dissolved the
/// town: its organizations moved under a commune founded that day, and one of its members
/// transferred to another district afterwards. The admissions, status changes, transfers,
/// meetings, documents, dissemination classes and the 2024 review of the term count where the members and organizations
/// were on its last day, in the tree of that day, as its structure does; from kept parts as from the records. The other district and the
/// commune had none.
#[tokio::test]
async fn a_dissolved_districts_term_counts_what_happened_below_it() {
    use grassroots_domain::classification::SubjectKind;
    use grassroots_domain::lifecycle::dues::{Income, IncomeKind, YearMonth};
    use grassroots_domain::meetings::Absence;
    use grassroots_domain::member::MembershipKind;
    use grassroots_reports::build_from_records;
    use grassroots_storage::members::Transfer;
    let store = fresh_store().await;
    let town = town(&store).await;
    let scope = Scope::all();
    let actor = Actor::new("t");
    let province = store.org_by_code(&scope, "BT").await.unwrap();
    let cell = store.org_by_code(&scope, "LG.01.1").await.unwrap();
    let other = org(
        &store,
        "HT",
        "Đảng bộ huyện Hàm Tân",
        OrgKind::District,
        Some(&province),
        "2010-01-01",
    )
    .await;
    let other_cell = org(
        &store,
        "HT.01",
        "Chi bộ xã Tân Hà",
        OrgKind::GrassrootsCell,
        Some(&other),
        "2010-01-01",
    )
    .await;
    let leaving = member(
        &store,
        "Bùi Văn Hải",
        &cell,
        "2021-04-10",
        Some("2022-04-10"),
    )
    .await;
    // A regular meeting of the cell in 2024, Hải absent without a reason.
    let absent = Absence {
        member_id: leaving,
        reason: None,
    };
    regular_meeting_held(&store, &cell, "2024-03-05", &[absent]).await;
    // A plan of the grassroots committee, studied at a class of the cell with Hải and two
    // others.
    let committee = store.org_by_code(&scope, "LG.01").await.unwrap();
    plan_disseminated(&store, &committee, &cell, "2024-04-10", &[leaving], 2).await;
    // Hạnh comes from the other district's cell by a letter accepted in May 2024.
    let arriving = member(
        &store,
        "Võ Thị Hạnh",
        &other_cell,
        "2012-05-19",
        Some("2013-05-19"),
    )
    .await;
    let letter = store
        .issue_transfer_letter(
            &actor,
            &scope,
            arriving,
            cell.id,
            d("2024-05-02"),
            "7-GGT/HU",
        )
        .await
        .unwrap();
    store
        .accept_transfer_letter(&actor, &scope, letter.id, d("2024-05-20"))
        .await
        .unwrap();
    // The review of 2024: the town classifies its grassroots committee, which classifies Hải.
    classified(&store, SubjectKind::Org, committee.id, &town).await;
    classified(&store, SubjectKind::Member, leaving, &committee).await;
    // Hải's dues of 2025: 1 % of a salary base of 5,000,000 VND, 50,000 VND a month from
    // January; the cell recorded January's.
    let january = YearMonth::new("test", "month", 2025, 1).unwrap();
    let salary = Income {
        kind: IncomeKind::Salaried,
        base_vnd: 5_000_000,
    };
    store
        .declare_income(&actor, &scope, leaving, january, salary)
        .await
        .unwrap();
    store
        .record_dues_payment(&actor, &scope, leaving, january, 50_000, d("2025-01-20"))
        .await
        .unwrap();
    // Lộc, admitted in 1993 and in the cell since 2015, reaches 30 years of party age on
    // 10 January 2023: due the 30-year badge at the award day of 3 February 2023.
    let veteran = NewMember {
        identity: MemberIdentity {
            full_name: "Trần Văn Lộc".into(),
            birth_date: d("1965-03-01"),
            gender: Gender::Male,
            ethnicity: "Kinh".into(),
            citizen_id: None,
            party_card_no: None,
            admitted_on: Some(d("1993-01-10")),
            official_on: Some(d("1994-01-10")),
        },
        org_id: cell.id,
        status: MemberStatus::Official,
        status_since: d("1994-01-10"),
        joined_on: d("2015-03-01"),
    };
    store.create_member(&actor, &scope, veteran).await.unwrap();
    let (_, commune) = reorganize_town(&store).await;
    store
        .dissolve_org(&actor, &scope, town.id, d("2025-07-01"), Some("60-NQ/TW"))
        .await
        .unwrap();
    let transfer = Transfer {
        to_org: other_cell.id,
        kind: MembershipKind::Official,
        on: d("2025-09-01"),
        until: None,
    };
    store
        .transfer_member(&actor, &scope, leaving, transfer)
        .await
        .unwrap();
    let term = Period::new(d("2020-01-01"), d("2025-06-30")).unwrap();
    let records = build_from_records(&store, &scope, town.id, term)
        .await
        .unwrap();
    let expected: &[(&str, i64)] = &[
        // On 30 June 2025: Hoa, Nam, Mai, Hải, Hạnh, Lộc official; Lan, Tài probationary.
        ("members.total", 8),
        ("probation.members", 2),
        ("badges.due", 1),
        ("badges.due.30", 1),
        ("dues.arrears_members", 1),
        ("org.grassroots_organizations", 2),
        // Admitted: Hải 2021, Nam 2022, Mai and Đức 2023, Lan and Tài 2024.
        ("members.admitted", 6),
        // Official: Hải 2022, Nam 2023, Mai and Đức 2024.
        ("members.recognized_official", 4),
        ("members.removed", 1),
        // The two cells of the grassroots committee and the grassroots cell.
        ("meetings.cells", 3),
        ("meetings.regular.held", 1),
        ("meetings.attendance.absent_unexcused", 1),
        ("documents.issued", 1),
        ("training.dissemination.classes", 1),
        ("training.dissemination.participants", 3),
        ("training.dissemination.non_members", 2),
        ("members.transferred_in", 1),
        ("classification.orgs.total", 1),
        ("classification.members.total", 1),
    ];
    for (key, n) in expected {
        assert_eq!(count(&records, key).0, *n, "{key}");
    }
    // Hải's six months of 2025 in the term, of which the cell collected January's.
    assert_eq!(vnd(&records, "dues.due"), 300_000);
    assert_eq!(vnd(&records, "dues.collected"), 50_000);
    let ours = build(&store, &scope, town.id, term).await.unwrap();
    same_lines(&ours, &records);
    // A meeting of 2024 recorded late, in the cell that has moved under the commune since:
    // the town's kept figures follow it.
    regular_meeting_held(&store, &cell, "2024-05-07", &[]).await;
    let records = build_from_records(&store, &scope, town.id, term)
        .await
        .unwrap();
    assert_eq!(count(&records, "meetings.regular.held").0, 2);
    let ours = build(&store, &scope, town.id, term).await.unwrap();
    same_lines(&ours, &records);
    // Hải pays February to June late, at the other district's cell: the town's kept dues
    // follow it (no arrears left), and the payments count where they were recorded.
    for month in 2..=6 {
        let month = YearMonth::new("test", "month", 2025, month).unwrap();
        store
            .record_dues_payment(&actor, &scope, leaving, month, 50_000, d("2025-10-01"))
            .await
            .unwrap();
    }
    let records = build_from_records(&store, &scope, town.id, term)
        .await
        .unwrap();
    assert_eq!(count(&records, "dues.arrears_members").0, 0);
    assert_eq!(vnd(&records, "dues.collected"), 50_000);
    let ours = build(&store, &scope, town.id, term).await.unwrap();
    same_lines(&ours, &records);
    let report = build(&store, &scope, other.id, term).await.unwrap();
    assert_eq!(vnd(&report, "dues.collected"), 250_000);
    for elsewhere in [&other, &commune] {
        let report = build(&store, &scope, elsewhere.id, term).await.unwrap();
        assert_eq!(
            count(&report, "members.admitted").0,
            0,
            "{}",
            elsewhere.code
        );
        for key in [
            "members.recognized_official",
            "meetings.regular.held",
            "meetings.attendance.absent_unexcused",
            "documents.issued",
            "training.dissemination.classes",
            "training.dissemination.participants",
            "members.transferred_in",
            "classification.orgs.total",
            "classification.members.total",
            // Hải is in the other district now, Lan and Tài in the commune: neither holds
            // their dues, badges or probation of the term.
            "probation.members",
            "badges.due",
            "dues.arrears_members",
        ] {
            assert_eq!(count(&report, key).0, 0, "{key} {}", elsewhere.code);
        }
        assert_eq!(vnd(&report, "dues.due"), 0, "{}", elsewhere.code);
    }
    // The commune did not exist: no cell of it was due a meeting.
    let report = build(&store, &scope, commune.id, term).await.unwrap();
    assert_eq!(count(&report, "meetings.cells").0, 0);
}

/// The amount of a figure in VND.
fn vnd(report: &grassroots_reports::Report, key: &str) -> i64 {
    match report
        .get(key)
        .unwrap_or_else(|| panic!("no figure {key}"))
        .value
    {
        FigureValue::Vnd(n) => n,
        other => panic!("{key}: {other:?}"),
    }
}

/// `subject` classified good for 2024 by `by`, on 20 December 2024.
async fn classified(
    store: &Store,
    kind: grassroots_domain::classification::SubjectKind,
    subject: i64,
    by: &Org,
) {
    use grassroots_domain::classification::{Decision, Level};
    use grassroots_storage::classification::{ClassificationWriter, NewClassification};
    let new = NewClassification {
        subject_kind: kind,
        subject_id: subject,
        decision: Decision {
            year: 2024,
            level: Level::Good,
            points: None,
            decided_on: d("2024-12-20"),
            note: None,
        },
        decided_by: by.id,
        supersedes: None,
    };
    store
        .classify(&Actor::new("t"), &Scope::all(), new)
        .await
        .unwrap();
}

/// The lines of two reports are equal; the first that differ are named.
fn same_lines(ours: &grassroots_reports::Report, records: &grassroots_reports::Report) {
    let differing = ours.differing_lines(records);
    assert!(differing.is_empty(), "{}", differing.join("\n"));
    assert_eq!(ours.lines.len(), records.lines.len());
}
