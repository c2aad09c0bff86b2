//! A year of cell meetings for the synthetic nation, written in bulk: for every cell the
//! twelve regular monthly meetings of the year that ends on the data set's reference day
//! (on the rulebook's meeting day; about every other cell missed one month, cancelled with
//! its reason) and one thematic meeting a quarter, with minutes and a resolution, and the
//! attendance list of each held meeting: every member the registry expects that day (the
//! same rule `participants` applies, `MemberHistory::role_at`), mostly present, sometimes
//! excused and rarely absent without reason.
//!
//! Meeting ids are laid out as `block * 16 + slot + 1` (a block per cell, a slot per
//! meeting of the year), so that a member's attendance at any cell, their own or a host's,
//! is found without a lookup. Slots before a cell was founded stay empty.

use chrono::Datelike;
use grassroots_domain::date::{Date, Span};
use grassroots_domain::meetings::{AttendanceStatus, MeetingKind, MeetingStatus, MemberHistory};
use grassroots_domain::member::MembershipKind;
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::bulk::Table;
use grassroots_storage::meetings::demo::{REASONS, RESOLUTIONS, THEMES};

use super::members::{Status, Stay};
use super::rng::Rng;
use super::sink::Sink;
use super::tree::OrgDraft;

pub const MEETINGS: Table = Table {
    name: "meetings",
    columns: &[
        "id",
        "org_id",
        "kind",
        "held_on",
        "status",
        "agenda",
        "topic",
        "minutes",
        "resolutions",
        "cancel_reason",
        "check_in_code",
        "attendance_recorded_at",
        "version",
        "created_at",
        "updated_at",
    ],
};
pub const ATTENDANCE: Table = Table {
    name: "meeting_attendance",
    columns: &[
        "meeting_id",
        "member_id",
        "status",
        "reason",
        "role",
        "source",
        "recorded_at",
    ],
};

/// Twelve regular meetings and four thematic ones.
const SLOTS: usize = 16;

const CANCEL_REASON: &str = "không tổ chức được: trùng lịch bầu cử ở khu phố";
const AGENDA: &str =
    "1. Đánh giá kết quả tháng; 2. Phương hướng tháng tới; 3. Phát biểu của đảng viên";

/// One meeting of a cell's year.
#[derive(Debug, Clone, Copy)]
struct Slot {
    kind: MeetingKind,
    day: Date,
    held: bool,
    /// Per-meeting randomness: theme, resolution, check-in code.
    salt: u64,
}

/// Every cell's year of meetings, and the attendance written so far.
#[derive(Debug)]
pub struct MeetingPlan {
    /// For each organization id, its block of meeting ids (cells only).
    blocks: Vec<Option<u32>>,
    schedules: Vec<[Option<Slot>; SLOTS]>,
    /// Attendance marks are drawn from their own stream, so the members of a data set are
    /// the same with or without meetings.
    rng: Rng,
    now: String,
    pub meetings: u64,
    pub attendance: u64,
}

impl MeetingPlan {
    /// Plans the year of every cell of `tree`.
    pub fn new(
        tree: &[OrgDraft],
        rng: &Rng,
        now: &str,
        reference: Date,
    ) -> anyhow::Result<MeetingPlan> {
        let first_month = first_of_month(reference)
            .checked_sub_months(chrono::Months::new(11))
            .unwrap_or(reference);
        let book = Rulebook::in_force(first_month)?;
        let meeting_day = book.local.regular_meeting_day;
        let max_id = tree.iter().map(|o| o.id).max().unwrap_or(0);
        let mut blocks = vec![None; usize::try_from(max_id).unwrap_or(0) + 1];
        let mut schedules = Vec::new();
        let mut seeds = rng.fork(4);
        for org in tree.iter().filter(|o| o.kind.holds_members()) {
            let mut r = Rng::new(seeds.next() ^ org.id as u64);
            let missed = (r.below(2) == 0).then(|| r.below(12) as usize);
            let mut slots = [None; SLOTS];
            for (i, slot) in slots.iter_mut().enumerate() {
                let (kind, day) = if i < 12 {
                    let month = first_month
                        .checked_add_months(chrono::Months::new(i as u32))
                        .unwrap_or(first_month);
                    (MeetingKind::Regular, with_day(month, meeting_day))
                } else {
                    // The middle month of each quarter, between the 10th and the 19th.
                    let month = first_month
                        .checked_add_months(chrono::Months::new(3 * (i as u32 - 12) + 1))
                        .unwrap_or(first_month);
                    (
                        MeetingKind::Thematic,
                        with_day(month, 10 + r.below(10) as u32),
                    )
                };
                let salt = r.next();
                if day >= org.founded_on && day <= reference {
                    *slot = Some(Slot {
                        kind,
                        day,
                        held: missed != Some(i),
                        salt,
                    });
                }
            }
            if let Some(b) = blocks.get_mut(usize::try_from(org.id).unwrap_or(usize::MAX)) {
                *b = Some(schedules.len() as u32);
            }
            schedules.push(slots);
        }
        Ok(MeetingPlan {
            blocks,
            schedules,
            rng: rng.fork(5),
            now: now.to_owned(),
            meetings: 0,
            attendance: 0,
        })
    }

    fn block(&self, org_id: i64) -> Option<u32> {
        *self.blocks.get(usize::try_from(org_id).ok()?)?
    }

    /// The meetings rows of every cell (before any attendance refers to them).
    pub fn write_meetings(&mut self, sink: &mut Sink, tree: &[OrgDraft]) -> anyhow::Result<()> {
        for org in tree.iter().filter(|o| o.kind.holds_members()) {
            let Some(block) = self.block(org.id) else {
                continue;
            };
            for (i, slot) in self.schedules[block as usize].iter().enumerate() {
                let Some(s) = slot else { continue };
                let topic = (s.kind == MeetingKind::Thematic)
                    .then(|| THEMES[(s.salt % THEMES.len() as u64) as usize]);
                let resolution = RESOLUTIONS[((s.salt >> 8) % RESOLUTIONS.len() as u64) as usize];
                let (status, version) = if s.held {
                    // Created, minutes recorded, attendance recorded.
                    (MeetingStatus::Held, 3)
                } else {
                    (MeetingStatus::Cancelled, 2)
                };
                let now = self.now.as_str();
                sink.push(MEETINGS, |b| {
                    b.int(meeting_id(block, i))
                        .int(org.id)
                        .text(s.kind.as_str())
                        .date(s.day);
                    b.text(status.as_str());
                    match topic {
                        Some(_) => b.fmt(format_args!("Sinh hoạt chuyên đề quý {}", quarter_of(i))),
                        None => b.text(AGENDA),
                    };
                    b.opt_text(topic);
                    if s.held {
                        b.fmt(format_args!(
                            "Chi bộ họp ngày {}. Đồng chí bí thư chủ trì, thông qua nghị quyết.",
                            s.day.format("%d/%m/%Y")
                        ));
                        b.text(&serde_json::json!([resolution]).to_string());
                    } else {
                        b.null_text().text("[]");
                    }
                    b.opt_text((!s.held).then_some(CANCEL_REASON))
                        .fmt(format_args!("{:06}", (s.salt >> 16) % 1_000_000))
                        .opt_text(s.held.then_some(now))
                        .int(version)
                        .text(now)
                        .text(now);
                })?;
                self.meetings += 1;
            }
        }
        sink.flush(MEETINGS.name)
    }

    /// The attendance of one member at every held meeting where the registry expects them:
    /// their own cell's, or a host cell's while on temporary transfer there.
    pub fn attend(
        &mut self,
        sink: &mut Sink,
        member_id: i64,
        stays: &[Stay],
        statuses: &[Status],
    ) -> anyhow::Result<()> {
        let history = MemberHistory {
            member_id,
            memberships: stays
                .iter()
                .map(|(org, from, to, kind, _)| {
                    let kind = if *kind == "temporary" {
                        MembershipKind::Temporary
                    } else {
                        MembershipKind::Official
                    };
                    (
                        *org,
                        kind,
                        Span {
                            from: *from,
                            to: *to,
                        },
                    )
                })
                .collect(),
            statuses: statuses
                .iter()
                .map(|(s, from, to, _)| {
                    (
                        *s,
                        Span {
                            from: *from,
                            to: *to,
                        },
                    )
                })
                .collect(),
        };
        for (n, (org, ..)) in stays.iter().enumerate() {
            if stays[..n].iter().any(|(o, ..)| o == org) {
                continue;
            }
            let Some(block) = self.block(*org) else {
                continue;
            };
            for i in 0..SLOTS {
                let Some(s) = self.schedules[block as usize][i] else {
                    continue;
                };
                if !s.held {
                    continue;
                }
                let Some(role) = history.role_at(*org, s.day) else {
                    continue;
                };
                let roll = self.rng.below(1000);
                let (status, reason) = if roll < 920 {
                    (AttendanceStatus::Present, None)
                } else if roll < 990 {
                    let reason = REASONS[self.rng.below(REASONS.len() as u64) as usize];
                    (AttendanceStatus::AbsentExcused, Some(reason))
                } else {
                    (AttendanceStatus::AbsentUnexcused, None)
                };
                let now = self.now.as_str();
                sink.push(ATTENDANCE, |b| {
                    b.int(meeting_id(block, i))
                        .int(member_id)
                        .text(status.as_str())
                        .opt_text(reason)
                        .text(role.as_str())
                        .text("list")
                        .text(now);
                })?;
                self.attendance += 1;
            }
        }
        Ok(())
    }
}

fn meeting_id(block: u32, slot: usize) -> i64 {
    i64::from(block) * SLOTS as i64 + slot as i64 + 1
}

/// The quarter (1–4) of the data set's year a thematic slot falls in.
fn quarter_of(slot: usize) -> usize {
    slot - 12 + 1
}

fn first_of_month(day: Date) -> Date {
    day.with_day0(0).unwrap_or(day)
}

/// `day` of the month of `month`, or its last day when the month is shorter.
fn with_day(month: Date, day: u32) -> Date {
    (0..4)
        .find_map(|back| month.with_day(day.saturating_sub(back).max(1)))
        .unwrap_or(month)
}
