//! A realistic year of a cell's meetings for the demo and the national generator:
//! twelve regular meetings on the rulebook's day (one month occasionally missed), one
//! thematic meeting a quarter, minutes and resolutions, and attendance that is mostly
//! present, sometimes excused and rarely without reason. Deterministic for a given seed;
//! everything goes through the same writes a secretary uses, so it is audited like them.

use chrono::Datelike;
use grassroots_domain::date::Date;
use grassroots_domain::meetings::{Absence, MeetingKind, MeetingStatus};
use grassroots_domain::rulebook::Rulebook;
use serde::{Deserialize, Serialize};

use super::{Meeting, MeetingContent, MeetingReader, MeetingWriter, NewMeeting};
use crate::orgs::today;
use crate::{Actor, Scope, Store, StoreResult};

/// What a simulated year produced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSummary {
    pub cell_id: i64,
    pub year: i32,
    pub regular_held: u32,
    pub regular_cancelled: u32,
    pub thematic_held: u32,
    /// Meetings after today, left scheduled.
    pub scheduled_left: u32,
    pub present: u32,
    pub absent_excused: u32,
    pub absent_unexcused: u32,
}

/// SplitMix64: a small, fixed generator, so that a seed gives the same year everywhere.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Reasons given for an excused absence (also used by the national generator).
pub const REASONS: &[&str] = &[
    "đi công tác",
    "ốm, có giấy của cơ sở y tế",
    "chăm người nhà nằm viện",
    "trực cơ quan",
    "đi học tập trung",
];

/// Themes of quarterly thematic meetings.
pub const THEMES: &[&str] = &[
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ theo Chỉ thị 50-CT/TW",
    "Công tác dân vận: mô hình \"Dân vận khéo\" ở khu dân cư",
    "Phát triển đảng viên trong quần chúng ưu tú",
    "Phòng, chống suy thoái tư tưởng chính trị, \"tự diễn biến\", \"tự chuyển hóa\"",
    "Giữ gìn vệ sinh môi trường và an ninh trật tự khu phố",
];

/// Resolutions a cell adopts at a meeting.
pub const RESOLUTIONS: &[&str] = &[
    "Vận động 100% hộ gia đình tham gia ngày chủ nhật xanh",
    "Phân công đảng viên phụ trách hộ gia đình khó khăn",
    "Hoàn thành thu đảng phí đúng hạn",
    "Giới thiệu một quần chúng ưu tú học lớp cảm tình Đảng",
    "Tổ chức thăm hỏi gia đình chính sách",
];

/// Simulates `year` for the cell `cell_id`: see the module documentation. Meetings after
/// today stay scheduled. Fails (writing nothing for that meeting) like any other write,
/// e.g. if the cell already has regular meetings that year.
pub async fn simulate_year(
    store: &Store,
    cell_id: i64,
    year: i32,
    seed: u64,
) -> StoreResult<YearSummary> {
    let actor = Actor::new("system:demo");
    let scope = Scope::all();
    let mut rng = Rng(seed ^ (cell_id as u64).wrapping_mul(0x2545_F491_4F6C_DD1D) ^ year as u64);
    let first_day = Date::from_ymd_opt(year, 1, 1).unwrap_or_else(today);
    let book = Rulebook::in_force(first_day)?;
    let mut summary = YearSummary {
        cell_id,
        year,
        ..YearSummary::default()
    };
    let regular = store
        .schedule_year(
            &actor,
            &scope,
            cell_id,
            year,
            book.local.regular_meeting_day,
        )
        .await?;
    // About every other year one month's meeting is not held.
    let missed_month = (rng.below(2) == 0).then(|| rng.below(12) as u32 + 1);
    for meeting in regular {
        if meeting.date > today() {
            summary.scheduled_left += 1;
            continue;
        }
        if Some(meeting.date.month()) == missed_month {
            store
                .cancel_meeting(
                    &actor,
                    &scope,
                    meeting.id,
                    "không tổ chức được: trùng lịch bầu cử ở khu phố",
                )
                .await?;
            summary.regular_cancelled += 1;
            continue;
        }
        hold(
            store,
            &actor,
            &scope,
            &mut rng,
            &meeting,
            &mut summary,
            None,
        )
        .await?;
        summary.regular_held += 1;
    }
    for quarter in 0..4u32 {
        let day = Date::from_ymd_opt(year, quarter * 3 + 2, 10 + rng.below(10) as u32);
        let Some(day) = day else { continue };
        let topic = rng.pick(THEMES).to_owned();
        let meeting = store
            .create_meeting(
                &actor,
                &scope,
                NewMeeting {
                    org_id: cell_id,
                    kind: MeetingKind::Thematic,
                    date: day,
                    agenda: Some(format!("Sinh hoạt chuyên đề quý {}", quarter + 1)),
                    topic: Some(topic.clone()),
                },
            )
            .await?;
        if day > today() {
            summary.scheduled_left += 1;
            continue;
        }
        hold(
            store,
            &actor,
            &scope,
            &mut rng,
            &meeting,
            &mut summary,
            Some(topic),
        )
        .await?;
        summary.thematic_held += 1;
    }
    Ok(summary)
}

/// Writes a held meeting's minutes and its attendance list.
async fn hold(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    rng: &mut Rng,
    meeting: &Meeting,
    summary: &mut YearSummary,
    topic: Option<String>,
) -> StoreResult<()> {
    debug_assert_eq!(meeting.status, MeetingStatus::Scheduled);
    let resolution = rng.pick(RESOLUTIONS).to_owned();
    store
        .record_content(
            actor,
            scope,
            meeting.id,
            meeting.version,
            MeetingContent {
                agenda: Some(
                    "1. Đánh giá kết quả tháng; 2. Phương hướng tháng tới; 3. Phát biểu của đảng viên"
                        .to_owned(),
                ),
                topic,
                minutes: Some(format!(
                    "Chi bộ họp ngày {}. Đồng chí bí thư chủ trì, thông qua nghị quyết.",
                    meeting.date.format("%d/%m/%Y")
                )),
                resolutions: vec![resolution],
            },
        )
        .await?;
    let participants = store.participants(scope, meeting.id).await?;
    let mut absentees = Vec::new();
    for p in &participants {
        let roll = rng.below(1000);
        if roll < 920 {
            summary.present += 1;
        } else if roll < 990 {
            summary.absent_excused += 1;
            absentees.push(Absence {
                member_id: p.member_id,
                reason: Some(rng.pick(REASONS).to_owned()),
            });
        } else {
            summary.absent_unexcused += 1;
            absentees.push(Absence {
                member_id: p.member_id,
                reason: None,
            });
        }
    }
    store
        .record_attendance(actor, scope, meeting.id, &absentees)
        .await?;
    Ok(())
}
