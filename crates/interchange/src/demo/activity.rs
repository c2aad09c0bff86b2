//! The demo's activity on top of its tree and members: a year of meetings with attendance
//! for every cell, and the documents demonstration (directive 35-CT/TW from the central
//! committee, the province's plan, the communes' plans, dissemination, study lists and
//! courses). Both come from the storage crate's own deterministic generators, so they go
//! through the same checked and audited writes as a secretary's.

use chrono::Datelike;
use grassroots_domain::date::Date;
use grassroots_domain::meetings::{AttendanceStatus, MeetingKind, MeetingStatus, Period, Role};
use grassroots_domain::member::MemberStatus;
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::documents::demo as documents_demo;
use grassroots_storage::documents::{DocumentWriter, NewFile};
use grassroots_storage::meetings::demo::simulate_year;
use grassroots_storage::meetings::{Evaluation, MeetingReader, MeetingWriter, NewCellCommittee};
use grassroots_storage::members::MemberReader;
use grassroots_storage::{Actor, Scope, Store, StoreError};

use crate::{InterchangeResult, Progress};

/// The seed of the meetings generator: with the same cells and year, the same meetings.
const MEETINGS_SEED: u64 = 0x0003_1A61;

/// The attached text of the directive (a short abstract; the demo is not the archive).
const DIRECTIVE_TEXT: &str = "CHỈ THỊ 35-CT/TW của Bộ Chính trị về tổ chức đại hội đảng bộ các cấp \
tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng.\n\
Chuẩn bị văn kiện, nhân sự và công tác tổ chức đại hội ở các cấp nhiệm kỳ 2025 - 2030.\n";

/// What the activity wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    pub meetings_held: u32,
    pub attendance_records: u32,
    /// Meetings a superior committee attended and classified.
    pub supervised_meetings: usize,
    pub documents: usize,
}

/// A grassroots committee and two of its cells: the first is supervised, the second lends
/// the observer (a member of the committee's own organization).
#[derive(Debug, Clone, Copy)]
pub struct Supervision {
    pub committee_id: i64,
    pub cell_id: i64,
    pub observer_cell_id: i64,
}

/// Simulates last year's meetings of every cell in `cells` (the cells that exist for the
/// whole of it), then builds the documents demonstration under the central committee and
/// the province.
pub async fn load(
    store: &Store,
    actor: &Actor,
    progress: &dyn Progress,
    cells: &[i64],
    supervised: &[Supervision],
    central_id: i64,
    province_id: i64,
) -> InterchangeResult<Activity> {
    let mut activity = Activity::default();
    let year = chrono::Local::now().date_naive().year() - 1;
    progress.start("meetings", Some(cells.len() as u64));
    for cell in cells {
        let y = simulate_year(store, *cell, year, MEETINGS_SEED).await?;
        activity.meetings_held += y.regular_held + y.thematic_held;
        activity.attendance_records += y.present + y.absent_excused + y.absent_unexcused;
        progress.advance(1);
    }
    progress.start("supervision", Some(supervised.len() as u64));
    for s in supervised {
        if supervise(store, actor, year, *s).await? {
            activity.supervised_meetings += 1;
        }
        progress.advance(1);
    }
    progress.start("documents", None);
    let built = documents_demo::build(store, actor, central_id, province_id).await?;
    activity.documents = 2 + built.concretized_communes.len();
    // The directive's text, attached as a file, as a registry clerk would.
    store
        .attach_file(
            actor,
            &Scope::all(),
            built.directive_id,
            NewFile {
                name: "35-CT-TW.txt".to_owned(),
                content_type: "text/plain; charset=utf-8".to_owned(),
                content: DIRECTIVE_TEXT.as_bytes().to_vec(),
            },
        )
        .await?;
    Ok(activity)
}

/// The first held regular meeting of `cell` in `year` and those of its members present
/// who are still official members of the cell (the others cannot take a role today).
async fn first_held(
    store: &Store,
    cell: i64,
    year: i32,
) -> InterchangeResult<Option<(grassroots_storage::meetings::Meeting, Vec<i64>)>> {
    let all = Scope::all();
    let period = Period::new(ymd(year, 1, 1), ymd(year, 12, 31)).map_err(StoreError::from)?;
    let meetings = store.meetings_of(&all, cell, period).await?;
    let Some(meeting) = meetings
        .into_iter()
        .find(|m| m.kind == MeetingKind::Regular && m.status == MeetingStatus::Held)
    else {
        return Ok(None);
    };
    let mut present = Vec::new();
    for a in store.attendance(&all, meeting.id).await? {
        if a.status != AttendanceStatus::Present || a.role != Role::Home {
            continue;
        }
        let m = store.member(&all, a.member_id).await?;
        if m.status == MemberStatus::Official && m.org_id == Some(cell) {
            present.push(a.member_id);
        }
    }
    Ok(Some((meeting, present)))
}

fn ymd(y: i32, m: u32, d: u32) -> Date {
    super::ymd(y, m, d)
}

/// A superior committee attends and classifies the first meeting of the year of a cell
/// (seeds 002 and 004), and the cell's committee elected at it is recorded. `false` when
/// the cells lack a held meeting or members present to take those roles.
async fn supervise(
    store: &Store,
    actor: &Actor,
    year: i32,
    s: Supervision,
) -> InterchangeResult<bool> {
    let all = Scope::all();
    let Some((meeting, present)) = first_held(store, s.cell_id, year).await? else {
        return Ok(false);
    };
    let Some((_, lenders)) = first_held(store, s.observer_cell_id, year).await? else {
        return Ok(false);
    };
    let (Some(observer), [secretary, deputy, ..]) = (lenders.first(), present.as_slice()) else {
        return Ok(false);
    };
    store
        .assign_observer(
            actor,
            &all,
            meeting.id,
            *observer,
            s.committee_id,
            Some("Đảng ủy phân công dự sinh hoạt chi bộ"),
        )
        .await?;
    let book = Rulebook::in_force(meeting.date).map_err(StoreError::from)?;
    let level = book
        .meeting_quality
        .levels
        .first()
        .cloned()
        .unwrap_or_else(|| "good".to_owned());
    store
        .evaluate_meeting(
            actor,
            &all,
            Evaluation {
                meeting_id: meeting.id,
                evaluator_org_id: s.committee_id,
                level,
                notes: Some("Sinh hoạt đúng quy định, nội dung thiết thực".to_owned()),
                evaluated_on: meeting.date,
            },
        )
        .await?;
    store
        .record_cell_committee(
            actor,
            &all,
            NewCellCommittee {
                org_id: s.cell_id,
                elected_on: meeting.date,
                secretary_member_id: *secretary,
                deputy_member_id: Some(*deputy),
                decision: Some(format!("{}-QĐ/ĐU", 100 + s.cell_id)),
            },
        )
        .await?;
    Ok(true)
}
