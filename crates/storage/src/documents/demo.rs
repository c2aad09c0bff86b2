//! A deterministic demonstration of the documents area, for the demo data set: directive
//! 35-CT/TW concretized by a provincial plan, which half of the province's communes
//! concretize in their own plans while the rest have not yet; with dissemination, study
//! lists and training courses. Same tree in, same records out.

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::documents::{CourseKind, CourseResult, DisseminationKind, ReviewKind};
use grassroots_domain::member::MemberStatus;
use grassroots_domain::org::OrgKind;
use grassroots_domain::tree_path;
use serde::{Deserialize, Serialize};

use super::{
    CascadeWriter, DisseminationWriter, DocumentWriter, NewCourse, NewDissemination, NewDocument,
    NewParticipant, NewReview, NewTask, ParticipantResult, TrainingWriter,
};
use crate::orgs::OrgReader;
use crate::row::int;
use crate::{Actor, Scope, Store, StoreResult};

/// What the demonstration created, for the demo to link to and tests to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentsDemo {
    pub directive_id: i64,
    pub provincial_plan_id: i64,
    /// Communes that issued their plan, and their plans.
    pub concretized_communes: Vec<(i64, i64)>,
    /// Communes that have not yet concretized the directive.
    pub missing_communes: Vec<i64>,
    pub dissemination_ids: Vec<i64>,
    pub course_ids: Vec<i64>,
}

fn day(raw: &str) -> StoreResult<Date> {
    Ok(grassroots_domain::date::parse_date("demo", "date", raw)?)
}

/// Active members of a subtree with one of `statuses`, by id, at most `limit`.
async fn members_of(
    store: &Store,
    path: &str,
    statuses: &[MemberStatus],
    limit: i64,
) -> StoreResult<Vec<i64>> {
    let (lo, hi) = tree_path::subtree_range(path);
    let marks = vec!["?"; statuses.len()].join(", ");
    let sql = store
        .db
        .sql(&format!(
            "SELECT id FROM members WHERE org_path >= ? AND org_path < ? AND status IN ({marks}) \
             ORDER BY id LIMIT ?"
        ))
        .into_owned();
    let mut q = sqlx::query(&sql).bind(lo).bind(hi);
    for s in statuses {
        q = q.bind(s.as_str());
    }
    q.bind(limit)
        .fetch_all(store.db.read())
        .await?
        .iter()
        .map(|r| int(r, "id"))
        .collect()
}

/// Builds the demonstration under `central_id` (issuer of 35-CT/TW) and `province_id`,
/// whose subtree must hold at least one commune.
pub async fn build(
    store: &Store,
    actor: &Actor,
    central_id: i64,
    province_id: i64,
) -> StoreResult<DocumentsDemo> {
    let all = Scope::all();
    let province = store.org(&all, province_id).await?;
    let mut communes: Vec<_> = store
        .tree_as_of(&all, province_id, crate::orgs::today())
        .await?
        .into_iter()
        .filter(|v| v.kind == OrgKind::Commune)
        .collect();
    communes.sort_by(|a, b| a.path.cmp(&b.path));
    if communes.is_empty() {
        return Err(DomainError::invalid(
            "documents demo",
            "province_id",
            format!("{} has no commune to concretize the plan", province.code),
        )
        .into());
    }
    let official = [MemberStatus::Probationary, MemberStatus::Official];

    let directive = store
        .register_document(
            actor,
            &all,
            NewDocument {
                issuer_org_id: central_id,
                type_code: "CT".into(),
                issuer_code: Some("TW".into()),
                number: Some(35),
                issued_on: day("2024-06-14")?,
                title: "Chỉ thị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc \
                        lần thứ XIV của Đảng"
                    .into(),
                summary: Some("Congresses at every level for the 2025–2030 term.".into()),
                parent_id: None,
                concretize_by: vec![OrgKind::Provincial, OrgKind::Commune],
                term: None,
            },
        )
        .await?;
    let plan = store
        .register_document(
            actor,
            &all,
            NewDocument {
                issuer_org_id: province.id,
                type_code: "KH".into(),
                issuer_code: None,
                number: Some(24),
                issued_on: day("2024-07-10")?,
                title: "Kế hoạch thực hiện Chỉ thị 35-CT/TW về đại hội đảng bộ các cấp".into(),
                summary: None,
                parent_id: Some(directive.id),
                concretize_by: vec![OrgKind::Commune],
                term: None,
            },
        )
        .await?;
    for (title, due) in [
        ("Hướng dẫn chuẩn bị nhân sự cấp ủy", "2024-09-30"),
        ("Tổ chức đại hội điểm cấp xã", "2025-03-31"),
    ] {
        store
            .add_task(
                actor,
                &all,
                plan.id,
                NewTask {
                    title: title.into(),
                    assignee_org_id: None,
                    due_on: Some(day(due)?),
                    note: None,
                },
            )
            .await?;
    }
    store
        .record_review(
            actor,
            &all,
            NewReview {
                document_id: plan.id,
                org_id: province.id,
                kind: ReviewKind::Preliminary,
                held_on: day("2024-12-20")?,
                note: None,
            },
        )
        .await?;

    let mut dissemination_ids = Vec::new();
    let leaders = members_of(store, &province.path, &official, 20).await?;
    store
        .assign_study(
            actor,
            &all,
            province.id,
            directive.id,
            day("2024-07-15")?,
            Some(day("2024-08-31")?),
        )
        .await?;
    let conference = store
        .record_dissemination(
            actor,
            &all,
            NewDissemination {
                org_id: province.id,
                kind: DisseminationKind::Conference,
                title: "Hội nghị quán triệt Chỉ thị 35-CT/TW".into(),
                held_on: day("2024-07-20")?,
                document_ids: vec![directive.id, plan.id],
                member_ids: leaders,
                non_member_count: 15,
                note: None,
            },
        )
        .await?;
    dissemination_ids.push(conference.id);

    let half = communes.len().div_ceil(2);
    let mut concretized = Vec::new();
    let mut missing = Vec::new();
    for (i, commune) in communes.iter().enumerate() {
        if i >= half {
            missing.push(commune.org_id);
            continue;
        }
        let commune_plan = store
            .register_document(
                actor,
                &all,
                NewDocument {
                    issuer_org_id: commune.org_id,
                    type_code: "KH".into(),
                    issuer_code: None,
                    number: None,
                    issued_on: day("2024-08-05")?,
                    title: format!("Kế hoạch thực hiện Kế hoạch 24-KH/TU tại {}", commune.name),
                    summary: None,
                    parent_id: Some(plan.id),
                    concretize_by: Vec::new(),
                    term: None,
                },
            )
            .await?;
        concretized.push((commune.org_id, commune_plan.id));
        if i == 0 {
            store
                .record_review(
                    actor,
                    &all,
                    NewReview {
                        document_id: commune_plan.id,
                        org_id: commune.org_id,
                        kind: ReviewKind::Preliminary,
                        held_on: day("2024-12-10")?,
                        note: None,
                    },
                )
                .await?;
        }
        let attendees = members_of(store, &commune.path, &official, 60).await?;
        let class = store
            .record_dissemination(
                actor,
                &all,
                NewDissemination {
                    org_id: commune.org_id,
                    kind: DisseminationKind::Class,
                    title: format!("Lớp học tập Chỉ thị 35-CT/TW tại {}", commune.name),
                    held_on: day("2024-08-15")?,
                    document_ids: vec![directive.id, commune_plan.id],
                    member_ids: attendees,
                    non_member_count: 5,
                    note: None,
                },
            )
            .await?;
        dissemination_ids.push(class.id);
    }

    let mut course_ids = Vec::new();
    let course = |kind, title: &str, starts: &str, ends: &str| -> StoreResult<NewCourse> {
        Ok(NewCourse {
            org_id: province.id,
            kind,
            title: title.into(),
            starts_on: day(starts)?,
            ends_on: day(ends)?,
            note: None,
        })
    };
    let theory = store
        .create_course(
            actor,
            &all,
            course(
                CourseKind::NewMemberTheory,
                "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới",
                "2024-09-09",
                "2024-09-13",
            )?,
        )
        .await?;
    store
        .add_session(
            actor,
            &all,
            theory.id,
            day("2024-09-09")?,
            "Chủ nghĩa Mác – Lênin, tư tưởng Hồ Chí Minh",
        )
        .await?;
    store
        .add_session(actor, &all, theory.id, day("2024-09-12")?, "Điều lệ Đảng")
        .await?;
    let newcomers = members_of(store, &province.path, &[MemberStatus::Probationary], 10).await?;
    for (i, member_id) in newcomers.iter().enumerate() {
        let p = store
            .add_participant(
                actor,
                &all,
                theory.id,
                NewParticipant::Member {
                    member_id: *member_id,
                },
            )
            .await?;
        store
            .record_result(
                actor,
                &all,
                p.id,
                ParticipantResult {
                    result: CourseResult::Pass,
                    score: Some(8.0),
                    certificate_no: Some(format!("LLCT-2024-{:03}", i + 1)),
                    certificate_on: Some(day("2024-09-20")?),
                },
            )
            .await?;
    }
    course_ids.push(theory.id);

    let awareness = store
        .create_course(
            actor,
            &all,
            course(
                CourseKind::Awareness,
                "Lớp bồi dưỡng nhận thức về Đảng",
                "2024-10-07",
                "2024-10-11",
            )?,
        )
        .await?;
    for (name, passed) in [
        ("Nguyễn Thị Hồng", true),
        ("Trần Văn Minh", true),
        ("Lê Quốc Bảo", false),
    ] {
        let p = store
            .add_participant(
                actor,
                &all,
                awareness.id,
                NewParticipant::Person {
                    name: name.into(),
                    birth_date: None,
                },
            )
            .await?;
        store
            .record_result(
                actor,
                &all,
                p.id,
                ParticipantResult {
                    result: if passed {
                        CourseResult::Pass
                    } else {
                        CourseResult::Fail
                    },
                    score: Some(if passed { 7.5 } else { 4.0 }),
                    certificate_no: None,
                    certificate_on: None,
                },
            )
            .await?;
    }
    course_ids.push(awareness.id);

    let thematic = store
        .create_course(
            actor,
            &all,
            course(
                CourseKind::ThematicConference,
                "Hội nghị chuyên đề về công tác nhân sự đại hội",
                "2024-11-05",
                "2024-11-05",
            )?,
        )
        .await?;
    for member_id in members_of(store, &province.path, &[MemberStatus::Official], 5).await? {
        store
            .add_participant(
                actor,
                &all,
                thematic.id,
                NewParticipant::Member { member_id },
            )
            .await?;
    }
    course_ids.push(thematic.id);

    Ok(DocumentsDemo {
        directive_id: directive.id,
        provincial_plan_id: plan.id,
        concretized_communes: concretized,
        missing_communes: missing,
        dissemination_ids,
        course_ids,
    })
}
